"""Network: backprop against independent references.

References used here: central finite differences (every activation × cost × architecture),
the mean of per-example backprop and the book's per-example loop (for the matrix form), a tiny
network worked out by hand, and the product of the weight matrices (for a linear network).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import (
    ACTIVATION_NAMES,
    ARCHITECTURES,
    COST_NAMES,
    activation_names,
    batch_sizes,
    flat,
    gradient_case,
    rel_err,
    seeds,
    sizes_lists,
)

from nndl_backprop import Network, gradient_by_loop, numerical_gradient
from nndl_backprop.activations import sigmoid


# ----- backprop against central differences ------------------------------------------------
@pytest.mark.parametrize("sizes", ARCHITECTURES, ids=lambda s: "-".join(map(str, s)))
@pytest.mark.parametrize("cost", COST_NAMES)
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_backprop_matches_central_differences(sizes, activation, cost):
    net, x, y, seed = gradient_case(sizes, activation, cost, seed=0)
    nabla_b, nabla_w = net.backprop(x, y)
    num = numerical_gradient(net, x, y, method="central")
    got, want = nabla_b + nabla_w, num.nabla_b + num.nabla_w
    # Not 0 == 0: every layer's gradient is clearly non-zero.
    assert min(np.linalg.norm(g) for g in got) > 1e-3, f"seed {seed}"
    overall = rel_err(flat(got), flat(want))
    assert overall < 1e-7, f"seed {seed}: relative error {overall:.2e}"
    for i, (g, n) in enumerate(zip(got, want)):
        assert g.shape == n.shape
        assert rel_err(g, n) < 1e-6, f"seed {seed}, entry {i}: {rel_err(g, n):.2e}"


@pytest.mark.parametrize("activation", ["tanh", "relu", "linear"])
def test_cross_entropy_refuses_an_output_layer_outside_0_1(activation):
    with pytest.raises(ValueError, match="output_activation='sigmoid'"):
        Network([2, 3, 1], activation=activation, cost="cross_entropy")
    with pytest.raises(ValueError, match="cross_entropy"):
        Network([2, 3, 1], cost="cross_entropy", output_activation=activation)
    # With a sigmoid output any hidden activation is fine.
    Network([2, 3, 1], activation=activation, cost="cross_entropy", output_activation="sigmoid")


def test_a_wrong_gradient_is_caught_by_the_comparison():
    """The grid's comparison can fail: a 1e-6 relative slip in one entry exceeds 1e-7."""
    net, x, y, _ = gradient_case([3, 4, 2], "sigmoid", "quadratic", seed=0)
    nabla_b, nabla_w = net.backprop(x, y)
    num = numerical_gradient(net, x, y, method="central")
    nabla_w[0][1, 2] *= 1 + 1e-5
    assert rel_err(flat(nabla_b + nabla_w), flat(num.nabla_b + num.nabla_w)) > 1e-7


# ----- the matrix form against per-example backprop --------------------------------------------
@pytest.mark.parametrize("sizes", ARCHITECTURES, ids=lambda s: "-".join(map(str, s)))
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_backprop_batch_is_the_mean_of_per_example_backprop(sizes, activation):
    rng = np.random.default_rng(7)
    net = Network(sizes, activation=activation, seed=rng)
    if activation == "relu":  # keep units alive so the comparison is not 0 == 0
        for b in net.biases:
            b += 1.0
    m = 7
    X = rng.standard_normal((sizes[0], m))  # (n_in, m)
    Y = rng.uniform(size=(sizes[-1], m))  # (n_out, m)
    batch_b, batch_w = net.backprop_batch(X, Y)

    mean_b = [np.zeros_like(b) for b in net.biases]
    mean_w = [np.zeros_like(w) for w in net.weights]
    for i in range(m):
        nb, nw = net.backprop(X[:, i], Y[:, i])
        mean_b = [acc + g / m for acc, g in zip(mean_b, nb)]
        mean_w = [acc + g / m for acc, g in zip(mean_w, nw)]
    loop_b, loop_w = gradient_by_loop(net, X, Y)

    assert all(np.abs(g).max() > 1e-4 for g in mean_b + mean_w)  # not 0 == 0
    for got, mean, loop in zip(batch_b + batch_w, mean_b + mean_w, loop_b + loop_w):
        assert got.shape == mean.shape == loop.shape
        np.testing.assert_allclose(got, mean, rtol=0, atol=1e-12)
        np.testing.assert_allclose(got, loop, rtol=0, atol=1e-12)


@given(sizes=sizes_lists(), activation=activation_names, m=batch_sizes, seed=seeds)
def test_backprop_batch_matches_the_loop_on_random_architectures(sizes, activation, m, seed):
    rng = np.random.default_rng(seed)
    net = Network(sizes, activation=activation, seed=rng)
    X = rng.standard_normal((sizes[0], m))
    Y = rng.uniform(size=(sizes[-1], m))
    batch = net.backprop_batch(X, Y)
    loop = gradient_by_loop(net, X, Y)
    for got, want in zip(batch[0] + batch[1], loop[0] + loop[1]):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_backprop_batch_of_one_column_is_backprop():
    rng = np.random.default_rng(3)
    net = Network([4, 5, 3], seed=rng)
    x, y = rng.standard_normal((4, 1)), rng.uniform(size=(3, 1))
    for got, want in zip(sum(net.backprop_batch(x, y), []), sum(net.backprop(x, y), [])):
        np.testing.assert_array_equal(got, want)


def test_one_example_as_vector_or_column_gives_the_same_gradient():
    rng = np.random.default_rng(4)
    net = Network([4, 5, 3], seed=rng)
    x, y = rng.standard_normal(4), rng.uniform(size=3)  # (4,), (3,)
    reference = sum(net.backprop(x.reshape(4, 1), y.reshape(3, 1)), [])
    for xi, yi in [(x, y), (x, y.reshape(3, 1)), (x.reshape(4, 1), y)]:
        got = sum(net.backprop(xi, yi), [])
        for g, r in zip(got, reference):
            assert g.shape == r.shape  # (n_l, 1) and (n_l, n_{l-1}): never broadcast
            np.testing.assert_array_equal(g, r)


# ----- a tiny network worked out by hand ---------------------------------------------------
def test_tiny_network_worked_out_by_hand():
    """[2, 1, 1], sigmoid, quadratic cost; numbers chosen so that every value is exact.

    σ(0) = 1/2 and σ'(0) = 1/4; σ(ln 3) = 3/4 and σ'(ln 3) = 3/4 · 1/4 = 3/16.
    """
    net = Network([2, 1, 1], activation="sigmoid", cost="quadratic", seed=0)
    net.set_w(2, 1, 1, 2.0)  # w^2 = [2, −1]
    net.set_w(2, 1, 2, -1.0)
    net.set_b(2, 1, 0.0)  # b^2 = 0
    net.set_w(3, 1, 1, 2.0)  # w^3 = [2]
    net.set_b(3, 1, math.log(3.0) - 1.0)  # b^3 = ln 3 − 1
    x = np.array([1.0, 2.0])
    y = np.array([1.0])

    # Forward pass.
    # z^2 = w^2 x + b^2 = 2·1 + (−1)·2 + 0 = 0          a^2 = σ(0) = 0.5
    # z^3 = w^3 a^2 + b^3 = 2·0.5 + ln 3 − 1 = ln 3      a^3 = σ(ln 3) = 0.75
    # C = ½ (a^3 − y)² = ½ (−0.25)² = 0.03125
    zs, activations = net.forward(x)
    assert zs[0][0, 0] == 0.0
    assert activations[1][0, 0] == 0.5
    assert zs[1][0, 0] == pytest.approx(math.log(3.0), abs=1e-15)
    assert activations[2][0, 0] == pytest.approx(0.75, abs=1e-15)
    assert net.total_cost(x.reshape(2, 1), y.reshape(1, 1)) == pytest.approx(0.03125, abs=1e-15)

    # Backward pass.
    # BP1: δ^3 = (a^3 − y) σ'(z^3) = (−0.25)(3/16) = −0.046875
    # BP3: ∂C/∂b^3 = δ^3 = −0.046875
    # BP4: ∂C/∂w^3 = δ^3 a^2 = −0.046875 · 0.5 = −0.0234375
    # BP2: δ^2 = w^3 δ^3 σ'(z^2) = 2 · (−0.046875) · 0.25 = −0.0234375
    # BP3: ∂C/∂b^2 = δ^2 = −0.0234375
    # BP4: ∂C/∂w^2 = δ^2 x^T = [−0.0234375 · 1, −0.0234375 · 2] = [−0.0234375, −0.046875]
    nabla_b, nabla_w = net.backprop(x, y)
    np.testing.assert_allclose(nabla_b[1], [[-0.046875]], rtol=0, atol=1e-15)
    np.testing.assert_allclose(nabla_w[1], [[-0.0234375]], rtol=0, atol=1e-15)
    np.testing.assert_allclose(nabla_b[0], [[-0.0234375]], rtol=0, atol=1e-15)
    np.testing.assert_allclose(nabla_w[0], [[-0.0234375, -0.046875]], rtol=0, atol=1e-15)


# ----- a single modified neuron (the chapter's exercise) -----------------------------------
@pytest.mark.parametrize(
    ("layer", "j", "f"),
    [(2, 3, "tanh"), (2, 1, "linear"), (3, 2, "tanh"), (4, 1, "linear"), (3, 4, "relu")],
)
def test_single_modified_neuron(layer, j, f):
    rng = np.random.default_rng(11)
    net = Network([3, 4, 4, 2], activation="sigmoid", seed=rng)
    net.biases[layer - 2][j - 1, 0] = 0.7  # keeps a relu neuron alive and off its kink
    x, y = rng.uniform(-1, 1, size=(3, 1)), rng.uniform(size=(2, 1))
    before = sum(net.backprop(x, y), [])
    net.set_neuron_activation(layer, j, f)

    # The modified neuron outputs f(z); every other neuron of the layer still outputs σ(z).
    zs, activations = net.forward(x)
    z, a = zs[layer - 2][:, 0], activations[layer - 1][:, 0]
    expected = {"tanh": np.tanh, "linear": lambda t: t, "relu": lambda t: max(t, 0.0)}[f]
    assert a[j - 1] == pytest.approx(expected(z[j - 1]), rel=1e-15, abs=1e-15)
    others = np.arange(len(z)) != j - 1
    np.testing.assert_array_equal(a[others], sigmoid(z[others]))
    if f == "relu":
        assert z[j - 1] > 1e-3

    after = sum(net.backprop(x, y), [])
    num = numerical_gradient(net, x, y, method="central")
    assert rel_err(flat(after), flat(num.nabla_b + num.nabla_w)) < 1e-7
    # The modification really changed the gradient (so the check above is not vacuous).
    assert rel_err(flat(after), flat(before)) > 1e-3


def test_two_modified_neurons_in_one_layer_keep_both():
    rng = np.random.default_rng(12)
    net = Network([3, 4, 2], seed=rng)
    net.set_neuron_activation(2, 1, "tanh")
    net.set_neuron_activation(2, 4, "linear")
    x = rng.uniform(-1, 1, size=3)
    zs, activations = net.forward(x)
    z, a = zs[0][:, 0], activations[1][:, 0]
    np.testing.assert_allclose(a, [np.tanh(z[0]), sigmoid(z[1]), sigmoid(z[2]), z[3]], rtol=1e-15)
    y = rng.uniform(size=2)
    nabla_b, nabla_w = net.backprop(x, y)
    num = numerical_gradient(net, x, y, method="central")
    assert rel_err(flat(nabla_b + nabla_w), flat(num.nabla_b + num.nabla_w)) < 1e-7


def test_set_neuron_activation_uses_book_numbering_and_checks_it():
    net = Network([3, 4, 2], seed=0)
    with pytest.raises(ValueError, match="2 ≤ l ≤ L"):
        net.set_neuron_activation(1, 1, "tanh")
    with pytest.raises(ValueError, match="counts neurons from 1"):
        net.set_neuron_activation(2, 0, "tanh")
    with pytest.raises(ValueError, match="counts neurons from 1"):
        net.set_neuron_activation(2, 5, "tanh")
    with pytest.raises(ValueError, match="unknown activation"):
        net.set_neuron_activation(2, 1, "softsign")


# ----- a linear network is an affine map ---------------------------------------------------
def test_linear_network_is_the_affine_map_of_its_weight_product():
    rng = np.random.default_rng(5)
    net = Network([3, 4, 5, 2], activation="linear", seed=rng)
    w2, w3, w4 = net.weights
    b2, b3, b4 = net.biases
    W = w4 @ w3 @ w2  # (2, 3)
    c = w4 @ (w3 @ b2 + b3) + b4  # (2, 1)
    X = rng.standard_normal((3, 6))
    np.testing.assert_allclose(net.feedforward(X), W @ X + c, rtol=1e-12, atol=1e-12)

    # Backprop still matches finite differences, here for the mean cost over six columns.
    Y = rng.standard_normal((2, 6))
    nabla_b, nabla_w = net.backprop_batch(X, Y)
    num = numerical_gradient(net, X, Y, method="central")
    assert rel_err(flat(nabla_b + nabla_w), flat(num.nabla_b + num.nabla_w)) < 1e-7
    # With σ' = 1 and the quadratic cost, BP1 and BP3 make ∂C/∂b^L the mean over the columns
    # of the output error a^L − y = W x + c − y.
    np.testing.assert_allclose(
        nabla_b[-1], np.mean(W @ X + c - Y, axis=1, keepdims=True), rtol=1e-12, atol=1e-12
    )


# ----- shapes and conventions --------------------------------------------------------------
@given(sizes=sizes_lists(), activation=activation_names, m=batch_sizes, seed=seeds)
def test_shapes_on_random_architectures(sizes, activation, m, seed):
    rng = np.random.default_rng(seed)
    net = Network(sizes, activation=activation, seed=rng)
    n_in, n_out = sizes[0], sizes[-1]
    assert [w.shape for w in net.weights] == list(zip(sizes[1:], sizes[:-1]))
    assert [b.shape for b in net.biases] == [(n, 1) for n in sizes[1:]]

    X = rng.standard_normal((n_in, m))
    assert net.feedforward(X[:, 0]).shape == (n_out,)
    assert net.feedforward(X[:, :1]).shape == (n_out, 1)
    assert net.feedforward(X).shape == (n_out, m)
    zs, activations = net.forward(X)
    assert [z.shape for z in zs] == [(n, m) for n in sizes[1:]]
    assert [a.shape for a in activations] == [(n, m) for n in sizes]

    y = rng.uniform(size=n_out)
    for nabla_b, nabla_w in (net.backprop(X[:, 0], y), net.backprop_batch(X, np.tile(y, (m, 1)).T)):
        assert [g.shape for g in nabla_b] == [b.shape for b in net.biases]
        assert [g.shape for g in nabla_w] == [w.shape for w in net.weights]


@given(seed=seeds, m=st.integers(min_value=2, max_value=6))
def test_feedforward_treats_each_column_on_its_own(seed, m):
    rng = np.random.default_rng(seed)
    net = Network([4, 3, 2], seed=rng)
    X = rng.standard_normal((4, m))
    out = net.feedforward(X)
    for i in range(m):
        np.testing.assert_allclose(out[:, i], net.feedforward(X[:, i]), rtol=1e-14, atol=1e-15)


def test_feedforward_of_a_flat_mnist_vector_is_not_broadcast():
    """The book's bug: a (784,) input plus a (30, 1) bias silently becomes (30, 30)."""
    rng = np.random.default_rng(6)
    net = Network([784, 30, 10], seed=rng)
    x = rng.uniform(size=784)
    out = net.feedforward(x)
    assert out.shape == (10,)
    np.testing.assert_array_equal(out, net.feedforward(x.reshape(784, 1))[:, 0])


def test_seeded_standard_normal_initialisation():
    a, b, c = (
        Network([200, 150, 10], seed=1),
        Network([200, 150, 10], seed=1),
        Network([200, 150, 10], seed=2),
    )
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_array_equal(p, q)
    assert not np.array_equal(a.weights[0], c.weights[0])
    w = a.weights[0].ravel()  # 30,000 draws from N(0, 1)
    assert abs(w.mean()) < 0.03 and abs(w.std() - 1.0) < 0.03
    gen = Network([3, 2], seed=np.random.default_rng(9))
    assert gen.weights[0].shape == (2, 3)


# ----- the book's numbering ----------------------------------------------------------------
def test_book_numbering_accessors():
    net = Network([3, 5, 4, 2], seed=0)
    assert net.L == 4
    assert net.w(3, 2, 4) == net.weights[1][1, 3]
    assert net.w(2, 5, 3) == net.weights[0][4, 2]
    assert net.b(3, 2) == net.biases[1][1, 0]
    assert net.b(4, 2) == net.biases[2][1, 0]
    assert net.w(3) is net.weights[1]
    assert net.b(2) is net.biases[0]
    net.set_w(3, 2, 4, 1.25)
    net.set_b(4, 1, -0.5)
    assert net.weights[1][1, 3] == 1.25
    assert net.biases[2][0, 0] == -0.5


@pytest.mark.parametrize(
    ("call", "exc", "fragment"),
    [
        (lambda n: n.w(1, 1, 1), ValueError, "layer 1 is the input"),
        (lambda n: n.w(5, 1, 1), ValueError, "2 ≤ l ≤ L = 4"),
        (lambda n: n.w(3, 0, 1), ValueError, "1 ≤ j ≤ 4"),
        (lambda n: n.w(3, 5, 1), ValueError, "1 ≤ j ≤ 4"),
        (lambda n: n.w(3, 1, 6), ValueError, "1 ≤ k ≤ 5"),
        (lambda n: n.b(2, 6), ValueError, "1 ≤ j ≤ 5"),
        (lambda n: n.b(0), ValueError, "2 ≤ l ≤ L"),
        (lambda n: n.w(2.0, 1, 1), TypeError, "integer"),
        (lambda n: n.b(2, True), TypeError, "integer"),
        (lambda n: n.set_w(3, 1, 1, float("nan")), ValueError, "finite"),
        (lambda n: n.set_b(3, 9, 0.0), ValueError, "1 ≤ j ≤ 4"),
    ],
)
def test_book_numbering_rejects_out_of_range_indices(call, exc, fragment):
    net = Network([3, 5, 4, 2], seed=0)
    with pytest.raises(exc, match=fragment):
        call(net)


def test_cross_entropy_refuses_a_modified_output_neuron_outside_0_1():
    net = Network([2, 3, 2], cost="cross_entropy", seed=0)
    with pytest.raises(ValueError, match="cross_entropy"):
        net.set_neuron_activation(3, 1, "tanh")
    net.set_neuron_activation(2, 1, "tanh")  # hidden layers may use anything

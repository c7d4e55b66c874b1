"""The finite-difference checker itself: eq. 46, its central variant, and relative_error.

Forward passes are counted independently of the checker's own report: the network's output
layer uses a sigmoid that counts its calls, and every forward pass calls it exactly once.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from strategies import flat, gradient_case, rel_err

from nndl_backprop import (
    Activation,
    Network,
    NumericalGradient,
    check_gradients,
    numerical_gradient,
    relative_error,
)
from nndl_backprop.activations import sigmoid, sigmoid_prime


def counting_network(sizes, seed):
    """A sigmoid network whose output activation counts how often it is evaluated."""
    calls = {"n": 0}

    def counted_sigmoid(z):
        calls["n"] += 1
        return sigmoid(z)

    output = Activation("sigmoid", counted_sigmoid, sigmoid_prime)
    return Network(sizes, seed=seed, output_activation=output), calls


@pytest.mark.parametrize("sizes", [[3, 4, 2], [2, 3, 3, 1]])
@pytest.mark.parametrize(
    ("method", "passes"), [("forward", lambda P: P + 1), ("central", lambda P: 2 * P)]
)
def test_forward_passes_are_counted_exactly(sizes, method, passes):
    net, calls = counting_network(sizes, seed=0)
    P = sum(w.size for w in net.weights) + sum(b.size for b in net.biases)
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal(sizes[0]), rng.uniform(size=sizes[-1])
    result = numerical_gradient(net, x, y, method=method)
    assert calls["n"] == passes(P)  # what it really did
    assert result.forward_passes == passes(P)  # what it reports


@pytest.mark.parametrize("method", ["forward", "central"])
def test_parameters_are_restored_bit_for_bit(method):
    rng = np.random.default_rng(2)
    net = Network([4, 5, 3], seed=rng)
    eps = 1e-5
    # Weights much smaller than eps are not restored by "add eps, then subtract it": with a few
    # of them the test tells exact restoration from arithmetic undoing.
    net.weights[0][0, :] = rng.uniform(1e-7, 1e-6, size=4)
    net.biases[1][:, 0] = rng.uniform(-1e-6, -1e-7, size=3)
    assert any(np.any((p + eps) - eps != p) for p in net.weights + net.biases)
    before_w = [w.tobytes() for w in net.weights]
    before_b = [b.tobytes() for b in net.biases]
    numerical_gradient(net, rng.standard_normal(4), rng.uniform(size=3), eps=eps, method=method)
    assert [w.tobytes() for w in net.weights] == before_w
    assert [b.tobytes() for b in net.biases] == before_b


def test_structure_matches_backprop():
    net = Network([3, 5, 4, 2], seed=3)
    num = numerical_gradient(net, np.ones(3), np.zeros(2))
    assert [g.shape for g in num.nabla_b] == [b.shape for b in net.biases]
    assert [g.shape for g in num.nabla_w] == [w.shape for w in net.weights]
    nabla_b, nabla_w = num[:2]  # the first two items unpack like backprop's result
    assert nabla_b is num.nabla_b and nabla_w is num.nabla_w


def test_central_difference_agrees_with_a_hand_rolled_one():
    """An independent finite difference: perturb a deep copy, ask total_cost."""
    rng = np.random.default_rng(4)
    net = Network([3, 4, 2], activation="tanh", seed=rng)
    x, y = rng.standard_normal((3, 1)), rng.uniform(size=(2, 1))
    eps = 1e-5
    num = numerical_gradient(net, x, y, eps=eps, method="central")
    for layer, (j, k) in [(0, (0, 0)), (0, (3, 2)), (1, (1, 3))]:
        plus, minus = copy.deepcopy(net), copy.deepcopy(net)
        plus.weights[layer][j, k] += eps
        minus.weights[layer][j, k] -= eps
        by_hand = (plus.total_cost(x, y) - minus.total_cost(x, y)) / (2 * eps)
        assert num.nabla_w[layer][j, k] == pytest.approx(by_hand, rel=1e-8, abs=1e-12)
    plus, minus = copy.deepcopy(net), copy.deepcopy(net)
    plus.biases[1][1, 0] += eps
    minus.biases[1][1, 0] -= eps
    by_hand = (plus.total_cost(x, y) - minus.total_cost(x, y)) / (2 * eps)
    assert num.nabla_b[1][1, 0] == pytest.approx(by_hand, rel=1e-8, abs=1e-12)


@pytest.mark.parametrize(("sizes", "activation"), [([3, 4, 2], "sigmoid"), ([3, 4, 4, 2], "tanh")])
def test_forward_error_is_order_eps_and_central_order_eps_squared(sizes, activation):
    net, x, y, _ = gradient_case(sizes, activation, "quadratic", seed=0)
    exact = flat(sum(net.backprop(x, y), []))

    def error(method, eps):
        num = numerical_gradient(net, x, y, eps=eps, method=method)
        return np.linalg.norm(flat(num.nabla_b + num.nabla_w) - exact)

    # Dividing eps by 10 divides the forward error by ~10 and the central error by ~100.
    forward_ratio = error("forward", 1e-3) / error("forward", 1e-4)
    central_ratio = error("central", 1e-3) / error("central", 1e-4)
    assert 8 < forward_ratio < 12, forward_ratio
    assert 80 < central_ratio < 120, central_ratio
    assert error("central", 1e-3) < error("forward", 1e-3) / 10


def test_mean_cost_gradient_over_columns_matches_backprop_batch():
    rng = np.random.default_rng(5)
    net = Network([3, 4, 2], seed=rng)
    X, Y = rng.standard_normal((3, 5)), rng.uniform(size=(2, 5))
    num = numerical_gradient(net, X, Y, method="central")
    assert rel_err(flat(num.nabla_b + num.nabla_w), flat(sum(net.backprop_batch(X, Y), []))) < 1e-8


def test_check_gradients_passes_for_backprop_and_fails_for_a_wrong_gradient():
    net, x, y, _ = gradient_case([3, 4, 2], "sigmoid", "quadratic", seed=0)
    assert check_gradients(net, x, y) < 1e-7
    right = net.backprop

    def wrong_backprop(x, y):
        nabla_b, nabla_w = right(x, y)
        nabla_w[0] = nabla_w[0] * 1.001
        return nabla_b, nabla_w

    net.backprop = wrong_backprop
    with pytest.raises(AssertionError, match=r"nabla_w\[0\] \(book layer 2\)"):
        check_gradients(net, x, y)


@pytest.mark.parametrize(
    ("kwargs", "exc", "fragment"),
    [
        ({"method": "backward"}, ValueError, "'forward' or 'central'"),
        ({"eps": 0.0}, ValueError, "eps must be a finite number > 0"),
        ({"eps": -1e-5}, ValueError, "eps must be a finite number > 0"),
        ({"eps": "small"}, TypeError, "eps must be a positive number"),
    ],
)
def test_numerical_gradient_rejects_bad_options(kwargs, exc, fragment):
    net = Network([2, 2], seed=0)
    with pytest.raises(exc, match=fragment):
        numerical_gradient(net, np.ones(2), np.ones(2), **kwargs)


def test_numerical_gradient_rejects_mismatched_examples():
    net = Network([2, 3, 2], seed=0)
    with pytest.raises(ValueError, match="same number of examples"):
        numerical_gradient(net, np.ones((2, 3)), np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"\(2, m\)"):
        numerical_gradient(net, np.ones(3), np.ones(2))


# ----- relative_error ----------------------------------------------------------------------
def test_relative_error_basics():
    rng = np.random.default_rng(6)
    a = [rng.standard_normal((3, 1)), rng.standard_normal((3, 2))]
    b = [rng.standard_normal((3, 1)), rng.standard_normal((3, 2))]
    assert relative_error(a, a) == 0.0
    assert relative_error([np.zeros(3)], [np.zeros(3)]) == 0.0
    assert relative_error(a, b) == relative_error(b, a)
    assert 0.0 < relative_error(a, b) <= 1.0
    # ‖(3, −4)‖ / (‖(3, 0)‖ + ‖(0, 4)‖) = 5 / 7
    assert relative_error(np.array([3.0, 0.0]), np.array([0.0, 4.0])) == pytest.approx(5 / 7)
    # Opposite vectors are as far apart as it gets.
    assert relative_error(a, [-p for p in a]) == pytest.approx(1.0)
    # Nested lists such as (nabla_b, nabla_w) pairs are compared entry by entry.
    assert relative_error([a, b], [a, b]) == 0.0


def test_relative_error_refuses_different_structures():
    with pytest.raises(ValueError, match="structures differ"):
        relative_error([np.zeros((3, 1))], [np.zeros((4, 1))])
    with pytest.raises(ValueError, match="structures differ"):
        relative_error([np.zeros(2), np.zeros(2)], [np.zeros(2)])


def test_relative_error_refuses_arrays_of_different_shapes_with_equal_sizes():
    a = np.arange(6.0).reshape(2, 3)
    with pytest.raises(ValueError, match="shapes"):
        relative_error(a, a.reshape(3, 2))


# ----- what the checker cannot judge, it refuses loudly ------------------------------------
def _net_xy(seed=0):
    rng = np.random.default_rng(seed)
    return Network([3, 4, 2], seed=rng), rng.standard_normal(3), rng.uniform(size=2)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("which", ["nabla_b", "nabla_w"])
def test_check_gradients_fails_on_non_finite_backprop(bad, which):
    net, x, y = _net_xy()
    right = net.backprop

    def broken(x, y):
        nabla_b, nabla_w = right(x, y)
        grads = nabla_b if which == "nabla_b" else nabla_w
        grads[1] = grads[1].copy()
        grads[1][0, 0] = bad
        return nabla_b, nabla_w

    net.backprop = broken
    with pytest.raises(AssertionError, match=rf"{which}\[1\] \(book layer 3\): backprop gives NaN"):
        check_gradients(net, x, y)


def test_check_gradients_fails_when_the_cost_is_not_finite():
    net, x, y = _net_xy()
    nan_output = Activation("nan", lambda z: np.full_like(z, np.nan), sigmoid_prime)
    net = Network([3, 4, 2], seed=0, output_activation=nan_output)
    with pytest.raises(ValueError, match="not finite"):
        check_gradients(net, x, y)


@pytest.mark.parametrize("tol", [np.nan, -1.0, 0.0, 1.0, 2.0, np.inf, "1e-7", True])
def test_check_gradients_refuses_a_bad_tol(tol):
    net, x, y = _net_xy()
    with pytest.raises(ValueError, match="0 < tol < 1"):
        check_gradients(net, x, y, tol=tol)


@pytest.mark.parametrize(
    ("eps", "exc"), [(np.nan, ValueError), (0.0, ValueError), (-1e-5, ValueError), ("e", TypeError)]
)
def test_check_gradients_refuses_a_bad_eps(eps, exc):
    net, x, y = _net_xy()
    with pytest.raises(exc, match="eps"):
        check_gradients(net, x, y, eps=eps)


def test_a_sigma_prime_wrong_by_1000_on_a_saturated_layer_fails():
    """z = −400: σ'(z) ≈ 2e-174, whose square underflows to 0, and C moves by nothing measurable.

    Before, ‖g − n‖ and ‖g‖ + ‖n‖ both underflowed to 0, and 0/0 was reported as "no error".
    """
    x, y = np.array([0.3, 0.6]), np.array([0.7])
    wrong = Activation("sigmoid", sigmoid, lambda z: 1000 * sigmoid_prime(z))
    for activation in (wrong, "sigmoid"):  # a right σ' cannot be confirmed either: say so
        net = Network([2, 1, 1], seed=0, activation=activation)
        net.biases[0][:] = -400.0
        with pytest.raises(AssertionError, match=r"nabla_b\[0\] \(book layer 2\): finite diff"):
            check_gradients(net, x, y)


def test_a_layer_with_zero_gradient_everywhere_cannot_pass():
    net, x, _ = _net_xy()
    y = net.feedforward(x)  # δ^L = 0, so backprop's gradient is 0 in every layer
    with pytest.raises(AssertionError, match="exactly 0 everywhere"):
        check_gradients(net, x, y)


def test_both_sides_exactly_zero_is_reported_as_unjudgeable(monkeypatch):
    import nndl_backprop.gradcheck as gc

    net, x, y = _net_xy()
    zeros = ([np.zeros(b.shape) for b in net.biases], [np.zeros(w.shape) for w in net.weights])
    net.backprop = lambda x, y: zeros
    monkeypatch.setattr(gc, "numerical_gradient", lambda *a, **k: NumericalGradient(*zeros, 0))
    with pytest.raises(AssertionError, match="proves nothing"):
        check_gradients(net, x, y)


# ----- numerical_gradient: restore whatever happens; refuse an ε lost in rounding -----------
@pytest.mark.parametrize("exc", [RuntimeError, KeyboardInterrupt])
@pytest.mark.parametrize("method", ["forward", "central"])
def test_parameters_are_restored_when_a_pass_is_interrupted(exc, method):
    calls = {"n": 0}

    def flaky(z):
        calls["n"] += 1
        if calls["n"] == 7:  # in the middle of the nudges
            raise exc("stop")
        return sigmoid(z)

    net = Network([3, 4, 2], seed=1, output_activation=Activation("flaky", flaky, sigmoid_prime))
    before = [p.tobytes() for p in net.weights + net.biases]
    with pytest.raises(exc):
        numerical_gradient(net, np.ones(3), np.ones(2) / 2, method=method)
    assert [p.tobytes() for p in net.weights + net.biases] == before


@pytest.mark.parametrize("method", ["forward", "central"])
def test_an_eps_lost_in_rounding_is_refused_by_name(method):
    net, x, y = _net_xy()
    net.weights[1][1, 2] = 1e10  # w^3_23 in the book's numbering
    with pytest.raises(ValueError, match=r"lost in rounding: w\^3_23 = 1e\+10"):
        numerical_gradient(net, x, y, eps=1e-7, method=method)
    with pytest.raises(ValueError, match=r"b\^2_1"):
        numerical_gradient(Network([3, 4, 2], seed=0), x, y, eps=1e-300, method=method)


# ----- relative_error over the whole float range --------------------------------------------
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_relative_error_refuses_non_finite_entries(bad):
    a = np.array([1.0, bad])
    with pytest.raises(ValueError, match="first argument has 1 entries that are not finite"):
        relative_error(a, np.ones(2))
    with pytest.raises(ValueError, match="second argument"):
        relative_error([np.ones(2)], [a])


@pytest.mark.parametrize("scale", [5e-324, 1e-300, 1e-160, 1.0, 1e160, 1e300, 1.7e308])
def test_relative_error_is_scale_free_over_the_float_range(scale):
    # ‖(1, −1)‖ / (‖(1, 0)‖ + ‖(0, 1)‖) = √2 / 2 at every scale
    a, b = np.array([scale, 0.0]), np.array([0.0, scale])
    assert relative_error(a, b) == pytest.approx(np.sqrt(2) / 2)
    assert relative_error(a, -a) == pytest.approx(1.0)
    assert relative_error(a, a) == 0.0
    if scale >= 1e-300:
        assert relative_error(a, a * (1 + 1e-9)) == pytest.approx(0.5e-9, rel=1e-3)


def test_a_float32_network_is_checked_to_what_float32_allows():
    """Backprop in float32 against differences taken on a float64 copy, to float32's tolerance;
    the message says what float32 allows, and the network keeps its float32 arrays."""
    x, y = np.linspace(0.0, 1.0, 4), np.array([1.0, 0.0, 0.0])
    net = Network([4, 5, 3], seed=0, dtype=np.float32)
    err = check_gradients(net, x, y)
    assert 0 < err < net.gradient_tolerance == 1e-4
    assert all(w.dtype == np.float32 for w in net.weights + net.biases)
    with pytest.raises(AssertionError, match=r"float32 rounding allows 1e-04"):
        check_gradients(net, x, y, tol=1e-12)
    twin = net.astype(np.float64)
    assert twin.dtype == np.float64 and twin.weights[0] is not net.weights[0]
    np.testing.assert_array_equal(twin.weights[0], net.weights[0].astype(np.float64))

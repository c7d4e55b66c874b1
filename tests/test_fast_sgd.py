"""The in-place training step (fast_sgd.SGDStep) against the readable path, step by step."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from nndl_backprop import Network
from nndl_backprop.fast_sgd import SGDStep, fused_step_supported
from nndl_backprop.training import plain_step

CASES = [
    ([12, 7, 4], "sigmoid", None, "quadratic"),
    ([12, 7, 4], "sigmoid", None, "cross_entropy"),
    ([12, 9, 6, 4], "tanh", "sigmoid", "quadratic"),
    ([12, 9, 6, 4], "relu", "sigmoid", "cross_entropy"),
    ([12, 5, 4], "sigmoid", "linear", "quadratic"),
]


def data(rng, n=37, n_in=12, n_out=4):
    """n examples as rows: X (n, n_in) in [0, 1), Y (n, n_out) one-hot."""
    X = rng.random((n, n_in))
    Y = np.eye(n_out)[rng.integers(0, n_out, n)]
    return X, Y


@pytest.mark.parametrize(("sizes", "activation", "output", "cost"), CASES)
@pytest.mark.parametrize("m", [1, 5, 10])
def test_fused_steps_give_the_weights_of_backprop_columns(sizes, activation, output, cost, m):
    """50 steps of each path from the same weights on the same mini-batches: same weights."""
    rng = np.random.default_rng(m + len(sizes))
    X, Y = data(rng)
    fused = Network(sizes, activation, cost, seed=3, output_activation=output)
    plain = copy.deepcopy(fused)
    assert fused_step_supported(fused)
    step, eta = SGDStep(fused, m), 0.5
    for _ in range(50):
        idx = rng.choice(X.shape[0], m, replace=False)
        step.load_rows(X, Y, idx)
        c_fused = step.step(eta, cost=True)
        c_plain = plain_step(plain, X[idx].T, Y[idx].T, eta, cost=True)  # columns
        assert c_fused == pytest.approx(c_plain, rel=1e-12)
    for p, q in zip(fused.weights + fused.biases, plain.weights + plain.biases):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-14 * np.abs(q).max())
    assert not np.allclose(fused.weights[0], Network(sizes, seed=3).weights[0])  # it moved


def test_fused_step_in_float32_stays_float32_and_near_float64():
    rng = np.random.default_rng(0)
    X, Y = data(rng)
    net32 = Network([12, 7, 4], seed=1, dtype=np.float32)
    net64 = Network([12, 7, 4], seed=1)
    s32, s64 = SGDStep(net32, 5), SGDStep(net64, 5)
    X32, Y32 = X.astype(np.float32), Y.astype(np.float32)
    for _ in range(20):
        idx = rng.choice(X.shape[0], 5, replace=False)
        s32.load_rows(X32, Y32, idx)
        s32.step(1.0, cost=False)
        s64.load_rows(X, Y, idx)
        s64.step(1.0, cost=False)
    for p, q in zip(net32.weights + net32.biases, net64.weights + net64.biases):
        assert p.dtype == np.float32
        np.testing.assert_allclose(p, q, rtol=1e-4, atol=1e-5)


def test_unsupported_networks_train_on_the_plain_path():
    """A neuron with its own activation indexes rows of z: SGD must not use the fused step."""
    rng = np.random.default_rng(1)
    X, Y = data(rng, n=20)
    net = Network([12, 5, 4], seed=0)
    net.set_neuron_activation(2, 3, "relu")
    assert not fused_step_supported(net)
    by_hand = copy.deepcopy(net)
    net.SGD((X.T, Y.T), 1, 20, 0.5, seed=0, progress=False)  # one full batch: one step
    plain_step(by_hand, X.T, Y.T, 0.5)
    for p, q in zip(net.weights + net.biases, by_hand.weights + by_hand.biases):
        np.testing.assert_allclose(p, q, rtol=1e-13, atol=1e-15)


def test_sgd_equals_plain_steps_over_the_same_shuffles():
    """net.SGD over 2 epochs, a partial last mini-batch each time, against plain_step."""
    rng = np.random.default_rng(2)
    X, Y = data(rng, n=23)
    net = Network([12, 6, 4], seed=4)
    by_hand = copy.deepcopy(net)
    history = net.SGD((X.T, Y.T), 2, 5, 2.0, seed=7, progress=False)
    shuffles, costs = np.random.default_rng(7), []
    for _ in range(2):
        order, total = shuffles.permutation(23), 0.0
        for start in range(0, 23, 5):
            idx = order[start : start + 5]
            total += plain_step(by_hand, X[idx].T, Y[idx].T, 2.0, cost=True) * len(idx)
        costs.append(total / 23)
    for p, q in zip(net.weights + net.biases, by_hand.weights + by_hand.biases):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-14)
    # The recorded cost: the mean over the epoch's examples, from each mini-batch's forward pass.
    np.testing.assert_allclose(history.cost, costs, rtol=1e-12)


@pytest.mark.parametrize("flat", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_load_pairs_reads_the_list_as_load_rows_reads_the_stack(flat, dtype):
    rng = np.random.default_rng(3)
    X, Y = data(rng)
    xs = [x if flat else x.reshape(-1, 1) for x in X]  # the book's x: (n_in, 1) columns
    a, b = Network([12, 7, 4], seed=5, dtype=dtype), Network([12, 7, 4], seed=5, dtype=dtype)
    sa, sb = SGDStep(a, 4), SGDStep(b, 4)
    Y_rows = Y.astype(dtype)
    for _ in range(10):
        idx = rng.choice(X.shape[0], 4, replace=False)
        sa.load_pairs(xs, Y_rows, idx)
        sa.step(1.0, cost=False)
        sb.load_rows(X.astype(dtype), Y_rows, idx)
        sb.step(1.0, cost=False)
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_array_equal(p, q)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_nonfinite_x_in_the_pairs_is_refused_and_the_weights_put_back(bad):
    rng = np.random.default_rng(4)
    X, Y = data(rng, n=30)
    pairs = [(x.reshape(-1, 1), y.reshape(-1, 1)) for x, y in zip(X, Y)]
    pairs[17][0][3, 0] = bad
    net = Network([12, 7, 4], seed=0)
    before = [p.copy() for p in net.weights + net.biases]
    with pytest.raises(ValueError, match="training_data x must be finite"):
        net.SGD(pairs, 3, 5, 1.0, progress=False)
    for p, q in zip(net.weights + net.biases, before):
        np.testing.assert_array_equal(p, q)

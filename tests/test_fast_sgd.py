"""The in-place training step (fast_sgd.SGDStep) against the readable path, step by step."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from nndl_backprop import Network, fast_sgd
from nndl_backprop.activations import sigmoid, sigmoid_unchecked
from nndl_backprop.fast_sgd import Chunk, SGDStep, fused_step_supported
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
@pytest.mark.parametrize("hidden", ["rows", "columns"])
def test_fused_steps_give_the_weights_of_backprop_columns(
    monkeypatch, sizes, activation, output, cost, m, hidden
):
    """50 steps of each path from the same weights on the same mini-batches: same weights.
    hidden="columns" runs, in float64, the hidden layers' layout of float32 networks."""
    if hidden == "columns":
        monkeypatch.setattr(fast_sgd, "HIDDEN_AS_COLUMNS", {np.dtype(np.float64)})
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


@pytest.mark.parametrize(("sizes", "activation", "output", "cost"), CASES)
def test_fused_step_in_float32_stays_float32_and_near_float64(sizes, activation, output, cost):
    rng = np.random.default_rng(0)
    X, Y = data(rng)
    kw = dict(activation=activation, cost=cost, seed=1, output_activation=output)
    net32 = Network(sizes, dtype=np.float32, **kw)
    net64 = Network(sizes, **kw)
    assert SGDStep(net32, 5).forward[0][-1], "float32 hidden layers hold columns"
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


# ----- mini-batches drawn a chunk at a time -----------------------------------------------------
def small_chunks(monkeypatch, batches: int, m: int, n_in: int = 12, itemsize: int = 8) -> None:
    """Make a Chunk hold ``batches`` mini-batches of m inputs of n_in numbers."""
    monkeypatch.setattr(fast_sgd, "CHUNK_BYTES", batches * m * n_in * itemsize)


def sgd_by_plain_steps(net, X, Y, epochs, m, eta, seed):
    """What SGD must do, by plain_step on the same shuffles: the epochs' mean costs."""
    shuffles, costs, n = np.random.default_rng(seed), [], X.shape[0]
    for _ in range(epochs):
        order, total = shuffles.permutation(n), 0.0
        for start in range(0, n, m):
            idx = order[start : start + m]
            total += plain_step(net, X[idx].T, Y[idx].T, eta, cost=True) * len(idx)
        costs.append(total / n)
    return costs


@pytest.mark.parametrize("form", ["pairs", "flat pairs", "arrays"])
@pytest.mark.parametrize(
    ("n", "m", "batches"),
    [
        (37, 5, 3),  # chunks of 15, 15, 7 rows: the last ends in a mini-batch of 2
        (40, 5, 2),  # chunks of 10 rows, every mini-batch full
        (37, 5, 1),  # one mini-batch per chunk, as before chunks
        (23, 5, 100),  # n smaller than a chunk: one chunk of 23 rows
        (7, 10, 3),  # m larger than n: one mini-batch of 7
    ],
)
def test_sgd_over_chunks_equals_plain_steps(monkeypatch, form, n, m, batches):
    small_chunks(monkeypatch, batches, m)
    rng = np.random.default_rng(n + m + batches)
    X, Y = data(rng, n=n)
    if form == "arrays":
        training = (X.T, Y.T)
    else:
        training = [(x if form == "flat pairs" else x[:, None], y[:, None]) for x, y in zip(X, Y)]
    net = Network([12, 6, 4], seed=4)
    by_hand = copy.deepcopy(net)
    history = net.SGD(training, 3, m, 2.0, seed=7, progress=False)
    costs = sgd_by_plain_steps(by_hand, X, Y, 3, m, 2.0, seed=7)
    for p, q in zip(net.weights + net.biases, by_hand.weights + by_hand.biases):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(history.cost, costs, rtol=1e-12)


def test_a_chunk_holds_the_rows_asked_for_and_hands_out_views():
    rng = np.random.default_rng(8)
    X, Y = data(rng, n=50)
    net = Network([12, 5, 4], seed=0)
    chunk = Chunk(net, 4, Y, X_rows=X)
    assert chunk.rows == 50  # 50 rows are less than a chunk: it holds them all
    idx = rng.permutation(50)[:11]  # a short chunk: mini-batches of 4, 4 and 3
    batches = chunk.load(idx)
    assert [len(x) for x, _ in batches] == [4, 4, 3]
    for k, (x, y) in enumerate(batches):
        assert np.shares_memory(x, chunk.x) and np.shares_memory(y, chunk.y)
        np.testing.assert_array_equal(x, X[idx[4 * k : 4 * k + 4]])
        np.testing.assert_array_equal(y, Y[idx[4 * k : 4 * k + 4]])
    pairs_chunk = Chunk(net, 4, Y, xs=[x[:, None] for x in X])
    for (x, y), (x2, y2) in zip(batches, pairs_chunk.load(idx)):
        np.testing.assert_array_equal(x, x2)
        np.testing.assert_array_equal(y, y2)


def test_the_chunk_is_small_whatever_the_training_set():
    """A chunk holds about CHUNK_BYTES of inputs: never the training set itself."""
    net = Network([784, 30, 10], seed=0)
    Y = np.zeros((50_000, 10))
    chunk = Chunk(net, 10, Y, X_rows=np.empty((0, 784)))  # the rows are never read here
    assert chunk.x.nbytes <= fast_sgd.CHUNK_BYTES and chunk.rows % 10 == 0
    assert chunk.rows >= 100  # and it holds more than a few mini-batches


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_nonfinite_x_in_a_later_chunk_is_refused_and_the_weights_put_back(monkeypatch, bad):
    """The first epoch checks each chunk as it is drawn: steps on earlier chunks have been
    taken when the bad x turns up, and are undone."""
    small_chunks(monkeypatch, 2, 5)
    rng = np.random.default_rng(5)
    X, Y = data(rng, n=40)
    pairs = [(x[:, None].copy(), y[:, None]) for x, y in zip(X, Y)]
    last = np.random.default_rng(11).permutation(40)[-1]  # drawn in the epoch's last chunk
    pairs[last][0][7, 0] = bad
    net = Network([12, 7, 4], seed=0)
    before = [p.copy() for p in net.weights + net.biases]
    with pytest.raises(ValueError, match="training_data x must be finite"):
        net.SGD(pairs, 2, 5, 1.0, seed=11, progress=False)
    for p, q in zip(net.weights + net.biases, before):
        np.testing.assert_array_equal(p, q)


def test_float64_pairs_train_a_float32_network_as_float32_arrays_do(monkeypatch):
    small_chunks(monkeypatch, 3, 5, itemsize=4)
    rng = np.random.default_rng(6)
    X, Y = data(rng, n=37)
    pairs = [(x[:, None], y[:, None]) for x, y in zip(X, Y)]  # float64
    a = Network([12, 7, 4], seed=5, dtype=np.float32)
    b = Network([12, 7, 4], seed=5, dtype=np.float32)
    a.SGD(pairs, 2, 5, 1.0, seed=2, progress=False)
    b.SGD((X.T.astype(np.float32), Y.T.astype(np.float32)), 2, 5, 1.0, seed=2, progress=False)
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        assert p.dtype == np.float32
        np.testing.assert_array_equal(p, q)


def test_a_float64_x_too_large_for_float32_is_refused_without_a_warning():
    """1e300 becomes inf in the cast to float32: refused as stacking refuses it (pytest turns
    any RuntimeWarning, such as 'overflow encountered in cast', into an error)."""
    rng = np.random.default_rng(7)
    X, Y = data(rng, n=20)
    pairs = [(x[:, None].copy(), y[:, None]) for x, y in zip(X, Y)]
    pairs[3][0][0, 0] = 1e300
    net = Network([12, 7, 4], seed=0, dtype=np.float32)
    with pytest.raises(ValueError, match="too large for float32"):
        net.SGD(pairs, 1, 5, 1.0, progress=False)


def test_saturated_sigmoids_train_silently_and_leave_numpy_errstate_as_it_was():
    """z ≈ −1e4: e^{−z} overflows inside SGD's errstate, σ = 0 exactly, as on the plain path."""
    rng = np.random.default_rng(9)
    X, Y = data(rng, n=20)
    net = Network([12, 7, 4], seed=1)
    net.biases[0][:3] = -1e4  # three hidden neurons saturated at σ = 0
    by_hand = copy.deepcopy(net)
    before = np.geterr()
    net.SGD((X.T, Y.T), 1, 20, 1.0, seed=0, progress=False)  # one full batch: one step
    assert np.geterr() == before
    plain_step(by_hand, X.T, Y.T, 1.0)
    for p, q in zip(net.weights + net.biases, by_hand.weights + by_hand.biases):
        np.testing.assert_allclose(p, q, rtol=1e-13, atol=1e-15)


def test_sigmoid_unchecked_is_sigmoids_formula():
    z = np.array([[-1e4, -745.0, -709.0, -30.0, 0.0, 1e-3, 30.0, 1e4]])
    with np.errstate(over="ignore"):
        out = sigmoid_unchecked(z, np.empty_like(z))
    np.testing.assert_array_equal(out, sigmoid(z))
    assert out[0, 0] == 0.0 and out[0, -1] == 1.0

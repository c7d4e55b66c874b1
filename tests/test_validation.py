"""Bad input: every public entry point raises ValueError or TypeError naming what it expected,
and nothing broadcasts silently."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nndl_backprop import Network
from nndl_backprop.training import stack_examples

NAN, INF = float("nan"), float("inf")


@pytest.fixture
def net():
    return Network([3, 4, 2], seed=0)


def pairs(n=6, n_in=3, n_out=2):
    rng = np.random.default_rng(0)
    return [(rng.uniform(size=(n_in, 1)), rng.uniform(size=(n_out, 1))) for _ in range(n)]


# ----- network construction -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("sizes", "exc", "fragment"),
    [
        ([], ValueError, "at least two layers"),
        ([5], ValueError, "at least two layers"),
        ([3, 0, 2], ValueError, r"sizes\[1\] must be a positive integer, got 0"),
        ([3, -3, 2], ValueError, r"sizes\[1\] must be a positive integer, got -3"),
        ([3, 2.5, 2], TypeError, r"sizes\[1\] must be a positive integer, got 2.5"),
        ([3, True, 2], TypeError, r"sizes\[1\] must be a positive integer, got True"),
        ([3, "3", 2], TypeError, r"sizes\[1\] must be a positive integer, got '3'"),
        ([3.0, 2], TypeError, r"sizes\[0\] must be a positive integer"),
        ("784", TypeError, "list of layer widths"),
        (784, TypeError, "list of layer widths"),
        (None, TypeError, "list of layer widths"),
    ],
)
def test_bad_sizes(sizes, exc, fragment):
    with pytest.raises(exc, match=fragment):
        Network(sizes)


def test_numpy_integer_sizes_are_fine():
    assert Network(np.array([3, 4, 2]), seed=0).sizes == [3, 4, 2]
    assert Network((np.int64(3), 2), seed=0).sizes == [3, 2]


@pytest.mark.parametrize(
    ("kwargs", "exc", "fragment"),
    [
        ({"activation": "softmax"}, ValueError, r"unknown activation 'softmax'; expected one of"),
        ({"activation": None}, TypeError, "activation must be a name from"),
        ({"output_activation": "step"}, ValueError, "unknown activation 'step'"),
        ({"cost": "log_likelihood"}, ValueError, r"unknown cost 'log_likelihood'; expected one"),
        ({"cost": 2}, TypeError, "cost must be a name from"),
        (
            {"cost": "cross_entropy", "activation": "tanh"},
            ValueError,
            "output_activation='sigmoid'",
        ),
    ],
)
def test_bad_activation_and_cost_names(kwargs, exc, fragment):
    with pytest.raises(exc, match=fragment):
        Network([3, 4, 2], **kwargs)


# ----- shapes: one example ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("x", "y", "fragment"),
    [
        (np.ones(4), np.ones(2), r"x must have shape \(3,\) or \(3, 1\)"),
        (np.ones((3, 2)), np.ones(2), r"x must have shape \(3,\) or \(3, 1\)"),  # two columns
        (np.ones((1, 3)), np.ones(2), r"x must have shape \(3,\) or \(3, 1\)"),  # a row
        (np.ones((3, 1, 1)), np.ones(2), r"x must have shape \(3,\) or \(3, 1\)"),
        (np.ones(3), np.ones((1, 2)), r"y must have shape \(2,\) or \(2, 1\)"),  # a row
        (np.ones(3), np.ones(3), r"y must have shape \(2,\) or \(2, 1\)"),
        (np.ones(3), np.ones((2, 2)), r"y must have shape \(2,\) or \(2, 1\)"),
        (np.ones(3), 1.0, r"y must have shape \(2,\) or \(2, 1\)"),
    ],
)
def test_backprop_refuses_wrong_shapes(net, x, y, fragment):
    with pytest.raises(ValueError, match=fragment):
        net.backprop(x, y)


def test_a_row_target_is_refused_even_when_it_has_the_right_size():
    """(1, n) never broadcasts against (n, 1): a one-output net sees y (1, 1) only."""
    wide = Network([2, 3, 3], seed=0)
    with pytest.raises(ValueError, match=r"y must have shape \(3,\) or \(3, 1\)"):
        wide.backprop(np.ones(2), np.ones((1, 3)))
    with pytest.raises(ValueError, match=r"x must have shape \(2,\) or \(2, 1\)"):
        wide.backprop(np.ones((2, 2)), np.ones(3))


@pytest.mark.parametrize("bad", [NAN, INF, -INF])
def test_backprop_refuses_nan_and_inf(net, bad):
    x = np.ones(3)
    x[1] = bad
    with pytest.raises(ValueError, match="x must be finite; it contains NaN or inf"):
        net.backprop(x, np.ones(2))
    y = np.ones(2)
    y[0] = bad
    with pytest.raises(ValueError, match="y must be finite"):
        net.backprop(np.ones(3), y)
    with pytest.raises(ValueError, match="must be finite"):
        net.feedforward(x)


@pytest.mark.parametrize(
    ("x", "exc", "fragment"),
    [
        ("abc", TypeError, "must be a numeric array"),
        (np.array(["a", "b", "c"]), TypeError, "must hold real numbers"),
        ([[1.0, 2.0], [3.0]], ValueError, "rectangular"),
        (np.ones(3, dtype=complex), TypeError, "must hold real numbers"),
    ],
)
def test_non_numeric_input(net, x, exc, fragment):
    with pytest.raises(exc, match=fragment):
        net.backprop(x, np.ones(2))


# ----- shapes: feedforward and mini-batches -------------------------------------------------
@pytest.mark.parametrize(
    "a",
    [
        np.ones(4),
        np.ones((4, 1)),
        np.ones((2, 5)),
        np.ones((1, 3)),
        np.ones((3, 2, 1)),
        np.ones(()),
    ],
)
def test_feedforward_refuses_wrong_shapes(net, a):
    with pytest.raises(ValueError, match=r"input must have shape \(3"):
        net.feedforward(a)


@pytest.mark.parametrize(
    ("X", "Y", "fragment"),
    [
        (np.ones((3, 5)), np.ones((2, 4)), "same number of examples"),
        (np.ones((3, 5)), np.ones((2, 6)), r"got 5 and 6"),
        (np.ones((4, 5)), np.ones((2, 5)), r"X must have shape \(3, m\)"),
        (np.ones(3), np.ones((2, 1)), r"X must have shape \(3, m\)"),  # a vector is not a batch
        (np.ones((3, 5)), np.ones((5, 2)), r"Y must have shape \(2, m\)"),  # rows, not columns
        (np.ones((3, 0)), np.ones((2, 0)), r"X must have shape \(3, m\)"),  # no examples
    ],
)
def test_backprop_batch_refuses_wrong_shapes(net, X, Y, fragment):
    with pytest.raises(ValueError, match=fragment):
        net.backprop_batch(X, Y)
    with pytest.raises(ValueError, match=fragment):
        net.total_cost(X, Y)


def test_backprop_batch_refuses_nan(net):
    X = np.ones((3, 4))
    X[2, 3] = NAN
    with pytest.raises(ValueError, match="X must be finite"):
        net.backprop_batch(X, np.ones((2, 4)))


def test_the_books_broadcast_bug_cannot_happen():
    """Book: np.dot(w, a) + b with a of shape (784,) gives (30,) + (30, 1) = (30, 30)."""
    mnist = Network([784, 30, 10], seed=0)
    x = np.random.default_rng(0).uniform(size=784)
    assert mnist.feedforward(x).shape == (10,)
    zs, activations = mnist.forward(x)
    assert zs[0].shape == (30, 1) and activations[-1].shape == (10, 1)
    nabla_b, nabla_w = mnist.backprop(x, np.zeros(10))
    assert [g.shape for g in nabla_b] == [(30, 1), (10, 1)]
    assert [g.shape for g in nabla_w] == [(30, 784), (10, 30)]


def test_extreme_but_finite_inputs_give_no_warning_and_no_nan():
    net = Network([2, 3, 1], seed=0)
    x = np.array([1e4, -1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = net.feedforward(x)
        nabla_b, nabla_w = net.backprop(x, np.array([0.5]))
    assert np.all(np.isfinite(out))
    assert all(np.all(np.isfinite(g)) for g in nabla_b + nabla_w)


# ----- SGD ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "exc", "fragment"),
    [
        ({"eta": 0.0}, ValueError, "eta must be a finite number > 0, got 0.0"),
        ({"eta": -3.0}, ValueError, "eta must be a finite number > 0"),
        ({"eta": NAN}, ValueError, "eta must be a finite number > 0"),
        ({"eta": "3.0"}, TypeError, "eta must be a positive number"),
        ({"mini_batch_size": 0}, ValueError, "mini_batch_size must be a positive integer, got 0"),
        ({"mini_batch_size": -10}, ValueError, "mini_batch_size must be a positive integer"),
        ({"mini_batch_size": 2.5}, TypeError, "mini_batch_size must be a positive integer"),
        ({"epochs": 0}, ValueError, "epochs must be a positive integer, got 0"),
        ({"epochs": -1}, ValueError, "epochs must be a positive integer"),
        ({"epochs": 1.0}, TypeError, "epochs must be a positive integer"),
        ({"epochs": True}, TypeError, "epochs must be a positive integer"),
    ],
)
def test_sgd_refuses_bad_hyperparameters(net, kwargs, exc, fragment):
    args = {"epochs": 1, "mini_batch_size": 2, "eta": 1.0} | kwargs
    before = [w.copy() for w in net.weights]
    with pytest.raises(exc, match=fragment):
        net.SGD(pairs(), args["epochs"], args["mini_batch_size"], args["eta"], progress=False)
    for w, b in zip(net.weights, before):
        np.testing.assert_array_equal(w, b)  # refused before touching the weights


@pytest.mark.parametrize(
    ("training_data", "exc", "fragment"),
    [
        ([], ValueError, "training_data is empty"),
        (42, TypeError, r"list of \(x, y\) pairs or a tuple \(X, Y\)"),
        ([(np.ones(3),)], TypeError, r"list of \(x, y\) pairs"),
        ([(np.ones(4), np.ones(2))], ValueError, r"training_data x must have shape \(3,\)"),
        ([(np.ones(3), np.ones(3))], ValueError, r"training_data y must have shape \(2,\)"),
        ((np.ones((3, 5)), np.ones((2, 4))), ValueError, "same number of examples"),
        (
            (np.ones((5, 3)), np.ones((5, 2))),
            ValueError,
            r"training_data X must have shape \(3, m\)",
        ),
        ((np.ones((3, 5)), np.array([0, 1, 2, 0, 1])), ValueError, r"labels must lie in 0 … 1"),
        ((np.ones((3, 5)), np.array([0, 1, 1, 0])), ValueError, "5 examples but there are 4"),
        ([(np.full(3, NAN), np.ones(2))], ValueError, "must be finite"),
    ],
)
def test_sgd_refuses_bad_data(net, training_data, exc, fragment):
    with pytest.raises(exc, match=fragment):
        net.SGD(training_data, 1, 2, 1.0, progress=False)


def test_sgd_refuses_bad_test_data(net):
    with pytest.raises(ValueError, match=r"test_data x must have shape \(3,\)"):
        net.SGD(pairs(), 1, 2, 1.0, test_data=[(np.ones(5), 1)], progress=False)
    with pytest.raises(ValueError, match=r"test_data: integer labels must lie in 0 … 1"):
        net.SGD(pairs(), 1, 2, 1.0, test_data=[(np.ones(3), 7)], progress=False)


def test_as_matrix_refuses_what_is_not_two_dimensional():
    from nndl_backprop.validation import as_matrix

    assert as_matrix([[1, 2]], "a").dtype == np.float64
    for bad in (np.ones(3), 1.0, np.ones((2, 2, 2))):
        with pytest.raises(ValueError, match=r"a must be a 2-D array of shape \(n, m\)"):
            as_matrix(bad, "a")
    with pytest.raises(TypeError, match="numeric"):
        as_matrix("ab", "a")


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_a_training_set_large_enough_for_the_one_pass_check_is_checked_as_a_small_one(dtype):
    """Above 65,536 numbers as_float_array checks finiteness by one BLAS pass: NaN, inf and a
    number too large for the dtype are refused; huge finite numbers (sums overflow) are not."""
    rng = np.random.default_rng(0)
    X, Y = rng.random((64, 1100)), np.eye(10)[rng.integers(0, 10, 1100)].T  # 70,400 numbers
    net = Network([64, 5, 10], seed=0, dtype=dtype)
    for bad in (np.nan, np.inf, 1e300 if dtype == np.float32 else -np.inf):
        Xb = X.copy()
        Xb[17, 1000] = bad
        with pytest.raises(ValueError, match="training_data X must be finite"):
            net.SGD((Xb, Y), 1, 10, 0.1, progress=False)
    Xh = X.copy()
    Xh[:, :3] = 1e38 if dtype == np.float32 else 1e300  # finite; their sums overflow
    Xs, _ = stack_examples((Xh, Y), 64, 10, "training_data", dtype)  # accepted, as it was
    np.testing.assert_array_equal(Xs, Xh.astype(dtype))

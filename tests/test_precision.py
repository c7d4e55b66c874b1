"""dtype: float32 networks start from the float64 numbers, stay in float32, train, and their
backprop agrees with float64 finite differences to the tolerance float32 allows."""

from __future__ import annotations

import numpy as np
import pytest

from nndl_backprop import Network, gradient_tolerance, relative_error
from nndl_backprop.data import load_digits
from nndl_backprop.precision import as_dtype


def central_differences_float64(net64, X, Y, eps=1e-6):
    """(nabla_b, nabla_w) of the mean cost by central differences, in float64 (eq. 46)."""
    grads = []
    for params in (net64.biases, net64.weights):
        out = []
        for p in params:
            g = np.empty_like(p)
            for idx in np.ndindex(p.shape):
                original = p[idx]
                p[idx] = original + eps
                c_plus = net64.total_cost(X, Y)
                p[idx] = original - eps
                c_minus = net64.total_cost(X, Y)
                p[idx] = original
                g[idx] = (c_plus - c_minus) / (2 * eps)
            out.append(g)
        grads.append(out)
    return grads


def upcast(net32, cost):
    """A float64 network holding exactly the float32 network's numbers."""
    net64 = Network(net32.sizes, cost=cost)
    net64.weights = [w.astype(np.float64) for w in net32.weights]
    net64.biases = [b.astype(np.float64) for b in net32.biases]
    return net64


def test_tolerances_and_dtype_names():
    assert gradient_tolerance() == gradient_tolerance(np.float64) == 1e-7
    assert gradient_tolerance("float32") == gradient_tolerance(np.dtype(np.float32)) == 1e-4
    assert Network([2, 1], dtype="float32").gradient_tolerance == 1e-4
    for bad in (np.int64, np.float16, "complex128", "nonsense"):
        with pytest.raises(ValueError, match="dtype must be float64 or float32"):
            as_dtype(bad)


def test_float32_starts_from_the_float64_numbers_and_stays_float32():
    a, b = Network([5, 4, 3], seed=1), Network([5, 4, 3], seed=1, dtype=np.float32)
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        assert q.dtype == np.float32
        np.testing.assert_array_equal(q, p.astype(np.float32))
    x = np.linspace(0, 1, 5)  # float64 input, cast once at the entry point
    zs, activations = b.forward(x)
    assert all(arr.dtype == np.float32 for arr in zs + activations)
    nabla_b, nabla_w = b.backprop(x, np.array([0.0, 1.0, 0.0]))
    assert all(g.dtype == np.float32 for g in nabla_b + nabla_w)
    assert b.feedforward(x).dtype == np.float32
    assert "dtype=float32" in repr(b) and "dtype" not in repr(a)


def test_parameters_must_keep_the_network_dtype():
    net = Network([3, 2], seed=0, dtype=np.float32)
    net.weights[0] = net.weights[0].astype(np.float64)
    with pytest.raises(TypeError, match=r"must be a float32 numpy array .*got ndarray float64"):
        net.feedforward(np.zeros(3))


def test_too_large_for_float32_is_refused():
    net = Network([2, 1], seed=0, dtype=np.float32)
    with pytest.raises(ValueError, match="too large for float32"):
        net.feedforward(np.array([1e300, 0.0]))


@pytest.mark.parametrize(
    ("sizes", "m", "cost"),
    [
        ([4, 5, 3], 1, "quadratic"),
        ([6, 5, 4, 3], 5, "cross_entropy"),
        ([20, 8, 10], 4, "quadratic"),
    ],
)
def test_float32_backprop_matches_float64_differences_to_its_tolerance(sizes, m, cost):
    rng = np.random.default_rng(sum(sizes) + m)
    X, Y = rng.random((sizes[0], m)), rng.random((sizes[-1], m))
    net32 = Network(sizes, seed=m, cost=cost, dtype=np.float32)
    net64 = upcast(net32, cost)
    numerical = central_differences_float64(net64, X, Y)
    err32 = relative_error(list(net32.backprop_batch(X, Y)), numerical)
    err64 = relative_error(list(net64.backprop_batch(X, Y)), numerical)
    print(f"{sizes} m={m} {cost}: float32 backprop {err32:.1e}, float64 backprop {err64:.1e}")
    assert err32 < gradient_tolerance(np.float32)
    assert err64 < gradient_tolerance(np.float64)
    assert err32 > 10 * err64  # float32's own rounding is what the looser tolerance allows for


def test_float32_learns_the_digits():
    training_data, test_data = load_digits()
    net = Network([64, 30, 10], seed=0, dtype=np.float32)
    history = net.SGD(training_data, 10, 10, 3.0, test_data=test_data, seed=0, progress=False)
    assert all(w.dtype == np.float32 for w in net.weights + net.biases)
    assert history.accuracy[-1] >= 0.90

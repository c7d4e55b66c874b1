"""Finite-difference gradients (eq. 46) and the relative error used to compare gradients.

The same checker serves the tests and the notebooks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .demon import cost_after_nudge
from .validation import as_column, as_columns, as_float_array, positive_float, same_count

# The default step ε of each method: near the bottom of its error's V (see step_size.py).
DEFAULT_EPS = {"forward": 1e-7, "central": 1e-5}


class NumericalGradient(NamedTuple):
    """(nabla_b, nabla_w) in backprop's structure, and how many forward passes they cost."""

    nabla_b: list[np.ndarray]
    nabla_w: list[np.ndarray]
    forward_passes: int


def _cost_fn(net, x, y):
    """C(current parameters) for one example or the mean over columns; inputs checked once."""
    x = as_float_array(x, "x")
    y = as_float_array(y, "y")
    X = x.reshape(-1, 1) if x.ndim == 1 else x
    Y = y.reshape(-1, 1) if y.ndim == 1 else y
    # Check shapes and example counts without a forward pass, so forward_passes is exact.
    same_count(as_columns(X, net.sizes[0], "x"), as_columns(Y, net.sizes[-1], "y"), "x", "y")
    return lambda: net.cost.fn(net.forward_columns(X)[1][-1], Y)


def numerical_gradient(net, x, y, eps: float | None = None, method: str = "forward"):
    """∂C/∂p ≈ (C(p + ε) − C(p)) / ε for every weight and bias p (eq. 46), or the central
    difference (C(p + ε) − C(p − ε)) / 2ε with ``method="central"``.

    x, y: one example ((n,) or (n, 1)) or columns (n, m), giving the mean cost's gradient.
    The forward method needs one forward pass per parameter plus one for C(p); the central
    method needs two per parameter. Parameters are restored exactly afterwards.
    Returns NumericalGradient(nabla_b, nabla_w, forward_passes).
    """
    if method not in ("forward", "central"):
        raise ValueError(f"method must be 'forward' or 'central', got {method!r}")
    if eps is None:
        eps = DEFAULT_EPS[method]
    eps = positive_float(eps, "eps")
    cost = _cost_fn(net, x, y)
    passes = 0
    if method == "forward":
        c0 = cost()
        passes += 1

    def derivative(arr: np.ndarray, idx) -> float:
        nonlocal passes
        original = arr[idx]
        arr[idx] = original + eps
        c_plus = cost()
        if method == "forward":
            arr[idx] = original
            passes += 1
            return (c_plus - c0) / eps
        arr[idx] = original - eps
        c_minus = cost()
        arr[idx] = original
        passes += 2
        return (c_plus - c_minus) / (2 * eps)

    def grad_like(params: list[np.ndarray]) -> list[np.ndarray]:
        out = []
        for p in params:
            g = np.empty_like(p)
            for idx in np.ndindex(p.shape):
                g[idx] = derivative(p, idx)
            out.append(g)
        return out

    nabla_b = grad_like(net.biases)
    nabla_w = grad_like(net.weights)
    return NumericalGradient(nabla_b, nabla_w, passes)


def _flat(a) -> np.ndarray:
    if isinstance(a, list | tuple):
        return np.concatenate([_flat(p) for p in a]) if len(a) else np.zeros(0)
    return np.asarray(a, dtype=np.float64).ravel()


def _shapes(a):
    if isinstance(a, list | tuple):
        return tuple(_shapes(p) for p in a)
    return np.shape(a)


def relative_error(a, b) -> float:
    """‖a − b‖ / (‖a‖ + ‖b‖) over all entries of arrays or nested lists; 0 if both are 0."""
    if _shapes(a) != _shapes(b):
        raise ValueError(f"structures differ: shapes {_shapes(a)} and {_shapes(b)}")
    fa, fb = _flat(a), _flat(b)
    denom = np.linalg.norm(fa) + np.linalg.norm(fb)
    return 0.0 if denom == 0 else float(np.linalg.norm(fa - fb) / denom)


def check_gradients(net, x, y, tol: float = 1e-7) -> float:
    """Compare backprop with central differences; AssertionError saying where they differ."""
    x_arr = as_float_array(x, "x")
    y_arr = as_float_array(y, "y")
    if x_arr.ndim == 2 and x_arr.shape[1] > 1:
        nabla_b, nabla_w = net.backprop_batch(x_arr, y_arr)
    else:
        nabla_b, nabla_w = net.backprop(x_arr, y_arr)
    num = numerical_gradient(net, x_arr, y_arr, method="central")
    for name, got, want in (("nabla_b", nabla_b, num.nabla_b), ("nabla_w", nabla_w, num.nabla_w)):
        for i, (g, n) in enumerate(zip(got, want)):
            err = relative_error(g, n)
            if err > tol:
                worst = np.unravel_index(np.argmax(np.abs(g - n)), g.shape)
                raise AssertionError(
                    f"{name}[{i}] (book layer {i + 2}): relative error {err:.2e} > {tol:.0e}; "
                    f"at index {worst} backprop gives {g[worst]:.6e}, finite differences "
                    f"{n[worst]:.6e}"
                )
    return relative_error([nabla_b, nabla_w], [num.nabla_b, num.nabla_w])


# ----- one derivative at a time: the widgets' and notebooks' finite differences ---------------
def central_difference(cost_at: Callable[[float], float], eps: float) -> float:
    """(C(+ε) − C(−ε)) / 2ε, where ``cost_at(h)`` is the cost with one quantity moved by h."""
    return (cost_at(eps) - cost_at(-eps)) / (2 * eps)


def numerical_delta(net, zs, y, layer: int, j: int, eps: float = 1e-6) -> float:
    """δ^layer_j ≈ ∂C/∂z^layer_j by a central difference of the demon's cost (eq. 29).

    zs: the weighted inputs of the forward pass (each (n_l, 1)); y: the target (n_L, 1);
    book numbering for ``layer`` and ``j``.
    """
    return central_difference(lambda h: cost_after_nudge(net, zs, y, layer, j, h), eps)


def numerical_deltas(net, x, y, eps: float = 1e-6) -> list[np.ndarray]:
    """Every δ^l by eq. 29 taken literally, an independent check of BP1 and BP2.

    x: (n_in,) or (n_in, 1); y: (n_out,) or (n_out, 1). Entry i is δ of book layer i + 2,
    shape (n_l, 1).
    """
    y_col, _ = as_column(y, net.sizes[-1], "y")
    zs, _ = net.forward(x)
    return [
        np.array([[numerical_delta(net, zs, y_col, l, j, eps)] for j in range(1, n + 1)])
        for l, n in enumerate(net.sizes[1:], start=2)
    ]


def numerical_derivative(net, x, y, l: int, j: int, k: int, eps: float = 1e-6) -> float:
    """∂C/∂w^l_jk by a central difference (book numbering); the weight is always restored."""
    X, Y = np.reshape(x, (-1, 1)), np.reshape(y, (-1, 1))
    w0 = net.w(l, j, k)

    def cost_at(h: float) -> float:
        net.set_w(l, j, k, w0 + h)
        return net.total_cost(X, Y)

    try:
        return central_difference(cost_at, eps)
    finally:
        net.set_w(l, j, k, w0)

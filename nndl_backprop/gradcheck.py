"""Finite-difference gradients (eq. 46) and the relative error used to compare gradients.

The same checker serves the tests and the notebooks.
"""

from __future__ import annotations

import numbers
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
    method needs two per parameter. Parameters are restored exactly afterwards, even when a
    pass raises or is interrupted (Ctrl-C). Raises ValueError when ε is lost in rounding
    (p + ε == p for some parameter) or the cost is not finite at a nudged parameter.
    Returns NumericalGradient(nabla_b, nabla_w, forward_passes).
    """
    if method not in ("forward", "central"):
        raise ValueError(f"method must be 'forward' or 'central', got {method!r}")
    if eps is None:
        eps = DEFAULT_EPS[method]
    eps = positive_float(eps, "eps")
    cost = _cost_fn(net, x, y)
    _refuse_lost_eps(net, eps, method)
    passes = 0
    if method == "forward":
        c0 = _finite_cost(cost(), "C at the unchanged parameters")
        passes += 1

    def derivative(arr: np.ndarray, idx, name: str) -> float:
        nonlocal passes
        original = arr[idx]
        try:
            arr[idx] = original + eps
            c_plus = cost()
            if method == "forward":
                passes += 1
                d = (c_plus - c0) / eps
            else:
                arr[idx] = original - eps
                c_minus = cost()
                passes += 2
                d = (c_plus - c_minus) / (2 * eps)
        finally:  # whatever happens (an exception, Ctrl-C), the parameter is put back
            arr[idx] = original
        return _finite_cost(d, f"the finite difference for {_book_name(name, idx)}")

    def grad_like(params: list[np.ndarray], name: str) -> list[np.ndarray]:
        out = []
        for i, p in enumerate(params):
            g = np.empty_like(p)
            for idx in np.ndindex(p.shape):
                g[idx] = derivative(p, idx, f"{name}^{i + 2}")
            out.append(g)
        return out

    nabla_b = grad_like(net.biases, "b")
    nabla_w = grad_like(net.weights, "w")
    return NumericalGradient(nabla_b, nabla_w, passes)


def _book_name(name: str, idx) -> str:
    """'w^2' and (0, 2) -> 'w^2_13': the book's 1-based neuron indices."""
    letter = name.split("^")[0]
    idx = idx[:1] if letter == "b" else idx
    return name + "_" + "".join(str(i + 1) for i in idx)


def _finite_cost(value: float, what: str) -> float:
    if not np.isfinite(value):
        raise ValueError(f"{what} is {value}: the cost is not finite there, so no gradient")
    return value


def _refuse_lost_eps(net, eps: float, method: str) -> None:
    """ValueError when p + ε == p (or p − ε == p) for a parameter: ε vanished in rounding."""
    for name, params in (("b", net.biases), ("w", net.weights)):
        for i, p in enumerate(params):
            lost = (p + eps == p) | ((p - eps == p) if method == "central" else False)
            if np.any(lost):
                idx = np.unravel_index(np.argmax(lost), p.shape)
                value = float(p[idx])
                raise ValueError(
                    f"eps = {eps:g} is lost in rounding: {_book_name(f'{name}^{i + 2}', idx)} "
                    f"= {value:.6g} and {value:.6g} + eps == {value:.6g} in float64 (about 16 "
                    f"significant digits); use eps ≥ {abs(value) * 1e-12:.1g} or rescale"
                )


def _flat(a) -> np.ndarray:
    if isinstance(a, list | tuple):
        return np.concatenate([_flat(p) for p in a]) if len(a) else np.zeros(0)
    return np.asarray(a, dtype=np.float64).ravel()


def _shapes(a):
    if isinstance(a, list | tuple):
        return tuple(_shapes(p) for p in a)
    return np.shape(a)


def relative_error(a, b) -> float:
    """‖a − b‖ / (‖a‖ + ‖b‖) over all entries of arrays or nested lists; 0 if both are 0.

    Both are divided by their largest magnitude first, so the value is right over the whole
    finite float range (1e-300 and 1e300 included), in [0, 1]. ValueError for NaN or inf.
    """
    if _shapes(a) != _shapes(b):
        raise ValueError(f"structures differ: shapes {_shapes(a)} and {_shapes(b)}")
    fa, fb = _flat(a), _flat(b)
    for name, f in (("first", fa), ("second", fb)):
        bad = ~np.isfinite(f)
        if np.any(bad):
            raise ValueError(
                f"relative_error: the {name} argument has {int(bad.sum())} entries that are "
                f"not finite (e.g. {f[bad][0]}); a relative error of NaN or inf means nothing"
            )
    scale = max(float(np.max(np.abs(fa), initial=0.0)), float(np.max(np.abs(fb), initial=0.0)))
    if scale == 0.0:
        return 0.0
    fa, fb = fa / scale, fb / scale  # largest entry 1: no overflow, no underflow of squares
    return float(np.linalg.norm(fa - fb) / (np.linalg.norm(fa) + np.linalg.norm(fb)))


def check_gradients(net, x, y, tol: float | None = None, eps: float | None = None) -> float:
    """Compare backprop with central differences; AssertionError saying where they differ.

    ``tol`` defaults to what the network's dtype allows (``net.gradient_tolerance``: 1e-7 in
    float64, 1e-4 in float32). For a float32 network the differences are taken on a float64
    copy of it (float32's own rounding would swamp a difference quotient), and backprop in
    float32 is compared with them.

    Each layer's ∂C/∂b and ∂C/∂w is compared on its own. The check fails (AssertionError) on
    anything it cannot judge: a gradient that is NaN or inf, or a layer where either side is
    exactly 0 everywhere (a saturated layer gives 0 from finite differences, which can confirm
    nothing). ``tol`` must lie in (0, 1) (a relative error never exceeds 1); ``eps`` is the
    central difference's step (default 1e-5). Returns the overall relative error.
    """
    allowed = f"{net.dtype.name} rounding allows {net.gradient_tolerance:.0e}"
    if tol is None:
        tol = net.gradient_tolerance
    if isinstance(tol, bool) or not isinstance(tol, numbers.Real) or not 0 < tol < 1:
        raise ValueError(
            f"tol must be a number with 0 < tol < 1 (a relative error lies in [0, 1], so "
            f"tol ≥ 1 passes everything and NaN compares false), got {tol!r}"
        )
    x_arr = as_float_array(x, "x")
    y_arr = as_float_array(y, "y")
    if x_arr.ndim == 2 and x_arr.shape[1] > 1:
        nabla_b, nabla_w = net.backprop_batch(x_arr, y_arr)
    else:
        nabla_b, nabla_w = net.backprop(x_arr, y_arr)
    reference = net if net.dtype == np.float64 else net.astype(np.float64)
    num = numerical_gradient(reference, x_arr, y_arr, eps=eps, method="central")
    for name, got, want in (("nabla_b", nabla_b, num.nabla_b), ("nabla_w", nabla_w, num.nabla_w)):
        for i, (g, n) in enumerate(zip(got, want)):
            where = f"{name}[{i}] (book layer {i + 2})"
            g = np.asarray(g, dtype=np.float64)
            if not np.all(np.isfinite(g)):
                raise AssertionError(
                    f"{where}: backprop gives NaN or inf, e.g. {g[~np.isfinite(g)][0]}"
                )
            if g.shape != n.shape:
                raise AssertionError(f"{where}: backprop gives shape {g.shape}, expected {n.shape}")
            g_zero, n_zero = not np.any(g), not np.any(n)
            if g_zero and n_zero:
                raise AssertionError(
                    f"{where}: both backprop and finite differences are exactly 0 everywhere, "
                    "so the comparison proves nothing; choose an input whose gradient is "
                    "not 0 in this layer (a saturated or dead layer is too flat to check)"
                )
            if n_zero:
                raise AssertionError(
                    f"{where}: finite differences are exactly 0 everywhere but backprop gives "
                    f"up to {np.max(np.abs(g)):.2e}: either backprop is wrong or the layer is "
                    "saturated beyond what finite differences can resolve; cannot confirm it"
                )
            if g_zero:
                raise AssertionError(
                    f"{where}: backprop gives exactly 0 everywhere but finite differences give "
                    f"up to {np.max(np.abs(n)):.2e}"
                )
            err = relative_error(g, n)
            if err > tol:
                worst = np.unravel_index(np.argmax(np.abs(g - n)), g.shape)
                raise AssertionError(
                    f"{where}: relative error {err:.2e} > {tol:.0e} ({allowed}); "
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

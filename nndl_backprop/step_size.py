"""How the finite-difference step ε trades truncation error against round-off (eq. 46).

For one weight w^l_jk, the forward difference (C(w + ε) − C(w)) / ε and the central difference
(C(w + ε) − C(w − ε)) / 2ε are compared with backprop's exact ∂C/∂w^l_jk for ε from 1e-1 down
to 1e-12, in float64 and in float32 (weights, biases, input, target and every operation of the
cost in that type). Taylor's theorem gives the truncation error: about |C''| ε / 2 for the
forward difference and |C'''| ε² / 6 for the central one. Rounding C to the type's machine
epsilon ε_mach adds about ε_mach |C| / ε. The sum is a V on log–log axes whose bottom is near
ε ≈ √ε_mach (forward) and ε ≈ ε_mach^(1/3) (central).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np

from . import gradcheck
from .activations import sigmoid
from .network import Network

EPS = np.logspace(-1, -12, 45)  # four steps per decade
SIZES = (3, 4, 2)
METHODS = ("forward", "central")
DTYPES = ("float64", "float32")


def default_eps() -> dict[str, float]:
    """The ε ``numerical_gradient`` uses when none is given, read from the package itself."""
    eps = inspect.signature(gradcheck.numerical_gradient).parameters["eps"].default
    return dict(gradcheck.DEFAULT_EPS) if eps is None else {m: eps for m in METHODS}


@dataclass(frozen=True)
class Sweep:
    """The ``errors[(method, dtype)]`` |estimate − exact| / |exact| for each step in ``eps``,
    of ∂C/∂w^layer_jk (book numbering), and the ``best[(method, dtype)]`` = (ε, error)."""

    layer: int
    j: int
    k: int
    exact: float
    eps: np.ndarray
    errors: dict
    best: dict


def _cost(weights, biases, x, y):
    """C = ½ ‖a^L − y‖² with every operation in the arrays' own type (float32 stays float32)."""
    a = x
    for w, b in zip(weights, biases):
        a = sigmoid(w @ a + b)  # (n_l, n_{l-1}) @ (n_{l-1}, 1) + (n_l, 1)
    diff = a - y
    return diff.dtype.type(0.5) * np.sum(diff * diff)


class _Differences:
    """Finite-difference estimates of ∂C/∂w^layer_jk, every operation in ``dtype``.

    Only w^layer_jk moves, so the layers below ``layer`` give the same a^(layer−1) for every
    step: they are computed once, by the same operations (and roundings) as a whole forward
    pass, and so is C at the unmoved weight (the forward difference's second term). A sweep
    then costs one pass from ``layer`` up per forward estimate and two per central one.
    """

    def __init__(self, net, x, y, layer: int, j: int, k: int, dtype: str):
        self.t = np.dtype(dtype).type
        a = np.asarray(x, dtype=dtype)
        for w, b in zip(net.weights[: layer - 2], net.biases[: layer - 2]):
            a = sigmoid(w.astype(dtype) @ a + b.astype(dtype))  # as _cost computes it
        self.a_in = a  # a^(layer-1), (n_{layer-1}, 1)
        self.y = np.asarray(y, dtype=dtype)
        self.weights = [w.astype(dtype) for w in net.weights[layer - 2 :]]  # copies: w moves
        self.biases = [b.astype(dtype) for b in net.biases[layer - 2 :]]
        self.idx = (j - 1, k - 1)  # the book's w^l_jk is weights[l - 2][j - 1, k - 1]
        self.original = self.weights[0][self.idx]
        self.c_here = self.cost(self.original)

    def cost(self, w_jk) -> np.floating:
        """C with w^layer_jk set to ``w_jk`` (then put back)."""
        w = self.weights[0]
        w[self.idx] = w_jk
        c = _cost(self.weights, self.biases, self.a_in, self.y)
        w[self.idx] = self.original
        return c

    def estimate(self, eps: float, method: str) -> float:
        step = self.t(eps)
        c_plus = self.cost(self.original + step)
        if method == "central":
            return float((c_plus - self.cost(self.original - step)) / (self.t(2) * step))
        return float((c_plus - self.c_here) / step)


def difference(net, x, y, layer: int, j: int, k: int, eps: float, method: str, dtype: str):
    """One finite-difference estimate of ∂C/∂w^layer_jk, computed entirely in ``dtype``:
    (C(w + ε) − C(w)) / ε (``"forward"``) or (C(w + ε) − C(w − ε)) / 2ε (``"central"``)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    return _Differences(net, x, y, layer, j, k, dtype).estimate(eps, method)


def sweep(layer: int = 2, j: int = 1, k: int = 1, sizes=SIZES, seed: int = 0, eps=EPS) -> Sweep:
    """Both methods in both types for every ε, against backprop on ``Network(sizes, seed)``."""
    net = Network(list(sizes), seed=seed)
    rng = np.random.default_rng(seed)
    x, y = rng.random((net.sizes[0], 1)), np.eye(net.sizes[-1])[:, :1]  # target: class 1
    exact = float(net.backprop(x, y)[1][layer - 2][j - 1, k - 1])
    eps = np.asarray(eps, dtype=float)
    errors, best = {}, {}
    for dtype in DTYPES:
        differences = _Differences(net, x, y, layer, j, k, dtype)
        for method in METHODS:
            est = np.array([differences.estimate(e, method) for e in eps])
            # An error of exactly 0 (a lucky rounding) is floored so a log scale can show it.
            err = np.maximum(np.abs(est - exact) / abs(exact), 1e-17)
            errors[(method, dtype)] = err
            i = int(np.argmin(err))
            best[(method, dtype)] = (float(eps[i]), float(err[i]))
    return Sweep(layer, j, k, exact, eps, errors, best)


def slope(eps: np.ndarray, err: np.ndarray, lo: float, hi: float) -> float:
    """The least-squares slope of log10(error) against log10(ε) for lo ≤ ε ≤ hi."""
    keep = (eps >= lo) & (eps <= hi)
    return float(np.polyfit(np.log10(eps[keep]), np.log10(err[keep]), 1)[0])

"""Measured speed: the per-example loop against the matrix form, and eq. (46) against backprop.

Only numpy and the standard library: the notebooks plot what these functions return. Times
are the best of a few repeats (the least disturbed by other work on the machine).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .gradcheck import numerical_gradient
from .loop import gradient_by_loop
from .network import Network
from .validation import positive_int


def best_time(fn: Callable[[], object], repeat: int = 3, min_time: float = 2e-3) -> float:
    """Seconds per call of ``fn()``: calls are batched until a batch lasts ``min_time``."""
    repeat = positive_int(repeat, "repeat")
    number = 1
    while True:  # find how many calls make one measurable batch
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_time or number >= 1 << 16:
            break
        number *= 2
    best = elapsed / number
    for _ in range(repeat - 1):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def n_parameters(sizes: Sequence[int]) -> int:
    """P = Σ_l n_l (n_{l−1} + 1): all weights and biases of a network with these sizes."""
    return sum(n_out * (n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:]))


@dataclass(frozen=True)
class BatchTiming:
    """Seconds per mini-batch for each size m: the per-example loop and the matrix form."""

    sizes: list[int]
    batch_sizes: list[int]
    loop: list[float]
    matrix: list[float]

    @property
    def speedup(self) -> list[float]:
        """loop time / matrix time, one per mini-batch size."""
        return [lo / ma for lo, ma in zip(self.loop, self.matrix)]


def time_batches(
    sizes: Sequence[int], batch_sizes: Sequence[int], seed: int = 0, repeat: int = 3
) -> BatchTiming:
    """Time ``gradient_by_loop`` against ``backprop_batch`` on random mini-batches of each m."""
    net = Network(sizes, seed=seed)
    rng = np.random.default_rng(seed)
    loop, matrix = [], []
    for m in batch_sizes:
        m = positive_int(m, "mini-batch size")
        X, Y = rng.random((sizes[0], m)), rng.random((sizes[-1], m))  # (n_in, m), (n_out, m)
        loop.append(best_time(lambda X=X, Y=Y: gradient_by_loop(net, X, Y), repeat))
        matrix.append(best_time(lambda X=X, Y=Y: net.backprop_batch(X, Y), repeat))
    return BatchTiming(list(sizes), [int(m) for m in batch_sizes], loop, matrix)


@dataclass(frozen=True)
class GradientCost:
    """One network's gradient, two ways: eq. (46) finite differences and backprop."""

    sizes: list[int]
    n_params: int
    fd_passes: int
    fd_seconds: float
    bp_seconds: float

    @property
    def ratio(self) -> float:
        """How many times longer finite differences take than backprop."""
        return self.fd_seconds / self.bp_seconds


def gradient_cost(sizes: Sequence[int], seed: int = 0, repeat: int = 3) -> GradientCost:
    """Measure eq. (46) (forward differences, P + 1 passes) and backprop on one example."""
    net = Network(sizes, seed=seed)
    rng = np.random.default_rng(seed)
    x, y = rng.random((sizes[0], 1)), rng.random((sizes[-1], 1))
    passes = numerical_gradient(net, x, y).forward_passes
    fd = best_time(lambda: numerical_gradient(net, x, y), repeat=max(1, repeat - 1), min_time=0)
    bp = best_time(lambda: net.backprop(x, y), repeat)
    return GradientCost(list(sizes), n_parameters(sizes), passes, fd, bp)


@dataclass(frozen=True)
class PowerLaw:
    """y ≈ c · x^slope, fitted as a straight line on log-log axes."""

    slope: float
    c: float

    def __call__(self, x):
        return self.c * np.asarray(x, dtype=float) ** self.slope


def fit_power_law(x: Sequence[float], y: Sequence[float]) -> PowerLaw:
    """Least-squares line through (log x, log y); needs two or more distinct positive x."""
    lx, ly = np.log(np.asarray(x, dtype=float)), np.log(np.asarray(y, dtype=float))
    if lx.size < 2 or np.ptp(lx) == 0:
        raise ValueError("fitting a power law needs at least two different x values")
    if not (np.all(np.isfinite(lx)) and np.all(np.isfinite(ly))):
        raise ValueError("a power law fits positive, finite x and y only")
    slope, intercept = np.polyfit(lx, ly, 1)
    return PowerLaw(float(slope), float(np.exp(intercept)))


@dataclass(frozen=True)
class Extrapolation:
    """The measured power laws carried to ``n_params`` parameters (the book's million)."""

    n_params: int
    fd_passes: int
    ratio_slope: float
    ratio: float
    fd_seconds: float
    bp_seconds: float


def extrapolate(costs: Sequence[GradientCost], n_params: int = 1_000_000) -> Extrapolation:
    """Fit time ∝ P^slope to the measured eq. (46) and backprop times; evaluate at n_params."""
    n_params = positive_int(n_params, "n_params")
    P = [c.n_params for c in costs]
    ratio = fit_power_law(P, [c.ratio for c in costs])
    fd = fit_power_law(P, [c.fd_seconds for c in costs])
    bp = fit_power_law(P, [c.bp_seconds for c in costs])
    return Extrapolation(
        n_params=n_params,
        fd_passes=n_params + 1,
        ratio_slope=ratio.slope,
        ratio=float(ratio(n_params)),
        fd_seconds=float(fd(n_params)),
        bp_seconds=float(bp(n_params)),
    )

"""Measured speed: the per-example loop against the matrix form, and eq. (46) against backprop.

Only numpy and the standard library: the notebooks plot what these functions return. Times
are the best of a few repeats (the least disturbed by other work on the machine), each taken
after one untimed warm-up call. ``multiply_adds`` counts what the timings measure: the
multiply-adds of the forward pass, of BP2 and of BP4.
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
    """Seconds per call of ``fn()``: calls are batched until a batch lasts ``min_time``.

    One untimed call comes first, so that first-call costs (allocating buffers, filling
    caches) are not counted as the price of the computation.
    """
    repeat = positive_int(repeat, "repeat")
    fn()  # warm-up
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
class MultiplyAdds:
    """Multiply-adds of the weight-matrix products for ONE example (per column of a batch).

    Only the products with w^l or (w^l)^T are counted; σ, σ', ⊙, BP1 and BP3 are one
    operation per neuron, far fewer than one per weight.
    """

    sizes: list[int]
    forward: int  # z^l = w^l a^{l−1} for l = 2 … L: one per weight
    bp2: int  # (w^{l+1})^T δ^{l+1} for l = L−1 … 2: every weight except those of w^2
    bp4: int  # δ^l (a^{l−1})^T for l = 2 … L: one per weight

    @property
    def backprop(self) -> int:
        """A whole backprop: its own forward pass, then BP2 and BP4."""
        return self.forward + self.bp2 + self.bp4

    @property
    def in_forward_passes(self) -> float:
        """Backprop's multiply-adds counted in forward passes (between 2 and 3)."""
        return self.backprop / self.forward


def multiply_adds(sizes: Sequence[int]) -> MultiplyAdds:
    """Count the multiply-adds of the forward pass, BP2 and BP4 for layer sizes ``sizes``."""
    sizes = [positive_int(n, "layer size") for n in sizes]
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least two layers, got {sizes}")
    per_layer = [n_out * n_in for n_in, n_out in zip(sizes[:-1], sizes[1:])]  # weights of w^l
    # BP2 multiplies by w^3 … w^L (to reach δ^2 … δ^{L−1}); δ^1 is never needed, so w^2 is
    # used by the forward pass and by BP4 only.
    return MultiplyAdds(sizes, sum(per_layer), sum(per_layer[1:]), sum(per_layer))


@dataclass(frozen=True)
class PassTiming:
    """Seconds for one forward pass and for one backprop of the same m examples."""

    sizes: list[int]
    m: int
    forward: float  # z^l and a^l of every layer (σ included, the cost not)
    backprop: float  # its own forward pass, BP1, BP2, BP3 and BP4: the whole gradient

    @property
    def ratio(self) -> float:
        """How many forward passes one backprop costs, as measured."""
        return self.backprop / self.forward

    @property
    def n_params(self) -> int:
        """P, the number of weights and biases."""
        return n_parameters(self.sizes)

    @property
    def finite_differences(self) -> float:
        """Estimated seconds for eq. (46) on the same examples: P + 1 forward passes."""
        return (self.n_params + 1) * self.forward


def time_passes(
    sizes: Sequence[int], m: int = 100, seed: int = 0, repeat: int = 5, min_time: float = 0.02
) -> PassTiming:
    """Time ``forward_columns`` and ``backprop_columns`` on m random examples (columns).

    Both are the unchecked fast paths, so no input checking is timed. The two are measured in
    turn, ``repeat`` times each, and the best of each kept: a burst of load from other work
    then disturbs both alike instead of one of them.
    """
    m = positive_int(m, "m")
    repeat = positive_int(repeat, "repeat")
    net = Network(sizes, seed=seed)
    rng = np.random.default_rng(seed)
    X, Y = rng.random((sizes[0], m)), rng.random((sizes[-1], m))  # (n_in, m), (n_out, m)
    forward = backprop = float("inf")
    for _ in range(repeat):
        forward = min(forward, best_time(lambda: net.forward_columns(X), 1, min_time))
        backprop = min(backprop, best_time(lambda: net.backprop_columns(X, Y), 1, min_time))
    return PassTiming(list(sizes), m, forward, backprop)


def one_significant(x: float) -> float:
    """x rounded to one significant figure: what an estimate from one timing supports."""
    return float(f"{x:.1g}")

"""Timing helpers: parameter counts by hand, power-law fits on exact data, sane measurements."""

from __future__ import annotations

import numpy as np
import pytest

from nndl_backprop import Network
from nndl_backprop.timing import (
    BatchTiming,
    GradientCost,
    best_time,
    extrapolate,
    fit_power_law,
    gradient_cost,
    n_parameters,
    time_batches,
)


def test_n_parameters_by_hand():
    # [784, 30, 10]: 30·784 + 30 biases + 10·30 + 10 biases = 23,520 + 30 + 300 + 10.
    assert n_parameters([784, 30, 10]) == 23_860
    net = Network([3, 5, 4, 2], seed=0)
    assert n_parameters(net.sizes) == sum(w.size for w in net.weights) + sum(
        b.size for b in net.biases
    )


def test_best_time_is_positive_and_counts_calls():
    calls = []
    seconds = best_time(lambda: calls.append(1), repeat=2, min_time=1e-4)
    assert seconds > 0 and len(calls) >= 2
    with pytest.raises(ValueError, match="repeat"):
        best_time(lambda: None, repeat=0)


def test_fit_power_law_recovers_an_exact_law():
    x = np.array([10.0, 100.0, 1000.0])
    fit = fit_power_law(x, 3.0 * x**1.5)
    assert fit.slope == pytest.approx(1.5)
    assert fit.c == pytest.approx(3.0)
    assert fit(1e4) == pytest.approx(3.0 * 1e6)


@pytest.mark.parametrize(
    "x, y, words",
    [
        ([1.0], [2.0], "two different"),
        ([2.0, 2.0], [1.0, 3.0], "two different"),
        ([1.0, 2.0], [0.0, 1.0], "positive"),
    ],
)
def test_fit_power_law_refuses_what_it_cannot_fit(x, y, words):
    with np.errstate(divide="ignore"), pytest.raises(ValueError, match=words):
        fit_power_law(x, y)


def test_extrapolate_follows_the_fitted_laws():
    costs = [
        GradientCost([1, 1], P, P + 1, fd_seconds=1e-6 * P**2, bp_seconds=1e-6 * P)
        for P in (10, 100, 1000)
    ]
    est = extrapolate(costs, 10**6)
    assert est.fd_passes == 1_000_001
    assert est.ratio_slope == pytest.approx(1.0)
    assert est.ratio == pytest.approx(1e6, rel=1e-9)
    assert est.fd_seconds == pytest.approx(1e6, rel=1e-9)
    assert est.bp_seconds == pytest.approx(1.0, rel=1e-9)


def test_gradient_cost_counts_p_plus_one_passes():
    cost = gradient_cost([4, 3, 2], repeat=1)
    assert cost.n_params == 4 * 3 + 3 + 3 * 2 + 2
    assert cost.fd_passes == cost.n_params + 1
    assert cost.fd_seconds > 0 and cost.bp_seconds > 0 and cost.ratio > 0


def test_time_batches_times_both_methods_for_each_m():
    timing = time_batches([5, 4, 3], [1, 8], repeat=3)
    assert isinstance(timing, BatchTiming)
    assert timing.batch_sizes == [1, 8]
    assert len(timing.loop) == len(timing.matrix) == len(timing.speedup) == 2
    assert all(t > 0 for t in timing.loop + timing.matrix)
    # Eight per-example backprops cost more than one: the loop's time grows with m.
    assert timing.loop[1] > timing.loop[0]
    with pytest.raises(ValueError, match="mini-batch size"):
        time_batches([5, 4, 3], [0])

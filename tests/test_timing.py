"""Timing helpers: parameter counts by hand, power-law fits on exact data, sane measurements."""

from __future__ import annotations

import pytest

from nndl_backprop import Network
from nndl_backprop.timing import (
    BatchTiming,
    best_time,
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

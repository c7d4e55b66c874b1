"""The per-example reference step refuses what would not be a gradient-descent step."""

from __future__ import annotations

import numpy as np
import pytest

from nndl_backprop import Network, gradient_by_loop, update_mini_batch_loop


def _batch(m=3, seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.uniform(size=(3, 1)), np.eye(2)[:, [i % 2]]) for i in range(m)]


@pytest.mark.parametrize(
    ("eta", "exc"),
    [(0.0, ValueError), (-1.0, ValueError), (np.nan, ValueError), (np.inf, ValueError)]
    + [("3", TypeError), (None, TypeError), (True, TypeError)],
)
def test_update_mini_batch_loop_refuses_a_bad_eta_and_leaves_the_network_alone(eta, exc):
    net = Network([3, 4, 2], seed=0)
    before = [p.copy() for p in net.weights + net.biases]
    with pytest.raises(exc, match="eta"):
        update_mini_batch_loop(net, _batch(), eta)
    assert all(np.array_equal(p, q) for p, q in zip(net.weights + net.biases, before))


@pytest.mark.parametrize(
    ("batch", "exc", "fragment"),
    [
        ([], ValueError, "empty"),
        (np.ones((3, 2)), TypeError, "list of"),
        ("xy", TypeError, "list of"),
        ([(np.ones(3),)], TypeError, r"mini_batch\[0\] must be a pair"),
        ([(np.ones(4), np.ones(2))], ValueError, r"mini_batch\[0\] x must have shape \(3,\)"),
        ([(np.ones(3), 1)], ValueError, r"mini_batch\[0\] y must have shape \(2,\)"),
        ([(np.ones(3), np.ones((2, 2)))], ValueError, r"mini_batch\[0\] y"),
        ([(np.full(3, np.nan), np.ones(2))], ValueError, "finite"),
    ],
)
def test_update_mini_batch_loop_refuses_a_malformed_batch(batch, exc, fragment):
    with pytest.raises(exc, match=fragment):
        update_mini_batch_loop(Network([3, 4, 2], seed=0), batch, 1.0)


def test_update_mini_batch_loop_takes_one_dimensional_examples_as_columns():
    a, b = Network([3, 4, 2], seed=0), Network([3, 4, 2], seed=0)
    batch = _batch()
    update_mini_batch_loop(a, batch, 0.5)
    update_mini_batch_loop(b, [(x.ravel(), y.ravel()) for x, y in batch], 0.5)
    assert all(np.array_equal(p, q) for p, q in zip(a.weights + a.biases, b.weights + b.biases))


@pytest.mark.parametrize(
    ("X", "Y", "fragment"),
    [
        (np.ones(3), np.ones((2, 1)), r"X must have shape \(3, m\)"),
        (np.ones((3, 2)), np.ones((2, 3)), "same number of examples"),
        (np.ones((3, 0)), np.ones((2, 0)), r"\(3, m\)"),
        (np.ones((4, 2)), np.ones((2, 2)), r"\(3, m\)"),
    ],
)
def test_gradient_by_loop_refuses_mismatched_columns(X, Y, fragment):
    with pytest.raises(ValueError, match=fragment):
        gradient_by_loop(Network([3, 4, 2], seed=0), X, Y)

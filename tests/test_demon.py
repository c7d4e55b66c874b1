"""The demon (eq. 29): nudging z^l_j by Δz changes the cost by δ^l_j Δz to first order.

Independent references: nudging z^l_j by Δz is the same as nudging the bias b^l_j by Δz
(z = w a + b), so the measured change can be recomputed with ``total_cost`` on a copy of the
network; δ^l_j is backprop's ∂C/∂b^l_j (BP3).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from nndl_backprop import DemonResult, Network, demon

CASES = [
    ([3, 4, 3, 2], "sigmoid", "quadratic"),
    ([3, 4, 3, 2], "tanh", "quadratic"),
    ([2, 5, 3], "sigmoid", "cross_entropy"),
]


def case(sizes, activation, cost, seed=0):
    rng = np.random.default_rng(seed)
    output = "sigmoid" if cost == "cross_entropy" else None
    net = Network(sizes, activation=activation, cost=cost, seed=rng, output_activation=output)
    x, y = rng.uniform(-1, 1, size=sizes[0]), rng.uniform(size=sizes[-1])
    return net, x, y


def every_neuron(sizes):
    return [(l, j) for l in range(2, len(sizes) + 1) for j in range(1, sizes[l - 1] + 1)]


@pytest.mark.parametrize(("sizes", "activation", "cost"), CASES)
def test_gap_shrinks_like_dz_squared(sizes, activation, cost):
    net, x, y = case(sizes, activation, cost)
    for l, j in every_neuron(sizes):
        big, small = demon(net, x, y, l, j, 1e-3), demon(net, x, y, l, j, 5e-4)
        assert big.gap > 1e-13, (l, j)  # a real second-order term, far above rounding
        assert 3.5 <= big.gap / small.gap <= 4.5, (l, j, big.gap / small.gap)


@pytest.mark.parametrize(("sizes", "activation", "cost"), CASES)
def test_measured_is_the_cost_change_and_predicted_is_delta_dz(sizes, activation, cost):
    net, x, y = case(sizes, activation, cost)
    X, Y = x.reshape(-1, 1), y.reshape(-1, 1)
    nabla_b, _ = net.backprop(x, y)
    zs, _ = net.forward(x)
    dz = 0.01
    for l, j in every_neuron(sizes):
        result = demon(net, x, y, l, j, dz)
        assert isinstance(result, DemonResult)
        assert (result.layer, result.j, result.dz) == (l, j, dz)
        assert result.z == zs[l - 2][j - 1, 0]
        assert result.delta == pytest.approx(nabla_b[l - 2][j - 1, 0], rel=1e-12, abs=1e-15)
        assert result.predicted == result.delta * dz
        assert result.cost == pytest.approx(net.total_cost(X, Y), rel=1e-14)
        nudged = copy.deepcopy(net)
        nudged.biases[l - 2][j - 1, 0] += dz  # the same as z^l_j + Δz
        expected = nudged.total_cost(X, Y) - net.total_cost(X, Y)
        assert result.measured == pytest.approx(expected, rel=1e-9, abs=1e-15)
        assert result.gap == abs(result.measured - result.predicted)


@pytest.mark.parametrize(("sizes", "activation", "cost"), CASES)
def test_a_nudge_against_the_sign_of_delta_lowers_the_cost(sizes, activation, cost):
    net, x, y = case(sizes, activation, cost)
    for l, j in every_neuron(sizes):
        delta = demon(net, x, y, l, j, 0.0).delta
        assert abs(delta) > 1e-6
        dz = -np.sign(delta) * 1e-3
        assert demon(net, x, y, l, j, dz).measured < 0
        assert demon(net, x, y, l, j, -dz).measured > 0


def test_the_demon_does_not_change_the_network():
    net, x, y = case([3, 4, 2], "sigmoid", "quadratic")
    before = [p.copy() for p in net.weights + net.biases]
    demon(net, x, y, 2, 3, 0.5)
    for p, q in zip(net.weights + net.biases, before):
        np.testing.assert_array_equal(p, q)


def test_deltas_shapes_and_values():
    net, x, y = case([3, 4, 3, 2], "sigmoid", "quadratic")
    zs, activations, ds = net.deltas(x, y)
    assert [d.shape for d in ds] == [(4, 1), (3, 1), (2, 1)]
    nabla_b, _ = net.backprop(x, y)
    for d, nb in zip(ds, nabla_b):
        np.testing.assert_allclose(d, nb, rtol=1e-13, atol=1e-16)


@pytest.mark.parametrize(
    ("layer", "j", "dz", "exc", "fragment"),
    [
        (1, 1, 0.01, ValueError, "layer 1 is the input"),
        (5, 1, 0.01, ValueError, "2 ≤ l ≤ L = 4"),
        (3, 0, 0.01, ValueError, "the book counts neurons from 1"),
        (3, 4, 0.01, ValueError, "1 ≤ j ≤ 3"),
        (2, 5, 0.01, ValueError, "1 ≤ j ≤ 4"),
        (2.5, 1, 0.01, TypeError, "integer"),
        (2, 1, float("nan"), ValueError, "finite"),
        (2, 1, "small", TypeError, "numeric"),
    ],
)
def test_demon_rejects_bad_indices_in_book_numbering(layer, j, dz, exc, fragment):
    net, x, y = case([3, 4, 3, 2], "sigmoid", "quadratic")
    with pytest.raises(exc, match=fragment):
        demon(net, x, y, layer, j, dz)


def test_demon_at_a_modified_neuron():
    net, x, y = case([3, 4, 3, 2], "sigmoid", "quadratic")
    net.set_neuron_activation(3, 2, "tanh")
    nabla_b, _ = net.backprop(x, y)
    big, small = demon(net, x, y, 3, 2, 1e-3), demon(net, x, y, 3, 2, 5e-4)
    assert big.delta == pytest.approx(nabla_b[1][1, 0], rel=1e-12)
    assert 3.5 <= big.gap / small.gap <= 4.5

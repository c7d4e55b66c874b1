"""The sum over paths (eq. 53) equals backprop's ∂C/∂w^l_jk, and the paths are counted right."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import activation_names, seeds, sizes_lists

from nndl_backprop import ACTIVATIONS, Network, count_paths, enumerate_paths, path_sum

NETWORKS = [
    ([3, 4, 3, 2], "sigmoid", "quadratic"),
    ([2, 3, 2, 3, 2], "tanh", "quadratic"),
    ([3, 3, 4, 2], "sigmoid", "cross_entropy"),
]


def case(sizes, activation, cost, seed=0):
    rng = np.random.default_rng(seed)
    output = "sigmoid" if cost == "cross_entropy" else None
    net = Network(sizes, activation=activation, cost=cost, seed=rng, output_activation=output)
    return net, rng.uniform(-1, 1, size=sizes[0]), rng.uniform(size=sizes[-1])


@pytest.mark.parametrize(("sizes", "activation", "cost"), NETWORKS)
def test_path_sum_equals_backprop_for_every_weight(sizes, activation, cost):
    net, x, y = case(sizes, activation, cost)
    _, nabla_w = net.backprop(x, y)
    for l in range(2, len(sizes) + 1):
        for j in range(1, sizes[l - 1] + 1):
            for k in range(1, sizes[l - 2] + 1):
                result = path_sum(net, x, y, l, j, k)
                assert (result.layer, result.j, result.k) == (l, j, k)
                assert result.value == pytest.approx(
                    nabla_w[l - 2][j - 1, k - 1], rel=1e-10, abs=1e-15
                ), (l, j, k)
                assert result.n_paths == math.prod(sizes[l:])
    assert np.abs(nabla_w[0]).max() > 1e-4  # not 0 == 0


@given(sizes=sizes_lists(max_layers=4, max_width=3), activation=activation_names, seed=seeds)
def test_path_sum_equals_backprop_on_random_networks(sizes, activation, seed):
    rng = np.random.default_rng(seed)
    net = Network(sizes, activation=activation, seed=rng)
    x, y = rng.uniform(-1, 1, size=sizes[0]), rng.uniform(size=sizes[-1])
    _, nabla_w = net.backprop(x, y)
    l = int(rng.integers(2, len(sizes) + 1))
    for j in range(1, sizes[l - 1] + 1):
        for k in range(1, sizes[l - 2] + 1):
            value = path_sum(net, x, y, l, j, k).value
            assert value == pytest.approx(nabla_w[l - 2][j - 1, k - 1], rel=1e-9, abs=1e-12)


@given(sizes=sizes_lists(max_layers=5, max_width=4), data=st.data())
def test_count_paths_is_the_product_of_later_widths(sizes, data):
    l = data.draw(st.integers(2, len(sizes)))
    expected = 1
    for width in sizes[l:]:  # book layers l + 1 … L
        expected *= width
    assert count_paths(sizes, l) == expected


def test_enumerate_paths_yields_that_many_distinct_paths():
    sizes = [2, 3, 4, 2, 3]
    net, x, y = case(sizes, "sigmoid", "quadratic")
    for l in (2, 3, 4, 5):
        paths = list(enumerate_paths(net, x, y, l, 1, 2))
        assert len(paths) == count_paths(sizes, l) == math.prod(sizes[l:])
        assert len({p.neurons for p in paths}) == len(paths)
        for p in paths:
            assert p.neurons[0] == 1  # every path starts at neuron j of layer l
            assert len(p.neurons) == len(sizes) - l + 1
            assert all(1 <= q <= sizes[l - 1 + i] for i, q in enumerate(p.neurons))
            assert len(p.factors) == len(p.neurons) + 1  # ∂a/∂w, one per edge, ∂C/∂a^L


def test_rate_factors_of_one_path_by_hand():
    """[2, 2, 2], path w^2_12 → a^2_1 → a^3_2 → C (book numbering)."""
    net, x, y = case([2, 2, 2], "sigmoid", "quadratic")
    zs, activations = net.forward(x)
    sp = [ACTIVATIONS["sigmoid"].prime(z)[:, 0] for z in zs]
    paths = {p.neurons: p for p in enumerate_paths(net, x, y, 2, 1, 2)}
    assert set(paths) == {(1, 1), (1, 2)}
    p = paths[(1, 2)]
    # ∂a^2_1/∂w^2_12 = σ'(z^2_1) a^1_2
    assert p.factors[0] == pytest.approx(sp[0][0] * x[1], rel=1e-14)
    # ∂a^3_2/∂a^2_1 = σ'(z^3_2) w^3_21
    assert p.factors[1] == pytest.approx(sp[1][1] * net.w(3, 2, 1), rel=1e-14)
    # ∂C/∂a^3_2 = a^3_2 − y_2 (quadratic cost)
    assert p.factors[2] == pytest.approx(activations[2][1, 0] - y[1], rel=1e-14)
    assert p.rate == pytest.approx(math.prod(p.factors), rel=1e-15)


def test_too_many_paths_is_a_clear_error():
    net = Network([1, 1, 200, 200, 200], seed=0)
    assert count_paths(net.sizes, 2) == 8_000_000
    with pytest.raises(ValueError, match="8,000,000 paths"):
        path_sum(net, [0.5], np.zeros(200), 2, 1, 1)
    with pytest.raises(ValueError, match="use a smaller network"):
        next(enumerate_paths(net, [0.5], np.zeros(200), 2, 1, 1))
    # From the last hidden layer it is only 200 paths per weight: fine.
    assert path_sum(net, [0.5], np.zeros(200), 4, 1, 1).n_paths == 200


@pytest.mark.parametrize(
    ("layer", "j", "k", "fragment"),
    [(1, 1, 1, "layer 1 is the input"), (2, 0, 1, "1 ≤ j ≤ 4"), (2, 1, 4, "1 ≤ k ≤ 3")],
)
def test_path_sum_uses_book_numbering(layer, j, k, fragment):
    net, x, y = case([3, 4, 3, 2], "sigmoid", "quadratic")
    with pytest.raises(ValueError, match=fragment):
        path_sum(net, x, y, layer, j, k)


def test_path_sum_through_a_modified_neuron():
    net, x, y = case([3, 4, 3, 2], "sigmoid", "quadratic")
    net.set_neuron_activation(3, 2, "tanh")
    _, nabla_w = net.backprop(x, y)
    for j in range(1, 5):
        for k in range(1, 4):
            value = path_sum(net, x, y, 2, j, k).value
            assert value == pytest.approx(nabla_w[0][j - 1, k - 1], rel=1e-10, abs=1e-15)


@pytest.mark.parametrize(
    ("sizes", "layer", "exc", "fragment"),
    [
        ([3, 4, 2], 0, ValueError, "2 ≤ l ≤ L = 3"),
        ([3, 4, 2], 1, ValueError, "layer 1 is the input"),
        ([3, 4, 2], 4, ValueError, "2 ≤ l ≤ L = 3"),
        ([3, 4, 2], -1, ValueError, "2 ≤ l ≤ L = 3"),
        ([3, 4, 2], 2.0, TypeError, "integer"),
        ([3, 4, 2], True, TypeError, "integer"),
        ([3, 4, 2], None, TypeError, "integer"),
        ([3, -4, 2], 2, ValueError, r"sizes\[1\] must be a positive integer"),
        ([3, 0, 2], 2, ValueError, r"sizes\[1\]"),
        ([3, 4.5, 2], 2, TypeError, r"sizes\[1\]"),
        ([3], 2, ValueError, "at least two layers"),
        ([], 2, ValueError, "at least two layers"),
        ("342", 2, TypeError, "list of layer widths"),
        (5, 2, TypeError, "list of layer widths"),
    ],
)
def test_count_paths_refuses_what_has_no_paths(sizes, layer, exc, fragment):
    with pytest.raises(exc, match=fragment):
        count_paths(sizes, layer)


def test_count_paths_accepts_numpy_integers_and_tuples():
    assert count_paths(np.array([784, 30, 10]), np.int64(2)) == 10
    assert count_paths((2, 3, 4), 3) == 1  # the output layer: one path, the neuron itself

"""Costs: values worked out by hand, ∇_a C against a difference quotient, BP1's output error,
saturated outputs, the mean over examples (eq. 27), and the registry."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import COST_NAMES, seeds

from nndl_backprop import ACTIVATIONS, COSTS, Activation, Cost, Network, bp1, get_cost


def test_registry_holds_the_two_names():
    assert set(COSTS) == set(COST_NAMES)
    for name in COST_NAMES:
        assert get_cost(name) is COSTS[name]
        assert COSTS[name].name == name
        assert isinstance(COSTS[name], Cost)


def test_quadratic_values_by_hand():
    cost = COSTS["quadratic"]
    # One column: ½ ((0.5 − 1)² + (0.25 − 0)²) = ½ (0.25 + 0.0625) = 0.15625
    assert cost.fn(np.array([[0.5], [0.25]]), np.array([[1.0], [0.0]])) == 0.15625
    # Two columns, costs 0.15625 and ½ (1² + 1²) = 1: the mean is 0.578125
    a = np.array([[0.5, 1.0], [0.25, 0.0]])
    y = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert cost.fn(a, y) == 0.578125
    np.testing.assert_array_equal(cost.grad_a(a, y), a - y)


def test_cross_entropy_values_by_hand():
    cost = COSTS["cross_entropy"]
    # a = ½, y = 1: −ln ½ = ln 2
    assert cost.fn(np.array([[0.5]]), np.array([[1.0]])) == pytest.approx(math.log(2.0), rel=1e-15)
    # a = 0.8, y = 0.3: −(0.3 ln 0.8 + 0.7 ln 0.2)
    expected = -(0.3 * math.log(0.8) + 0.7 * math.log(0.2))
    assert cost.fn(np.array([[0.8]]), np.array([[0.3]])) == pytest.approx(expected, rel=1e-14)
    # It is smallest where a = y (for y strictly inside (0, 1)).
    a = np.linspace(0.01, 0.99, 99).reshape(1, -1)
    per_column = [cost.fn(a[:, i : i + 1], np.array([[0.3]])) for i in range(a.shape[1])]
    assert np.argmin(per_column) == 29  # a = 0.30


@pytest.mark.parametrize("name", COST_NAMES)
@given(seed=seeds, n=st.integers(1, 4))
def test_grad_a_matches_a_difference_quotient(name, seed, n):
    rng = np.random.default_rng(seed)
    cost = COSTS[name]
    a, y = rng.uniform(0.05, 0.95, size=(n, 1)), rng.uniform(size=(n, 1))
    h = 1e-6
    grad = cost.grad_a(a, y)
    assert grad.shape == (n, 1)
    for j in range(n):
        up, down = a.copy(), a.copy()
        up[j] += h
        down[j] -= h
        quotient = (cost.fn(up, y) - cost.fn(down, y)) / (2 * h)
        assert grad[j, 0] == pytest.approx(quotient, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("name", COST_NAMES)
def test_fn_is_the_mean_over_columns(name):
    rng = np.random.default_rng(1)
    cost = COSTS[name]
    a, y = rng.uniform(0.05, 0.95, size=(3, 5)), rng.uniform(size=(3, 5))
    per_example = [cost.fn(a[:, i : i + 1], y[:, i : i + 1]) for i in range(5)]
    assert cost.fn(a, y) == pytest.approx(np.mean(per_example), rel=1e-14)


@pytest.mark.parametrize("name", COST_NAMES)
def test_total_cost_is_eq_27_over_the_network(name):
    rng = np.random.default_rng(2)
    net = Network([3, 4, 2], cost=name, seed=rng)
    X, Y = rng.standard_normal((3, 6)), rng.uniform(size=(2, 6))
    a = net.feedforward(X)
    by_hand = np.mean([COSTS[name].fn(a[:, i : i + 1], Y[:, i : i + 1]) for i in range(6)])
    assert net.total_cost(X, Y) == pytest.approx(by_hand, rel=1e-14)


def _output_layer(net, X):
    """(z^L, a^L) computed here by hand for a two-layer network: z = w x + b, a = σ(z)."""
    z = net.weights[0] @ X + net.biases[0]
    return z, net.layer_activations[-1].fn(z)


def test_quadratic_output_error_is_bp1():
    rng = np.random.default_rng(3)
    X, Y = rng.standard_normal((4, 2)), rng.uniform(size=(4, 2))
    for name in ("sigmoid", "tanh", "linear"):
        net = Network([4, 4], activation=name, seed=3)
        z, a = _output_layer(net, X)
        got = net.deltas(X[:, :1], Y[:, :1])[2][-1]
        want = (a - Y)[:, :1] * ACTIVATIONS[name].prime(z)[:, :1]
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)


def test_cross_entropy_with_sigmoid_output_error_is_a_minus_y():
    """σ'(z) = a(1 − a) cancels the denominator of ∇_a C, leaving δ^L = a − y."""
    rng = np.random.default_rng(4)
    x, y = rng.uniform(-4, 4, size=(3, 1)), rng.uniform(size=(3, 1))
    net = Network([3, 3], cost="cross_entropy", seed=4)
    z, a = _output_layer(net, x)
    np.testing.assert_array_equal(net.deltas(x, y)[2][-1], a - y)
    # The general BP1 form gives the same numbers while nothing saturates.
    cost = COSTS["cross_entropy"]
    sig = ACTIVATIONS["sigmoid"]
    np.testing.assert_allclose(bp1(cost.grad_a(a, y), sig.prime(z)), a - y, rtol=1e-10, atol=1e-14)


def test_cross_entropy_cancellation_is_chosen_by_name_not_identity():
    """An output layer with one modified neuron is not plain sigmoid: BP1 in full, still right."""
    rng = np.random.default_rng(5)
    x, y = rng.uniform(-2, 2, size=(3, 1)), rng.uniform(size=(3, 1))
    net = Network([3, 4, 3], cost="cross_entropy", seed=5)
    net.set_neuron_activation(3, 1, "sigmoid")  # output layer now neuron-wise: general BP1
    assert net.layer_activations[-1].name != "sigmoid"
    zs, acts = net.forward(x)
    got = net.deltas(x, y)[2][-1]
    np.testing.assert_allclose(got, acts[-1] - y, rtol=1e-10, atol=1e-14)
    renamed = Activation("my_sigmoid", ACTIVATIONS["sigmoid"].fn, ACTIVATIONS["sigmoid"].prime)
    with pytest.raises(ValueError, match="output_activation='sigmoid'"):
        Network([3, 4, 3], cost="cross_entropy", seed=5, output_activation=renamed)


def test_cross_entropy_refuses_targets_outside_0_1():
    net = Network([2, 2], cost="cross_entropy", seed=0)
    for bad in ([1.5, 0.0], [-0.1, 1.0]):
        with pytest.raises(ValueError, match=r"targets y in \[0, 1\]"):
            net.backprop([0.1, 0.2], bad)
        with pytest.raises(ValueError, match=r"targets y in \[0, 1\]"):
            net.SGD([(np.ones((2, 1)), np.array(bad).reshape(2, 1))], 1, 1, 1.0, progress=False)


def test_saturated_outputs_give_finite_values_and_no_warning():
    a = np.array([[0.0, 1.0, 1.0 - 1e-17]])
    y = np.array([[1.0, 0.0, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in COST_NAMES:
            c = COSTS[name].fn(a, y)
            g = COSTS[name].grad_a(a, y)
            assert math.isfinite(c)
            assert np.all(np.isfinite(g))
    # Confidently wrong outputs cost a lot under cross-entropy.
    assert COSTS["cross_entropy"].fn(a[:, :1], y[:, :1]) > 100


def test_cross_entropy_network_with_saturated_sigmoid_output_is_finite():
    net = Network([2, 2], cost="cross_entropy", seed=0)
    net.weights[0][:] = [[1e4, 0.0], [-1e4, 0.0]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cost = net.total_cost(np.array([[1.0], [0.0]]), np.array([[0.0], [1.0]]))
        nabla_b, _ = net.backprop(np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    assert math.isfinite(cost) and cost > 100
    np.testing.assert_array_equal(nabla_b[0], [[1.0], [-1.0]])  # δ^L = a − y exactly


def test_get_cost_errors_name_the_choices():
    with pytest.raises(ValueError, match=r"unknown cost 'hinge'; expected one of"):
        get_cost("hinge")
    with pytest.raises(TypeError, match="cost must be a name from"):
        get_cost(None)

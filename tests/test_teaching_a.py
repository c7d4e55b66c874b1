"""The demon's curvature and the activation-nudging demon (notebook 03), against references."""

from __future__ import annotations

import numpy as np
import pytest

from nndl_backprop import Network
from nndl_backprop.activations import sigmoid_prime
from nndl_backprop.demon import activation_nudge, demon, second_derivative


def _net_and_example(seed: int):
    rng = np.random.default_rng(seed)
    net = Network([3, 4, 3, 2], seed=rng)
    return net, rng.random((3, 1)), np.array([[1.0], [0.0]])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_remainder_over_dz_squared_tends_to_half_the_signed_second_derivative(seed):
    net, x, y = _net_and_example(seed)
    for layer, j in ((2, 1), (3, 2), (4, 1)):
        c2 = second_derivative(net, x, y, layer, j)
        r = demon(net, x, y, layer, j, 1e-3)
        assert (r.measured - r.predicted) / 1e-6 == pytest.approx(c2 / 2, rel=1e-2, abs=1e-9)


def test_second_derivative_of_the_output_layer_by_hand():
    # Quadratic cost, sigmoid output: C(z) = ½ Σ (σ(z_k) − y_k)², so for one output neuron
    # C'' = σ'(z)² + (σ(z) − y) σ''(z), with σ'' = σ'(1 − 2σ).
    net, x, y = _net_and_example(3)
    zs, activations = net.forward(x)
    z, a = zs[-1][0, 0], activations[-1][0, 0]
    sp = float(sigmoid_prime(np.array(z)))
    expected = sp**2 + (a - y[0, 0]) * sp * (1 - 2 * a)
    assert second_derivative(net, x, y, 4, 1) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("seed", [0, 1])
def test_activation_demon_measures_dC_da_and_delta_is_sigma_prime_times_it(seed):
    net, x, y = _net_and_example(seed)
    zs, _, ds = net.deltas(x, y)
    h = 1e-6
    for layer in (2, 3, 4):
        w_next_T_delta = None if layer == 4 else net.w(layer + 1).T @ ds[layer - 1]
        for j in range(1, net.sizes[layer - 1] + 1):
            up = activation_nudge(net, x, y, layer, j, h)
            down = activation_nudge(net, x, y, layer, j, -h)
            dC_da = (up - down) / (2 * h)
            if w_next_T_delta is not None:  # ∂C/∂a^l = (w^{l+1})^T δ^{l+1}
                assert dC_da == pytest.approx(w_next_T_delta[j - 1, 0], rel=1e-6, abs=1e-10)
            sp = float(sigmoid_prime(zs[layer - 2][j - 1, 0]))
            assert ds[layer - 2][j - 1, 0] == pytest.approx(sp * dC_da, rel=1e-6, abs=1e-10)


def test_activation_nudge_of_zero_changes_nothing_and_restores_nothing():
    net, x, y = _net_and_example(4)
    before = [w.copy() for w in net.weights]
    assert activation_nudge(net, x, y, 3, 2, 0.0) == 0.0
    for w, w0 in zip(net.weights, before):
        np.testing.assert_array_equal(w, w0)

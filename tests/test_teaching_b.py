"""Notebooks 09–10: multiply-adds counted by hand, the ripple of a nudge (eq. 47–52), and the
path sums regrouped into ∂C/∂a, δ and BP2."""

from __future__ import annotations

import numpy as np
import pytest

from nndl_backprop import Network, path_sum
from nndl_backprop.paths import continuation_sum, path_sums_by_next_neuron
from nndl_backprop.ripple import path_ripple, ripple
from nndl_backprop.timing import PassTiming, multiply_adds, time_passes


def test_multiply_adds_by_hand():
    # [784, 30, 10]: w^2 is 30 × 784 = 23,520, w^3 is 10 × 30 = 300.
    count = multiply_adds([784, 30, 10])
    assert count.forward == 23_520 + 300
    assert count.bp2 == 300  # δ^2 = (w^3)^T δ^3 ⊙ σ'(z^2); w^2 is never needed
    assert count.bp4 == 23_820
    assert count.backprop == 47_940
    # [2, 3, 4, 1]: w^2 6, w^3 12, w^4 4; BP2 uses w^3 and w^4.
    small = multiply_adds([2, 3, 4, 1])
    assert (small.forward, small.bp2, small.bp4) == (22, 16, 22)
    assert 2 <= small.in_forward_passes <= 3
    with pytest.raises(ValueError):
        multiply_adds([5])


def test_time_passes_measures_both_and_estimates_eq_46():
    t = time_passes([6, 5, 4], m=3, repeat=1, min_time=1e-4)
    assert isinstance(t, PassTiming) and t.m == 3
    assert t.forward > 0 and t.backprop > 0
    assert t.n_params == 6 * 5 + 5 + 5 * 4 + 4
    assert t.finite_differences == pytest.approx((t.n_params + 1) * t.forward)
    assert t.ratio == pytest.approx(t.backprop / t.forward)


def case(seed=3):
    net = Network([2, 3, 3, 2], seed=seed)
    rng = np.random.default_rng(seed)
    return net, rng.random((2, 1)), rng.random((2, 1))


@pytest.mark.parametrize("layer, j, k", [(2, 2, 1), (3, 1, 3), (4, 2, 2)])
def test_ripple_matches_first_order_predictions(layer, j, k):
    net, x, y = case()
    before = [w.copy() for w in net.weights]
    dw = 1e-4
    r = ripple(net, x, y, layer, j, k, dw)
    assert all(np.array_equal(a, b) for a, b in zip(before, net.weights))  # restored
    assert [c.layer for c in r.layers] == list(range(layer, 5))
    first = r.layers[0]
    # Only neuron j of layer l moves at first (eq. 48).
    assert np.count_nonzero(first.measured) == 1 and first.measured[j - 1] != 0
    for change in r.layers:
        # second-order remainder: relative error of order Δw
        assert change.measured == pytest.approx(change.first_order, rel=1e-3, abs=1e-15)
    assert r.dC_47 == pytest.approx(r.dC_52, rel=1e-10)
    if layer < 4:  # eq. (49) from the measured Δa^l_j predicts the next layer
        assert r.eq49 == pytest.approx(r.layers[1].measured, rel=1e-3)
    else:
        assert r.eq49 is None
    assert r.dC == pytest.approx(r.dC_47, rel=1e-3)
    assert r.dC_47 / dw == pytest.approx(path_sum(net, x, y, layer, j, k).value, rel=1e-12)


def test_ripple_first_order_error_shrinks_like_dw():
    net, x, y = case()
    errors = []
    for dw in (1e-2, 1e-3):
        r = ripple(net, x, y, 2, 2, 1, dw)
        errors.append(abs(r.dC - r.dC_47) / abs(r.dC_47))
    assert errors[1] < errors[0] / 5  # the remainder is second order in Δw


def test_path_ripple_along_one_path():
    net, x, y = case()
    steps = path_ripple(net, x, y, 2, 2, 1, (2, 3, 1), 1e-4)
    assert [s.name for s in steps] == ["Δa^2_2", "Δa^3_3", "Δa^4_1", "ΔC"]
    for s in steps:
        assert s.measured == pytest.approx(s.first_order, rel=1e-3)
    # the four paths through other neurons sum, with this one, to eq. 53's total
    rates = [
        path_ripple(net, x, y, 2, 2, 1, (2, q, m), 1e-4)[-1].first_order
        for q in (1, 2, 3)
        for m in (1, 2)
    ]
    assert sum(rates) / 1e-4 == pytest.approx(path_sum(net, x, y, 2, 2, 1).value, rel=1e-12)
    with pytest.raises(ValueError, match="not a path"):
        path_ripple(net, x, y, 2, 2, 1, (1, 3, 1), 1e-4)


def test_continuations_give_dC_da_and_sigma_prime_gives_delta():
    net, x, y = case()
    zs, activations, deltas = net.deltas(x, y)
    for layer in (2, 3, 4):
        a = activations[layer - 1][:, 0]
        for j in range(1, net.sizes[layer - 1] + 1):
            dC_da = continuation_sum(net, x, y, layer, j)
            sp = a[j - 1] * (1 - a[j - 1])  # σ' of the sigmoid
            assert sp * dC_da == pytest.approx(deltas[layer - 2][j - 1, 0], rel=1e-12)
            assert dC_da != pytest.approx(deltas[layer - 2][j - 1, 0], rel=1e-3)


def test_paths_grouped_by_next_neuron_are_the_terms_of_bp2():
    net, x, y = case()
    zs, activations, deltas = net.deltas(x, y)
    layer, j, k = 2, 2, 1
    groups = path_sums_by_next_neuron(net, x, y, layer, j, k)
    a_prev, a = activations[0][k - 1, 0], activations[1][j - 1, 0]
    sp = a * (1 - a)
    for q, group in enumerate(groups, start=1):
        term = sp * a_prev * net.w(3, q, j) * deltas[1][q - 1, 0]
        assert group == pytest.approx(term, rel=1e-12)
    assert sum(groups) == pytest.approx(path_sum(net, x, y, layer, j, k).value, rel=1e-12)
    with pytest.raises(ValueError, match="output layer"):
        path_sums_by_next_neuron(net, x, y, 4, 1, 1)


def test_one_significant_figure():
    from nndl_backprop.timing import one_significant

    assert one_significant(27_800.5) == 30_000
    assert one_significant(0.0123) == 0.01
    assert one_significant(7.7) == 8

"""BP1–BP4 against their componentwise definitions, and the Σ'(z) forms (33)–(35).

References: explicit loops over j and k written from the book's componentwise equations, and
backprop's own bias gradient (BP3 says ∂C/∂b^l = δ^l for one example).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import ACTIVATION_NAMES, seeds

from nndl_backprop import (
    ACTIVATIONS,
    Network,
    bp1,
    bp1_matrix,
    bp2,
    bp2_matrix,
    bp3,
    bp4,
    delta_product,
    sigma_prime_matrix,
)

widths = st.integers(min_value=1, max_value=6)


@given(n=widths, m=st.integers(min_value=1, max_value=4), seed=seeds)
def test_bp1_is_componentwise(n, m, seed):
    rng = np.random.default_rng(seed)
    grad_a, sp = rng.standard_normal((n, m)), rng.uniform(size=(n, m))
    got = bp1(grad_a, sp)
    assert got.shape == (n, m)
    for j in range(n):
        for c in range(m):
            assert got[j, c] == grad_a[j, c] * sp[j, c]  # δ^L_j = ∂C/∂a^L_j σ'(z^L_j)


@given(n=widths, n_next=widths, m=st.integers(min_value=1, max_value=4), seed=seeds)
def test_bp2_is_componentwise(n, n_next, m, seed):
    rng = np.random.default_rng(seed)
    w_next = rng.standard_normal((n_next, n))  # w^{l+1}: (n_{l+1}, n_l)
    delta_next = rng.standard_normal((n_next, m))
    sp = rng.uniform(size=(n, m))
    got = bp2(w_next, delta_next, sp)
    assert got.shape == (n, m)
    for j in range(n):
        for c in range(m):
            # δ^l_j = Σ_k w^{l+1}_kj δ^{l+1}_k σ'(z^l_j)
            expected = sum(w_next[k, j] * delta_next[k, c] for k in range(n_next)) * sp[j, c]
            assert got[j, c] == pytest.approx(expected, rel=1e-12, abs=1e-14)


@given(n=widths, n_prev=widths, m=st.integers(min_value=1, max_value=4), seed=seeds)
def test_bp3_and_bp4_average_over_columns(n, n_prev, m, seed):
    rng = np.random.default_rng(seed)
    delta, a_prev = rng.standard_normal((n, m)), rng.standard_normal((n_prev, m))
    nabla_b, nabla_w = bp3(delta), bp4(delta, a_prev)
    assert nabla_b.shape == (n, 1)
    assert nabla_w.shape == (n, n_prev)
    for j in range(n):
        # ∂C/∂b^l_j = δ^l_j, averaged over the columns
        assert nabla_b[j, 0] == pytest.approx(np.mean(delta[j]), rel=1e-12, abs=1e-14)
        for k in range(n_prev):
            # ∂C/∂w^l_jk = a^{l-1}_k δ^l_j, averaged over the columns
            expected = sum(a_prev[k, c] * delta[j, c] for c in range(m)) / m
            assert nabla_w[j, k] == pytest.approx(expected, rel=1e-12, abs=1e-14)


def test_bp4_for_one_example_is_the_outer_product():
    delta, a_prev = np.array([[1.0], [-2.0]]), np.array([[3.0], [0.5], [4.0]])
    np.testing.assert_array_equal(bp4(delta, a_prev), [[3.0, 0.5, 4.0], [-6.0, -1.0, -8.0]])
    np.testing.assert_array_equal(bp3(delta), delta)


# ----- the Σ'(z) forms ----------------------------------------------------------------------
def test_sigma_prime_matrix_is_diagonal():
    sp = np.array([[0.25], [0.1], [0.5]])
    np.testing.assert_array_equal(sigma_prime_matrix(sp), np.diag([0.25, 0.1, 0.5]))


@given(n=widths, n_next=widths, seed=seeds)
def test_matrix_forms_equal_hadamard_forms(n, n_next, seed):
    rng = np.random.default_rng(seed)
    grad_a, sp = rng.standard_normal((n, 1)), rng.uniform(size=(n, 1))
    np.testing.assert_allclose(bp1_matrix(grad_a, sp), bp1(grad_a, sp), rtol=1e-14, atol=1e-15)
    w_next, delta_next = rng.standard_normal((n_next, n)), rng.standard_normal((n_next, 1))
    np.testing.assert_allclose(
        bp2_matrix(w_next, delta_next, sp), bp2(w_next, delta_next, sp), rtol=1e-12, atol=1e-14
    )


@pytest.mark.parametrize("sizes", [[3, 4, 2], [2, 5, 3, 4], [4, 3, 3, 3, 2]])
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_delta_product_equals_backprops_deltas_for_every_layer(sizes, activation):
    rng = np.random.default_rng(8)
    net = Network(sizes, activation=activation, seed=rng)
    if activation == "relu":
        for b in net.biases:
            b += 1.0
    x, y = rng.standard_normal((sizes[0], 1)), rng.uniform(size=(sizes[-1], 1))
    zs, activations = net.forward(x)
    prime = ACTIVATIONS[activation].prime
    sigma_primes = [prime(z) for z in zs]  # σ'(z^l), (n_l, 1) for l = 2 … L
    nabla_a_C = activations[-1] - y  # quadratic cost
    nabla_b, _ = net.backprop(x, y)  # BP3: ∂C/∂b^l = δ^l
    _, _, ds = net.deltas(x, y)
    for l in range(2, net.L + 1):
        delta = delta_product(net.weights, sigma_primes, nabla_a_C, l)  # (35)
        assert delta.shape == (sizes[l - 1], 1)
        np.testing.assert_allclose(delta, nabla_b[l - 2], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(delta, ds[l - 2], rtol=1e-12, atol=1e-14)
    assert np.abs(nabla_b[0]).max() > 1e-4  # not 0 == 0


# ----- the public entry points refuse what would broadcast or index silently ---------------
col3, col4, row3 = np.ones((3, 1)), np.ones((4, 1)), np.ones(3)
W43 = np.ones((4, 3))  # w^{l+1} with n_{l+1} = 4, n_l = 3

BAD_CALLS = [
    ("bp1 1-D vs column", lambda: bp1(row3, col3), ValueError, r"2-D array .* got shape \(3,\)"),
    ("bp1 column vs 1-D", lambda: bp1(col3, row3), ValueError, r"sigma_prime_zL .*\(3,\)"),
    ("bp1 two lengths", lambda: bp1(col3, col4), ValueError, r"\(4, 1\) but should be \(3, 1\)"),
    ("bp1 (3,1) vs (3,2)", lambda: bp1(col3, np.ones((3, 2))), ValueError, "never broadcast"),
    ("bp1 scalar", lambda: bp1(2.0, col3), ValueError, "2-D"),
    ("bp1 3-D", lambda: bp1(np.ones((3, 1, 1)), col3), ValueError, "2-D"),
    ("bp1 strings", lambda: bp1("ab", col3), TypeError, "numeric"),
    ("bp1 NaN list", lambda: bp1([[np.nan]], [[1.0]]), ValueError, "finite"),
    ("bp2 1-D delta", lambda: bp2(W43, np.ones(4), col3), ValueError, "delta_next"),
    ("bp2 delta rows", lambda: bp2(W43, col3, col3), ValueError, r"\(4, m\)"),
    ("bp2 sp rows", lambda: bp2(W43, col4, col4), ValueError, r"sigma_prime_z .* \(3, 1\)"),
    ("bp2 sp 1-D", lambda: bp2(W43, col4, row3), ValueError, "sigma_prime_z"),
    ("bp2 sp columns", lambda: bp2(W43, col4, np.ones((3, 2))), ValueError, r"\(3, 1\)"),
    ("bp2 w 1-D", lambda: bp2(np.ones(4), col4, col3), ValueError, "w_next"),
    ("bp2 w transposed", lambda: bp2(W43.T, col4, col3), ValueError, r"\(3, m\)"),
    ("bp3 1-D", lambda: bp3(row3), ValueError, "delta"),
    ("bp3 no columns", lambda: bp3(np.ones((3, 0))), ValueError, "m ≥ 1"),
    ("bp4 1-D a", lambda: bp4(col4, row3), ValueError, "a_prev"),
    (
        "bp4 m differs",
        lambda: bp4(np.ones((4, 2)), np.ones((3, 5))),
        ValueError,
        r"\(n_\(l-1\), 2\)",
    ),
    ("bp4 no columns", lambda: bp4(np.ones((4, 0)), np.ones((3, 0))), ValueError, "m ≥ 1"),
    ("Σ' of 1-D", lambda: sigma_prime_matrix(row3), ValueError, "2-D"),
    ("Σ' of a matrix", lambda: sigma_prime_matrix(np.ones((3, 2))), ValueError, r"column \(n, 1\)"),
    ("(33) 1-D", lambda: bp1_matrix(row3, col3), ValueError, "2-D"),
    ("(33) two lengths", lambda: bp1_matrix(col3, col4), ValueError, r"should be \(3, 1\)"),
    ("(34) batch", lambda: bp2_matrix(W43, np.ones((4, 2)), np.ones((3, 2))), ValueError, "column"),
    ("(34) sp rows", lambda: bp2_matrix(W43, col4, col4), ValueError, "sigma_prime_z"),
]


@pytest.mark.parametrize(
    ("call", "exc", "fragment"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
def test_equations_refuse_shapes_that_would_broadcast(call, exc, fragment):
    with pytest.raises(exc, match=fragment):
        call()


def _product_case():
    rng = np.random.default_rng(9)
    sizes = [3, 4, 2]
    weights = [rng.standard_normal((o, i)) for i, o in zip(sizes[:-1], sizes[1:])]
    sps = [rng.uniform(size=(o, 1)) for o in sizes[1:]]
    return weights, sps, rng.standard_normal((2, 1))


@pytest.mark.parametrize(
    ("layer", "exc"),
    [(7, ValueError), (4, ValueError), (1, ValueError), (0, ValueError), (-1, ValueError)]
    + [(2.5, TypeError), (True, TypeError), ("2", TypeError), (None, TypeError)],
)
def test_delta_product_refuses_a_layer_outside_2_to_L(layer, exc):
    weights, sps, grad = _product_case()
    with pytest.raises(exc, match="2 ≤ l ≤"):
        delta_product(weights, sps, grad, layer)


def test_delta_product_refuses_mismatched_lists():
    weights, sps, grad = _product_case()
    with pytest.raises(ValueError, match="one entry per layer"):
        delta_product(weights, sps[:1], grad, 2)
    with pytest.raises(ValueError, match="one entry per layer"):
        delta_product([], [], grad, 2)
    with pytest.raises(TypeError, match="lists of arrays"):
        delta_product(weights[0], sps, grad, 2)
    with pytest.raises(ValueError, match="sigma_prime_z"):
        delta_product(weights, [sps[1], sps[0]], grad, 2)
    with pytest.raises(ValueError, match="2-D"):
        delta_product(weights, sps, grad.ravel(), 3)


def test_lists_of_numbers_are_still_accepted():
    assert bp1([[1.0], [2.0]], [[3.0], [4.0]]).tolist() == [[3.0], [8.0]]
    assert bp3([[1.0, 3.0]]).tolist() == [[2.0]]

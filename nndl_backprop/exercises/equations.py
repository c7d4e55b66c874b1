"""Exercises for notebook 06: BP1 and BP2 in code, and their Σ'(z) form (eq. 33–35).

Each ``check_*`` takes the student's function, runs it on seeded random cases and returns a
:class:`CheckResult` that says in words what is right or wrong.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid_prime
from ..equations import bp1, bp2, delta_product, sigma_prime_matrix
from ._check import CheckResult, Mistake, as_array, call, compare, run_checker

N_CASES = 5


def random_widths(seed: int):
    """Seeded (rng, n, n_other) triples of two different widths, so a wrong transpose shows."""
    rng = np.random.default_rng(seed)
    for _ in range(N_CASES):
        n, n_next = rng.choice(np.arange(2, 7), size=2, replace=False)
        yield rng, int(n), int(n_next)


def check_bp1(my_bp1) -> CheckResult:
    """my_bp1(nabla_a_C, sigma_prime_zL) -> δ^L, all (n_L, 1): (BP1) δ^L = ∇_a C ⊙ σ'(z^L)."""

    def cases():
        for rng, n, _ in random_widths(1):
            grad, sp = rng.standard_normal((n, 1)), sigmoid_prime(rng.standard_normal((n, 1)))
            got = as_array(call(my_bp1, grad, sp, what="my_bp1"), "δ^L")
            if got.shape != (n, 1) and (got.size == 1 or got.shape == (n, n)):
                raise Mistake(
                    f"δ^L has shape {got.shape} but should be a column ({n}, 1): BP1 uses ⊙, "
                    "the elementwise product (`*` in numpy), not a matrix or dot product."
                )
            compare(
                got,
                bp1(grad, sp),
                "δ^L",
                {
                    "this is ∇_a C alone: multiply it by σ'(z^L) (the rate the neuron's "
                    "output changes with its weighted input).": grad,
                    "this is σ'(z^L) alone: multiply it by ∇_a C.": sp,
                },
            )

    return run_checker(
        "BP1", my_bp1, cases, "δ^L = ∇_a C ⊙ σ'(z^L) on every random case (shape (n_L, 1))."
    )


def check_bp2(my_bp2) -> CheckResult:
    """my_bp2(w_next, delta_next, sigma_prime_z) -> δ^l: (BP2) ((w^{l+1})^T δ^{l+1}) ⊙ σ'(z^l)."""

    def cases():
        for rng, n, n_next in random_widths(2):
            w = rng.standard_normal((n_next, n))
            d = rng.standard_normal((n_next, 1))
            sp = sigmoid_prime(rng.standard_normal((n, 1)))
            got = call(my_bp2, w, d, sp, what="my_bp2")
            compare(
                got,
                bp2(w, d, sp),
                "δ^l",
                {
                    "σ'(z^l) is missing: after (w^{l+1})^T δ^{l+1}, multiply elementwise "
                    "by σ'(z^l).": w.T @ d,
                },
            )

    def square_case():  # a square w^{l+1} hides a missing transpose from the shape check
        rng = np.random.default_rng(22)
        w, d = rng.standard_normal((4, 4)), rng.standard_normal((4, 1))
        sp = sigmoid_prime(rng.standard_normal((4, 1)))
        compare(
            call(my_bp2, w, d, sp, what="my_bp2"),
            bp2(w, d, sp),
            "δ^l",
            {
                "you used w^{l+1} where BP2 needs its transpose (w^{l+1})^T: the error "
                "travels BACK along each weight.": (w @ d) * sp
            },
        )

    def all_cases():
        try:
            cases()
        except Mistake as m:
            if "shape" in m.message + m.hint:
                raise Mistake(
                    m.message + " BP2 needs (w^{l+1})^T δ^{l+1}: did you forget the transpose?",
                    m.hint,
                ) from None
            raise
        square_case()

    return run_checker(
        "BP2", my_bp2, all_cases, "δ^l = ((w^{l+1})^T δ^{l+1}) ⊙ σ'(z^l) on every random case."
    )


def check_sigma_prime_matrix(my_sigma_prime_matrix) -> CheckResult:
    """my_sigma_prime_matrix(sp) -> Σ'(z): (n, n) with σ'(z_j) on the diagonal, 0 elsewhere."""

    def cases():
        for rng, n, _ in random_widths(3):
            sp = sigmoid_prime(rng.standard_normal((n, 1)))
            got = as_array(call(my_sigma_prime_matrix, sp, what="my_sigma_prime_matrix"), "Σ'(z)")
            want = sigma_prime_matrix(sp)
            if got.shape == (n, 1) or got.shape == (n,):
                raise Mistake(
                    f"Σ'(z) should be a square ({n}, {n}) matrix, got shape {got.shape}: put the "
                    "σ'(z_j) on the diagonal (np.diagflat)."
                )
            compare(
                got,
                want,
                "Σ'(z)",
                {
                    "the off-diagonal entries must be 0; Σ'(z) is diagonal, not every row "
                    "a copy of σ'(z).": np.tile(sp.T, (n, 1)),
                    "the off-diagonal entries must be 0; Σ'(z) is diagonal, not the outer "
                    "product σ'(z) σ'(z)^T.": sp @ sp.T,
                },
            )

    return run_checker(
        "Σ'(z)", my_sigma_prime_matrix, cases, "a square diagonal matrix holding σ'(z_j)."
    )


def check_delta_product(my_delta_product) -> CheckResult:
    """my_delta_product(weights, sigma_primes, nabla_a_C, layer) -> δ^l by eq. (35)."""

    def cases():
        rng = np.random.default_rng(4)
        for _ in range(N_CASES):
            sizes = [int(s) for s in rng.integers(2, 6, size=int(rng.integers(3, 5)))]
            weights = [rng.standard_normal((o, i)) for i, o in zip(sizes[:-1], sizes[1:])]
            sps = [sigmoid_prime(rng.standard_normal((o, 1))) for o in sizes[1:]]
            grad = rng.standard_normal((sizes[-1], 1))
            for layer in range(2, len(sizes) + 1):
                got = call(
                    my_delta_product,
                    weights,
                    sps,
                    grad,
                    layer,
                    what=f"my_delta_product(…, layer={layer})",
                )
                compare(got, delta_product(weights, sps, grad, layer), f"δ^{layer} (eq. 35)")

    return run_checker(
        "δ^l as one product (eq. 35)",
        my_delta_product,
        cases,
        "Σ'(z^l)(w^{l+1})^T ⋯ Σ'(z^L) ∇_a C for every layer l of every random network.",
    )

"""Exercises for notebook 06: the proofs of BP3 and BP4, one chain-rule step at a time.

Each ``check_*`` takes the student's function, runs it on seeded random cases and returns a
:class:`CheckResult` that says in words what is right or wrong.
"""

from __future__ import annotations

import numpy as np

from ._check import (
    CheckResult,
    Mistake,
    as_array,
    as_number,
    call,
    compare,
    compare_number,
    run_checker,
)
from .equations import random_widths


def check_dz_db(my_dz_db) -> CheckResult:
    """my_dz_db(i, j) -> ∂z^l_i / ∂b^l_j (book numbering): the key step in the proof of BP3."""

    def cases():
        for i in range(1, 4):
            for j in range(1, 4):
                got = as_number(call(my_dz_db, i, j, what=f"my_dz_db({i}, {j})"), f"∂z_{i}/∂b_{j}")
                want = 1.0 if i == j else 0.0
                if i != j and np.isclose(got, 1.0):
                    raise Mistake(
                        f"∂z_{i}/∂b_{j} should be 0: z^l_{i} = Σ_k w^l_{i}k a^(l-1)_k + b^l_{i} "
                        f"contains b^l_{i} only, not b^l_{j}."
                    )
                compare_number(got, want, f"∂z_{i}/∂b_{j}")

    return run_checker(
        "proof of BP3: ∂z/∂b",
        my_dz_db,
        cases,
        "∂z^l_i/∂b^l_j is 1 when i = j and 0 otherwise, so the chain rule "
        "∂C/∂b^l_j = Σ_i δ^l_i ∂z^l_i/∂b^l_j leaves just δ^l_j: BP3.",
    )


def check_dz_dw(my_dz_dw) -> CheckResult:
    """my_dz_dw(a_prev, i, j, k) -> ∂z^l_i / ∂w^l_jk (book numbering): the proof of BP4."""

    def cases():
        a_prev = np.array([[0.2], [0.7], [0.45], [0.9]])  # a^{l-1}, (4, 1), distinct entries
        for i in range(1, 4):
            for j in range(1, 4):
                for k in range(1, 5):
                    got = call(my_dz_dw, a_prev, i, j, k, what=f"my_dz_dw(a_prev, {i}, {j}, {k})")
                    got = as_array(got, f"∂z_{i}/∂w_{j}{k}")
                    if got.size != 1:
                        raise Mistake(
                            f"∂z_{i}/∂w_{j}{k} should be one number, got shape {got.shape}"
                        )
                    want = float(a_prev[k - 1, 0]) if i == j else 0.0
                    wrong = {}
                    if k <= 3 and i == j:
                        wrong[
                            "the weight w^l_jk multiplies a^(l-1)_k, the activation of the "
                            "INPUT neuron k; you used index j."
                        ] = float(a_prev[j - 1, 0])
                    if i == j and k <= 3:
                        wrong[
                            "off by one: the book counts neurons from 1, so a^(l-1)_k is "
                            "a_prev[k - 1]."
                        ] = float(a_prev[k % 4, 0])
                    if i != j:
                        wrong[
                            f"z^l_{i} does not contain w^l_{j}{k} when i ≠ j, so the "
                            "derivative is 0."
                        ] = float(a_prev[k - 1, 0])
                    compare_number(got.item(), want, f"∂z_{i}/∂w_{j}{k}", wrong)

    return run_checker(
        "proof of BP4: ∂z/∂w",
        my_dz_dw,
        cases,
        "∂z^l_i/∂w^l_jk is a^(l-1)_k when i = j and 0 otherwise, so "
        "∂C/∂w^l_jk = Σ_i δ^l_i ∂z^l_i/∂w^l_jk = a^(l-1)_k δ^l_j: BP4.",
    )


def check_bp3(my_bp3) -> CheckResult:
    """my_bp3(delta) -> ∂C/∂b^l for one example: (BP3) ∂C/∂b^l_j = δ^l_j; shape (n_l, 1)."""

    def cases():
        for rng, n, _ in random_widths(5):
            delta = rng.standard_normal((n, 1))
            compare(call(my_bp3, delta, what="my_bp3"), delta, "∂C/∂b^l")

    return run_checker("BP3", my_bp3, cases, "∂C/∂b^l = δ^l, one entry per neuron.")


def check_bp4(my_bp4) -> CheckResult:
    """my_bp4(delta, a_prev) -> ∂C/∂w^l (n_l, n_{l-1}): (BP4) ∂C/∂w^l_jk = a^{l-1}_k δ^l_j."""

    def cases():
        for rng, n, n_prev in random_widths(6):
            delta = rng.standard_normal((n, 1))
            a_prev = rng.random((n_prev, 1))
            got = call(my_bp4, delta, a_prev, what="my_bp4")
            arr = as_array(got, "∂C/∂w^l")
            if arr.shape == (n_prev, n):
                raise Mistake(
                    f"∂C/∂w^l has shape {arr.shape}, the transpose of w^l's {(n, n_prev)}: "
                    "row j belongs to the output neuron j, so compute δ^l (a^(l-1))^T, "
                    "not a^(l-1) (δ^l)^T."
                )
            if arr.size == 1:
                raise Mistake(
                    "∂C/∂w^l is a single number: BP4 needs the OUTER product δ^l (a^(l-1))^T "
                    f"of shape {(n, n_prev)}, not the inner (dot) product."
                )
            compare(arr, delta @ a_prev.T, "∂C/∂w^l")

    return run_checker(
        "BP4", my_bp4, cases, "∂C/∂w^l = δ^l (a^(l-1))^T, the shape of w^l (n_l, n_{l-1})."
    )

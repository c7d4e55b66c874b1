"""Exercises for notebook 10: rate factors along an edge, and how many paths there are."""

from __future__ import annotations

import math

import numpy as np

from ..activations import sigmoid_prime
from ..network import Network
from ..paths import count_paths
from ._check import CheckResult, Mistake, as_number, call, compare_number, run_checker


def check_rate_factor(my_rate_factor) -> CheckResult:
    """my_rate_factor(net, x, p, q, r) -> ∂a^{p+1}_r / ∂a^p_q = σ'(z^{p+1}_r) w^{p+1}_rq.

    Book numbering: p is the layer of the edge's start (1 ≤ p ≤ L − 1), q and r count from 1.
    """

    def cases():
        rng = np.random.default_rng(40)
        net = Network([3, 4, 4, 2], seed=rng)
        x = rng.random((3, 1))
        zs, activations = net.forward(x)
        for p in range(1, net.num_layers):
            for q in range(1, net.sizes[p - 1] + 1):
                for r in range(1, net.sizes[p] + 1):
                    got = call(my_rate_factor, net, x, p, q, r, what="my_rate_factor")
                    w = net.weights[p - 1]
                    sp_next = float(sigmoid_prime(zs[p - 1][r - 1, 0]))
                    want = sp_next * float(w[r - 1, q - 1])
                    wrong = {
                        "σ' is missing: a^(p+1)_r = σ(z^(p+1)_r), so the rate is "
                        "σ'(z^(p+1)_r) w^(p+1)_rq.": float(w[r - 1, q - 1]),
                    }
                    if q <= w.shape[0] and r <= w.shape[1]:
                        wrong[
                            "the weight's indices are swapped: the edge from neuron q to "
                            "neuron r carries w^(p+1)_rq (row r, column q)."
                        ] = sp_next * float(w[q - 1, r - 1])
                    if p >= 2:
                        wrong[
                            "σ' is taken at the wrong neuron: use z^(p+1)_r of the neuron the "
                            "edge arrives at, not z^p_q of the one it leaves."
                        ] = float(sigmoid_prime(zs[p - 2][q - 1, 0])) * float(w[r - 1, q - 1])
                    compare_number(got, want, f"∂a^{p + 1}_{r}/∂a^{p}_{q}", wrong)

    return run_checker(
        "rate factor of an edge",
        my_rate_factor,
        cases,
        "∂a^(p+1)_r/∂a^p_q = σ'(z^(p+1)_r) w^(p+1)_rq on every edge of a [3, 4, 4, 2] network.",
    )


def check_count_paths(my_count_paths) -> CheckResult:
    """my_count_paths(sizes, l) -> how many paths lead from a weight w^l_jk to the cost."""

    def cases():
        for sizes in ([2, 3, 2], [4, 5, 3, 2], [3, 2, 4, 4, 3], [784, 30, 10]):
            for layer in range(2, len(sizes) + 1):
                got = call(my_count_paths, list(sizes), layer, what="my_count_paths")
                want = count_paths(sizes, layer)
                got = as_number(got, "the number of paths")
                if not isinstance(got, int) and not got.is_integer():
                    raise Mistake(f"a number of paths must be a whole number, got {got!r}")
                wrong = {
                    f"that counts layer {layer} too; the path starts at the one neuron j that "
                    "w^l_jk feeds, so multiply the widths of layers l+1 … L only.": math.prod(
                        sizes[layer - 1 :]
                    ),
                    "the widths are added; each choice of neuron in one layer combines with "
                    "every choice in the next, so multiply them.": sum(sizes[layer:]),
                }
                if layer < len(sizes):
                    wrong[
                        "the output layer is missing: the path also chooses the output neuron m "
                        "(the ∂C/∂a^L_m factor)."
                    ] = math.prod(sizes[layer:-1])
                compare_number(got, want, f"the paths from w^{layer}_jk in {sizes}", wrong)

    return run_checker(
        "how many paths",
        my_count_paths,
        cases,
        "n_(l+1) × … × n_L paths: one free choice of neuron in every later layer.",
    )

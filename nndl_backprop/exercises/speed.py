"""Exercises for notebook 09: counting the forward passes that eq. (46) needs."""

from __future__ import annotations

from ._check import CheckResult, call, compare_number, run_checker

SIZES_CASES = ([2, 3, 1], [784, 30, 10], [5, 4, 4, 3], [10, 1], [64, 100, 50, 10])


def check_forward_passes(my_forward_passes) -> CheckResult:
    """my_forward_passes(sizes) -> forward passes eq. (46) needs for one gradient: P + 1."""

    def cases():
        for sizes in SIZES_CASES:
            weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
            biases = sum(sizes[1:])
            P = weights + biases
            got = call(my_forward_passes, list(sizes), what=f"my_forward_passes({sizes})")
            compare_number(
                got,
                P + 1,
                f"the passes for {sizes}",
                {
                    f"that is P = {P}, one pass per parameter; eq. (46) also needs C(w) itself "
                    "once, so add 1.": P,
                    "the biases are missing: eq. (46) nudges every bias too "
                    f"({biases} of them).": weights + 1,
                    "only the weights are counted, and C(w) is missing too.": weights,
                    "the input layer has no biases: count n_l biases for l = 2 … L only.": P
                    + sizes[0]
                    + 1,
                    "that is the central difference, two passes per parameter; eq. (46) is "
                    "the forward difference, one per parameter plus one.": 2 * P,
                },
            )

    return run_checker(
        "forward passes of eq. (46)",
        my_forward_passes,
        cases,
        "P + 1 passes: one per weight and bias, plus one for C(w); backprop needs one forward "
        "and one backward pass, whatever P is.",
    )

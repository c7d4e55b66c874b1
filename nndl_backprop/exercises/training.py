"""Exercises for notebook 11: measuring a trained network."""

from __future__ import annotations

import numpy as np

from ..network import Network
from ._check import CheckResult, call, compare_number, run_checker


def check_accuracy(my_accuracy) -> CheckResult:
    """my_accuracy(net, test_data) -> the fraction in [0, 1] of (x, label) pairs classified right.

    The network's answer is the index of its most active output neuron, argmax of a^L.
    """

    def cases():
        rng = np.random.default_rng(50)
        for n in (7, 20):
            net = Network([4, 5, 3], seed=rng)
            test_data = [(rng.random((4, 1)), int(rng.integers(3))) for _ in range(n)]
            guesses = [int(np.argmax(net.feedforward(x))) for x, _ in test_data]
            correct = sum(g == label for g, (_, label) in zip(guesses, test_data))
            argmin = sum(int(np.argmin(net.feedforward(x))) == y for x, y in test_data)
            got = call(my_accuracy, net, test_data, what="my_accuracy")
            compare_number(
                got,
                correct / n,
                f"the accuracy on {n} examples",
                {
                    f"that is the number right ({correct}); divide by the number of examples "
                    f"({n}) for a fraction.": correct,
                    "that is the percentage; return a fraction between 0 and 1.": 100 * correct / n,
                    "the network's answer is the MOST active output neuron, np.argmax.": argmin / n,
                    "that is the fraction WRONG; count the matches instead.": 1 - correct / n,
                },
            )

    return run_checker(
        "accuracy",
        my_accuracy,
        cases,
        "the fraction of test examples whose label is argmax of the network's output.",
    )

"""Exercises for notebook 08: the fully matrix-based mini-batch (the chapter's problem)."""

from __future__ import annotations

import numpy as np

from ..network import Network
from ._check import CheckResult, Mistake, call, compare_gradients, gradient_pair, run_checker

BATCH_CASES = (([3, 4, 2], 5), ([2, 5, 3, 2], 7), ([4, 3, 3], 1), ([3, 3, 3], 3))


def _batch(sizes: list[int], m: int, seed: int):
    """A seeded network and a mini-batch X (n_in, m), Y (n_out, m)."""
    rng = np.random.default_rng(seed)
    net = Network(sizes, seed=rng)
    return net, rng.random((sizes[0], m)), rng.random((sizes[-1], m))


def _unreduced(net, X, Y):
    """The answers that sums instead of means would give."""
    nabla_b, nabla_w = net.backprop_batch(X, Y)
    m = X.shape[1]
    return {
        "summed over the mini-batch instead of averaged: divide ∂C/∂b and ∂C/∂w by m "
        "(C is the MEAN cost over the batch).": (
            [m * nb for nb in nabla_b],
            [m * nw for nw in nabla_w],
        ),
        "the weights are averaged but the biases are summed: BP3 also needs the mean over "
        "the m columns.": ([m * nb for nb in nabla_b], nabla_w),
        "the biases are averaged but the weights are summed: Δ^l (A^(l-1))^T adds up the m "
        "examples, so divide it by m.": (nabla_b, [m * nw for nw in nabla_w]),
    }


def check_backprop_batch(my_backprop_batch) -> CheckResult:
    """my_backprop_batch(net, X, Y) -> (nabla_b, nabla_w) of the MEAN cost over the m columns.

    X: (n_in, m), Y: (n_out, m); nabla_b[i] (n_l, 1) and nabla_w[i] (n_l, n_{l-1}) as in
    ``net.backprop``. Sigmoid network, quadratic cost.
    """

    def cases():
        for seed, (sizes, m) in enumerate(BATCH_CASES):
            net, X, Y = _batch(sizes, m, 20 + seed)
            got = call(my_backprop_batch, net, X, Y, what="my_backprop_batch")
            nabla_b, _ = gradient_pair(got, net, f"network {sizes}, m = {m}")
            for i, nb in enumerate(nabla_b):
                if np.shape(nb) == (sizes[i + 1], m) and m > 1:
                    raise Mistake(
                        f"nabla_b[{i}] has shape {(sizes[i + 1], m)}, one column per example: "
                        "average Δ^l over its columns (axis=1, keepdims=True) to get "
                        f"({sizes[i + 1]}, 1)."
                    )
            compare_gradients(
                got,
                net.backprop_batch(X, Y),
                net,
                f"network {sizes}, m = {m}",
                _unreduced(net, X, Y),
            )

    return run_checker(
        "matrix-based mini-batch",
        my_backprop_batch,
        cases,
        "the mean gradient over each mini-batch, m = 1 included, from whole-matrix products.",
    )


def check_update_mini_batch(my_update) -> CheckResult:
    """my_update(net, X, Y, eta) changes net in place: w → w − η ∇C, b → b − η ∇C (mean ∇C)."""

    def cases():
        for seed, (sizes, m) in enumerate(BATCH_CASES):
            net, X, Y = _batch(sizes, m, 30 + seed)
            before_w = [w.copy() for w in net.weights]
            before_b = [b.copy() for b in net.biases]
            nabla_b, nabla_w = net.backprop_batch(X, Y)
            eta = 0.5
            call(my_update, net, X, Y, eta, what="my_update", allow_none=True, changes=(0,))
            got = (net.biases, net.weights)
            want = (
                [b - eta * nb for b, nb in zip(before_b, nabla_b)],
                [w - eta * nw for w, nw in zip(before_w, nabla_w)],
            )
            if all(np.array_equal(w, w0) for w, w0 in zip(net.weights, before_w)):
                raise Mistake(
                    "net.weights did not change: update them in place (w -= …) or assign "
                    "net.weights = [...] inside the function."
                )
            wrong = {
                "the step goes uphill: subtract η ∇C, do not add it.": (
                    [b + eta * nb for b, nb in zip(before_b, nabla_b)],
                    [w + eta * nw for w, nw in zip(before_w, nabla_w)],
                ),
                "the step is m times too small: backprop_batch already returns the MEAN "
                "gradient, so do not divide by m again (η/m belongs to summed gradients).": (
                    [b - eta / m * nb for b, nb in zip(before_b, nabla_b)],
                    [w - eta / m * nw for w, nw in zip(before_w, nabla_w)],
                ),
            }
            compare_gradients(
                got,
                want,
                net,
                f"network {sizes}, m = {m}",
                wrong,
                labels=("b after the step", "w after the step"),
            )

    return run_checker(
        "gradient-descent step",
        my_update,
        cases,
        "w → w − η ∇C and b → b − η ∇C with the mean gradient of the mini-batch.",
    )

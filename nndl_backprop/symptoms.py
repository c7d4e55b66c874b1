"""What a student sees of a backprop bug: a short training run on the offline digits.

``short_run`` trains a fresh ``Network([64, 10, 10])`` by plain mini-batch SGD, taking its
gradient from any ``fn(net, x, y) -> (nabla_b, nabla_w)`` with the signature of
``Network.backprop_batch``; it records the cost, the test accuracy and the size of the gradient
each epoch. The hidden layer is as wide as the output, so w^3 is square: a missing transpose or
a layer index one off still runs, as such bugs do in real code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .network import Network
from .training import evaluate, stack_examples

SIZES = (64, 10, 10)
N_TRAIN = 500
EPOCHS = 10
MINI_BATCH = 10
ETA = 3.0


@dataclass
class Run:
    """Per epoch: the mean training ``cost``, the test ``accuracy`` and the mean gradient norm
    ‖∇C‖ over the epoch's mini-batches (weights and biases together)."""

    epoch: list[int] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)


@lru_cache(maxsize=1)
def digits(n_train: int = N_TRAIN):
    """((X (64, n_train), Y (10, n_train)), (X_test (64, 297), labels (297,))), seeded split."""
    from .data import load_digits

    training, test = load_digits()
    X, Y = stack_examples(training[:n_train], 64, 10, "training")
    return (np.ascontiguousarray(X), np.ascontiguousarray(Y)), stack_examples(test, 64, 10, "test")


def short_run(
    fn, epochs: int = EPOCHS, eta: float = ETA, mini_batch_size: int = MINI_BATCH, seed: int = 0
) -> Run:
    """Train ``Network(SIZES, seed=seed)`` with gradients from ``fn``: w → w − η ∇C per
    mini-batch, shuffled by ``seed``. Returns the per-epoch :class:`Run`."""
    (X, Y), (X_test, labels) = digits()
    net = Network(list(SIZES), seed=seed)
    rng = np.random.default_rng(seed)
    n, run = X.shape[1], Run()
    for epoch in range(epochs):
        order, norms = rng.permutation(n), []
        for start in range(0, n, mini_batch_size):
            idx = order[start : start + mini_batch_size]
            nabla_b, nabla_w = fn(net, X[:, idx], Y[:, idx])  # (n_in, m), (n_out, m)
            for p, g in zip(net.weights + net.biases, nabla_w + nabla_b):
                p -= eta * g  # not g *= eta: the gradient's arrays may be the function's own
            norms.append(np.sqrt(sum(float(np.sum(g * g)) for g in nabla_b + nabla_w)))
        run.epoch.append(epoch + 1)
        run.cost.append(net.total_cost(X, Y))
        run.accuracy.append(evaluate(net, X_test, labels) / X_test.shape[1])
        run.grad_norm.append(float(np.mean(norms)))
    return run


def compare_runs(run: Run, reference: Run, every: int = 3) -> str:
    """A table of cost, test accuracy and gradient norm per epoch: ``run`` beside ``reference``."""
    lines = ["epoch   cost (correct)   accuracy (correct)   gradient norm (correct)"]
    for i in [*range(0, len(run.epoch) - 1, every), len(run.epoch) - 1]:
        lines.append(
            f"{run.epoch[i]:5d}   {run.cost[i]:.3f} ({reference.cost[i]:.3f})"
            f"      {run.accuracy[i]:5.1%} ({reference.accuracy[i]:5.1%})"
            f"         {run.grad_norm[i]:.3f} ({reference.grad_norm[i]:.3f})"
        )
    return "\n".join(lines)

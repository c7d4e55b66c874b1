"""What learns slowly: a short SGD run recording accuracy and each layer's mean |∂C/∂w|.

BP1–BP4 say a weight learns slowly when the neuron it feeds is saturated (σ'(z) ≈ 0) or its
input activation is small. ``short_run`` trains a small network on the offline digits for a few
epochs and records, per epoch, the test accuracy and the mean |∂C/∂w^l| of every layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .network import Network
from .training import stack_examples

SIZES = (64, 20, 20, 10)
EPOCHS, N_TRAIN, MINI_BATCH = 8, 600, 10


@dataclass
class Run:
    """Per-epoch record; epoch 0 is before training. ``diverged`` names the epoch it blew up."""

    accuracy: list[float] = field(default_factory=list)
    grad: list[np.ndarray] = field(default_factory=list)  # mean |∂C/∂w^l| per layer
    diverged: int | None = None


def short_run(activation: str, cost: str, scale: float, eta: float, data, seed: int = 0) -> Run:
    """Train a SIZES network for EPOCHS epochs; record accuracy and per-layer mean |∂C/∂w|.

    ``data`` is (training_data, test_data) as from ``load_digits``. Weights start as scale ×
    standard normal. If the numbers overflow (too large η or scale) the run stops there.
    """
    training, test = data
    net = Network(SIZES, activation=activation, cost=cost, seed=seed, output_activation="sigmoid")
    for w in net.weights:
        w *= scale
    X, Y = stack_examples(training, SIZES[0], SIZES[-1])  # (64, n), (10, n)
    X_test, labels = stack_examples(test, SIZES[0], SIZES[-1])
    rng = np.random.default_rng(seed)
    run = Run()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for epoch in range(EPOCHS + 1):
            try:
                if epoch:
                    net.SGD(
                        (X, Y), 1, MINI_BATCH, eta, seed=rng, progress=False, monitor_cost=False
                    )
                _, nabla_w = net.backprop_batch(X, Y)
                guess = np.argmax(net.feedforward(X_test), axis=0)  # (n_test,)
            except FloatingPointError:
                run.diverged = epoch
                break
            run.accuracy.append(float(np.mean(guess == labels)))
            run.grad.append(np.array([np.abs(nw).mean() for nw in nabla_w]))
    return run

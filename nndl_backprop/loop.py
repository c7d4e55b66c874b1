"""The chapter's per-example algorithm: backprop each example of a mini-batch, then average.

This is the book's ``update_mini_batch`` as the chapter presents it (one backward pass per
example, Python loop over the examples), kept as the reference the matrix-based path is
checked against and the baseline it is timed against.
"""

from __future__ import annotations

import numpy as np


def gradient_by_loop(net, X: np.ndarray, Y: np.ndarray) -> tuple[list, list]:
    """Mean over the m columns of X (n_in, m), Y (n_out, m) of per-example ``backprop``."""
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    nabla_w = [np.zeros(w.shape) for w in net.weights]
    m = X.shape[1]
    for i in range(m):
        delta_nabla_b, delta_nabla_w = net.backprop_columns(X[:, i : i + 1], Y[:, i : i + 1])
        nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
        nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
    return [nb / m for nb in nabla_b], [nw / m for nw in nabla_w]


def update_mini_batch_loop(net, mini_batch, eta: float) -> None:
    """One gradient step w → w − (η/m) Σ_x ∇C_x, looping over the (x, y) pairs of the batch."""
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    nabla_w = [np.zeros(w.shape) for w in net.weights]
    for x, y in mini_batch:
        delta_nabla_b, delta_nabla_w = net.backprop_columns(x, y)  # x (n_in, 1), y (n_out, 1)
        nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
        nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
    m = len(mini_batch)
    net.weights = [w - (eta / m) * nw for w, nw in zip(net.weights, nabla_w)]
    net.biases = [b - (eta / m) * nb for b, nb in zip(net.biases, nabla_b)]

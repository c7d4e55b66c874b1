"""The chapter's per-example algorithm: backprop each example of a mini-batch, then average.

This is the book's ``update_mini_batch`` as the chapter presents it (one backward pass per
example, Python loop over the examples), kept as the reference the matrix-based path is
checked against and the baseline it is timed against.
"""

from __future__ import annotations

import numpy as np

from .validation import as_column, as_columns, positive_float, same_count


def gradient_by_loop(net, X: np.ndarray, Y: np.ndarray) -> tuple[list, list]:
    """Mean over the m columns of X (n_in, m), Y (n_out, m) of per-example ``backprop``."""
    X = as_columns(X, net.sizes[0], "X")
    Y = as_columns(Y, net.sizes[-1], "Y")
    same_count(X, Y)
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    nabla_w = [np.zeros(w.shape) for w in net.weights]
    m = X.shape[1]
    for i in range(m):
        delta_nabla_b, delta_nabla_w = net.backprop_columns(X[:, i : i + 1], Y[:, i : i + 1])
        nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
        nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
    return [nb / m for nb in nabla_b], [nw / m for nw in nabla_w]


def update_mini_batch_loop(net, mini_batch, eta: float) -> None:
    """One gradient step w → w − (η/m) Σ_x ∇C_x, looping over the (x, y) pairs of the batch.

    ``eta`` must be a finite number > 0 (η ≤ 0 would not descend); ``mini_batch`` a non-empty
    list of (x, y) with x (n_in,) or (n_in, 1) and y (n_out,) or (n_out, 1).
    """
    eta = positive_float(eta, "eta")
    if isinstance(mini_batch, np.ndarray) or not isinstance(mini_batch, list | tuple):
        raise TypeError(
            f"mini_batch must be a list of (x, y) pairs, got {type(mini_batch).__name__}"
        )
    if not mini_batch:
        raise ValueError("mini_batch is empty: a gradient step needs at least one (x, y) pair")
    pairs = []
    for i, pair in enumerate(mini_batch):
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise TypeError(f"mini_batch[{i}] must be a pair (x, y), got {type(pair).__name__}")
        pairs.append(
            (_column(pair[0], net.sizes[0], i, "x"), _column(pair[1], net.sizes[-1], i, "y"))
        )
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    nabla_w = [np.zeros(w.shape) for w in net.weights]
    for x, y in pairs:
        delta_nabla_b, delta_nabla_w = net.backprop_columns(x, y)  # x (n_in, 1), y (n_out, 1)
        nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
        nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
    m = len(mini_batch)
    net.weights = [w - (eta / m) * nw for w, nw in zip(net.weights, nabla_w)]
    net.biases = [b - (eta / m) * nb for b, nb in zip(net.biases, nabla_b)]


def _column(v, n: int, i: int, name: str) -> np.ndarray:
    """v as an (n, 1) column; the book's float columns pass without a copy or a scan, so the
    loop stays the baseline it is timed as."""
    if isinstance(v, np.ndarray) and v.shape == (n, 1) and v.dtype == np.float64:
        return v
    return as_column(v, n, f"mini_batch[{i}] {name}")[0]

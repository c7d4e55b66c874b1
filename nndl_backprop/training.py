"""Mini-batch stochastic gradient descent on the matrix path, and evaluation.

Data may come in the book's form, a list of (x, y) pairs with x of shape (n_in, 1), or
stacked as a pair of arrays (X, Y) with one example per column: X (n_in, n), Y (n_out, n).
Test data may give y as an integer label (the book's test set) or as a one-hot column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .validation import (
    as_columns,
    as_float_array,
    as_generator,
    positive_float,
    positive_int,
    same_count,
)


@dataclass
class History:
    """Per-epoch record of training: the mean training cost and, with test data, accuracy."""

    epoch: list[int] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    correct: list[int] = field(default_factory=list)


def stack_examples(data, n_in: int, n_out: int, name: str = "data"):
    """(X, Y) with examples as columns from a list of (x, y) pairs or from an (X, Y) pair.

    Y is (n_out, n) for vector targets, or (n,) of integer labels when every y is a label.
    """
    if isinstance(data, tuple) and len(data) == 2 and isinstance(data[0], np.ndarray):
        X = as_columns(data[0], n_in, f"{name} X")
        Y = as_float_array(data[1], f"{name} Y")
        if Y.ndim == 1:
            Y = _labels(Y, n_out, name)
            if Y.shape[0] != X.shape[1]:
                raise ValueError(
                    f"{name}: X holds {X.shape[1]} examples but there are {Y.shape[0]} labels"
                )
        else:
            Y = as_columns(Y, n_out, f"{name} Y")
            same_count(X, Y, f"{name} X", f"{name} Y")
        return X, Y
    try:
        pairs = list(data)
    except TypeError:
        raise TypeError(f"{name} must be a list of (x, y) pairs or a tuple (X, Y)") from None
    if not pairs:
        raise ValueError(f"{name} is empty; expected at least one (x, y) pair")
    if any(not isinstance(p, tuple | list) or len(p) != 2 for p in pairs):
        raise TypeError(f"{name} must be a list of (x, y) pairs or a tuple (X, Y)")
    X = _stack_columns([x for x, _ in pairs], n_in, f"{name} x")  # (n_in, n)
    ys = [y for _, y in pairs]
    if all(np.ndim(y) == 0 for y in ys):
        return X, _labels(as_float_array(ys, f"{name} labels"), n_out, name)
    return X, _stack_columns(ys, n_out, f"{name} y")  # (n_out, n)


def _stack_columns(vs: list, n: int, name: str) -> np.ndarray:
    """The vectors ``vs`` side by side as an (n, len(vs)) matrix of columns.

    The memory holds one example per row (the result is a transposed view), so SGD's
    mini-batch gather reads contiguous rows. Vectors of one accepted shape are stacked and
    checked in one pass; anything else goes through the one-by-one checks and their messages.
    """
    if all(isinstance(v, np.ndarray) and v.shape in ((n,), (n, 1)) for v in vs):
        rows = np.concatenate([v.reshape(1, n) for v in vs])  # (len(vs), n), one copy
    else:
        rows = np.concatenate([_one_column(v, n, name).reshape(1, n) for v in vs])
    rows = as_float_array(rows.reshape(len(vs), n), name)
    return rows.T  # (len(vs), n) rows -> (n, len(vs)) columns, no copy


def _one_column(v, n: int, name: str) -> np.ndarray:
    arr = as_float_array(v, name)
    if arr.shape not in ((n,), (n, 1)):
        raise ValueError(f"{name} must have shape ({n},) or ({n}, 1), got {arr.shape}")
    return arr.reshape(n, 1)


def _labels(y: np.ndarray, n_out: int, name: str) -> np.ndarray:
    if np.any(y != np.round(y)) or np.any(y < 0) or np.any(y >= n_out):
        raise ValueError(f"{name}: integer labels must lie in 0 … {n_out - 1}")
    return y.astype(np.int64)


def one_hot(labels, n_out: int) -> np.ndarray:
    """Labels (n,), integers 0 … n_out − 1 -> one-hot columns (n_out, n)."""
    n_out = positive_int(n_out, "n_out")
    labels = _labels(as_float_array(labels, "labels"), n_out, "labels")
    if labels.ndim != 1:
        raise ValueError(f"labels must be a 1-D array of integers, got shape {labels.shape}")
    Y = np.zeros((n_out, labels.shape[0]))
    Y[labels, np.arange(labels.shape[0])] = 1.0
    return Y


def evaluate(net, X, Y) -> int:
    """How many columns of X (n_in, n) the network classifies right: argmax of a^L against
    the label; Y holds integer labels (n,) or one-hot columns (n_out, n)."""
    X, Y = stack_examples((as_float_array(X, "X"), Y), net.sizes[0], net.sizes[-1], "evaluate")
    return _correct(net, X, Y)


def _correct(net, X: np.ndarray, Y: np.ndarray) -> int:
    """evaluate() for arrays already checked."""
    guess = np.argmax(net.forward_columns(X)[1][-1], axis=0)  # (n,)
    truth = Y if Y.ndim == 1 else np.argmax(Y, axis=0)
    return int(np.sum(guess == truth))


def mistakes(net, test_data) -> list[tuple[int, np.ndarray, int, int]]:
    """(index, x, label, guess) for every test pair (x, label) the network gets wrong."""
    out = []
    for i, (x, label) in enumerate(test_data):
        guess = int(np.argmax(net.feedforward(x)))
        if guess != int(label):
            out.append((i, x, int(label), guess))
    return out


def sgd(
    net,
    training_data,
    epochs: int,
    mini_batch_size: int,
    eta: float,
    test_data=None,
    *,
    seed: int | np.random.Generator | None = None,
    progress: bool = True,
    monitor_cost: bool = True,
) -> History:
    """Train ``net`` in place: each step w → w − η ∇C over one mini-batch (BP3, BP4 averaged).

    Parameters
    ----------
    training_data : list of (x, y) pairs, or (X, Y) with X (n_in, n) and Y (n_out, n).
    epochs, mini_batch_size : positive integers; eta : the learning rate η > 0.
    test_data : optional, same forms; y may be an integer label. Adds accuracy to the history.
    seed : shuffling of each epoch; progress : a tqdm bar; monitor_cost : record the cost.
    """
    epochs = positive_int(epochs, "epochs")
    m = positive_int(mini_batch_size, "mini_batch_size")
    eta = positive_float(eta, "eta")
    net.check_parameters()
    X, Y = stack_examples(training_data, net.sizes[0], net.sizes[-1], "training_data")
    if Y.ndim == 1:
        Y = one_hot(Y, net.sizes[-1])
    net.cost.check_targets(Y)
    test = (
        None
        if test_data is None
        else stack_examples(test_data, net.sizes[0], net.sizes[-1], "test_data")
    )
    rng = as_generator(seed)
    # Rows are examples here so a mini-batch is a cheap gather; .T gives columns without a copy.
    X_rows, Y_rows = np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)
    n = X_rows.shape[0]
    history = History()
    for epoch in _epochs(epochs, progress):
        order = rng.permutation(n)
        for start in range(0, n, m):
            idx = order[start : start + m]
            X_batch, Y_batch = X_rows[idx].T, Y_rows[idx].T  # (n_in, m), (n_out, m)
            nabla_b, nabla_w = net.backprop_columns(X_batch, Y_batch)
            # In place: scaling the fresh gradient needs no temporary of w's size.
            for w, nw in zip(net.weights, nabla_w):
                nw *= eta
                w -= nw
            for b, nb in zip(net.biases, nabla_b):
                nb *= eta
                b -= nb
        history.epoch.append(epoch + 1)
        if monitor_cost:
            history.cost.append(net.cost.fn(net.forward_columns(X)[1][-1], Y))
        if test is not None:
            correct = _correct(net, *test)
            history.correct.append(correct)
            history.accuracy.append(correct / test[0].shape[1])
    return history


def _epochs(epochs: int, progress: bool):
    if progress:
        try:
            from tqdm.auto import trange
        except ImportError:  # tqdm is an optional extra; train without a bar
            return range(epochs)
        return trange(epochs, desc="SGD epochs", unit="epoch")
    return range(epochs)

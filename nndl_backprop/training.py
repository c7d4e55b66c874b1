"""Mini-batch stochastic gradient descent on the matrix path, and evaluation.

Data may come in the book's form, a list of (x, y) pairs with x of shape (n_in, 1), or
stacked as a pair of arrays (X, Y) with one example per column: X (n_in, n), Y (n_out, n).
Test data may give y as an integer label (the book's test set) or as a one-hot column.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter

import numpy as np

from .equations import bp3, bp4
from .fast_sgd import Chunk, SGDStep, fused_step_supported
from .validation import (
    all_finite,
    as_columns,
    as_float_array,
    as_generator,
    positive_float,
    positive_int,
    same_count,
)


@dataclass
class History:
    """Per-epoch record of training.

    cost[k]: with ``monitor_cost=True`` (the default), the mean training cost over epoch
    k + 1's examples, each example's cost taken in the forward pass of its mini-batch, just
    before the step it contributed to. The weights move during the epoch, so this is not the
    cost of the weights at the epoch's end, and it runs a little above it; it costs almost
    nothing, since training computes those forward passes anyway. With
    ``monitor_cost="epoch_end"``, the total cost C (eq. 26) of the weights at the epoch's end,
    for one more forward pass over the whole training set (about 15 % of an epoch on
    MNIST-sized data). accuracy, correct: on the test data, at the epoch's end. seconds: the
    wall time of each epoch's training steps and cost (test evaluation not included).
    """

    epoch: list[int] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    correct: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def stack_examples(data, n_in: int, n_out: int, name: str = "data", dtype=np.float64):
    """(X, Y) with examples as columns from a list of (x, y) pairs or from an (X, Y) pair.

    Y is (n_out, n) for vector targets, or (n,) of integer labels when every y is a label.
    X and vector Y have the given float ``dtype``.
    """
    if isinstance(data, tuple) and len(data) == 2 and isinstance(data[0], np.ndarray):
        X = as_columns(data[0], n_in, f"{name} X", dtype)
        Y = as_float_array(data[1], f"{name} Y", dtype)
        if Y.ndim == 1:
            Y = _labels(Y, n_out, name)
            if Y.shape[0] != X.shape[1]:
                raise ValueError(
                    f"{name}: X holds {X.shape[1]} examples but there are {Y.shape[0]} labels"
                )
        else:
            Y = as_columns(Y, n_out, f"{name} Y", dtype)
            same_count(X, Y, f"{name} X", f"{name} Y")
        return X, Y
    not_pairs = f"{name} must be a list of (x, y) pairs or a tuple (X, Y)"
    try:
        pairs = list(data)
    except TypeError:
        raise TypeError(not_pairs) from None
    if not pairs:
        raise ValueError(f"{name} is empty; expected at least one (x, y) pair")
    try:
        xs, ys = [x for x, _ in pairs], [y for _, y in pairs]
    except (TypeError, ValueError):  # an entry that is not a pair
        raise TypeError(not_pairs) from None
    X = _stack_columns(xs, n_in, f"{name} x", dtype)  # (n_in, n)
    if all(np.ndim(y) == 0 for y in ys):
        return X, _labels(as_float_array(ys, f"{name} labels"), n_out, name)
    return X, _stack_columns(ys, n_out, f"{name} y", dtype)  # (n_out, n)


def _stack_columns(
    vs: list, n: int, name: str, dtype=np.float64, check_each: bool = False
) -> np.ndarray:
    """The vectors ``vs`` side by side as an (n, len(vs)) matrix of columns, in ``dtype``.

    The memory holds one example per row (the result is a transposed view), so SGD's
    mini-batch gather reads contiguous rows. Arrays all of shape (n, 1), or all (n,), are
    copied end to end in one pass (cast on the way) and checked for NaN and inf in one more;
    anything else goes through the one-by-one checks and their messages.
    """
    try:
        shapes = set(map(attrgetter("shape"), vs))
    except AttributeError:  # lists or numbers among the vectors
        shapes = None
    rows = None
    if shapes in ({(n, 1)}, {(n,)}) and not check_each:
        try:
            with np.errstate(over="ignore"):  # beyond float32's range: inf, refused below
                rows = _rows_end_to_end(vs, n, dtype)  # (len(vs), n)
        except TypeError:  # complex, strings, objects: let the checks below say what is wrong
            rows = None
    if rows is None or not all_finite(rows):
        rows = np.concatenate([_one_column(v, n, name, dtype).reshape(1, n) for v in vs])
    return rows.T  # (len(vs), n) rows -> (n, len(vs)) columns, no copy


def _rows_end_to_end(vs: list, n: int, dtype) -> np.ndarray:
    """The arrays ``vs``, all (n, 1) or all (n,), copied end to end into the rows of a new
    (len(vs), n) array of ``dtype``: np.concatenate 1,024 arrays at a time, since on a whole
    training set at once it passes over its 50,000 array headers more than once, each time
    from memory rather than the cache (a third slower)."""
    rows = np.empty((len(vs), n), dtype)
    flat = rows.reshape(-1, 1) if vs[0].ndim == 2 else rows.reshape(-1)  # views
    for k in range(0, len(vs), 1024):
        np.concatenate(vs[k : k + 1024], out=flat[k * n : (k + 1024) * n], casting="same_kind")
    return rows


def _one_column(v, n: int, name: str, dtype=np.float64) -> np.ndarray:
    arr = as_float_array(v, name, dtype)
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
    X = as_float_array(X, "X", net.dtype)
    X, Y = stack_examples((X, Y), net.sizes[0], net.sizes[-1], "evaluate", net.dtype)
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
    monitor_cost: bool | str = True,
) -> History:
    """Train ``net`` in place: each step w → w − η ∇C over one mini-batch (BP1–BP4).

    Parameters
    ----------
    training_data : list of (x, y) pairs, or (X, Y) with X (n_in, n) and Y (n_out, n).
    epochs, mini_batch_size : positive integers; eta : the learning rate η > 0.
    test_data : optional, same forms; y may be an integer label. Adds accuracy to the history.
    seed : shuffling of each epoch; progress : a tqdm bar; monitor_cost : True records each
        epoch's mean cost over its mini-batches, from the forward passes training does anyway;
        "epoch_end" records the total cost after each epoch instead (one more forward pass
        over the training set); False records no cost. See :class:`History`.

    Each step runs :class:`fast_sgd.SGDStep`, the same BP1–BP4 and update as
    ``net.backprop_columns`` with preallocated buffers, in the network's dtype; networks it
    does not cover (a neuron with its own activation, a custom cost) take :func:`plain_step`,
    the readable path. A list of pairs is read where it lies (:class:`fast_sgd.Chunk` copies
    the inputs of some 30 mini-batches at a time from the list, about 2 MiB), so the training
    set is never held twice; the first epoch checks each chunk for NaN and inf as it is drawn.
    Arrays (X, Y) are copied once into rows, one example per row. The steps run inside
    ``np.errstate(over="ignore")``, for the sigmoid's expected overflow (see fast_sgd).
    """
    epochs = positive_int(epochs, "epochs")
    m = positive_int(mini_batch_size, "mini_batch_size")
    eta = positive_float(eta, "eta")
    if monitor_cost not in (True, False, "epoch_end"):
        raise ValueError(f"monitor_cost must be True, False or 'epoch_end', got {monitor_cost!r}")
    during = monitor_cost is True  # the mean of the mini-batch costs, taken as training goes
    net.check_parameters()
    fused = fused_step_supported(net)
    # The book's list of pairs is read in place by the fused step; anything else is stacked.
    xs = _pair_inputs(net, training_data) if fused and monitor_cost != "epoch_end" else None
    if xs is None:
        X_rows, Y_rows = _training_rows(net, training_data)
    else:
        X_rows, Y_rows = None, _training_rows(net, training_data, targets_only=True)[1]
        weights_before = [p.copy() for p in net.weights + net.biases]
    test = (
        None
        if test_data is None
        else stack_examples(test_data, net.sizes[0], net.sizes[-1], "test_data", net.dtype)
    )
    rng = as_generator(seed)
    n = Y_rows.shape[0]
    history, checked = History(), xs is None
    if fused:  # one set of buffers for full mini-batches, one for a partial last one
        steps = {size: SGDStep(net, size).step for size in {min(m, n), n % m or min(m, n)}}
        chunk = Chunk(net, m, Y_rows, X_rows, xs)

        def epoch_steps(order):
            total = 0.0
            # σ's e^{-z} overflows by design for z < −709: silenced once here, not at each call.
            with np.errstate(over="ignore"):
                for start in range(0, n, chunk.rows):
                    idx = order[start : start + chunk.rows]
                    batches = chunk.load(idx)
                    if not checked:  # the first epoch sees every x once: refuse NaN and inf
                        x_rows = chunk.x[: len(idx)]
                        _refuse_nonfinite_inputs(net, x_rows, xs, idx, weights_before)
                    for x, y in batches:
                        cost = steps[len(x)](eta, during, x, y)
                        if during:
                            total += cost * len(x)  # the batch's mean cost times its size
            return total
    else:

        def epoch_steps(order):
            total = 0.0
            for start in range(0, n, m):
                idx = order[start : start + m]
                cost = plain_step(net, X_rows[idx].T, Y_rows[idx].T, eta, during)
                if during:
                    total += cost * len(idx)
            return total

    for epoch in _epochs(epochs, progress):
        start_time = time.perf_counter()
        order = rng.permutation(n)
        total_cost = epoch_steps(order)
        history.seconds.append(time.perf_counter() - start_time)
        checked = True
        history.epoch.append(epoch + 1)
        if during:
            history.cost.append(total_cost / n)
        elif monitor_cost == "epoch_end":
            a_L = net.forward_columns(X_rows.T)[1][-1]  # (n_out, n), all n examples at once
            history.cost.append(net.cost.fn(a_L, Y_rows.T))
        if test is not None:
            correct = _correct(net, *test)
            history.correct.append(correct)
            history.accuracy.append(correct / test[0].shape[1])
    return history


def plain_step(net, X, Y, eta: float, cost: bool = False) -> float | None:
    """One step w → w − η ∇C on the columns X (n_in, m), Y (n_out, m), by ``backprop_columns``.

    The readable path that :class:`fast_sgd.SGDStep` must match. With ``cost``, returns the
    mini-batch's mean cost before the step (one more forward pass; the fast step gets it free).
    """
    batch_cost = net.cost.fn(net.forward_columns(X)[1][-1], Y) if cost else None
    _, activations, deltas = net.deltas_columns(X, Y)  # (BP1), then (BP2) for each layer
    for w, b, delta, a_prev in zip(net.weights, net.biases, deltas, activations[:-1]):
        b -= eta * bp3(delta)  # (BP3) ∂C/∂b^l, (n_l, 1)
        w -= eta * bp4(delta, a_prev)  # (BP4) ∂C/∂w^l, (n_l, n_{l−1})
    return batch_cost


def _pair_inputs(net, training_data) -> list | None:
    """The x of each pair, when training_data is a list of (x, y) pairs whose x are all numeric
    arrays of shape (n_in, 1) or all (n_in,); otherwise None (the data is then stacked).

    Their finiteness is not checked here, which would take a pass over the whole training
    set: each chunk of the first epoch is checked as it is drawn instead
    (:func:`_refuse_nonfinite_inputs`).
    """
    if not isinstance(training_data, list) or not training_data:
        return None
    try:
        xs = [x for x, _ in training_data]
    except (TypeError, ValueError):  # not pairs: stack and check
        return None
    if not all(map(isinstance, xs, repeat(np.ndarray))):
        return None
    shapes = set(map(attrgetter("shape"), xs))
    kinds = {dt.kind for dt in set(map(attrgetter("dtype"), xs))}
    n_in = net.sizes[0]
    if shapes not in ({(n_in, 1)}, {(n_in,)}) or not kinds <= set("biuf"):
        return None
    return xs


def _refuse_nonfinite_inputs(net, x_batch, xs: list, idx, weights_before: list) -> None:
    """Refuse a NaN or inf among the inputs x_batch (rows, n_in) of a chunk, drawn from ``xs``,
    as stacking them would have; the weights are put back as they were before SGD began."""
    # x·x is finite when every entry is (one BLAS call, no warning); else check one by one.
    if np.isfinite(np.vdot(x_batch, x_batch)) or np.isfinite(x_batch).all():
        return
    for p, before in zip(net.weights + net.biases, weights_before):
        p[...] = before
    _stack_columns([xs[i] for i in idx], net.sizes[0], "training_data x", net.dtype, True)


def _training_rows(net, training_data, targets_only: bool = False):
    """The training set as contiguous rows X (n, n_in), Y (n, n_out), one-hot Y for labels.

    With ``targets_only``, the pairs' x are not stacked (X is returned as None).
    """
    if targets_only:
        ys = [y for _, y in training_data]
        name = "training_data"
        if all(np.ndim(y) == 0 for y in ys):
            Y = _labels(as_float_array(ys, f"{name} labels"), net.sizes[-1], name)
        else:
            Y = _stack_columns(ys, net.sizes[-1], f"{name} y", net.dtype)  # (n_out, n)
        X = None
    else:
        X, Y = stack_examples(
            training_data, net.sizes[0], net.sizes[-1], "training_data", net.dtype
        )
    if Y.ndim == 1:
        Y = one_hot(Y, net.sizes[-1]).astype(net.dtype)
    net.cost.check_targets(Y)
    # A list of pairs is stacked as rows already (X is a transposed view): no copy then.
    return None if X is None else np.ascontiguousarray(X.T), np.ascontiguousarray(Y.T)


def _epochs(epochs: int, progress: bool):
    if progress:
        try:
            from tqdm.auto import trange
        except ImportError:  # tqdm is an optional extra; train without a bar
            return range(epochs)
        return trange(epochs, desc="SGD epochs", unit="epoch")
    return range(epochs)

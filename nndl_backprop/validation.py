"""Input checks shared by the package: clear errors instead of silent broadcasts or NaNs.

The book's code adds a (30, 1) bias to whatever ``np.dot(w, a)`` returns; a (784,) input then
gives a (30,) vector and the sum silently becomes (30, 30). Every public entry point therefore
turns its inputs into explicit columns here, and refuses anything else with a message that
names the shape, type or range it expected.
"""

from __future__ import annotations

import numbers

import numpy as np


def as_float_array(value, name: str, dtype=np.float64) -> np.ndarray:
    """``value`` as a float array of ``dtype`` (float64 unless a float32 network asks);
    TypeError for non-numbers, ValueError for NaN or inf (also a number too large for dtype)."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a numeric array, got {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except ValueError as exc:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular numeric array ({exc})") from None
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold real numbers, got an array of dtype {arr.dtype}")
    with np.errstate(over="ignore"):  # a float64 beyond float32's range becomes inf: refused below
        arr = arr.astype(dtype, copy=False)
    # A training set is checked in one BLAS pass (all_finite), without isfinite's boolean copy.
    if not (all_finite(arr) if arr.size > 1 << 16 else np.all(np.isfinite(arr))):
        raise ValueError(
            f"{name} must be finite; it contains NaN or inf (or a number too large for "
            f"{np.dtype(dtype).name})"
        )
    return arr


def all_finite(a: np.ndarray) -> bool:
    """Whether every entry of a float array is finite, for arrays as large as a training set.

    One BLAS pass: the sum of each row is finite if every entry is (NaN and inf propagate).
    Only when a sum is not finite, which huge finite entries can also cause, is every
    entry tested one by one.
    """
    if a.size == 0:
        return True
    rows = a.reshape(a.shape[0], -1) if a.ndim > 1 else a.reshape(1, -1)
    if np.isfinite(rows @ np.ones(rows.shape[1], a.dtype)).all():  # (r, c) @ (c,) -> (r,)
        return True
    return bool(np.isfinite(a).all())


def as_generator(seed) -> np.random.Generator:
    """A numpy Generator from a seed: None (fresh entropy), an integer ≥ 0, or a Generator."""
    if isinstance(seed, np.random.Generator) or seed is None:
        return np.random.default_rng(seed)
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"seed must be None, an integer ≥ 0 or a numpy Generator, got {type(seed).__name__}"
        )
    if seed < 0:
        raise ValueError(f"seed must be an integer ≥ 0, got {seed}")
    return np.random.default_rng(int(seed))


def lookup(value, registry: dict, cls: type, what: str):
    """``value`` itself if it is a ``cls``, else ``registry[value]``; clear errors otherwise."""
    if isinstance(value, cls):
        return value
    if not isinstance(value, str):
        raise TypeError(
            f"{what} must be a name from {sorted(registry)} or a {cls.__name__}, "
            f"got {type(value).__name__}"
        )
    try:
        return registry[value]
    except KeyError:
        raise ValueError(f"unknown {what} {value!r}; expected one of {sorted(registry)}") from None


def as_column(value, n: int, name: str, dtype=np.float64) -> tuple[np.ndarray, bool]:
    """One example as an (n, 1) column; accepts shape (n,) or (n, 1).

    Returns the column and whether the input was 1-D (so outputs can follow the same form).
    """
    arr = as_float_array(value, name, dtype)
    if arr.shape == (n,):
        return arr.reshape(n, 1), True
    if arr.shape == (n, 1):
        return arr, False
    raise ValueError(f"{name} must have shape ({n},) or ({n}, 1) for one example, got {arr.shape}")


def as_columns(value, n: int, name: str, dtype=np.float64) -> np.ndarray:
    """A mini-batch as an (n, m) matrix whose m ≥ 1 columns are the examples."""
    arr = as_float_array(value, name, dtype)
    if arr.ndim != 2 or arr.shape[0] != n or arr.shape[1] < 1:
        raise ValueError(
            f"{name} must have shape ({n}, m) with one example per column, got {arr.shape}"
        )
    return arr


def as_matrix(value, name: str, what: str = "(n, m)") -> np.ndarray:
    """A 2-D float array, or TypeError/ValueError naming the shape ``what`` that was expected.

    A column (n, 1) is one example; a 1-D (n,) vector is refused rather than guessed, since
    it would broadcast against an (n, 1) column into an (n, n) matrix.
    """
    arr = as_float_array(value, name)
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape {what} (a column (n, 1) for one example), "
            f"got shape {arr.shape}"
        )
    return arr


def same_count(X: np.ndarray, Y: np.ndarray, x_name: str = "X", y_name: str = "Y") -> None:
    """Raise unless X and Y hold the same number of examples (columns)."""
    if X.shape[1] != Y.shape[1]:
        raise ValueError(
            f"{x_name} and {y_name} must hold the same number of examples (columns); "
            f"got {X.shape[1]} and {Y.shape[1]}"
        )


def positive_int(value, name: str) -> int:
    """``value`` as a positive int; TypeError for non-integers, ValueError for ≤ 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a positive integer, got {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value}")
    return int(value)


def positive_float(value, name: str) -> float:
    """``value`` as a finite float > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {value!r}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value}")
    return float(value)


def book_layer(layer, n_layers: int, name: str = "layer") -> int:
    """A layer in the book's numbering, 2 ≤ l ≤ L (layer 1 is the input and has no weights)."""
    if isinstance(layer, bool) or not isinstance(layer, numbers.Integral):
        raise TypeError(f"{name} must be an integer l with 2 ≤ l ≤ {n_layers}, got {layer!r}")
    if not 2 <= layer <= n_layers:
        raise ValueError(
            f"{name} must satisfy 2 ≤ l ≤ L = {n_layers} in the book's numbering "
            f"(layer 1 is the input and has no weights or biases), got {layer}"
        )
    return int(layer)


def book_neuron(j, width: int, name: str) -> int:
    """A neuron index in the book's numbering, 1 ≤ j ≤ width (neurons counted from 1)."""
    if isinstance(j, bool) or not isinstance(j, numbers.Integral):
        raise TypeError(f"{name} must be an integer with 1 ≤ {name} ≤ {width}, got {j!r}")
    if not 1 <= j <= width:
        raise ValueError(
            f"{name} must satisfy 1 ≤ {name} ≤ {width} (the book counts neurons from 1), got {j}"
        )
    return int(j)

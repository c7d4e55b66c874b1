"""Handwritten digits in the book's (x, y) format.

The offline default is scikit-learn's ``load_digits``: 1,797 real 8×8 digits shipped inside
its wheel, so nothing downloads. Full MNIST loaders (IDX files, npz, the book's pickle) read
files the user already has.
"""

from __future__ import annotations

import numpy as np


def vectorized_result(j: int, n: int = 10) -> np.ndarray:
    """The one-hot column (n, 1) with a 1.0 in row j: the desired output for digit j."""
    e = np.zeros((n, 1))
    e[j] = 1.0
    return e


def load_digits(n_test: int = 297, seed: int = 0):
    """(training_data, test_data) from the offline 8×8 digits, pixels scaled to [0, 1].

    training_data: list of (x (64, 1), y (10, 1) one-hot); test_data: list of (x (64, 1),
    label int), as in the book's ``load_data_wrapper``. The split is a seeded shuffle.
    """
    try:
        from sklearn.datasets import load_digits as _sk_load_digits
    except ImportError as exc:  # the data extra is optional for the core
        raise ImportError(
            "the offline digits need scikit-learn: pip install 'nndl-backprop[notebooks]'"
        ) from exc
    digits = _sk_load_digits()
    X = digits.data / 16.0  # (1797, 64), pixel intensities 0 … 16 -> [0, 1]
    labels = digits.target.astype(int)
    n = X.shape[0]
    if not 0 < n_test < n:
        raise ValueError(f"n_test must lie in 1 … {n - 1}, got {n_test}")
    order = np.random.default_rng(seed).permutation(n)
    test_idx, train_idx = order[:n_test], order[n_test:]
    training_data = [(X[i].reshape(64, 1), vectorized_result(labels[i])) for i in train_idx]
    test_data = [(X[i].reshape(64, 1), int(labels[i])) for i in test_idx]
    return training_data, test_data

"""Activation functions σ and their derivatives σ', with a registry by name.

Every function acts elementwise on an array of any shape (the "vectorised σ" of eq. 24).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .validation import lookup


@dataclass(frozen=True)
class Activation:
    """A named activation: ``fn`` is σ(z), ``prime`` is σ'(z); both elementwise."""

    name: str
    fn: Callable[[np.ndarray], np.ndarray]
    prime: Callable[[np.ndarray], np.ndarray]
    prime_from_a: Callable[[np.ndarray], np.ndarray] | None = None

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return self.fn(z)

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        """σ'(z), reusing a = σ(z) from the forward pass when σ' can be written through a."""
        return self.prime(z) if self.prime_from_a is None else self.prime_from_a(a)


def sigmoid(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """σ(z) = 1 / (1 + e^{-z}), in z's float dtype; ``out`` (z's shape) receives it if given.

    One formula for every z, no branches: for z < −709 (−88 in float32) e^{-z} overflows to
    inf and 1 / (1 + inf) = 0, which is σ(z) to within the smallest normal float (σ(−709)
    ≈ 1e-308); the overflow is expected, so its warning is silenced here (and, for the
    training step's :func:`sigmoid_unchecked`, once around SGD's steps).
    For very negative z the small result keeps full relative precision (no 1 − 1 rounding).
    """
    with np.errstate(over="ignore"):
        if out is not None:
            return sigmoid_unchecked(z, out)
        e = np.exp(np.negative(z))  # e^{-z}, possibly inf
    return 1.0 / (1.0 + e)


def sigmoid_unchecked(z: np.ndarray, out: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^{-z}) into ``out``, the formula of :func:`sigmoid` without its
    ``np.errstate``: for z < −709 (−88 in float32) e^{-z} overflows, which numpy reports unless
    the caller silences it. The training step calls it inside SGD's one
    ``np.errstate(over="ignore")``, since entering an errstate costs more than a small ufunc.
    """
    e = np.exp(np.negative(z, out), out)  # e^{-z}, possibly inf, in out
    np.add(e, _ONE.get(e.dtype, 1.0), e)
    return np.reciprocal(e, e)


# 1 as a 0-d array of each float dtype: numpy converts a Python 1.0 anew at every call, which
# takes longer than adding it to a (10, 30) array.
_ONE = {np.dtype(t): np.ones((), t) for t in (np.float16, np.float32, np.float64)}


def sigmoid_prime(z: np.ndarray) -> np.ndarray:
    """σ'(z) = σ(z)(1 − σ(z))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: np.ndarray) -> np.ndarray:
    """tanh(z) = (e^z − e^{-z}) / (e^z + e^{-z})."""
    return np.tanh(z)


def tanh_prime(z: np.ndarray) -> np.ndarray:
    """tanh'(z) = 1 − tanh²(z)."""
    t = np.tanh(z)
    return 1.0 - t * t


def relu(z: np.ndarray) -> np.ndarray:
    """relu(z) = max(0, z)."""
    return np.maximum(z, 0.0)


def relu_prime(z: np.ndarray) -> np.ndarray:
    """relu'(z) = 1 for z > 0, else 0 (we take 0 at the kink z = 0)."""
    return (z > 0).astype(np.result_type(z, 1.0))


def linear(z: np.ndarray) -> np.ndarray:
    """σ(z) = z: the "linear neurons" of the chapter's exercise."""
    return np.asarray(z, dtype=np.result_type(z, 1.0)).copy()


def linear_prime(z: np.ndarray) -> np.ndarray:
    """σ'(z) = 1."""
    return np.ones_like(z, dtype=np.result_type(z, 1.0))


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime, lambda a: a * (1.0 - a)),
    "tanh": Activation("tanh", tanh, tanh_prime, lambda a: 1.0 - a * a),
    "relu": Activation("relu", relu, relu_prime, lambda a: (a > 0).astype(a.dtype)),
    "linear": Activation("linear", linear, linear_prime, np.ones_like),
}


def get_activation(activation: str | Activation) -> Activation:
    """Look an activation up by registry name, or pass an ``Activation`` through."""
    return lookup(activation, ACTIVATIONS, Activation, "activation")


class NeuronwiseActivation:
    """A layer's activation where a few neurons use their own function.

    This is how the chapter's exercise "a single modified neuron with output
    f(Σ_j w_j x_j + b)" is expressed: the layer keeps ``base`` for every row of z except the
    rows in ``overrides`` (0-based row index -> Activation). It has the same ``fn`` / ``prime``
    interface as :class:`Activation`, so backpropagation needs no special case.
    """

    def __init__(self, base: Activation, overrides: dict[int, Activation]):
        self.base = base
        self.overrides = dict(overrides)
        self.name = (
            base.name
            + "+"
            + ",".join(f"{row + 1}:{act.name}" for row, act in sorted(self.overrides.items()))
        )

    def _apply(self, z: np.ndarray, which: str) -> np.ndarray:
        out = getattr(self.base, which)(z)
        for row, act in self.overrides.items():
            out[row] = getattr(act, which)(z[row])
        return out

    def fn(self, z: np.ndarray) -> np.ndarray:
        """σ applied row by row: ``overrides[row]`` for its rows, ``base`` elsewhere."""
        return self._apply(z, "fn")

    def prime(self, z: np.ndarray) -> np.ndarray:
        """σ' applied row by row, matching :meth:`fn`."""
        return self._apply(z, "prime")

    def __call__(self, z: np.ndarray) -> np.ndarray:
        return self.fn(z)

    def derivative(self, z: np.ndarray, a: np.ndarray) -> np.ndarray:
        """σ'(z) row by row (``a`` is accepted for the common interface and not needed)."""
        return self.prime(z)

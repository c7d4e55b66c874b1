"""Cost functions C(a^L, y), their gradients ∇_a C, and the output error δ^L for BP1.

Both costs satisfy the chapter's two assumptions: over n examples the cost is the mean
C = (1/n) Σ_x C_x (eq. 26 is the quadratic case), and for one example it depends on the
network only through the output activations a^L (eq. 27 for the quadratic cost). ``fn`` takes
columns of examples, shape (n_L, m), and returns the mean over the m columns, a float.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import Activation, sigmoid
from .equations import bp1

_TINY = np.finfo(np.float64).tiny


class Cost:
    """A cost: ``fn`` (mean over columns), ``grad_a`` (∇_a C_x per column), ``output_error``."""

    name: str

    def fn(self, a: np.ndarray, y: np.ndarray) -> float:
        raise NotImplementedError

    def grad_a(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def output_error(self, z: np.ndarray, a: np.ndarray, y: np.ndarray, activation) -> np.ndarray:
        """δ^L by (BP1): ∇_a C ⊙ σ'(z^L); each argument (n_L, m), result (n_L, m)."""
        return bp1(self.grad_a(a, y), activation.derivative(z, a))


@dataclass(frozen=True)
class QuadraticCost(Cost):
    """C_x = ½ ‖y − a^L‖² (eq. 27); ∇_a C = a^L − y."""

    name: str = "quadratic"

    def fn(self, a: np.ndarray, y: np.ndarray) -> float:
        """Mean over the m columns of ½ Σ_j (y_j − a_j)²."""
        diff = a - y  # (n_L, m)
        return float(0.5 * np.sum(diff * diff) / a.shape[1])

    def grad_a(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∇_a C_x = a − y, shape (n_L, m)."""
        return a - y


@dataclass(frozen=True)
class CrossEntropyCost(Cost):
    """C_x = −Σ_j [y_j ln a_j + (1 − y_j) ln(1 − a_j)]; needs every a_j in (0, 1)."""

    name: str = "cross_entropy"

    def fn(self, a: np.ndarray, y: np.ndarray) -> float:
        """Mean over the m columns; a saturated a_j = 0 or 1 gives a large finite cost, not NaN."""
        log_a = np.log(np.maximum(a, _TINY))
        log_1ma = np.log(np.maximum(1.0 - a, _TINY))
        return float(-np.sum(y * log_a + (1.0 - y) * log_1ma) / a.shape[1])

    def grad_a(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∇_a C_x = (a − y) / (a (1 − a)), shape (n_L, m)."""
        return (a - y) / np.maximum(a * (1.0 - a), _TINY)

    def output_error(self, z: np.ndarray, a: np.ndarray, y: np.ndarray, activation) -> np.ndarray:
        """δ^L: with a sigmoid output layer σ'(z) = a(1 − a) cancels and δ^L = a − y exactly."""
        if isinstance(activation, Activation) and activation.fn is sigmoid:
            return a - y
        return bp1(self.grad_a(a, y), activation.derivative(z, a))


COSTS: dict[str, Cost] = {"quadratic": QuadraticCost(), "cross_entropy": CrossEntropyCost()}


def get_cost(cost: str | Cost) -> Cost:
    """Look a cost up by registry name, or pass a ``Cost`` through."""
    if isinstance(cost, Cost):
        return cost
    if not isinstance(cost, str):
        raise TypeError(
            f"cost must be a name from {sorted(COSTS)} or a Cost, got {type(cost).__name__}"
        )
    try:
        return COSTS[cost]
    except KeyError:
        raise ValueError(f"unknown cost {cost!r}; expected one of {sorted(COSTS)}") from None

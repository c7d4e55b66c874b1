"""Cost functions C(a^L, y), their gradients ∇_a C, and the output error δ^L for BP1.

Both costs satisfy the chapter's two assumptions: over n examples the cost is the mean
C = (1/n) Σ_x C_x (eq. 26 is the quadratic case), and for one example it depends on the
network only through the output activations a^L (eq. 27 for the quadratic cost). ``fn`` takes
columns of examples, shape (n_L, m), and returns the mean over the m columns, a float.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .validation import lookup


def _tiny(a: np.ndarray):
    """The smallest normal number of a's dtype, so a float32 network stays in float32."""
    return np.finfo(a.dtype).tiny


class Cost:
    """A cost: ``fn`` (mean over columns) and ``grad_a`` (∇_a C_x per column), which BP1 uses.

    With a sigmoid output layer the cross-entropy's ∇_a C and σ'(z^L) cancel; the network's
    backward pass takes that branch by the cost's and the activation's names (BP1).
    """

    name: str

    def fn(self, a: np.ndarray, y: np.ndarray) -> float:
        raise NotImplementedError

    def grad_a(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def check_targets(self, y: np.ndarray) -> None:
        """Refuse targets y (n_L, m) this cost cannot use; any finite y suits most costs."""


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
        log_a = np.log(np.maximum(a, _tiny(a)))
        log_1ma = np.log(np.maximum(1.0 - a, _tiny(a)))
        return float(-np.sum(y * log_a + (1.0 - y) * log_1ma) / a.shape[1])

    def grad_a(self, a: np.ndarray, y: np.ndarray) -> np.ndarray:
        """∇_a C_x = (a − y) / (a (1 − a)), shape (n_L, m)."""
        return (a - y) / np.maximum(a * (1.0 - a), _tiny(a))

    def check_targets(self, y: np.ndarray) -> None:
        """y_j ln a_j + (1 − y_j) ln(1 − a_j) is a cross-entropy only for 0 ≤ y_j ≤ 1."""
        if y.size and (y.min() < 0 or y.max() > 1):
            raise ValueError(
                "the cross_entropy cost needs targets y in [0, 1], got values from "
                f"{y.min():g} to {y.max():g}"
            )


COSTS: dict[str, Cost] = {"quadratic": QuadraticCost(), "cross_entropy": CrossEntropyCost()}


def get_cost(cost: str | Cost) -> Cost:
    """Look a cost up by registry name, or pass a ``Cost`` through."""
    return lookup(cost, COSTS, Cost, "cost")

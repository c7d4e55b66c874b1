"""Exercises that check themselves: each ``check_*`` runs your function on random cases.

The result says in plain words what is right or wrong (a wrong shape, a missing transpose, σ'
forgotten, a sum instead of a mean…). Not imported by the core package.
"""

from ._check import CheckResult
from .algorithm import (
    check_backprop,
    check_linear_backprop,
    check_modified_sigma_prime,
    check_sigmoid_prime,
)
from .bughunt import check_fix
from .equations import check_bp1, check_bp2, check_delta_product, check_sigma_prime_matrix
from .minibatch import check_backprop_batch, check_update_mini_batch
from .paths import check_count_paths, check_rate_factor
from .proofs import check_bp3, check_bp4, check_dz_db, check_dz_dw
from .speed import check_forward_passes
from .training import check_accuracy

__all__ = [
    "CheckResult",
    "check_accuracy",
    "check_backprop",
    "check_backprop_batch",
    "check_bp1",
    "check_bp2",
    "check_bp3",
    "check_bp4",
    "check_count_paths",
    "check_delta_product",
    "check_dz_db",
    "check_dz_dw",
    "check_fix",
    "check_forward_passes",
    "check_linear_backprop",
    "check_modified_sigma_prime",
    "check_rate_factor",
    "check_sigma_prime_matrix",
    "check_sigmoid_prime",
    "check_update_mini_batch",
]

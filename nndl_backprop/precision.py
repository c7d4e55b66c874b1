"""Floating-point precision: the dtypes a Network computes in, and what a gradient check can
demand of each.

float64 is the default, as in the book. float32 halves the memory and is faster, at the
price of about 7 significant digits instead of 16: a gradient that backprop computes in
float32 differs from the exact one in its 5th or 6th digit, so a gradient check must not
ask it for more.
"""

from __future__ import annotations

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))

# Measured (tests/test_precision.py repeats the measurement): backprop on [4, 5, 3] and
# [784, 30, 10] networks in float32 against central differences in float64 on the same
# weights (upcast) gave relative errors ‖g − n‖ / (‖g‖ + ‖n‖) of 1e-7 to 2e-6; float64 backprop
# against the same differences gave 1e-11 to 1e-9 (the differences' own truncation error).
# Each tolerance leaves a factor of about 10 to 50 above the worst case seen.
_GRADIENT_TOLERANCE = {np.dtype(np.float64): 1e-7, np.dtype(np.float32): 1e-4}


def as_dtype(dtype) -> np.dtype:
    """np.float64 (the default) or np.float32, given as a type, a dtype or its name."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt not in FLOAT_DTYPES:
        raise ValueError(f"dtype must be float64 or float32, got {dtype!r}")
    return dt


def gradient_tolerance(dtype=np.float64) -> float:
    """The relative error a gradient check can demand of backprop computed in ``dtype``.

    The error is relative_error(backprop, finite differences) = ‖g − n‖ / (‖g‖ + ‖n‖), with
    the central differences taken in float64 on the same weights (a float32 network's weights
    upcast exactly). float64: 1e-7, the differences' own truncation error being ~1e-10.
    float32: 1e-4, since backprop's own rounding in float32 (unit roundoff 6e-8, amplified
    by the sums of a layer) gives errors up to ~2e-6. Finite differences taken IN float32
    would be far worse (the cost's rounding, ~1e-7, divided by ε): at ε = 1e-3 about 1e-3
    to 1e-2, which is why a check should upcast before differencing.
    """
    return _GRADIENT_TOLERANCE[as_dtype(dtype)]

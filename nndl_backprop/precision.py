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

# Measured (tests/test_precision.py repeats it on small networks): backprop in float32 against
# backprop in float64 on the same weights (upcast exactly) on [784, 30, 10], [784, 100, 10]
# and [784, 256, 256, 10], m = 1, 10, 100, both costs, gave relative errors
# ‖g − n‖ / (‖g‖ + ‖n‖) of 1e-7 to 2.6e-6; float64 backprop against float64 central
# differences (ε = 1e-6) gave 2e-10 to 4e-9, the differences' own error. Each tolerance
# leaves a factor of about 25 above the worst case seen.
_GRADIENT_TOLERANCE = {np.dtype(np.float64): 1e-7, np.dtype(np.float32): 1e-4}


def as_dtype(dtype) -> np.dtype:
    """np.float64 (the default) or np.float32, given as a type, a dtype or its name."""
    try:
        dt = np.dtype(dtype)
    except TypeError:
        dt = None
    if dt is None or dt not in FLOAT_DTYPES:
        raise ValueError(f"dtype must be float64 or float32, got {dtype!r}")
    return dt


def gradient_tolerance(dtype=np.float64) -> float:
    """The relative error a gradient check can demand of backprop computed in ``dtype``.

    The error is relative_error(backprop, finite differences) = ‖g − n‖ / (‖g‖ + ‖n‖), with
    central differences taken in float64 on the same weights (a float32 network's weights
    upcast exactly). float64: 1e-7, the differences' own error being ~1e-9. float32: 1e-4,
    since backprop's own rounding in float32 (unit roundoff 6e-8, grown by the sums over a
    layer's inputs and the mini-batch) reaches ~3e-6 on MNIST-sized networks. Differences
    taken IN float32 would be far worse, the cost's rounding (~1e-7) divided by ε: measured
    2e-4 to 2e-3 at ε = 1e-3 and 2e-5 to 2e-4 at ε = 1e-2, which is why a check should
    upcast the weights to float64 before differencing.
    """
    return _GRADIENT_TOLERANCE[as_dtype(dtype)]

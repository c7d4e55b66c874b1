"""Activations: range, monotonicity, derivative against a difference quotient, sigmoid's
numerical stability, and the registry."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import ACTIVATION_NAMES, activation_names, finite_z

from nndl_backprop import ACTIVATIONS, Activation, get_activation
from nndl_backprop.activations import sigmoid, sigmoid_prime

RANGES = {
    "sigmoid": (0.0, 1.0),
    "tanh": (-1.0, 1.0),
    "relu": (0.0, math.inf),
    "linear": (-math.inf, math.inf),
}


def test_registry_holds_the_four_names():
    assert set(ACTIVATIONS) == set(ACTIVATION_NAMES)
    for name in ACTIVATION_NAMES:
        assert get_activation(name) is ACTIVATIONS[name]
        assert ACTIVATIONS[name].name == name
    custom = Activation("square", lambda z: z * z, lambda z: 2 * z)
    assert get_activation(custom) is custom


@given(name=activation_names, z=finite_z(bound=1e3))
def test_range(name, z):
    lo, hi = RANGES[name]
    a = float(ACTIVATIONS[name].fn(np.array([z]))[0])
    assert lo <= a <= hi
    assert math.isfinite(a)


@given(name=activation_names, z1=finite_z(), z2=finite_z())
def test_monotonic_non_decreasing(name, z1, z2):
    lo, hi = sorted((z1, z2))
    a = ACTIVATIONS[name].fn(np.array([lo, hi]))
    assert a[0] <= a[1]


@given(name=activation_names, z=finite_z(bound=20.0))
def test_derivative_matches_a_difference_quotient(name, z):
    assume(name != "relu" or abs(z) > 1e-3)  # relu has a kink at 0
    act = ACTIVATIONS[name]
    h = 1e-6
    quotient = (act.fn(np.array([z + h])) - act.fn(np.array([z - h])))[0] / (2 * h)
    assert float(act.prime(np.array([z]))[0]) == pytest.approx(quotient, rel=1e-6, abs=1e-8)


@given(name=activation_names, z=finite_z())
def test_derivative_from_a_equals_derivative_from_z(name, z):
    """The network reuses a = σ(z) for σ'; both routes must agree."""
    act = ACTIVATIONS[name]
    zz = np.array([[z]])
    np.testing.assert_allclose(act.derivative(zz, act.fn(zz)), act.prime(zz), rtol=1e-12, atol=0)


def test_known_values():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(ACTIVATIONS["sigmoid"].fn(z), 1 / (1 + np.exp(-z)), rtol=1e-15)
    np.testing.assert_allclose(ACTIVATIONS["tanh"].fn(z), np.tanh(z), rtol=1e-15)
    np.testing.assert_array_equal(ACTIVATIONS["relu"].fn(z), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(ACTIVATIONS["relu"].prime(z), [0.0, 0.0, 1.0])  # 0 at the kink
    np.testing.assert_array_equal(ACTIVATIONS["linear"].fn(z), z)
    np.testing.assert_array_equal(ACTIVATIONS["linear"].prime(z), [1.0, 1.0, 1.0])
    assert sigmoid_prime(np.array([0.0]))[0] == 0.25


@given(name=activation_names, rows=st.integers(1, 4), cols=st.integers(1, 4))
def test_elementwise_on_any_shape_without_touching_the_input(name, rows, cols):
    z = np.arange(rows * cols, dtype=np.float64).reshape(rows, cols) - 2.5
    keep = z.copy()
    act = ACTIVATIONS[name]
    a, sp = act.fn(z), act.prime(z)
    assert a.shape == sp.shape == z.shape
    for idx in np.ndindex(z.shape):
        assert a[idx] == act.fn(np.array([z[idx]]))[0]
    np.testing.assert_array_equal(z, keep)  # the input array is not modified
    assert a is not z


# ----- sigmoid's numerical stability -------------------------------------------------------
@pytest.mark.parametrize("z", [1e4, -1e4, 1e300, -1e300, 710.0, -710.0, 745.5, -745.5])
def test_sigmoid_extremes_give_no_warning_and_no_nan(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # independent of the pytest configuration
        a = sigmoid(np.array([z]))
        sp = sigmoid_prime(np.array([z]))
        a_net = ACTIVATIONS["sigmoid"].derivative(np.array([z]), a)
    assert np.all(np.isfinite(a)) and np.all(np.isfinite(sp)) and np.all(np.isfinite(a_net))
    if z > 0:
        assert a[0] == 1.0
    else:
        assert 0.0 <= a[0] < 1e-300  # e^z itself, possibly subnormal, possibly 0
    assert 0.0 <= sp[0] < 1e-300 and 0.0 <= a_net[0] < 1e-300


def test_sigmoid_is_accurate_and_symmetric():
    z = np.linspace(-30, 30, 601)
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14)
    np.testing.assert_allclose(sigmoid(-z), 1 - sigmoid(z), rtol=0, atol=1e-15)
    # For very negative z the tiny outputs keep full relative precision (no 1 − 1 rounding).
    assert sigmoid(np.array([-700.0]))[0] == pytest.approx(math.exp(-700.0), rel=1e-12)


def test_tanh_and_its_derivative_at_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z = np.array([-1e300, -1e4, 1e4, 1e300])
        np.testing.assert_array_equal(ACTIVATIONS["tanh"].fn(z), [-1.0, -1.0, 1.0, 1.0])
        np.testing.assert_array_equal(ACTIVATIONS["tanh"].prime(z), [0.0, 0.0, 0.0, 0.0])


# ----- the registry refuses what it does not know ------------------------------------------
def test_get_activation_errors_name_the_choices():
    with pytest.raises(ValueError, match=r"unknown activation 'softplus'; expected one of"):
        get_activation("softplus")
    with pytest.raises(TypeError, match="activation must be a name from"):
        get_activation(3)

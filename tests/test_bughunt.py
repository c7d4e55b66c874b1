"""The bug hunt (notebook 12): each seeded bug is diagnosed by the equation it breaks, the
correct code by nothing; the ε sweep shows the V of truncation against round-off."""

from __future__ import annotations

import numpy as np
import pytest

from nndl_backprop import Network, diagnose, elementwise_relative_error, gradcheck
from nndl_backprop.bugs import BUGS, backprop
from nndl_backprop.exercises import check_fix
from nndl_backprop.step_size import default_eps, difference, slope, sweep
from nndl_backprop.symptoms import short_run

BUGGY = [name for name in BUGS if name != "correct"]


@pytest.mark.parametrize("name", list(BUGS))
@pytest.mark.parametrize("seed", [0, 1])
def test_diagnosis_names_the_broken_equation(name, seed):
    found = diagnose(BUGS[name].function, seed=seed)
    assert found.equation == BUGS[name].equation, found.message
    assert found.ok == (name == "correct"), found.message


def test_diagnosis_says_how():
    words = {
        "A": "lacks the factor σ'(z^4)",
        "B": "transpose",
        "C": "added (+=), not overwritten",
        "D": "times the right value, and m = 3",
        "E": "holds ∂C/∂b^3",
        "F": "second call",
    }
    for name, phrase in words.items():
        assert phrase in diagnose(BUGS[name].function).message


@pytest.mark.parametrize("sizes", [(5, 5, 5, 5), (3, 5, 4, 2), (4, 6, 3), (2, 3, 3, 3, 3)])
def test_correct_code_and_the_package_find_nothing_wrong(sizes):
    for fn in (backprop, lambda net, x, y: net.backprop_batch(x, y)):
        found = diagnose(fn, sizes=sizes, m=4, seed=3)
        assert found.ok and found.equation is None, found.message
        assert max(e.max() for e in found.errors_b + found.errors_w) < 1e-6


def test_heat_map_errors_point_at_the_broken_parameters():
    sum_not_mean = diagnose(BUGS["D"].function)  # BP4: ∂C/∂w wrong, ∂C/∂b right
    assert max(e.max() for e in sum_not_mean.errors_b) < 1e-6
    assert min(e.min() for e in sum_not_mean.errors_w) > 0.3  # m = 3: |3g − g| / 4|g| = 0.5
    off_by_one = diagnose(BUGS["E"].function)  # BP3: only the biases are wrong
    assert max(e.max() for e in off_by_one.errors_w) < 1e-6
    assert off_by_one.errors_b[-1].min() > 1e-3
    for e, b in zip(off_by_one.errors_w, Network([5, 5, 5, 5]).weights):
        assert e.shape == b.shape


def test_in_place_change_of_the_input_is_reported():
    def scales_x(net, x, y):
        x *= 2.0
        return net.backprop_batch(x / 2.0, y)

    found = diagnose(scales_x)
    assert not found.ok and "in place" in found.message


def test_stub_and_crash_give_words_not_tracebacks():
    def stub(net, x, y):
        raise NotImplementedError

    assert "stub" in diagnose(stub).message
    assert "ValueError" in diagnose(BUGS["B"].function, sizes=(3, 5, 4, 2)).message


def test_checker_accepts_the_fix_and_rejects_every_bug():
    assert check_fix("A", backprop).passed
    for name in BUGGY:
        result = check_fix(name, BUGS[name].function)
        assert not result.passed, name
    assert (
        "stub"
        in check_fix("A", lambda net, x, y: (_ for _ in ()).throw(NotImplementedError)).message
    )


def test_elementwise_relative_error_has_no_nan_at_zero():
    err = elementwise_relative_error(np.zeros(3), np.array([0.0, 1.0, -1.0]))
    np.testing.assert_allclose(err, [1e-16, 1.0, 1.0])


# ----- symptoms ------------------------------------------------------------------------------
def test_short_run_learns_with_the_correct_code_and_not_with_sum_not_mean():
    good, bad = short_run(backprop, epochs=4), short_run(BUGS["D"].function, epochs=4)
    assert good.cost[-1] < good.cost[0]
    assert good.accuracy[-1] > 0.5 > bad.accuracy[-1]


def test_symptoms_of_bugs_a_and_d_as_notebook_12_states_them():
    """Notebook 12 prints these runs without nbval comparing the digits (a wrong gradient with
    η = 3 amplifies round-off, which differs between BLAS kernels); its claims hold here."""
    good = short_run(backprop)
    a, d = short_run(BUGS["A"].function), short_run(BUGS["D"].function)
    # A: "its cost falls even faster than the correct code's".
    assert a.cost[-1] < good.cost[-1]
    assert a.cost[0] - a.cost[-1] > good.cost[0] - good.cost[-1]
    # D: "the cost hardly falls, and the accuracy stays near chance".
    assert d.cost[0] - d.cost[-1] < (good.cost[0] - good.cost[-1]) / 3
    assert max(d.accuracy) < 0.35 < good.accuracy[-1]


# ----- the step size ε -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def swept():
    return sweep()


def test_default_eps_is_what_numerical_gradient_uses():
    assert default_eps() == gradcheck.DEFAULT_EPS == {"forward": 1e-7, "central": 1e-5}
    net = Network([3, 4, 2], seed=0)
    x, y = np.random.default_rng(0).random((3, 1)), np.eye(2)[:, :1]
    for method, eps in default_eps().items():
        by_default = gradcheck.numerical_gradient(net, x, y, method=method).nabla_w[0][0, 0]
        given = gradcheck.numerical_gradient(net, x, y, eps=eps, method=method).nabla_w[0][0, 0]
        assert by_default == given


def test_central_beats_forward_and_float64_beats_float32(swept):
    for dtype in ("float64", "float32"):
        assert swept.best[("central", dtype)][1] < swept.best[("forward", dtype)][1]
    for method in ("forward", "central"):
        assert swept.best[(method, "float32")][0] > swept.best[(method, "float64")][0]
        assert swept.best[(method, "float32")][1] > swept.best[(method, "float64")][1]


def test_truncation_and_round_off_slopes(swept):
    e, err = swept.eps, swept.errors
    assert slope(e, err[("forward", "float64")], 1e-5, 1e-2) == pytest.approx(1, abs=0.1)
    assert slope(e, err[("central", "float64")], 1e-3, 1e-1) == pytest.approx(2, abs=0.15)
    assert slope(e, err[("forward", "float64")], 1e-12, 1e-9) == pytest.approx(-1, abs=0.3)
    assert slope(e, err[("central", "float64")], 1e-12, 1e-7) == pytest.approx(-1, abs=0.3)
    assert slope(e, err[("forward", "float32")], 1e-6, 1e-4) == pytest.approx(-1, abs=0.3)


def test_default_eps_sits_near_the_bottom_of_the_v(swept):
    for method, eps in default_eps().items():
        i = int(np.argmin(abs(np.log10(swept.eps / eps))))
        assert swept.errors[(method, "float64")][i] < 30 * swept.best[(method, "float64")][1]


def test_float32_difference_is_computed_in_float32():
    net = Network([3, 4, 2], seed=0)
    x, y = np.ones((3, 1)), np.eye(2)[:, :1]
    assert difference(net, x, y, 2, 1, 1, 1e-12, "forward", "float32") == 0.0  # w + ε == w
    assert difference(net, x, y, 2, 1, 1, 1e-12, "forward", "float64") != 0.0

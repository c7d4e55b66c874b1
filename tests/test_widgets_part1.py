"""Widgets of notebooks 00–05, driven without a browser.

Every control of every demo is moved across its whole range (no error, no warning, no NaN),
and the numbers each demo displays are checked against the mathematics they show: the
package's own accessors, finite differences, and hand-written formulas.
"""

from __future__ import annotations

import importlib

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from widget_helpers import assert_finite, last_blit, offscreen  # noqa: E402

from nndl_backprop import Network  # noqa: E402
from nndl_backprop.activations import sigmoid, sigmoid_prime  # noqa: E402
from nndl_backprop.widgets import (  # noqa: E402
    cost,
    demon,
    equations,
    notation,
    saturation,
    slow_learning,  # noqa: E402
)
from nndl_backprop.widgets.diagram import draw_network  # noqa: E402
from nndl_backprop.widgets.registry import DEMOS  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error")  # any warning at any setting fails

# Every demo of the registry whose update neither trains nor times: swept over every value.
BUILDERS = [
    (importlib.import_module(f"nndl_backprop.widgets.{d.module}"), d.builder)
    for d in DEMOS
    if not d.live
]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# ----- helpers ------------------------------------------------------------------------------
def control_range(control, n: int = 9) -> list:
    """Values spanning a control's whole range: every option, every integer, or n floats."""
    if isinstance(control, widgets.FloatLogSlider):
        return list(control.base ** np.linspace(control.min, control.max, n))
    if isinstance(control, widgets.IntSlider):
        return list(range(control.min, control.max + 1))
    if isinstance(control, widgets.FloatSlider):
        return list(np.linspace(control.min, control.max, n))
    if hasattr(control, "options"):
        return list(control._options_values)  # the values behind the labels shown
    raise AssertionError(f"no range known for {type(control).__name__}")


def artist_counts(demo) -> list[int]:
    return [len(ax.get_children()) for fig in demo.figures for ax in fig.axes]


def sweep(demo, label: str) -> None:
    """Move each control through its range, the others at their current values."""
    counts = artist_counts(demo)
    for name, control in demo.controls.items():
        for value in control_range(control):
            state = demo.set(**{name: value})
            assert demo.error is None, f"{label}: {name}={value!r} gave {demo.error}"
            assert_finite(state, f"{label} {name}={value!r}")
    # Updates change data in place: no artist was added or removed along the way.
    assert artist_counts(demo) == counts, f"{label}: artists were added or removed"


# ----- every control across its range -------------------------------------------------------
@pytest.mark.parametrize(("module", "builder"), BUILDERS, ids=[b for _, b in BUILDERS])
def test_every_control_across_its_range(module, builder):
    demo = getattr(module, builder)()
    assert demo.figures, "each demo lists its figures"
    sweep(demo, builder)


@pytest.mark.parametrize(("module", "builder"), BUILDERS, ids=[b for _, b in BUILDERS])
def test_latency_cases_are_valid_settings(module, builder):
    cases = dict(module.LATENCY_CASES)
    assert builder in cases, f"{module.__name__}.LATENCY_CASES lacks {builder}"
    demo = getattr(module, builder)()
    for values in cases[builder]:
        demo.set(**values)
        assert demo.error is None, f"{values}: {demo.error}"


def test_unknown_control_is_a_clear_error():
    demo = cost.build_hadamard_demo()
    with pytest.raises(ValueError, match="unknown control"):
        demo.set(u1=1.0)


# ----- notebook 01: notation ----------------------------------------------------------------
def test_notation_shows_the_chosen_quantity_and_its_python_index():
    demo = notation.build_notation_demo()
    net, x = demo.net, demo.x
    assert (demo.state["layer"], demo.state["j"], demo.state["k"]) == (3, 2, 4)  # the book's w^3_24
    zs, activations = net.forward(x)
    for l in range(2, net.num_layers + 1):
        for j in range(1, net.sizes[l - 1] + 1):
            for k in range(1, net.sizes[l - 2] + 1):
                s = demo.set(kind="weight w^l_jk", layer=l, j=j, k=k)
                assert s["value"] == net.w(l, j, k) == eval(s["python"], {"net": net})
                assert (s["row"], s["col"], s["shape"]) == (j, k, net.weights[l - 2].shape)
                assert list(s["edges"]) == [(l, j, k)]
                assert set(s["nodes"]) == {(l - 1, k), (l, j)}
            s = demo.set(kind="bias b^l_j", layer=l, j=j)
            assert s["value"] == net.b(l, j) == eval(s["python"], {"net": net})
            s = demo.set(kind="activation a^l_j", layer=l, j=j)
            by_23 = sigmoid(net.weights[l - 2][j - 1] @ activations[l - 2][:, 0] + net.b(l, j))
            assert s["value"] == pytest.approx(float(by_23))
            assert len(s["edges"]) == net.sizes[l - 2]  # every weight in row j feeds a^l_j


def test_notation_neuron_slider_follows_the_layer_width():
    demo = notation.build_notation_demo(sizes=(3, 4, 2))
    demo.set(layer=2, j=4)
    assert demo.controls["j"].max == 4 and demo.state["j"] == 4
    demo.set(layer=3)  # layer 3 has 2 neurons: j is clamped, the readout follows
    assert demo.controls["j"].max == 2 and demo.state["j"] == 2 and demo.values()["j"] == 2


def test_diagram_highlights_in_place_and_rejects_missing_keys():
    fig, ax = plt.subplots()
    d = draw_network(ax, [2, 3, 1], highlight_edges=[(2, 3, 1)])
    assert len(d.edge_index) == 2 * 3 + 3 * 1 and len(d.node_index) == 6
    widths = d.edges.get_linewidths()
    assert widths[d.edge_index[(2, 3, 1)]] > widths[d.edge_index[(2, 1, 1)]]
    edges_before = d.edges
    d.highlight(nodes={(3, 1): "#E69F00"})
    assert d.edges is edges_before and len(set(d.edges.get_linewidths())) == 1
    with pytest.raises(ValueError, match="book numbering"):
        d.highlight(edges=[(1, 1, 1)])


# ----- notebook 02: the cost and the Hadamard product ---------------------------------------
def test_hadamard_is_componentwise_and_bars_show_it():
    demo = cost.build_hadamard_demo()
    np.testing.assert_array_equal(demo.state["product"], [3.0, 8.0])  # the book's eq. (28)
    for s1, t2 in [(-4.0, 4.0), (0.0, -2.5), (3.5, 0.5)]:
        s = demo.set(s1=s1, t2=t2)
        np.testing.assert_array_equal(s["product"], s["s"] * s["t"])
        assert s["dot"] == pytest.approx(s["product"].sum())
        heights = [p.get_height() for p in demo.figures[0].axes[0].patches]
        np.testing.assert_array_equal(heights[-2:], s["product"])


def test_output_cost_depends_only_on_a_and_matches_each_cost():
    demo = cost.build_output_cost_demo()
    s = demo.set(a1=0.99, a2=0.01, target="y = (1, 0)", cost="quadratic")
    assert s["cost"] == pytest.approx(0.5 * (0.01**2 + 0.01**2))
    np.testing.assert_allclose(s["grad_a"], [-0.01, 0.01])
    s = demo.set(a1=0.25, a2=0.5)
    assert s["cost"] == pytest.approx(0.5 * (0.75**2 + 0.5**2))
    np.testing.assert_allclose(s["grad_a"], [-0.75, 0.5])
    s = demo.set(cost="cross-entropy")
    assert s["cost"] == pytest.approx(-np.log(0.25) - np.log(0.5))


def test_output_cost_sliders_stay_inside_the_open_interval():
    """At a^L_j = 0 or 1 the cross-entropy is infinite; a clamped finite value would mislead."""
    demo = cost.build_output_cost_demo()
    for name in ("a1", "a2"):
        assert 0.0 < demo.controls[name].min and demo.controls[name].max < 1.0
    lo, hi = demo.controls["a1"].min, demo.controls["a1"].max
    s = demo.set(a1=lo, a2=hi, target="y = (1, 0)", cost="cross-entropy")  # as wrong as allowed
    assert s["cost"] == pytest.approx(-np.log(lo) - np.log(1 - hi), rel=1e-12)
    np.testing.assert_allclose(s["grad_a"], [(lo - 1) / (lo * (1 - lo)), hi / (hi * (1 - hi))])


def test_cost_grid_is_the_sum_over_output_neurons():
    grid, c = cost.cost_grid("quadratic", (0.0, 1.0), n=5)
    a1, a2 = np.meshgrid(grid, grid)
    np.testing.assert_allclose(c, 0.5 * (a1**2 + (1 - a2) ** 2))


# ----- notebook 03: the demon ---------------------------------------------------------------
def test_demon_gap_is_second_order_and_best_move_opposes_delta():
    demo = demon.build_demon_demo()
    net = demo.net
    for layer in range(2, net.num_layers + 1):
        for j in range(1, net.sizes[layer - 1] + 1):
            s = demo.set(layer=layer, j=j, dz=0.0)
            assert s["measured"] == 0.0 and s["predicted"] == 0.0
            gaps = [demo.set(dz=dz)["gap"] for dz in (0.08, 0.04, 0.02)]
            ratios = np.array(gaps[:-1]) / np.array(gaps[1:])
            np.testing.assert_allclose(ratios, 4.0, rtol=0.15)  # halve Δz, quarter the gap
            s = demo.set(dz=0.1)
            assert s["predicted"] == pytest.approx(s["delta"] * 0.1)
            assert np.sign(s["best_dz"]) == -np.sign(s["delta"])
            assert s["near_optimal"] == (abs(s["delta"]) < demon.NEAR_OPTIMAL)
            if abs(s["delta"]) > 1e-3:
                better = demo.set(dz=s["best_dz"])["measured"]
                assert better < 0, "the move opposite to δ lowers the cost"


def test_demon_slope_two_on_log_axes():
    s = demon.build_demon_demo().set(layer=3, j=2)
    slope = np.polyfit(np.log(s["log_dz"][:12]), np.log(s["gap_curve"][:12]), 1)[0]
    assert slope == pytest.approx(2.0, abs=0.05)


# ----- notebook 04: the four equations ------------------------------------------------------
def test_equations_demo_matches_backprop_and_finite_differences():
    demo = equations.build_equations_demo()
    net = demo.net
    for cost_name in equations.COST_NAMES:
        for target in (1, 2):
            s = demo.set(x1=0.1, x2=0.9, x3=0.4, target=target, cost=cost_name)
            x, y = np.array([0.1, 0.9, 0.4]), np.eye(2)[target - 1]
            _, nabla_w = net.backprop(x, y)
            for got, want in zip(s["nabla_w"], nabla_w):
                np.testing.assert_allclose(got, want, atol=1e-15)
            for l in range(2, net.num_layers + 1):
                for j in (1, net.sizes[l - 1]):
                    for k in (1, net.sizes[l - 2]):
                        s = demo.set(layer=l, j=j, k=k)
                        assert s["dC_dw"] == pytest.approx(s["a_in"] * s["delta_out"])  # (32)
                        assert s["dC_dw"] == pytest.approx(s["numeric"], rel=1e-5, abs=1e-10)


def test_zero_input_gives_zero_column_and_only_chosen_layer_is_outlined():
    demo = equations.build_equations_demo()
    s = demo.set(x2=0.0, layer=3, j=2, k=3)
    assert np.all(s["nabla_w"][0][:, 1] == 0.0)  # BP4: a_in = 0 -> ∂C/∂w = 0
    fig = demo.figures[0]
    outlined = [p.get_visible() for ax in fig.axes for p in ax.patches]
    assert sum(outlined) == 3  # a_in, δ_out and the weight's cell, in layer 3 only


def test_numerical_deltas_match_backprop():
    net = Network([3, 4, 2], seed=5)
    x, y = np.array([0.2, 0.7, 0.1]), np.array([0.0, 1.0])
    from nndl_backprop import numerical_deltas

    for got, want in zip(numerical_deltas(net, x, y), net.deltas(x, y)[2]):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-10)


# ----- notebook 05: saturation --------------------------------------------------------------
def test_sigmoid_demo_shows_sigma_prime_and_its_decay():
    demo = saturation.build_sigmoid_demo()
    fractions = []
    for z in (0.0, 2.0, 5.0, 10.0):
        s = demo.set(z=z, activation="sigmoid")
        assert s["sigma_prime"] == pytest.approx(s["sigma"] * (1 - s["sigma"]))
        assert s["sigma_prime"] == pytest.approx(float(sigmoid_prime(np.array(z))))
        fractions.append(s["fraction_of_peak"])
    assert fractions[0] == 1.0 and all(np.diff(fractions) < 0)
    dot = demo.figures[0].axes[0].lines[2]
    assert tuple(dot.get_data()[0]) == (10.0,)


def test_saturated_output_and_hidden_neurons_and_dim_inputs_learn_slowly():
    demo = saturation.build_saturated_neuron_demo()
    mid = demo.set(b_out=0.0, b_hidden=0.0, x1=1.0, y=0.0, cost="quadratic")
    sat = demo.set(b_out=10.0)
    assert sat["a_out"] > 0.99 and abs(sat["delta_out"]) < abs(mid["delta_out"]) / 100  # BP1
    ce = demo.set(cost="cross_entropy")
    assert ce["delta_out"] == pytest.approx(ce["a_out"] - 0.0)  # σ' cancels
    demo.set(b_out=0.0, cost="quadratic")
    hidden = demo.set(b_hidden=10.0)
    assert abs(hidden["delta_hidden"]) < abs(mid["delta_hidden"]) / 100  # BP2
    dim = demo.set(b_hidden=0.0, x1=0.0)
    assert dim["grads"][0] == 0.0 and dim["grads"][2] == 0.0  # BP4: w^2_11, w^2_21
    assert dim["grads"][1] > 0 and dim["grads"][3] > 0
    heights = [p.get_height() + p.get_y() for p in demo.figures[0].axes[0].patches]
    np.testing.assert_allclose(heights, np.maximum(dim["grads"], saturation.FLOOR))


def test_slow_learning_demo_sweeps_and_reports_divergence():
    demo = slow_learning.build_slow_learning_demo(n_train=200)
    counts = artist_counts(demo)
    for activation in demo.controls["activation"].options:
        for cost_name in demo.controls["cost"].options:
            s = demo.set(activation=activation, cost=cost_name)
            assert demo.error is None and len(s["accuracy"]) >= 1
            assert_finite(s, f"{activation}/{cost_name}")
    for name in ("scale", "eta"):
        for value in control_range(demo.controls[name], 3):
            s = demo.set(**{name: value})
            assert demo.error is None
            assert_finite(s, f"{name}={value}")
    assert artist_counts(demo) == counts
    s = demo.set(activation="linear", cost="cross_entropy", scale=10.0, eta=10**0.5)
    assert s["diverged"] is not None and len(s["accuracy"]) == s["diverged"]


def test_slow_learning_trains_each_setting_once_and_blits_its_curves():
    """A setting seen before is not trained again, redraws only its curves over its own
    background, and every frame (first visit or return) is pixel for pixel a full render."""
    demo = offscreen(slow_learning.build_slow_learning_demo(n_train=100))
    fig = demo.figures[0]
    settings = [
        {"activation": "tanh"},
        {"scale": 10.0},
        {"activation": "sigmoid", "scale": 1.0},
        {"activation": "tanh", "scale": 10.0},
        {"cost": "cross_entropy"},
        {"activation": "linear", "scale": 10.0, "eta": 10**0.5},  # diverges
        {"activation": "tanh", "cost": "quadratic"},
    ]
    seen = {tuple(demo.values().values()): demo.state}
    for values in settings:
        state = demo.set(**values)
        key = tuple(demo.values().values())
        assert demo.error is None
        assert state["measured_now"] == (key not in seen), values
        assert last_blit(demo).last_full == state["measured_now"], "a return blits its curves"
        if key in seen:
            assert state["accuracy"] == seen[key]["accuracy"]
        seen[key] = state
        blitted = np.asarray(fig.canvas.buffer_rgba()).copy()
        fig.canvas.draw()
        assert np.array_equal(blitted, np.asarray(fig.canvas.buffer_rgba())), values


def test_short_run_learns_and_large_weights_slow_the_quadratic_cost():
    from nndl_backprop.data import load_digits
    from nndl_backprop.slow_learning import short_run

    training, test = load_digits()
    data = (training[:300], test)
    good = short_run("sigmoid", "quadratic", 1.0, 1.0, data)
    assert len(good.accuracy) == slow_learning.EPOCHS + 1 and good.diverged is None
    assert good.accuracy[-1] > good.accuracy[0] + 0.2
    saturated = short_run("sigmoid", "quadratic", 10.0, 1.0, data)
    assert np.all(saturated.grad[0] < good.grad[0])  # every layer's gradient starts smaller


@pytest.mark.parametrize(("module", "builder"), BUILDERS, ids=[b for _, b in BUILDERS])
def test_bad_values_are_refused_in_the_status_line_and_nothing_changes(module, builder):
    """NaN, inf, 2.7 for an integer, a value outside the range, an unknown option, a string:
    each is refused in the status line, and neither the controls nor the numbers move."""
    demo = getattr(module, builder)()
    for name, control in demo.controls.items():
        if hasattr(control, "options"):
            bad_values = ["no such option", None]
        elif isinstance(control, widgets.IntSlider):
            bad_values = [float("nan"), 2.7, control.min - 1, "3", True]
        else:
            bad_values = [float("nan"), float("inf"), -1e9, "0.5"]
        for bad in bad_values:
            before_values, before_state = demo.values(), demo.state
            state = demo.set(**{name: bad})
            assert demo.error is not None and name in demo.error, (name, bad)
            assert "Cannot update" in demo.status.value
            assert demo.values() == before_values and state is before_state, (name, bad)
        first = control_range(control)[0]
        demo.set(**{name: first})  # a good value clears the message
        assert demo.error is None, (name, first, demo.error)


def test_a_partly_bad_set_changes_nothing():
    demo = demon.build_demon_demo()
    before = demo.values()
    demo.set(layer=3, dz=float("nan"))
    assert demo.values() == before and "dz" in demo.error

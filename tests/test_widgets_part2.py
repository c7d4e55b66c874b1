"""The widgets of notebooks 06-11, driven across their ranges without a browser.

Each test moves the controls as a user would (``demo.set``) and checks that the numbers the demo
shows change as the mathematics says, with no exception, warning or NaN at the extremes.
"""

from __future__ import annotations

import importlib
import math

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from widget_helpers import assert_finite, last_blit, offscreen  # noqa: E402

from nndl_backprop import Network, count_paths  # noqa: E402
from nndl_backprop.plots import (  # noqa: E402
    plot_batch_timing,
    plot_examples,
    plot_history,
    plot_mistakes,
)
from nndl_backprop.training import mistakes  # noqa: E402
from nndl_backprop.widgets.algorithm import algorithm_steps, build_backprop_stepper_demo  # noqa: E402
from nndl_backprop.widgets.bigpicture import build_path_count_demo, build_paths_demo  # noqa: E402
from nndl_backprop.widgets.minibatch import BATCH_SIZES, build_batch_demo  # noqa: E402
from nndl_backprop.widgets.proofs import build_chain_rule_demo  # noqa: E402
from nndl_backprop.widgets.registry import DEMOS  # noqa: E402
from nndl_backprop.widgets.speed import WIDTHS, build_speed_demo  # noqa: E402
from nndl_backprop.widgets.training import build_training_demo  # noqa: E402

pytestmark = pytest.mark.filterwarnings("error")
MODULES = sorted({d.module for d in DEMOS})


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def digits():
    """Ten noisy 8×8 prototypes in the book's format: learnable, and fast to make."""
    rng = np.random.default_rng(0)
    prototypes = rng.random((10, 64))

    def example(label):
        return np.clip(prototypes[label] + 0.35 * rng.standard_normal(64), 0, 1).reshape(64, 1)

    labels = rng.integers(0, 10, size=400)
    training = [(example(k), np.eye(10)[:, k : k + 1]) for k in labels[:300]]
    test = [(example(k), int(k)) for k in labels[300:]]
    return training, test


# ----- 06: the proofs -----------------------------------------------------------------------
def test_chain_rule_every_step_agrees_for_every_layer_neuron_and_sigma():
    demo = build_chain_rule_demo()
    seen = set()
    for activation in ("sigmoid", "tanh"):
        for layer in (2, 3, 4):
            for j in (1, 2, 3, 4):
                state = demo.set(layer=layer, j=j, activation=activation)
                if j <= (4, 4, 3)[layer - 2]:
                    assert demo.error is None
                else:  # cut back to the layer's width, and the status line says so
                    assert f"j = {j} is more than its largest value here" in demo.error
                assert_finite(state)
                assert state["spread"] < 1e-7  # every line of the proof gives the same number
                assert state["j"] == min(j, demo.controls["j"].max)
                np.testing.assert_allclose(state["terms"], state["closed_terms"], atol=1e-7)
                seen.add(round(state["values"][0], 8))
                shown = [t.get_text() for t in demo.figures[0].axes[1].texts]
                assert shown == [s.eq for s in state["steps"]]  # each line's equation beside it
                if layer == 4:  # eq. (38): only the k = j term of (37) survives
                    others = np.delete(state["terms"], state["j"] - 1)
                    assert np.all(np.abs(others) < 1e-8)
    assert len(seen) > 10  # the value moves with layer, neuron and σ


def test_chain_rule_example_slider_changes_the_numbers():
    demo = build_chain_rule_demo()
    first = demo.set(example=0)["values"][0]
    last = demo.set(example=demo.controls["example"].max)["values"][0]
    assert first != pytest.approx(last)


# ----- 07: the algorithm --------------------------------------------------------------------
def test_stepper_reveals_one_quantity_per_step_in_the_algorithms_order():
    demo = build_backprop_stepper_demo()
    steps = algorithm_steps(4)
    assert demo.controls["step"].max == len(steps) - 1
    shown_before = 0
    zs, activations, ds = demo_net(demo).deltas(*demo_xy(demo))
    for s in range(len(steps)):
        state = demo.set(step=s)
        assert_finite(state)
        assert len(state["shown"]) >= shown_before
        shown_before = len(state["shown"])
        step = state["step"]
        if step.panel == "delta":
            np.testing.assert_allclose(state["vector"], ds[step.layer - 2][:, 0])
        elif step.panel == "z":
            np.testing.assert_allclose(state["vector"], zs[step.layer - 2][:, 0])
    # the deltas come backward from the output: layer 4, then 3, then 2
    delta_layers = [st.layer for st in steps if st.panel == "delta"]
    assert delta_layers == [4, 3, 2]


def demo_net(demo):
    return Network([3, 4, 3, 2], seed=1)


def demo_xy(demo):
    rng = np.random.default_rng(1)
    return rng.random((3, 1)), np.eye(2)[:, :1]


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "linear"])
def test_stepper_gradient_is_right_for_every_activation_and_modified_neuron(activation):
    demo = build_backprop_stepper_demo()
    last = demo.controls["step"].max
    grads = []
    for modified in demo.controls["modified"].options:
        state = demo.set(step=last, activation=activation, modified=modified)
        assert demo.error is None
        assert state["gradcheck_error"] < 1e-6
        grads.append(state["nabla_w"][0][1, 0])  # w^2 of neuron 2: upstream of the change
    assert len({round(g, 12) for g in grads}) > 1  # changing f at neuron (3, 2) changes ∇C


# ----- 08: the mini-batch -------------------------------------------------------------------
def test_batch_demo_matrix_equals_loop_at_every_m():
    demo = build_batch_demo()
    for hidden in (10, 100):
        for m in (BATCH_SIZES[0], BATCH_SIZES[-1]):
            state = demo.set(hidden=hidden, m=m)
            assert_finite(state)
            assert state["rel_error"] < 1e-12
            assert state["heights"] == pytest.approx(
                [1e3 * state["loop_s"], 1e3 * state["matrix_s"]]
            )
    small = demo.set(hidden=10, m=1)["loop_s"]
    large = demo.set(hidden=10, m=100)["loop_s"]
    assert large > 10 * small  # a hundred backprops in a loop cost far more than one


def test_plot_batch_timing_draws_both_series():
    from nndl_backprop.timing import time_batches

    timing = time_batches([5, 4, 3], [1, 4, 16], repeat=1)
    shown = plot_batch_timing(timing)
    ax_time, ax_gain = shown.fig.axes
    assert len(ax_time.get_lines()) == 2
    assert list(ax_gain.get_lines()[0].get_xdata()) == [1, 4, 16]
    # The text alternative states the picture's numbers, and is the image's alt text.
    assert f"largest {max(timing.speedup):.1f}×" in shown.text
    bundle = shown._repr_mimebundle_()
    assert bundle["text/plain"] == shown.text and 'alt="Two panels' in bundle["text/html"]


# ----- 09: why backprop is fast -------------------------------------------------------------
def test_speed_demo_counts_p_plus_one_passes_growing_with_size():
    demo = build_speed_demo()
    previous = 0
    for layers in (1, 3):
        for width in (WIDTHS[0], WIDTHS[-1]) if layers == 3 else WIDTHS:
            state = demo.set(width=width, hidden_layers=layers)
            assert_finite(state)
            sizes = state["sizes"]
            P = sum(b * (a + 1) for a, b in zip(sizes[:-1], sizes[1:]))
            assert state["n_params"] == P and state["fd_passes"] == P + 1
            assert state["ratio"] > 1
            if layers == 1:
                assert P > previous
                previous = P


# ----- 10: the big picture ------------------------------------------------------------------
def test_paths_demo_sum_over_paths_equals_backprop_for_every_weight_and_path():
    demo = build_paths_demo()
    sizes = [2, 3, 3, 2]
    for layer in (2, 3, 4):
        for j in range(1, 4):
            for k in range(1, 4):
                for path in (1, 99):
                    state = demo.set(layer=layer, j=j, k=k, path=path)
                    if path == 1 and j <= sizes[layer - 1] and k <= sizes[layer - 2]:
                        assert demo.error is None
                    else:  # cut back to what exists here, and the status line says so
                        assert "is more than its largest value here" in demo.error
                    assert_finite(state)
                    assert state["n_paths"] == count_paths(sizes, layer)
                    assert state["path_sum"] == pytest.approx(state["backprop"], abs=1e-12)
                    assert state["rate"] == pytest.approx(math.prod(state["factors"]))
                    jj = min(j, sizes[layer - 1])
                    kk = min(k, sizes[layer - 2])
                    assert state["neurons"][0] == jj
                    assert (layer, jj, kk) in state["edges"]
                    if path == 99:  # clamped to the last path
                        assert demo.controls["path"].value == state["n_paths"]


def test_path_count_grows_with_depth_and_width_backprop_does_not_explode():
    demo = build_path_count_demo()
    for width in (2, 100):
        counts = []
        for h in (1, 2, 30):
            state = demo.set(width=width, hidden_layers=h)
            assert_finite(state)
            assert state["n_paths"] == width ** (h - 1) * 10
            counts.append(state["n_paths"])
        assert counts == sorted(counts)
    assert demo.set(width=100, hidden_layers=30)["log10_paths"] == pytest.approx(59)
    assert demo.state["n_params"] < 10**6  # while the gradient itself stays cheap


# ----- 11: training -------------------------------------------------------------------------
def test_training_demo_learns_and_reports_consistent_numbers(digits):
    training_data, test_data = digits
    demo = build_training_demo(training_data, test_data)
    one = demo.set(epochs=1, mini_batch_size=10, eta=3.0)
    ten = demo.set(epochs=10)
    for state in (one, ten):
        assert_finite(state)
        assert len(state["accuracy"]) == len(state["epochs"])
        n_right = round(state["accuracy"][-1] / 100 * len(test_data))
        assert state["n_mistakes"] == len(test_data) - n_right
    assert ten["accuracy"][-1] > one["accuracy"][-1]
    assert ten["cost"][-1] < one["cost"][-1]
    for kw in (
        {"eta": 0.1},
        {"eta": 10.0},
        {"hidden": 5},
        {"hidden": 60},
        {"mini_batch_size": 1, "epochs": 1},
        {"mini_batch_size": 100},
    ):
        assert_finite(demo.set(**kw))
        assert demo.error is None


def test_mistakes_and_their_plot(digits):
    training_data, test_data = digits
    net = Network([64, 10, 10], seed=0)
    wrong = mistakes(net, test_data)
    assert all(int(np.argmax(net.feedforward(x))) == guess != label for _, x, label, guess in wrong)
    shown = plot_mistakes(net, test_data, n=8)
    assert sum(ax.axison for ax in shown.fig.axes) == min(8, len(wrong))
    assert f"of the {len(wrong)} test images" in shown.text
    examples = plot_examples(training_data, n=4)
    titles = [ax.get_title() for ax in examples.fig.axes[:4]]
    assert titles == [str(int(np.argmax(y))) for _, y in training_data[:4]]
    assert examples.text.endswith(", ".join(titles) + ".")
    history = net.SGD(training_data, 2, 10, 3.0, test_data=test_data, progress=False)
    drawn = plot_history(history)
    assert len(drawn.fig.axes[0].get_lines()[0].get_xdata()) == 2
    assert f"{100 * history.accuracy[-1]:.1f} %" in drawn.text


# ----- every module: latency cases name real builders and controls --------------------------
@pytest.mark.parametrize("name", MODULES)
def test_latency_cases_name_real_builders_and_controls(name):
    module = importlib.import_module(f"nndl_backprop.widgets.{name}")
    assert module.LATENCY_CASES
    for builder, cases in module.LATENCY_CASES:
        assert builder.startswith("build_") and callable(getattr(module, builder))
        controls = _controls_of(module, builder)
        for case in cases:
            assert set(case) <= controls, (builder, case)


def _controls_of(module, builder):
    if builder == "build_training_demo":  # skip the training run: the names are what matter
        return {"hidden", "eta", "epochs", "mini_batch_size"}
    return set(getattr(module, builder)().controls)


# ----- every blitting demo: a partial frame is pixel for pixel a full render ----------------
# Every demo but the two that train (each has its own frame test below and in part 1).
BLITTING = [
    (d.module, d.builder)
    for d in DEMOS
    if d.builder not in ("build_training_demo", "build_slow_learning_demo")
]


def _extremes(control) -> list:
    """The last and the first value a control offers (its options, or its min and max)."""
    if hasattr(control, "options"):
        values = list(control._options_values)
        return [values[-1], values[0]]
    return [control.max, control.min]


@pytest.mark.parametrize(("name", "builder"), BLITTING, ids=[b for _, b in BLITTING])
def test_blitted_frame_equals_a_full_render(name, builder):
    """After each update the picture (background + redrawn artists) equals a full redraw,
    including on returning to a setting seen before (a cached background)."""
    demo = offscreen(getattr(importlib.import_module(f"nndl_backprop.widgets.{name}"), builder)())
    fig = demo.figures[0]
    for _ in range(2):
        for control_name, control in demo.controls.items():
            for value in _extremes(control):
                demo.set(**{control_name: value})
                assert fig in demo.stage.current, "the figure blits"
                blitted = np.asarray(fig.canvas.buffer_rgba()).copy()
                fig.canvas.draw()
                full = np.asarray(fig.canvas.buffer_rgba())
                assert np.array_equal(blitted, full), f"{control_name}={value!r}: frames differ"


# Updates one after another with no full render between them (the test above renders fully
# after each one): cached backgrounds, kept cell pictures and labels must still add up to a
# full render's picture at every point.
SEQUENCES = {
    "build_backprop_stepper_demo": [
        *({"step": s} for s in range(11)),
        {"step": 3},
        {"activation": "tanh"},
        {"step": 10},
        {"modified": "relu"},
        {"activation": "sigmoid", "modified": "none"},
        {"step": 5},
        {"activation": "tanh"},
    ],
    "build_chain_rule_demo": [
        {"layer": 2},
        {"j": 3},
        {"activation": "tanh"},
        {"layer": 3},
        {"example": 7},
        {"activation": "sigmoid"},
        {"layer": 4},
        {"layer": 2, "j": 4},
        {"activation": "tanh"},
        {"layer": 4},
    ],
}


@pytest.mark.parametrize(
    ("name", "builder"),
    [("algorithm", "build_backprop_stepper_demo"), ("proofs", "build_chain_rule_demo")],
)
@pytest.mark.parametrize("n_updates", [3, 6, 9, 12, 100])
def test_frame_after_a_run_of_updates_equals_a_full_render(name, builder, n_updates):
    demo = offscreen(getattr(importlib.import_module(f"nndl_backprop.widgets.{name}"), builder)())
    fig = demo.figures[0]
    for values in SEQUENCES[builder][:n_updates]:
        demo.set(**values)
        assert demo.error is None
    blitted = np.asarray(fig.canvas.buffer_rgba()).copy()
    fig.canvas.draw()
    assert np.array_equal(blitted, np.asarray(fig.canvas.buffer_rgba()))


def test_stepper_redraws_only_changed_cells_inside_their_own_boxes():
    """Each cell's square (with its thickest outline) and number stay inside its box, which
    no other cell's box overlaps: redrawing or copying one box cannot touch another cell."""
    demo = offscreen(build_backprop_stepper_demo())
    fig = demo.figures[0]
    blit, renderer = last_blit(demo), fig.canvas.get_renderer()
    last = demo.controls["step"].max
    for activation in demo.controls["activation"].options:
        for modified in demo.controls["modified"].options:
            demo.set(step=last, activation=activation, modified=modified)
            for key, (patch, text) in blit.cells.items():
                x0, y0, x1, y1 = blit._extents[key]
                outline = 3.5 * fig.dpi / 72 / 2  # half the current step's outline width
                for box in (
                    patch.get_window_extent(renderer).padded(outline),
                    text.get_window_extent(renderer),
                ):
                    # a pixel to spare, so the row two boxes may share stays blank
                    assert x0 + 1 <= box.x0 and box.x1 <= x1 - 1, key
                    assert y0 + 1 <= box.y0 and box.y1 <= y1 - 1, key
    boxes = list(blit._extents.values())
    for i, (ax0, ay0, ax1, ay1) in enumerate(boxes):
        for bx0, by0, bx1, by1 in boxes[i + 1 :]:
            overlap_x = min(ax1, bx1) - max(ax0, bx0)
            overlap_y = min(ay1, by1) - max(ay0, by0)
            assert overlap_x <= 1 or overlap_y <= 1  # neighbours may share one row of pixels
    state = demo.set(step=0)
    assert not last_blit(demo).last_full and state["shown"] == [("a", 1)]


def test_training_blits_and_remembers_each_run(digits):
    """A setting seen before is not trained again, and its frame is still a full render's."""
    demo = offscreen(build_training_demo(*digits))
    fig = demo.figures[0]
    for kw in ({"epochs": 1}, {"hidden": 5}, {"epochs": 2}, {"hidden": 30, "epochs": 1}):
        state = demo.set(**kw)
        blitted = np.asarray(fig.canvas.buffer_rgba()).copy()
        fig.canvas.draw()
        assert np.array_equal(blitted, np.asarray(fig.canvas.buffer_rgba())), kw
    assert not state["measured_now"], "hidden=30, epochs=1 was trained first: remembered"
    first = demo.set(hidden=10, epochs=1)
    again = demo.set(hidden=10, epochs=1)
    assert first["measured_now"] and not again["measured_now"]
    np.testing.assert_array_equal(again["accuracy"], first["accuracy"])

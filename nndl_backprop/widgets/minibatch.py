"""Notebook 08: the per-example loop against the fully matrix-based mini-batch, measured."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import Network, gradient_by_loop, relative_error
from ..plots import PALETTE, new_figure
from ..timing import best_time
from .base import LABEL_STYLE, Demo, laid_out_demo, update_on_release
from .readout import Readout
from .render import Stage

BATCH_SIZES = (1, 2, 5, 10, 20, 50, 100)


def build_batch_demo(n_in: int = 64, n_out: int = 10, seed: int = 0) -> Demo:
    """The per-example loop against one matrix backprop, compared and timed live.

    Pick the hidden width and the mini-batch size m; both gradients are computed, checked
    against each other and timed.
    """
    stage = Stage()
    controls = {
        "hidden": widgets.IntSlider(
            30, min=10, max=100, step=10, description="hidden neurons", style=LABEL_STYLE
        ),
        "m": widgets.SelectionSlider(
            options=BATCH_SIZES, value=10, description="mini-batch m", style=LABEL_STYLE
        ),
    }
    update_on_release(controls)  # each new setting is measured: only the one let go
    fig, ax = new_figure(figsize=(7, 4), layout="constrained")
    # zorder 2: over the grid, so the bars redrawn alone give what a full render gives.
    bars = ax.bar(
        ["loop", "matrix"], [1.0, 1.0], color=[PALETTE["orange"], PALETTE["blue"]], zorder=2
    )
    ax.set(ylabel="ms per mini-batch")
    # Laid out once, for tick labels as wide as they get ("0.030" ms), then fixed: each
    # setting has its own background, and the bars must land where any of them put the axes.
    ax.set_ylim(0, 0.0333)
    ax.set_title(f"network [{n_in}, 100, {n_out}], m = 100", fontsize=14)
    fig.get_layout_engine().execute(fig)
    fig.set_layout_engine("none")
    readout, status = Readout(), widgets.HTML()
    rng = np.random.default_rng(seed)
    X_all, Y_all = rng.random((n_in, max(BATCH_SIZES))), rng.random((n_out, max(BATCH_SIZES)))
    # Each setting is timed once and remembered, with its picture's background (its scale and
    # title), so moving a slider back to a setting shows the same numbers at once.
    measured, blits = {}, {}

    def measure(hidden, m):
        net = Network([n_in, hidden, n_out], seed=seed)
        X, Y = X_all[:, :m], Y_all[:, :m]  # (n_in, m), (n_out, m)
        err = relative_error(gradient_by_loop(net, X, Y), net.backprop_batch(X, Y))
        loop = best_time(lambda: gradient_by_loop(net, X, Y))
        matrix = best_time(lambda: net.backprop_batch(X, Y))
        return loop, matrix, err

    def update(hidden, m):
        fresh = (hidden, m) not in measured
        if fresh:
            readout.working(f"timing the loop and the matrix form, m = {m} …")
            measured[(hidden, m)] = measure(hidden, m)
        loop, matrix, err = measured[(hidden, m)]
        for bar, seconds in zip(bars, (loop, matrix)):
            bar.set_height(1e3 * seconds)
        ax.set_ylim(0, 1.2e3 * max(loop, matrix))
        ax.set_title(f"network [{n_in}, {hidden}, {n_out}], m = {m}", fontsize=14)
        stage.keyed_blit(fig, blits, (hidden, m), bars)()
        readout.figure = (
            f"Two bars of time: the loop over examples {1e3 * loop:.3f} ms, the matrix form "
            f"{1e3 * matrix:.3f} ms, network [{n_in}, {hidden}, {n_out}], m = {m}."
        )
        readout.value = (
            "<div style='font-size:17px;line-height:1.6'>"
            f"loop: <b>{1e3 * loop:.3f} ms</b>, matrix: <b>{1e3 * matrix:.3f} ms</b>, "
            f"speed-up <b>{loop / matrix:.1f}×</b><br>"
            f"the two gradients agree to a relative error of {err:.1e}</div>"
        )
        return {
            "loop_s": loop,
            "matrix_s": matrix,
            "speedup": loop / matrix,
            "rel_error": err,
            "heights": [b.get_height() for b in bars],
            "measured_now": fresh,  # timed in this update (the benchmark reports these apart)
        }

    return laid_out_demo(controls, update, fig, readout, status, stage=stage)


LATENCY_CASES = [
    ("build_batch_demo", [{"m": m} for m in BATCH_SIZES] + [{"hidden": h} for h in (10, 100)]),
]

"""Notebook 09: eq. (46) against backprop, counted in forward passes and measured in seconds."""

from __future__ import annotations

import ipywidgets as widgets

from ..plots import PALETTE, new_figure
from ..timing import gradient_cost
from .base import LABEL_STYLE, Demo, laid_out_demo, update_on_release
from .readout import Readout
from .render import Stage

WIDTHS = (2, 4, 8, 16, 32)


def build_speed_demo(n_in: int = 10, n_out: int = 10, seed: int = 0) -> Demo:
    """Eq. (46) against backprop on one network: forward passes counted, seconds measured.

    Choose the width and number of hidden layers; the forward passes each method needs are
    counted and both are timed on that network.
    """
    stage = Stage()
    controls = {
        "width": widgets.SelectionSlider(
            options=WIDTHS, value=8, description="hidden width", style=LABEL_STYLE
        ),
        "hidden_layers": widgets.IntSlider(
            1, min=1, max=3, description="hidden layers", style=LABEL_STYLE
        ),
    }
    update_on_release(controls)  # each new setting is measured: only the one let go
    fig, (ax_passes, ax_time) = new_figure(1, 2, figsize=(11, 4.2), layout="constrained")
    labels = ["finite differences (46)", "backprop"]
    colors = [PALETTE["vermillion"], PALETTE["blue"]]
    # zorder 2: over the grid, so the bars redrawn alone give what a full render gives.
    pass_bars = ax_passes.bar(labels, [1, 1], color=colors, zorder=2)
    time_bars = ax_time.bar(labels, [1, 1], color=colors, zorder=2)
    # Two lines: on one, the label is taller than the axes and is cut off.
    ax_passes.set(yscale="log", ylabel="forward passes\n(backprop: 1 + 1 backward)")
    ax_time.set(yscale="log", ylabel="ms per gradient")
    # Laid out once, for tick labels as wide as they get, then fixed: each network has its
    # own background, and the bars must land where any of them put the axes.
    ax_passes.set_ylim(1, 1e4)
    ax_passes.set_title(f"network {[n_in, *[WIDTHS[-1]] * 3, n_out]}", fontsize=14)
    ax_time.set_ylim(1e-3, 1e2)
    fig.get_layout_engine().execute(fig)
    fig.set_layout_engine("none")
    readout, status = Readout(), widgets.HTML()
    # Each network is timed once and remembered, with its picture's background (its scales and
    # title), so moving a slider back to a network shows the same numbers at once.
    measured, blits = {}, {}

    def update(width, hidden_layers):
        sizes = [n_in] + [width] * hidden_layers + [n_out]
        key = tuple(sizes)
        fresh = key not in measured
        if fresh:
            readout.working(f"timing eq. (46) and backprop on network {sizes} …")
            measured[key] = gradient_cost(sizes, seed=seed, repeat=2)
        cost = measured[key]
        pass_bars[0].set_height(cost.fd_passes)
        pass_bars[1].set_height(2)
        ax_passes.set_ylim(1, cost.fd_passes * 3)
        time_bars[0].set_height(1e3 * cost.fd_seconds)
        time_bars[1].set_height(1e3 * cost.bp_seconds)
        ax_time.set_ylim(1e3 * cost.bp_seconds / 3, 1e3 * cost.fd_seconds * 3)
        ax_passes.set_title(f"network {sizes}", fontsize=14)
        stage.keyed_blit(fig, blits, key, [*pass_bars, *time_bars])()
        readout.figure = (
            f"Bars on log scales: forward passes ({cost.fd_passes:,} for eq. 46, 2 for "
            f"backprop) and times ({1e3 * cost.fd_seconds:.2f} ms against "
            f"{1e3 * cost.bp_seconds:.3f} ms), network {sizes}."
        )
        readout.value = (
            "<div style='font-size:17px;line-height:1.6'>"
            f"P = <b>{cost.n_params:,}</b> weights and biases. Eq. (46) needs "
            f"<b>{cost.fd_passes:,}</b> forward passes (P + 1); backprop one forward and one "
            f"backward pass.<br>Measured: {1e3 * cost.fd_seconds:.2f} ms against "
            f"{1e3 * cost.bp_seconds:.3f} ms, backprop <b>{cost.ratio:,.0f}×</b> faster.</div>"
        )
        return {
            "sizes": sizes,
            "n_params": cost.n_params,
            "fd_passes": cost.fd_passes,
            "fd_s": cost.fd_seconds,
            "bp_s": cost.bp_seconds,
            "ratio": cost.ratio,
            "measured_now": fresh,  # timed in this update (the benchmark reports these apart)
        }

    return laid_out_demo(controls, update, fig, readout, status, stage=stage)


LATENCY_CASES = [
    ("build_speed_demo", [{"width": w} for w in WIDTHS[:4]] + [{"hidden_layers": 2, "width": 8}]),
]

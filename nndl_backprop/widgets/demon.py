"""Notebook 03: the demon nudges z^l_j by Δz; the measured ΔC against δ^l_j Δz (eq. 29)."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import LogLocator

from .. import Network, demon
from ..demon import demon_curves
from ..plots import PALETTE, new_figure
from .base import LABEL_STYLE, Demo, laid_out_demo
from .readout import Readout, number
from .render import Stage

DZ_MAX = 1.0
NEAR_OPTIMAL = 0.002  # |δ| below this: the demon can hardly change the cost


def build_demon_demo(sizes=(3, 4, 3, 2), seed: int = 2) -> Demo:
    """The demon's nudge Δz at neuron j of layer l: measured ΔC against δ^l_j Δz (eq. 29).

    Sliders pick l, j and Δz; a line plot shows the measured ΔC beside δ^l_j Δz, and
    log-log axes the gap |ΔC − δ Δz| beside a line of slope 2.
    """
    stage = Stage()
    net = Network(list(sizes), seed=seed)
    rng = np.random.default_rng(seed)
    x, y = rng.random((net.sizes[0], 1)), np.eye(net.sizes[-1])[:, :1]  # target: class 1
    controls = {
        "layer": widgets.IntSlider(
            2, min=2, max=net.num_layers, description="layer l", style=LABEL_STYLE
        ),
        "j": widgets.IntSlider(
            1, min=1, max=net.sizes[1], description="neuron j", style=LABEL_STYLE
        ),
        "dz": widgets.FloatSlider(
            0.5, min=-DZ_MAX, max=DZ_MAX, step=0.01, description="Δz", style=LABEL_STYLE
        ),
    }
    line_dz = np.linspace(-DZ_MAX, DZ_MAX, 81)
    log_dz = np.logspace(-4, 0, 25) * DZ_MAX
    fig, (ax, ax_gap) = new_figure(1, 2, figsize=(11, 4.5))
    (measured_line,) = ax.plot([], [], color=PALETTE["blue"], label="measured ΔC")
    (predicted_line,) = ax.plot([], [], "--", color=PALETTE["orange"], label="δ Δz (first order)")
    (measured_dot,) = ax.plot([], [], "o", color=PALETTE["blue"], markersize=10)
    (predicted_dot,) = ax.plot([], [], "s", color=PALETTE["orange"], markersize=9)
    ax.axhline(0, color="black", linewidth=0.8, zorder=1.8)  # under the curves, which blit
    ax.axvline(0, color="black", linewidth=0.8, zorder=1.8)
    ax.set(xlabel="demon's change Δz", ylabel="change in cost ΔC", xlim=(-DZ_MAX, DZ_MAX))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2)  # outside: not redrawn
    (gap_line,) = ax_gap.loglog([], [], color=PALETTE["green"], label="gap |ΔC − δ Δz|")
    (slope_line,) = ax_gap.loglog([], [], ":", color="gray", label="slope 2 (∝ Δz²)")
    (gap_dot,) = ax_gap.loglog([], [], "o", color=PALETTE["green"], markersize=10)
    ax_gap.set(xlabel="|Δz|", ylabel="gap", xlim=(log_dz[0], log_dz[-1]))
    ax_gap.minorticks_off()  # fewer tick labels: each costs render time on every full redraw
    ax_gap.yaxis.set_major_locator(LogLocator(numticks=5))
    ax_gap.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2)
    # A plain text, not ax.set_title: matplotlib moves a hidden title off the figure when it
    # renders the background for blitting.
    title = ax.text(0.5, 1.03, "", transform=ax.transAxes, ha="center", va="bottom", fontsize=15)
    ax_gap.set_title("the gap shrinks like Δz²", fontsize=15)
    fig.tight_layout()
    # Every neuron's curves, computed once (a few hundred short forward passes), so that the
    # axis limits can be fixed: ΔC shares one scale within a layer, the gap one for all.
    curves = {}
    for layer in range(2, net.num_layers + 1):
        for j in range(1, net.sizes[layer - 1] + 1):
            measured, delta = demon_curves(net, x, y, layer, j, line_dz)
            up, _ = demon_curves(net, x, y, layer, j, log_dz)
            down, _ = demon_curves(net, x, y, layer, j, -log_dz)
            # The larger of the two one-sided gaps, floored so log axes never see zero.
            gap = np.maximum(
                np.maximum(abs(up - delta * log_dz), abs(down + delta * log_dz)), 1e-18
            )
            curves[(layer, j)] = (measured, delta, gap)
    span = {
        layer: 1.1 * max(max(np.abs(m).max(), abs(d) * DZ_MAX) for m, d, _ in group)
        for layer in range(2, net.num_layers + 1)
        for group in [[v for (l, _), v in curves.items() if l == layer]]
    }
    gaps = np.array([g for _, _, g in curves.values()])
    ax_gap.set_ylim(gaps.min() / 30, gaps.max() * 3)
    changing = [measured_line, predicted_line, measured_dot, predicted_dot, title]
    changing += [gap_line, slope_line, gap_dot]
    blits = {}  # one background per layer (its scale of ΔC): a layer seen before only blits
    readout, status = Readout(), widgets.HTML()

    def update(layer, j, dz):
        j = stage.fit_slider(controls["j"], net.sizes[layer - 1])
        measured, delta, gap = curves[(layer, j)]
        result = demon(net, x, y, layer, j, dz)
        measured_line.set_data(line_dz, measured)
        predicted_line.set_data(line_dz, delta * line_dz)
        measured_dot.set_data([dz], [result.measured])
        predicted_dot.set_data([dz], [result.predicted])
        ax.set_ylim(-span[layer], span[layer])
        title.set_text(f"demon at neuron {j} of layer {l_name(layer, net)}")
        gap_line.set_data(log_dz, gap)
        slope_line.set_data(log_dz, gap[-1] / 10 * (log_dz / log_dz[-1]) ** 2)  # offset to be seen
        gap_dot.set_data(([abs(dz)], [result.gap]) if dz != 0 else ([], []))
        stage.keyed_blit(fig, blits, layer, changing)()
        best = -np.sign(delta) * abs(dz)
        verdict = (
            f"|δ| &lt; {NEAR_OPTIMAL}: no small Δz changes the cost much; "
            "this neuron is near optimal."
            if abs(delta) < NEAR_OPTIMAL
            else f"best move: Δz of sign {'−' if delta > 0 else '+'} (opposite to δ); "
            f"Δz = {best:+.2f} would change C by about {-abs(delta * dz):+.4f}."
        )
        readout.figure = (
            f"Left: the demon at neuron {j} of layer {l_name(layer, net)}; measured ΔC against Δz "
            f"follows the dashed line δΔz with δ = {number(delta)}; at Δz = {number(dz, '+.2f')}, "
            f"ΔC = {number(result.measured, '+.6f')} measured, "
            f"δΔz = {number(result.predicted, '+.6f')} predicted. Right, on log-log axes: the gap "
            f"|ΔC − δΔz|, {number(result.gap, '.1e')} here, falls like Δz² (dotted slope 2)."
        )
        readout.value = (
            f"<div style='font-size:18px;line-height:1.6'>δ<sup>{layer}</sup><sub>{j}</sub> = "
            f"∂C/∂z<sup>{layer}</sup><sub>{j}</sub> = <b>{delta:+.4f}</b><br>"
            f"measured ΔC = <b>{result.measured:+.6f}</b>, "
            f"predicted δΔz = <b>{result.predicted:+.6f}</b>, "
            f"gap = {result.gap:.2e}<br>{verdict}</div>"
        )
        return {
            "delta": delta,
            "measured": result.measured,
            "predicted": result.predicted,
            "gap": result.gap,
            "best_dz": float(best),
            "near_optimal": abs(delta) < NEAR_OPTIMAL,
            "curve_measured": measured,
            "gap_curve": gap,
            "log_dz": log_dz,
        }

    demo = laid_out_demo(controls, update, fig, readout, status, stage=stage)
    demo.net, demo.x, demo.y = net, x, y
    return demo


def l_name(layer: int, net) -> str:
    """'3' or '4 (output)': the layer's number, and whether it is the output layer L."""
    return f"{layer} (output)" if layer == net.num_layers else str(layer)


LATENCY_CASES = [
    (
        "build_demon_demo",
        [{"dz": dz} for dz in np.linspace(-DZ_MAX, DZ_MAX, 21)]
        + [{"layer": l, "j": j} for l in (2, 3, 4) for j in (1, 2, 3) if j <= (4, 3, 2)[l - 2]],
    )
]

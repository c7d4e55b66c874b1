"""Notebook 04: δ^l of every layer and ∂C/∂w^l = δ^l (a^{l−1})^T as heat maps (BP1–BP4).

Each layer l is drawn as an outer product: the column δ^l on the left, the row a^{l−1} on top
and the matrix ∂C/∂w^l between them, so the chosen weight's cell sits where the row of
δ_out meets the column of a_in (eq. 32).
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Rectangle

from .. import Network, get_cost
from ..gradcheck import numerical_derivative
from ..plots import DIVERGING_CMAP, PALETTE, new_figure
from .base import COST_NAMES, LABEL_STYLE, Demo, laid_out_demo
from .readout import Readout
from .render import Stage

CELL_EDGE = "#555555"  # the outline of every heat-map cell


def _layer_axes(fig, outer, n_in: int, n_out: int):
    """(corner, a-row, δ-column, matrix) axes of one layer's block, without ticks."""
    inner = outer.subgridspec(
        2, 2, width_ratios=[1, n_in], height_ratios=[1, n_out], wspace=0.08, hspace=0.08
    )
    axes = [fig.add_subplot(inner[r, c]) for r, c in ((0, 0), (0, 1), (1, 0), (1, 1))]
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    axes[0].set_axis_off()
    return axes


def build_equations_demo(sizes=(3, 4, 3, 2), seed: int = 3) -> Demo:
    """Heat maps of δ^l and ∂C/∂w^l for every layer, with one weight's a_in and δ_out outlined.

    Sliders set the input x, a target class and the cost; l, j, k pick the weight (eq. 32).
    """
    stage = Stage()
    net = Network(list(sizes), seed=seed)
    L = net.num_layers
    controls = {
        f"x{i + 1}": widgets.FloatSlider(
            0.5, min=0.0, max=1.0, step=0.05, description=f"x{i + 1}", style=LABEL_STYLE
        )
        for i in range(net.sizes[0])
    }
    controls["target"] = widgets.Dropdown(
        options=list(range(1, net.sizes[-1] + 1)), description="target class"
    )
    controls["cost"] = widgets.Dropdown(options=list(COST_NAMES), description="cost")
    controls["layer"] = widgets.IntSlider(
        L, min=2, max=L, description="weight: l", style=LABEL_STYLE
    )
    controls["j"] = widgets.IntSlider(
        1, min=1, max=net.sizes[-1], description="j", style=LABEL_STYLE
    )
    controls["k"] = widgets.IntSlider(
        1, min=1, max=net.sizes[-2], description="k", style=LABEL_STYLE
    )
    fig, _ = new_figure(figsize=(11, 4.2))
    fig.delaxes(fig.axes[0])
    outer = fig.add_gridspec(1, L - 1, width_ratios=[n + 1 for n in net.sizes[:-1]], wspace=0.25)
    blocks = []
    for i in range(L - 1):
        n_in, n_out = net.sizes[i], net.sizes[i + 1]
        corner, ax_a, ax_d, ax_w = _layer_axes(fig, outer[i], n_in, n_out)
        corner.text(0.5, 0.5, f"layer {i + 2}", ha="center", va="center", fontsize=14)
        # pcolormesh, not imshow: a few vector cells redraw faster than a resampled image.
        # Each cell has a thin outline (one row of a^1 shows its n_in entries, not one bar);
        # the outlines frame each map, so the axes' own frames (36 lines redrawn over the
        # maps at every step) are hidden.
        mesh = {"edgecolors": CELL_EDGE, "linewidth": 0.8}
        block = {
            "a": ax_a.pcolormesh(np.zeros((1, n_in)), cmap="Greys", vmin=0, vmax=1, **mesh),
            "d": ax_d.pcolormesh(np.zeros((n_out, 1)), cmap=DIVERGING_CMAP, **mesh),
            "w": ax_w.pcolormesh(np.zeros((n_out, n_in)), cmap=DIVERGING_CMAP, **mesh),
            "marks": [
                ax.add_patch(Rectangle((0, 0), 1, 1, fill=False, lw=3.5, ec=PALETTE["orange"]))
                for ax in (ax_a, ax_d, ax_w)
            ],
        }
        for ax in (ax_a, ax_d, ax_w):
            ax.invert_yaxis()  # row j = 1 at the top, as in the matrix
            ax.spines[:].set_visible(False)
        ax_a.set_title(f"$a^{{{i + 1}}}$ (a_in row)", fontsize=13)
        ax_d.set_ylabel(f"$\\delta^{{{i + 2}}}$", fontsize=15)
        ax_w.set_xlabel(f"$\\partial C/\\partial w^{{{i + 2}}}$", fontsize=15)
        blocks.append(block)
    blit = stage.blit(fig, [a for b in blocks for a in (b["a"], b["d"], b["w"], *b["marks"])])
    readout, status = Readout(), widgets.HTML()

    def update(**values):
        l = values["layer"]
        j = stage.fit_slider(controls["j"], net.sizes[l - 1])
        k = stage.fit_slider(controls["k"], net.sizes[l - 2])
        net.cost = get_cost(COST_NAMES[values["cost"]])  # the net is all sigmoid: both costs fit
        x = np.array([[values[f"x{i + 1}"]] for i in range(net.sizes[0])])  # (n_in, 1)
        y = np.zeros((net.sizes[-1], 1))
        y[values["target"] - 1] = 1.0
        _, activations, ds = net.deltas(x, y)
        nabla_w = [d @ a.T for d, a in zip(ds, activations[:-1])]  # BP4: (n_l, 1) @ (1, n_{l-1})
        scales = []
        for i, block in enumerate(blocks):
            m = max(np.abs(ds[i]).max(), 1e-12)  # one symmetric scale per layer, centred at 0
            scales.append(m)
            block["a"].set_array(activations[i].T)
            block["d"].set_array(ds[i])
            block["w"].set_array(nabla_w[i])
            block["d"].set_clim(-m, m)
            block["w"].set_clim(-m, m)
            chosen = i == l - 2
            for mark, xy in zip(block["marks"], ((k - 1, 0), (0, j - 1), (k - 1, j - 1))):
                mark.set_xy(xy)
                mark.set_visible(chosen)
        blit()
        a_in, d_out = float(activations[l - 2][k - 1, 0]), float(ds[l - 2][j - 1, 0])
        numeric = numerical_derivative(net, x, y, l, j, k)
        readout.figure = (
            f"Heat maps for each layer of a, δ and ∂C/∂w = δ aᵀ, on a colour scale centred at "
            f"zero and written in numbers, the weight w{l},{j}{k} outlined."
        )
        readout.value = (
            f"<div style='font-size:18px;line-height:1.6'>∂C/∂w<sup>{l}</sup><sub>{j}{k}</sub> = "
            f"a<sub>in</sub> δ<sub>out</sub> = "
            f"a<sup>{l - 1}</sup><sub>{k}</sub> δ<sup>{l}</sup><sub>{j}</sub> "
            f"= ({a_in:.4f}) × ({d_out:+.4e}) = <b>{a_in * d_out:+.4e}</b>; "
            f"finite difference: {numeric:+.4e}<br>"
            "colour scale of each layer, ±max|δ<sup>l</sup>|: "
            + ", ".join(f"layer {i + 2}: {m:.1e}" for i, m in enumerate(scales))
            + "</div>"
        )
        return {
            "deltas": [d[:, 0].copy() for d in ds],
            "nabla_w": nabla_w,
            "a_in": a_in,
            "delta_out": d_out,
            "dC_dw": a_in * d_out,
            "numeric": numeric,
            "layer": l,
            "j": j,
            "k": k,
        }

    rows = [[f"x{i + 1}" for i in range(net.sizes[0])], ["target", "cost"], ["layer", "j", "k"]]
    demo = laid_out_demo(controls, update, fig, readout, status, rows, stage=stage)
    demo.net = net
    return demo


LATENCY_CASES = [
    (
        "build_equations_demo",
        [{"x1": v, "x2": 1 - v} for v in np.linspace(0, 1, 11)]
        + [{"target": t, "cost": c} for t in (1, 2) for c in COST_NAMES]
        + [{"layer": l, "j": j, "k": k} for l in (2, 3, 4) for j in (1, 2) for k in (1, 3)],
    )
]

"""Notebook 02: the Hadamard product s ⊙ t (eq. 28) and the cost as a function of a^L alone."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import get_cost
from ..plots import PALETTE, SEQUENTIAL_CMAP, new_figure
from .base import COST_NAMES, LABEL_STYLE, Demo, laid_out_demo
from .readout import Readout
from .render import Stage

TARGETS = {"y = (1, 0)": (1.0, 0.0), "y = (0, 1)": (0.0, 1.0)}
A_MIN, A_MAX = 0.01, 0.99  # the a^L sliders' range, the same as the cost map's grid


def _slider(value: float, description: str, lo: float, hi: float, step: float):
    """A float slider that updates while it is dragged."""
    return widgets.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        continuous_update=True,
        style=LABEL_STYLE,
    )


def build_hadamard_demo() -> Demo:
    """Two 2-vectors s and t; bars of s, t and s ⊙ t, and the numbers (s ⊙ t)_j = s_j t_j.

    Starts on the book's example (1, 2) ⊙ (3, 4) = (3, 8).
    """
    stage = Stage()
    controls = {
        "s1": _slider(1.0, "s₁", -4, 4, 0.5),
        "s2": _slider(2.0, "s₂", -4, 4, 0.5),
        "t1": _slider(3.0, "t₁", -4, 4, 0.5),
        "t2": _slider(4.0, "t₂", -4, 4, 0.5),
    }
    fig, ax = new_figure(figsize=(6, 4))
    x = np.arange(2)
    bars = {}
    for offset, (name, color) in zip(
        (-0.27, 0.0, 0.27),
        (("s", PALETTE["sky"]), ("t", PALETTE["orange"]), ("s ⊙ t", PALETTE["vermillion"])),
    ):
        bars[name] = ax.bar(x + offset, [0.0, 0.0], width=0.25, color=color, label=name, zorder=2)
    ax.axhline(0, color="black", linewidth=1, zorder=1.8)  # under the bars, over the grid
    ax.set_xticks(x, ["component j = 1", "component j = 2"])
    ax.set_ylim(-16.5, 16.5)
    ax.set_ylabel("value")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3)  # outside: not redrawn
    fig.tight_layout()
    blit = stage.blit(fig, [bar for group in bars.values() for bar in group])
    readout, status = Readout(), widgets.HTML()

    def update(s1, s2, t1, t2):
        s, t = np.array([s1, s2]), np.array([t1, t2])
        product = s * t  # elementwise: (s ⊙ t)_j = s_j t_j
        for name, values in (("s", s), ("t", t), ("s ⊙ t", product)):
            for bar, v in zip(bars[name], values):
                bar.set_height(v)
        blit()
        readout.figure = (
            f"Bars of s = ({s1:g}, {s2:g}), t = ({t1:g}, {t2:g}) and s ⊙ t = "
            f"({product[0]:g}, {product[1]:g})."
        )
        readout.value = (
            "<div style='font-size:18px;line-height:1.6'>"
            f"s ⊙ t = ({s1:g}·{t1:g}, {s2:g}·{t2:g}) = <b>({product[0]:g}, {product[1]:g})</b><br>"
            f"compare the dot product s · t = {s1:g}·{t1:g} + {s2:g}·{t2:g} = {s @ t:g}, "
            "a single number</div>"
        )
        return {"s": s, "t": t, "product": product, "dot": float(s @ t)}

    rows = [["s1", "s2"], ["t1", "t2"]]
    return laid_out_demo(controls, update, fig, readout, status, rows, stage=stage)


def cost_grid(cost: str, y, n: int = 81) -> tuple[np.ndarray, np.ndarray]:
    """(grid, C) with C[i, j] = C(a^L = (grid[j], grid[i]), y) for a two-neuron output layer.

    Both costs are sums over the output neurons, C = Σ_j c(a_j, y_j), so the table is the sum
    of two one-neuron tables. The grid stays inside (0, 1): the cross-entropy is finite there.
    """
    grid = np.linspace(A_MIN, A_MAX, n)
    c = get_cost(cost)
    y1, y2 = np.ravel(y)
    c1 = np.array([c.fn(np.array([[a]]), np.array([[y1]])) for a in grid])  # (n,)
    c2 = np.array([c.fn(np.array([[a]]), np.array([[y2]])) for a in grid])  # (n,)
    return grid, c2[:, None] + c1[None, :]  # rows follow a^L_2, columns a^L_1


def build_output_cost_demo() -> Demo:
    """C for one example as a function of the two output activations a^L (eq. 27).

    The second assumption: C depends on the network only through a^L. Move a^L with
    sliders, pick the target y and the cost. The sliders stop at A_MIN and A_MAX, inside
    (0, 1): a sigmoid output never reaches 0 or 1, and there the cross-entropy is infinite.
    """
    stage = Stage()
    controls = {
        "a1": _slider(0.3, "a^L₁", A_MIN, A_MAX, 0.01),
        "a2": _slider(0.6, "a^L₂", A_MIN, A_MAX, 0.01),
        "target": widgets.Dropdown(options=list(TARGETS), description="target"),
        "cost": widgets.Dropdown(options=list(COST_NAMES), description="cost"),
    }
    grids = {(t, c): cost_grid(COST_NAMES[c], TARGETS[t]) for t in TARGETS for c in COST_NAMES}
    fig, ax = new_figure(figsize=(6, 5))
    image = ax.imshow(
        grids[(next(iter(TARGETS)), "quadratic")][1],
        origin="lower",
        extent=(0, 1, 0, 1),
        cmap=SEQUENTIAL_CMAP,
        aspect="equal",
    )
    fig.colorbar(image, ax=ax, label="cost C")
    (goal,) = ax.plot(
        [], [], "*", color="white", markersize=20, markeredgecolor="black", label="target y"
    )
    (point,) = ax.plot(
        [], [], "o", color=PALETTE["orange"], markersize=13, markeredgecolor="black", label="a^L"
    )
    ax.set_xlabel("output activation $a^L_1$")
    ax.set_ylabel("output activation $a^L_2$")
    ax.grid(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncols=2)
    fig.tight_layout()
    # One background per colour scale (the colour bar is in it). The two targets mirror each
    # other, so each cost has one scale and changing the target only blits.
    blits = {}
    readout, status = Readout(), widgets.HTML()

    def update(a1, a2, target, cost):
        y = np.array(TARGETS[target]).reshape(2, 1)
        a = np.array([[a1], [a2]])
        c = get_cost(COST_NAMES[cost])
        value, grad = c.fn(a, y) + 0.0, c.grad_a(a, y)[:, 0]  # + 0.0 turns −0.0 into 0.0
        grid_c = grids[(target, cost)][1]
        image.set_data(grid_c)
        image.set_clim(grid_c.min(), grid_c.max())
        goal.set_data([y[0, 0]], [y[1, 0]])
        point.set_data([a1], [a2])
        stage.keyed_blit(fig, blits, image.get_clim(), [image, goal, point])()
        readout.figure = (
            f"Map of the {cost} cost over the output activations (a1, a2), the target {target} "
            f"marked; the point a = ({a1:.2f}, {a2:.2f}) has C = {value:.4f}."
        )
        readout.value = (
            f"<div style='font-size:18px;line-height:1.6'>C = <b>{value:.4f}</b> "
            f"({cost} cost, {target})<br>∇<sub>a</sub>C = ({grad[0]:+.4g}, {grad[1]:+.4g})</div>"
        )
        return {"cost": value, "grad_a": grad, "a": a[:, 0], "y": y[:, 0]}

    rows = [["a1", "a2"], ["target", "cost"]]
    return laid_out_demo(controls, update, fig, readout, status, rows, stage=stage)


_VALUES = np.linspace(-4, 4, 9)
LATENCY_CASES = [
    (
        "build_hadamard_demo",
        [{"s1": v, "t2": -v} for v in _VALUES] + [{"s2": v, "t1": v} for v in _VALUES],
    ),
    (
        "build_output_cost_demo",
        [{"a1": v, "a2": 1 - v} for v in np.linspace(A_MIN, A_MAX, 11)]
        + [{"target": t, "cost": c} for t in TARGETS for c in COST_NAMES],
    ),
]

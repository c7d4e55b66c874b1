"""Notebook 07: the backpropagation algorithm stepped through on one example.

A slider walks the algorithm: the input, the forward pass layer by layer (z^l, a^l), the output
error δ^L (BP1), the error moved back layer by layer (BP2), and the gradient (BP3, BP4). Each
vector appears in its panel as it is computed; what is not computed yet stays grey.
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib import colormaps
from matplotlib.patches import Rectangle

from .. import Network, check_gradients
from ..plots import DIVERGING_CMAP, new_figure
from .base import LABEL_STYLE, Demo, laid_out_demo
from .readout import Readout
from .render import CellBlit, Stage, cell_look

PANELS = ("z", "a", "delta")
TITLES = {"z": "weighted inputs $z^l$", "a": "activations $a^l$", "delta": r"errors $\delta^l$"}
NOT_YET = "#EEEEEE"
MODIFIED = (3, 2)  # the neuron (l, j) whose activation the "modified neuron" control changes


@dataclass(frozen=True)
class AlgorithmStep:
    """One step: what it computes (panel, book layer), in words and as an equation."""

    panel: str
    layer: int
    title: str
    equation: str


def algorithm_steps(L: int) -> list[AlgorithmStep]:
    """The steps of backprop for one example in a network of L layers, in order."""
    steps = [AlgorithmStep("a", 1, "Input x", "set a^1 = x")]
    for l in range(2, L + 1):
        steps.append(
            AlgorithmStep("z", l, f"Feedforward, layer {l}", f"z^{l} = w^{l} a^{l - 1} + b^{l}")
        )
        steps.append(AlgorithmStep("a", l, f"Feedforward, layer {l}", f"a^{l} = σ(z^{l})"))
    steps.append(AlgorithmStep("delta", L, "Output error (BP1)", f"δ^{L} = ∇_a C ⊙ σ'(z^{L})"))
    for l in range(L - 1, 1, -1):
        steps.append(
            AlgorithmStep(
                "delta",
                l,
                f"Backpropagate, layer {l} (BP2)",
                f"δ^{l} = ((w^{l + 1})^T δ^{l + 1}) ⊙ σ'(z^{l})",
            )
        )
    steps.append(
        AlgorithmStep(
            "grad", 0, "Output (BP3, BP4)", "∂C/∂b^l_j = δ^l_j,  ∂C/∂w^l_jk = a^(l-1)_k δ^l_j"
        )
    )
    return steps


def _network(sizes, activation: str, modified: str, seed: int) -> Network:
    """The seeded network with σ everywhere, and neuron MODIFIED using ``modified`` if set."""
    net = Network(list(sizes), activation=activation, seed=seed)
    if modified != "none":
        net.set_neuron_activation(*MODIFIED, modified)
    return net


def build_backprop_stepper_demo(sizes=(3, 4, 3, 2), seed: int = 1) -> Demo:
    """A step slider through backprop; σ of the whole network and of one neuron can change."""
    stage = Stage()
    L = len(sizes)
    steps = algorithm_steps(L)
    controls = {
        "step": widgets.IntSlider(
            0, min=0, max=len(steps) - 1, description="step", style=LABEL_STYLE
        ),
        "activation": widgets.Dropdown(
            options=["sigmoid", "tanh", "linear"],
            value="sigmoid",
            description="σ everywhere",
            style=LABEL_STYLE,
        ),
        "modified": widgets.Dropdown(
            options=["none", "tanh", "relu", "linear"],
            value="none",
            description=f"neuron {MODIFIED[1]} of layer {MODIFIED[0]} uses f =",
            style=LABEL_STYLE,
        ),
    }
    rng = np.random.default_rng(seed)
    x, y = rng.random((sizes[0], 1)), np.eye(sizes[-1])[:, :1]
    fig, axes = new_figure(1, 3, figsize=(11, 4.2), layout="constrained")
    cells, texts = {}, {}
    tallest = max(sizes)
    for ax, panel in zip(axes, PANELS):
        first = 1 if panel == "a" else 2
        for l in range(first, L + 1):
            for j in range(1, sizes[l - 1] + 1):
                xy = (l - 0.4, (sizes[l - 1] - 1) / 2 - (j - 1) - 0.4)
                cells[(panel, l, j)] = ax.add_patch(
                    Rectangle(xy, 0.8, 0.8, facecolor=NOT_YET, edgecolor="black")
                )
                texts[(panel, l, j)] = ax.text(
                    l,
                    xy[1] + 0.4,
                    "",
                    ha="center",
                    va="center",
                    fontsize=9 if panel == "delta" else 11,
                )
        ax.set_xlim(0.4, L + 0.6)
        ax.set_ylim(-tallest / 2 - 0.2, tallest / 2 + 0.2)
        ax.set_xticks(range(1, L + 1), [f"l={l}" for l in range(1, L + 1)])
        ax.set_yticks([])
        ax.grid(False)
        ax.set_title(TITLES[panel], fontsize=15)
    # Only the cells and their numbers change: the axes, ticks and titles stay in the background.
    # Each cell owns the box from halfway to its neighbours: nothing else is drawn there.
    boxes = {
        key: (patch.axes, (key[1] - 0.5, patch.get_y() - 0.1, key[1] + 0.5, patch.get_y() + 0.9))
        for key, patch in cells.items()
    }
    blit = CellBlit(stage, fig, {key: [cells[key], texts[key]] for key in cells}, boxes)
    readout, status = Readout(), widgets.HTML()
    cmap = colormaps[DIVERGING_CMAP]

    def update(step, activation, modified):
        net = _network(sizes, activation, modified, seed)
        zs, activations, ds = net.deltas(x, y)
        values = {"z": [None, *zs], "a": activations, "delta": [None, *ds]}  # index l - 1
        done = {(s.panel, s.layer) for s in steps[: step + 1]}
        current = steps[step]
        # One colour scale per panel, symmetric about 0: δ is often 100× smaller than z.
        scale = {
            panel: max(1e-12, *(float(np.abs(v).max()) for v in values[panel] if v is not None))
            for panel in PANELS
        }
        for (panel, l, j), patch in cells.items():
            shown = (panel, l) in done or current.panel == "grad"
            v = float(values[panel][l - 1][j - 1, 0])
            level = 0.5 + v / (2 * scale[panel])  # −scale → 0, 0 → 0.5, +scale → 1
            patch.set_facecolor(cmap(level) if shown else NOT_YET)
            patch.set_linewidth(3.5 if (panel, l) == (current.panel, current.layer) else 1.0)
            text = texts[(panel, l, j)]
            text.set_text(("{:+.2g}" if panel == "delta" else "{:+.2f}").format(v) if shown else "")
            text.set_color("white" if abs(level - 0.5) > 0.3 else "black")  # legible on dark
        blit({key: cell_look(cells[key], texts[key]) for key in cells})
        lines = [f"<b>Step {step}: {current.title}</b> &nbsp; <code>{current.equation}</code>"]
        result = {"step": current, "net": repr(net)}
        if current.panel == "grad":
            nabla_b, nabla_w = net.backprop(x, y)
            err = check_gradients(net, x, y, tol=1e-5)
            lines.append(
                f"{sum(b.size for b in nabla_b) + sum(w.size for w in nabla_w)} partial "
                f"derivatives from one forward and one backward pass; against finite differences "
                f"the relative error is {err:.1e}."
            )
            result.update(nabla_b=nabla_b, nabla_w=nabla_w, gradcheck_error=err)
        else:
            vector = values[current.panel][current.layer - 1][:, 0]
            lines.append("= [" + ", ".join(f"{v:+.4f}" for v in vector) + "]")
            result["vector"] = vector
        readout.figure = (
            f"Three panels of cells, one per neuron of each layer, coloured by value with the "
            f"value written in each: z, a and δ; step {step} ({current.title}) has filled "
            f"{len(done)} layer(s) and outlines layer {current.layer}."
        )
        readout.value = (
            "<div style='font-size:17px;line-height:1.6'>" + "<br>".join(lines) + "</div>"
        )
        result["shown"] = sorted(done)
        return result

    rows = [["step"], ["activation", "modified"]]
    return laid_out_demo(controls, update, fig, readout, status, rows, stage=stage)


LATENCY_CASES = [
    (
        "build_backprop_stepper_demo",
        [{"step": s} for s in range(len(algorithm_steps(4)))]
        + [
            {"activation": "linear"},
            {"modified": "relu"},
            {"activation": "sigmoid", "modified": "none"},
        ],
    )
]

"""Notebook 01: pick l, j, k and see w^l_jk, b^l_j or a^l_j on the diagram and in its matrix."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import Network
from ..plots import PALETTE, new_figure
from .base import LABEL_STYLE, Demo
from .diagram import draw_network
from .readout import Readout
from .render import Stage

KINDS = {"weight w^l_jk": "w", "bias b^l_j": "b", "activation a^l_j": "a"}
MARK = "background:#E69F00;color:#000;font-weight:bold"  # Okabe–Ito orange behind the chosen entry
ROW = "background:#FBE3B5;color:#000"


def _table(title: str, m: np.ndarray, row: int | None, col: int | None, index: str = "j") -> str:
    """An HTML matrix with row `row` shaded and cell (row, col) marked (0-based indices).

    Rows are labelled index=1, 2, … (book numbering); columns k=1, 2, … when there are several.
    """
    names = [f"k={c + 1}" for c in range(m.shape[1])] if m.shape[1] > 1 else [""]
    head = "".join(f"<th>{n}</th>" for n in names)
    body = []
    for r, values in enumerate(m):
        cells = []
        for c, v in enumerate(values):
            style = MARK if (r == row and (col is None or c == col)) else ROW if r == row else ""
            cells.append(f"<td style='{style};padding:2px 8px'>{v:+.2f}</td>")
        body.append(f"<tr><th>{index}={r + 1}</th>{''.join(cells)}</tr>")
    return (
        f"<div style='display:inline-block;margin-right:18px'><b>{title}</b>"
        f"<table style='font-size:15px;font-family:monospace'><tr><th></th>{head}</tr>"
        f"{''.join(body)}</table></div>"
    )


def describe(net: Network, x: np.ndarray, kind: str, l: int, j: int, k: int) -> dict:
    """The chosen quantity in the book's notation and in Python's, with its matrices."""
    zs, activations = net.forward(x)
    w, b, a_prev = net.weights[l - 2], net.biases[l - 2], activations[l - 2]
    z, a = zs[l - 2], activations[l - 1]
    if kind == "w":
        value, name = net.w(l, j, k), f"w<sup>{l}</sup><sub>{j}{k}</sub>"
        python = f"net.weights[{l - 2}][{j - 1}, {k - 1}]"
        words = f"the weight from neuron {k} in layer {l - 1} to neuron {j} in layer {l}"
    elif kind == "b":
        value, name = net.b(l, j), f"b<sup>{l}</sup><sub>{j}</sub>"
        python = f"net.biases[{l - 2}][{j - 1}, 0]"
        words = f"the bias of neuron {j} in layer {l}"
    else:
        value, name = float(a[j - 1, 0]), f"a<sup>{l}</sup><sub>{j}</sub>"
        python = f"activations[{l - 1}][{j - 1}, 0]"
        words = (
            f"the activation of neuron {j} in layer {l}: σ(Σ<sub>k</sub> "
            f"w<sup>{l}</sup><sub>{j}k</sub> a<sup>{l - 1}</sup><sub>k</sub> "
            f"+ b<sup>{l}</sup><sub>{j}</sub>)  (eq. 23)"
        )
    is_w = kind == "w"
    tables = (
        _table(f"w<sup>{l}</sup> ({w.shape[0]}×{w.shape[1]})", w, j - 1, k - 1 if is_w else None)
        + _table(f"a<sup>{l - 1}</sup>", a_prev, k - 1 if is_w else None, None, "k")
        + _table(f"b<sup>{l}</sup>", b, j - 1, None)
        + _table(
            f"z<sup>{l}</sup> = w<sup>{l}</sup>a<sup>{l - 1}</sup> + b<sup>{l}</sup>",
            z,
            j - 1,
            None,
        )
        + _table(f"a<sup>{l}</sup> = σ(z<sup>{l}</sup>)", a, j - 1, None)
    )
    html = (
        f"<div style='font-size:18px'>{name} = <b>{value:+.4f}</b>: {words}.<br>"
        f"In Python: <code>{python}</code></div>{tables}"
    )
    return {
        "kind": kind,
        "layer": l,
        "j": j,
        "k": k,
        "value": value,
        "python": python,
        "row": j,
        "col": k if kind == "w" else None,
        "shape": w.shape,
        "z": z[:, 0].copy(),
        "a": a[:, 0].copy(),
        "html": html,
    }


def highlights(sizes, kind: str, l: int, j: int, k: int) -> tuple[dict, dict]:
    """Edges and neurons to colour for the chosen quantity (book numbering)."""
    if kind == "w":
        return {(l, j, k): PALETTE["vermillion"]}, {
            (l - 1, k): PALETTE["sky"],
            (l, j): PALETTE["orange"],
        }
    if kind == "b":
        return {}, {(l, j): PALETTE["orange"]}
    edges = {(l, j, kk): PALETTE["sky"] for kk in range(1, sizes[l - 2] + 1)}
    return edges, {(l, j): PALETTE["orange"]}


def build_notation_demo(sizes=(3, 4, 2), seed: int = 1) -> Demo:
    """Pick l, j, k: the diagram, the value and the place of w^l_jk (or b^l_j, a^l_j) in w^l.

    Starts on the book's example w^3_24 (from neuron 4 of layer 2 to neuron 2 of layer 3).
    """
    stage = Stage()
    net = Network(list(sizes), seed=seed)
    x = np.random.default_rng(seed).random((net.sizes[0], 1))  # a fixed input a^1
    L = net.num_layers
    kind = widgets.ToggleButtons(options=list(KINDS), description="show", style=LABEL_STYLE)
    l_s = widgets.IntSlider(min(3, L), min=2, max=L, description="layer l", style=LABEL_STYLE)
    j_s = widgets.IntSlider(
        min(2, net.sizes[l_s.value - 1]),
        min=1,
        max=net.sizes[l_s.value - 1],
        description="neuron j",
        style=LABEL_STYLE,
    )
    k_s = widgets.IntSlider(
        net.sizes[l_s.value - 2],
        min=1,
        max=net.sizes[l_s.value - 2],
        description="input k",
        style=LABEL_STYLE,
    )
    fig, ax = new_figure(figsize=(6, 4))
    numbers = {(l, j): str(j) for l, n in enumerate(net.sizes, start=1) for j in range(1, n + 1)}
    diagram = draw_network(ax, net.sizes, labels={**numbers, "layers": True})
    title = ax.text(  # not ax.set_title, which blitting would move (see demon.py)
        0.5, 1.0, "layer 1 → layer 2", transform=ax.transAxes, ha="center", va="bottom", fontsize=15
    )
    fig.tight_layout()
    # The neuron numbers sit on the neurons, so they are redrawn with them; "layer l" is not.
    on_nodes = [text for key, text in diagram.labels.items() if key[0] != "layer"]
    blit = stage.blit(fig, [diagram.edges, diagram.nodes, title, *on_nodes])
    readout, status = Readout(), widgets.HTML()

    def update(kind, layer, j, k):
        l = layer
        code = KINDS[kind]
        j = stage.fit_slider(j_s, net.sizes[l - 1])
        k = stage.fit_slider(k_s, net.sizes[l - 2])
        k_s.disabled = code != "w"
        edges, nodes = highlights(net.sizes, code, l, j, k)
        diagram.highlight(edges, nodes)
        title.set_text(f"layer {l - 1} → layer {l}")
        blit()
        state = describe(net, x, code, l, j, k)
        state["edges"], state["nodes"] = edges, nodes
        readout.figure = (
            f"Network diagram of layers {list(net.sizes)}: {kind} highlighted between layer "
            f"{l - 1} and layer {l}; beside it, where its number sits."
        )
        readout.value = state["html"]
        return state

    controls = {"kind": kind, "layer": l_s, "j": j_s, "k": k_s}
    ui = widgets.VBox(
        [
            kind,
            widgets.HBox([l_s, j_s, k_s]),
            widgets.HBox([stage.figure_widget(fig), readout]),
            status,
        ]
    )
    demo = Demo(controls, ui, update, status, figures=[fig], stage=stage, readouts=[readout])
    demo.net, demo.x = net, x
    return demo


LATENCY_CASES = [
    (
        "build_notation_demo",
        [
            {"kind": kind, "layer": l, "j": j, "k": k}
            for kind in KINDS
            for l, j, k in ((2, 1, 1), (2, 4, 3), (3, 1, 1), (3, 2, 4), (3, 2, 2))
        ],
    )
]

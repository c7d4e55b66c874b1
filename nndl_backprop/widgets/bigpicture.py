"""Notebook 10: ∂C/∂w^l_jk as a sum over every path from the weight to the cost (eq. 47–53).

One demo picks a weight and one of its paths on a drawn network and shows the path's rate
factors, the sum over all paths and backprop's value; the other shows how fast the number of
paths grows with the depth and width of a network.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np
from matplotlib import rcParams
from matplotlib.collections import LineCollection
from matplotlib.transforms import offset_copy

from .. import Network, count_paths, enumerate_paths
from ..plots import PALETTE, indexed, new_figure
from ..timing import multiply_adds, n_parameters
from .base import LABEL_STYLE, Demo, laid_out_demo
from .diagram import EDGE_COLOR, EDGE_WIDTH, HIGHLIGHT_WIDTH, draw_network
from .readout import Readout
from .render import Stage

PATH_COLOR = PALETTE["sky"]
CHOSEN = PALETTE["vermillion"]
WEIGHT = PALETTE["orange"]


def factor_names(layer: int, neurons: tuple[int, ...], k: int) -> list[str]:
    """The symbols of one path's rate factors, in order (book numbering), as in eq. (51)."""
    names = [f"∂a^{layer}_{neurons[0]}/∂w^{layer}_{neurons[0]}{k}"]
    for p in range(1, len(neurons)):
        names.append(f"∂a^{layer + p}_{neurons[p]}/∂a^{layer + p - 1}_{neurons[p - 1]}")
    L = layer + len(neurons) - 1
    names.append(f"∂C/∂a^{L}_{neurons[-1]}")
    return names


def path_edges(layer: int, neurons: tuple[int, ...], k: int) -> list[tuple[int, int, int]]:
    """The diagram's edges (l, j, k) of a path: the weight w^l_jk, then one edge per layer."""
    edges = [(layer, neurons[0], k)]
    for p in range(1, len(neurons)):
        edges.append((layer + p, neurons[p], neurons[p - 1]))
    return edges


def build_paths_demo(sizes=(2, 3, 3, 2), seed: int = 3) -> Demo:
    """Sliders for l, j, k and the path; the diagram shows all paths, one highlighted."""
    stage = Stage()
    net = Network(list(sizes), seed=seed)
    rng = np.random.default_rng(seed)
    x, y = rng.random((sizes[0], 1)), rng.random((sizes[-1], 1))
    L = len(sizes)
    controls = {
        "layer": widgets.IntSlider(
            2, min=2, max=L, description="weight w^l_jk: l", style=LABEL_STYLE
        ),
        "j": widgets.IntSlider(1, min=1, max=sizes[1], description="j", style=LABEL_STYLE),
        "k": widgets.IntSlider(1, min=1, max=sizes[0], description="k", style=LABEL_STYLE),
        "path": widgets.IntSlider(
            1, min=1, max=count_paths(list(sizes), 2), description="path", style=LABEL_STYLE
        ),
    }
    fig, ax = new_figure(figsize=(10, 5), layout="constrained")
    diagram = draw_network(ax, sizes, labels={"layers": True})
    ax.grid(False)
    top = (max(sizes) - 1) / 2
    cost_xy = (L + 0.8, 0.0)
    cost_node = ax.scatter(
        *cost_xy, s=1100, c="white", edgecolors="black", linewidths=1.5, zorder=2
    )
    cost_label = ax.text(*cost_xy, "C", ha="center", va="center", fontsize=16, zorder=3)
    to_cost = LineCollection(
        [[diagram.positions[(L, m)], cost_xy] for m in range(1, sizes[-1] + 1)],
        colors=EDGE_COLOR,
        linewidths=EDGE_WIDTH,
        zorder=1,
    )
    ax.add_collection(to_cost)
    ax.set_xlim(0.5, L + 1.2)
    ax.set_ylim(-top - 0.85, top + 0.5)
    title = _live_title(ax)
    # The C node and its letter sit above the edges into it, so they are redrawn with them;
    # hidden while the background renders, the letter must not move the layout.
    cost_label.set_in_layout(False)
    blit = stage.blit(fig, [diagram.edges, diagram.nodes, to_cost, cost_node, cost_label, title])
    readout, status = Readout(), widgets.HTML()

    def update(layer, j, k, path):
        j = stage.fit_slider(controls["j"], sizes[layer - 1])
        k = stage.fit_slider(controls["k"], sizes[layer - 2])
        paths = list(enumerate_paths(net, x, y, layer, j, k))
        path = stage.fit_slider(controls["path"], len(paths))
        chosen = paths[path - 1]
        edges = {}
        for p in paths:
            edges.update({e: PATH_COLOR for e in path_edges(layer, p.neurons, k)[1:]})
        edges.update({e: CHOSEN for e in path_edges(layer, chosen.neurons, k)})
        edges[(layer, j, k)] = WEIGHT
        nodes = {(layer + i, q): CHOSEN for i, q in enumerate(chosen.neurons)}
        diagram.highlight(edges, nodes)
        outputs = {p.neurons[-1] for p in paths}
        to_cost.set_color(
            [
                CHOSEN if m == chosen.neurons[-1] else PATH_COLOR if m in outputs else EDGE_COLOR
                for m in range(1, sizes[-1] + 1)
            ]
        )
        to_cost.set_linewidth(
            [HIGHLIGHT_WIDTH if m in outputs else EDGE_WIDTH for m in range(1, sizes[-1] + 1)]
        )
        total = sum(p.rate for p in paths)
        _, nabla_w = net.backprop(x, y)
        backprop = float(nabla_w[layer - 2][j - 1, k - 1])
        title.set_text(
            f"{indexed('w', layer, f'{j}{k}')}: {len(paths)} paths to the cost, "
            f"path {path} highlighted"
        )
        blit()
        factors = " × ".join(
            f"{name} ({value:+.4f})"
            for name, value in zip(factor_names(layer, chosen.neurons, k), chosen.factors)
        )
        readout.figure = (
            f"Network diagram: the weight w{layer},{j}{k} marked, its {len(paths)} paths to the "
            f"cost drawn, path {path} (neurons {' → '.join(map(str, chosen.neurons))}) highlighted."
        )
        readout.value = (
            "<div style='font-size:16px;line-height:1.6'>"
            f"path {path} through neurons {' → '.join(map(str, chosen.neurons))} → C: "
            f"{factors} = <b>{chosen.rate:+.6f}</b><br>"
            f"sum over all {len(paths)} paths (eq. 53): <b>{total:+.8f}</b>; "
            f"backprop a^{layer - 1}_{k} δ^{layer}_{j}: <b>{backprop:+.8f}</b> "
            f"(difference {abs(total - backprop):.1e})</div>"
        )
        return {
            "n_paths": len(paths),
            "path_sum": total,
            "backprop": backprop,
            "rate": chosen.rate,
            "neurons": chosen.neurons,
            "factors": chosen.factors,
            "edges": edges,
        }

    return laid_out_demo(controls, update, fig, readout, status, stage=stage)


def build_path_count_demo(n_in: int = 784, n_out: int = 10) -> Demo:
    """Width and depth sliders: paths from one first-layer weight against backprop's work."""
    stage = Stage()
    controls = {
        "width": widgets.IntSlider(
            30, min=2, max=100, description="hidden width", style=LABEL_STYLE
        ),
        "hidden_layers": widgets.IntSlider(
            1, min=1, max=30, description="hidden layers", style=LABEL_STYLE
        ),
    }
    depths = np.arange(1, 31)
    fig, ax = new_figure(figsize=(9, 4.6), layout="constrained")
    (paths_line,) = ax.semilogy(
        [], [], "o-", color=CHOSEN, label="paths from one weight $w^2_{jk}$"
    )
    (work_line,) = ax.semilogy(
        [], [], "s-", color=PALETTE["blue"], label="backprop, whole gradient: multiply-adds"
    )
    (here,) = ax.semilogy([], [], "*", color="black", markersize=18)
    ax.set(xlabel="hidden layers", ylabel="count (log scale)", xlim=(0.5, 30.5))
    # In the axes' upper left, where no width's curves reach on the fixed scale below; as a
    # figure legend it stays in the blitted background instead of being redrawn each time.
    fig.legend(
        handles=[paths_line, work_line],
        loc="upper left",
        bbox_to_anchor=(0, 1),
        bbox_transform=ax.transAxes,
    )
    readout, status = Readout(), widgets.HTML()

    def sizes_for(width, hidden):
        return [n_in] + [width] * hidden + [n_out]

    # One scale for every width (the widest, deepest network counts the most paths), so a
    # width change moves the curves against fixed axes: growth is seen, not rescaled away.
    widest = sizes_for(controls["width"].max, int(depths[-1]))
    top = max(float(count_paths(widest, 2)), float(multiply_adds(widest).backprop))
    ax.set_ylim(0.5, top * 10)
    title = _live_title(ax)
    blit = stage.blit(fig, [paths_line, work_line, here, title])

    def update(width, hidden_layers):
        paths = [count_paths(sizes_for(width, int(h)), 2) for h in depths]
        work = [multiply_adds(sizes_for(width, int(h))).backprop for h in depths]
        paths_line.set_data(depths, [float(p) for p in paths])
        work_line.set_data(depths, work)
        n = paths[hidden_layers - 1]
        here.set_data([hidden_layers], [float(n)])
        title.set_text(f"network [{n_in}, {width} × {hidden_layers}, {n_out}]")
        blit()
        P = n_parameters(sizes_for(width, hidden_layers))
        count = multiply_adds(sizes_for(width, hidden_layers))
        years = n * 1e-9 / 3.15e7  # at a generous billion paths per second
        readout.figure = (
            f"Curves on a log scale against the number of hidden layers, width {width}: the paths "
            f"from one weight to the cost, and backprop's multiply-adds; the dot at "
            f"{hidden_layers} hidden layer(s) marks {float(n):.3g} paths."
        )
        readout.value = (
            "<div style='font-size:17px;line-height:1.6'>"
            f"one weight w^2_jk has <b>{_big(n)}</b> paths to the cost; the network has "
            f"P = {P:,} parameters, each needing its own sum over paths.<br>"
            f"At a billion paths a second that one sum takes {_duration(years)}; backprop "
            f"gets all {P:,} derivatives with {count.backprop:,} multiply-adds: "
            f"{count.forward:,} forward, {count.bp2:,} for BP2 (every weight matrix but w^2), "
            f"{count.bp4:,} for BP4, about {count.in_forward_passes:.1f} forward passes.</div>"
        )
        return {
            "n_paths": n,
            "n_params": P,
            "log10_paths": math.log10(n),
            "years": years,
            "paths_curve": paths,
            "work_curve": work,
        }

    return laid_out_demo(controls, update, fig, readout, status, stage=stage)


def _live_title(ax, fontsize: float = 15):
    """A title that can be blitted: a text where the axes title goes.

    Its room in the layout is kept by a blank ``set_title`` (a hidden axes title would move
    when the background is rendered without it).
    """
    ax.set_title(" ", fontsize=fontsize)
    where = offset_copy(ax.transAxes, ax.figure, y=rcParams["axes.titlepad"], units="points")
    title = ax.text(0.5, 1.0, "", transform=where, ha="center", va="baseline", fontsize=fontsize)
    title.set_in_layout(False)
    return title


def _big(n: int) -> str:
    """A count with thousands separators, or its order of magnitude beyond a billion."""
    return f"{n:,}" if n < 10**9 else f"about 10^{math.log10(n):.0f}"


def _duration(years: float) -> str:
    """A time given in years, in the unit a reader grasps (ns, ms, s or years)."""
    seconds = years * 3.15e7
    if seconds < 1e-3:
        return f"{seconds * 1e9:.3g} ns"
    if seconds < 1:
        return f"{seconds * 1e3:.3g} ms"
    if years < 1:
        return f"{seconds:,.3g} s"
    return f"about 10^{math.log10(years):.0f} years" if years > 1e6 else f"{years:,.0f} years"


LATENCY_CASES = [
    (
        "build_paths_demo",
        [{"layer": l, "j": j, "k": 1} for l in (2, 3, 4) for j in (1, 2)]
        + [{"layer": 2, "j": 1, "k": 2, "path": p} for p in range(1, 7)],
    ),
    (
        "build_path_count_demo",
        [{"hidden_layers": h} for h in (1, 5, 10, 30)] + [{"width": w} for w in (2, 50, 100)],
    ),
]

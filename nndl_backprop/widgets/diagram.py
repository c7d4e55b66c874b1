"""A network diagram whose edges and neurons can be highlighted in place (book numbering).

Edges are one LineCollection and neurons one scatter, so a highlight changes colour and width
arrays (``set_color``, ``set_linewidth``, ``set_facecolor``) instead of drawing new artists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from matplotlib.collections import LineCollection

from ..plots import PALETTE

EDGE_COLOR = "#B8B8B8"
NODE_COLOR = "white"
HIGHLIGHT = PALETTE["vermillion"]
EDGE_WIDTH, HIGHLIGHT_WIDTH = 1.2, 4.0


@dataclass
class NetworkDiagram:
    """Artists of a drawn network. Keys use the book's numbering.

    edge_index[(l, j, k)] is the row of w^l_jk in ``edges`` (from neuron k of layer l−1 to
    neuron j of layer l); node_index[(l, j)] is the position of neuron j of layer l in
    ``nodes``; positions[(l, j)] is its (x, y); ``labels`` holds the text artists drawn.
    """

    edges: LineCollection
    nodes: object  # PathCollection
    edge_index: dict
    node_index: dict
    positions: dict
    labels: dict = field(default_factory=dict)

    def highlight(self, edges=(), nodes=(), color: str = HIGHLIGHT) -> None:
        """Highlight these edges (l, j, k) and neurons (l, j), restoring all others.

        Either argument may be a mapping key -> colour instead of a collection of keys.
        """
        edge_colors = [EDGE_COLOR] * len(self.edge_index)
        widths = np.full(len(self.edge_index), EDGE_WIDTH)
        for key, c in _with_colors(edges, color):
            i = self.edge_index[_check(key, self.edge_index, "edge (l, j, k)")]
            edge_colors[i], widths[i] = c, HIGHLIGHT_WIDTH
        self.edges.set_color(edge_colors)
        self.edges.set_linewidth(widths)
        faces = [NODE_COLOR] * len(self.node_index)
        for key, c in _with_colors(nodes, color):
            faces[self.node_index[_check(key, self.node_index, "neuron (l, j)")]] = c
        self.nodes.set_facecolor(faces)


def _with_colors(keys, color):
    """(key, colour) pairs from a key -> colour mapping, or from keys that share ``color``."""
    if isinstance(keys, Mapping):
        return list(keys.items())
    return [(tuple(key), color) for key in keys]


def _check(key, index: dict, what: str):
    """``key`` as a tuple of ints, if the network has it; otherwise a ValueError."""
    key = tuple(int(v) for v in key)
    if key not in index:
        raise ValueError(f"no {what} {key} in this network (book numbering, from 1)")
    return key


def draw_network(
    ax,
    sizes: Sequence[int],
    highlight_edges: Iterable | Mapping = (),
    highlight_nodes: Iterable | Mapping = (),
    labels: Mapping | None = None,
    node_size: float = 700.0,
) -> NetworkDiagram:
    """Draw a fully connected network of layer widths ``sizes`` on ``ax``, inputs on the left.

    labels : optional (l, j) -> text written beside neuron j of layer l; the string "layers"
        may be used as a key whose value is True to write "layer l" under each column.
    Returns a :class:`NetworkDiagram` whose ``highlight`` updates the drawing in place.
    """
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes must list at least two positive layer widths, got {sizes}")
    tallest = max(sizes)
    positions = {}
    for l, n in enumerate(sizes, start=1):
        for j in range(1, n + 1):
            # Neuron 1 at the top, each column centred vertically.
            positions[(l, j)] = (float(l), (n - 1) / 2 - (j - 1))
    segments, edge_index = [], {}
    for l in range(2, len(sizes) + 1):
        for j in range(1, sizes[l - 1] + 1):
            for k in range(1, sizes[l - 2] + 1):
                edge_index[(l, j, k)] = len(segments)
                segments.append([positions[(l - 1, k)], positions[(l, j)]])
    edges = LineCollection(segments, colors=EDGE_COLOR, linewidths=EDGE_WIDTH, zorder=1)
    ax.add_collection(edges)
    node_keys = list(positions)
    xy = np.array([positions[key] for key in node_keys])  # (n_neurons, 2)
    nodes = ax.scatter(
        xy[:, 0], xy[:, 1], s=node_size, c=NODE_COLOR, edgecolors="black", linewidths=1.5, zorder=2
    )
    node_index = {key: i for i, key in enumerate(node_keys)}
    texts = {}
    for key, text in (labels or {}).items():
        if key == "layers":
            continue
        x, y = positions[_check(key, node_index, "neuron (l, j)")]
        texts[key] = ax.text(x, y, text, ha="center", va="center", fontsize=11, zorder=3)
    if labels and labels.get("layers"):
        for l in range(1, len(sizes) + 1):
            texts[("layer", l)] = ax.text(
                l, -(tallest - 1) / 2 - 0.5, f"layer {l}", ha="center", va="top"
            )
    ax.set_xlim(0.5, len(sizes) + 0.5)
    ax.set_ylim(-(tallest - 1) / 2 - 0.85, (tallest - 1) / 2 + 0.5)
    ax.set_axis_off()
    diagram = NetworkDiagram(edges, nodes, edge_index, node_index, positions, texts)
    diagram.highlight(highlight_edges, highlight_nodes)
    return diagram

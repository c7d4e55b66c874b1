"""The chapter's demon (eq. 29): nudge one weighted input z^l_j by Δz and watch the cost.

The demon changes z^l_j to z^l_j + Δz, so the neuron outputs σ(z^l_j + Δz), and the change
travels through the later layers to the cost. To first order the cost moves by
(∂C/∂z^l_j) Δz = δ^l_j Δz; the gap between measured and predicted shrinks like Δz².
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .equations import bp2
from .validation import as_column, as_float_array, book_layer, book_neuron


@dataclass(frozen=True)
class DemonResult:
    """What the demon saw: ``measured`` ΔC against ``predicted`` δ^l_j Δz (book numbering)."""

    layer: int
    j: int
    dz: float
    z: float
    delta: float
    cost: float
    measured: float
    predicted: float

    @property
    def gap(self) -> float:
        """|measured − predicted|: the second-order remainder, O(Δz²)."""
        return abs(self.measured - self.predicted)


def deltas(net, x, y) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
    """(zs, activations, deltas) for one example; deltas[i] is δ of book layer i + 2, (n_l, 1)."""
    x, _ = as_column(x, net.sizes[0], "x")
    y, _ = as_column(y, net.sizes[-1], "y")
    zs, activations = net._forward(x)
    acts = net.layer_activations
    delta = net.cost.output_error(zs[-1], activations[-1], y, acts[-1])  # BP1
    out = [delta]
    for i in range(2, net.num_layers):
        delta = bp2(net.weights[-i + 1], delta, acts[-i].derivative(zs[-i], activations[-i]))
        out.insert(0, delta)
    return zs, activations, out


def cost_after_nudge(net, zs, y: np.ndarray, layer: int, j: int, dz: float) -> float:
    """C when z^layer_j (book numbering) is changed by dz and the change propagates forward."""
    i = layer - 2
    z = zs[i].copy()
    z[j - 1] += dz
    a = net.layer_activations[i].fn(z)
    for w, b, act in zip(net.weights[i + 1 :], net.biases[i + 1 :], net.layer_activations[i + 1 :]):
        a = act.fn(w @ a + b)  # (n_l, n_{l-1}) @ (n_{l-1}, 1) + (n_l, 1)
    return net.cost.fn(a, y)


def demon(net, x, y, layer: int, j: int, dz: float) -> DemonResult:
    """Nudge z^layer_j by dz (book numbering: 2 ≤ layer ≤ L, 1 ≤ j ≤ n_layer).

    Returns a DemonResult with ``measured`` = C(z + Δz) − C(z) and ``predicted`` = δ^l_j Δz.
    """
    layer = book_layer(layer, net.num_layers)
    j = book_neuron(j, net.sizes[layer - 1], "j")
    dz = float(as_float_array(dz, "dz"))
    y_col, _ = as_column(y, net.sizes[-1], "y")
    zs, activations, ds = deltas(net, x, y_col)
    cost = net.cost.fn(activations[-1], y_col)
    delta = float(ds[layer - 2][j - 1, 0])
    nudged = cost_after_nudge(net, zs, y_col, layer, j, dz)
    return DemonResult(
        layer=layer,
        j=j,
        dz=dz,
        z=float(zs[layer - 2][j - 1, 0]),
        delta=delta,
        cost=cost,
        measured=nudged - cost,
        predicted=delta * dz,
    )

"""The chapter's demon (eq. 29): nudge one weighted input z^l_j by Δz and watch the cost.

The demon changes z^l_j to z^l_j + Δz, so the neuron outputs σ(z^l_j + Δz), and the change
travels through the later layers to the cost. To first order the cost moves by
(∂C/∂z^l_j) Δz = δ^l_j Δz; the gap between measured and predicted shrinks like Δz².
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

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


def cost_after_nudge(net, zs, y: np.ndarray, layer: int, j: int, dz: float) -> float:
    """C when the demon changes z^layer_j (book numbering) by dz; later layers recomputed.

    zs: the forward pass's weighted inputs (each (n_l, 1)); y: the target column (n_L, 1).
    """
    z = zs[layer - 2].copy()  # (n_layer, 1)
    z[j - 1] += dz
    return net.cost_from_z(layer, z, y)


def demon(net, x, y, layer: int, j: int, dz: float) -> DemonResult:
    """Nudge z^layer_j by dz (book numbering: 2 ≤ layer ≤ L, 1 ≤ j ≤ n_layer).

    Returns a DemonResult with ``measured`` = C(z + Δz) − C(z) and ``predicted`` = δ^l_j Δz.
    """
    layer = book_layer(layer, net.num_layers)
    j = book_neuron(j, net.sizes[layer - 1], "j")
    dz = float(as_float_array(dz, "dz"))
    y_col, _ = as_column(y, net.sizes[-1], "y")
    zs, activations, ds = net.deltas(x, y_col)
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


def demon_curves(net, x, y, layer: int, j: int, dzs: np.ndarray) -> tuple[np.ndarray, float]:
    """(measured ΔC for each Δz in ``dzs``, δ^layer_j) for one example (book numbering)."""
    y_col, _ = as_column(y, net.sizes[-1], "y")
    zs, activations, ds = net.deltas(x, y_col)
    cost = net.cost.fn(activations[-1], y_col)
    measured = np.array([cost_after_nudge(net, zs, y_col, layer, j, dz) - cost for dz in dzs])
    return measured, float(ds[layer - 2][j - 1, 0])


# ----- notebook 03: the demon's curvature, and a demon that changes a^l_j instead ----------
def second_derivative(net, x, y, layer: int, j: int, h: float = 1e-3) -> float:
    """∂²C/∂(z^layer_j)² ≈ (ΔC(+h) + ΔC(−h)) / h², a central second difference (book numbering).

    With it the demon's remainder is ΔC − δ Δz ≈ ½ C'' Δz², sign included.
    """
    up = demon(net, x, y, layer, j, h).measured
    down = demon(net, x, y, layer, j, -h).measured
    return (up + down) / (h * h)


def activation_nudge(net, x, y, layer: int, j: int, da: float) -> float:
    """ΔC when a^layer_j (not z^layer_j) is changed by da; later layers recomputed.

    The demon of the chapter's aside, who nudges the output of neuron j rather than its
    weighted input; book numbering, 2 ≤ layer ≤ L.
    """
    layer = book_layer(layer, net.num_layers)
    j = book_neuron(j, net.sizes[layer - 1], "j")
    y_col, _ = as_column(y, net.sizes[-1], "y")
    _, activations = net.forward(x)
    a = activations[layer - 1].copy()  # a^layer, (n_layer, 1)
    cost = net.cost.fn(net.forward_columns(a, layer)[1][-1], y_col)
    a[j - 1] += float(as_float_array(da, "da"))
    return net.cost.fn(net.forward_columns(a, layer)[1][-1], y_col) - cost

"""A nudge Δw^l_jk followed through the network to the cost, measured against eq. (47)–(52).

``ripple`` changes one weight by Δw, re-runs the network and records the change of every
later activation and of C, beside the first-order predictions of the chapter: eq. (48) for
a^l_j, eq. (49)–(50) for the next layer, the same chain for every later layer, and eq. (47)
and (52) for C. ``path_ripple`` lets the change travel along ONE path only (every other
neuron held fixed) and compares each step with the product of rate factors of eq. (51).
Book numbering throughout: layers l = 2 … L, neurons from 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .paths import enumerate_paths
from .validation import as_column, book_layer, book_neuron


@dataclass(frozen=True)
class LayerChange:
    """Δa^p of one layer p ≥ l: measured by re-running the network, and to first order."""

    layer: int
    measured: np.ndarray  # (n_p,)
    first_order: np.ndarray  # (n_p,): the rate factors chained from eq. (48)


@dataclass(frozen=True)
class Ripple:
    """Every change a nudge Δw^l_jk causes, measured and predicted to first order."""

    layer: int
    j: int
    k: int
    dw: float
    layers: list[LayerChange]  # layers l, l + 1, …, L
    dC: float  # measured: C(w + Δw) − C(w)
    dC_47: float  # (∂C/∂w^l_jk) Δw, with ∂C/∂w^l_jk = a^{l−1}_k δ^l_j from backprop
    dC_52: float  # the sum over every path of (product of rate factors) × Δw
    eq49: np.ndarray | None  # (∂a^{l+1}_q/∂a^l_j) × the MEASURED Δa^l_j, each q; None if l = L


def ripple(net, x, y, layer: int, j: int, k: int, dw: float) -> Ripple:
    """Nudge w^layer_jk by dw; measure Δa of every later layer and ΔC; predict them (47–52)."""
    layer = book_layer(layer, net.num_layers)
    j = book_neuron(j, net.sizes[layer - 1], "j")
    k = book_neuron(k, net.sizes[layer - 2], "k")
    x, _ = as_column(x, net.sizes[0], "x")
    y, _ = as_column(y, net.sizes[-1], "y")
    zs, activations = net.forward_columns(x)
    cost = net.cost.fn(activations[-1], y)
    w0 = net.w(layer, j, k)
    net.set_w(layer, j, k, w0 + dw)
    try:
        _, nudged = net.forward_columns(x)
        cost_nudged = net.cost.fn(nudged[-1], y)
    finally:
        net.set_w(layer, j, k, w0)
    # sp[i] is σ'(z) of book layer i + 2, (n, 1).
    sp = [act.derivative(z, a) for act, z, a in zip(net.layer_activations, zs, activations[1:])]
    # (48): only neuron j of layer l moves, by σ'(z^l_j) a^{l−1}_k Δw.
    predicted = np.zeros((net.sizes[layer - 1], 1))
    predicted[j - 1, 0] = sp[layer - 2][j - 1, 0] * activations[layer - 2][k - 1, 0] * dw
    measured = (nudged[layer - 1] - activations[layer - 1])[:, 0]
    changes = [LayerChange(layer, measured, predicted[:, 0])]
    for p in range(layer + 1, net.num_layers + 1):
        # (49)–(50) one layer on: Δa^p_q ≈ Σ_r σ'(z^p_q) w^p_qr Δa^{p−1}_r, every q at once.
        predicted = sp[p - 2] * (net.weights[p - 2] @ predicted)  # (n_p, 1)
        measured = (nudged[p - 1] - activations[p - 1])[:, 0]
        changes.append(LayerChange(p, measured, predicted[:, 0]))
    _, _, deltas = net.deltas(x, y)
    dC_dw = activations[layer - 2][k - 1, 0] * deltas[layer - 2][j - 1, 0]  # BP4
    path_total = sum(path.rate for path in enumerate_paths(net, x, y, layer, j, k))
    eq49 = None
    if layer < net.num_layers:  # σ'(z^{l+1}_q) w^{l+1}_qj, times Δa^l_j as measured
        eq49 = sp[layer - 1][:, 0] * net.weights[layer - 1][:, j - 1] * changes[0].measured[j - 1]
    return Ripple(
        layer=layer,
        j=j,
        k=k,
        dw=float(dw),
        layers=changes,
        dC=float(cost_nudged - cost),
        dC_47=float(dC_dw * dw),
        dC_52=float(path_total * dw),
        eq49=eq49,
    )


@dataclass(frozen=True)
class PathStep:
    """One step of a change travelling along a single path: measured and by eq. (51)."""

    name: str  # "Δa^3_1" or "ΔC"
    measured: float
    first_order: float  # the product of the rate factors so far, times Δw


def path_ripple(net, x, y, layer: int, j: int, k: int, neurons, dw: float) -> list[PathStep]:
    """Let a nudge dw of w^layer_jk travel along one path only, neuron by neuron.

    ``neurons`` is the path (neuron j of ``layer``, then one neuron per later layer, book
    numbering). At each step only the path's next neuron is allowed to respond, every other
    neuron keeps its value; the last step changes only a^L_m in the cost. Each measured change
    is set beside the product of rate factors up to that step times dw: eq. (48), (50), …,
    and finally eq. (51).
    """
    neurons = tuple(int(q) for q in neurons)
    path = next(
        (p for p in enumerate_paths(net, x, y, layer, j, k) if p.neurons == neurons), None
    )
    if path is None:
        raise ValueError(
            f"{neurons} is not a path of w^{layer}_{j}{k}: it starts at neuron j = {j} and "
            f"visits one neuron in each layer {layer} … {net.num_layers}"
        )
    x, _ = as_column(x, net.sizes[0], "x")
    y, _ = as_column(y, net.sizes[-1], "y")
    zs, activations = net.forward_columns(x)
    steps, rate = [], 1.0
    # First step: z^l_j moves by a^{l−1}_k Δw, and only a^l_j follows.
    change = activations[layer - 2][k - 1, 0] * dw  # Δz^l_j
    previous = None
    for i, q in enumerate(neurons):
        p = layer + i
        if i > 0:
            change = net.weights[p - 2][q - 1, previous - 1] * change  # Δz^p_q from Δa^{p−1}
        z = zs[p - 2].copy()
        z[q - 1, 0] += change
        change = float(net.layer_activations[p - 2].fn(z)[q - 1, 0] - activations[p - 1][q - 1, 0])
        rate *= path.factors[i]
        steps.append(PathStep(f"Δa^{p}_{q}", change, rate * dw))
        previous = q
    a_L = activations[-1].copy()
    a_L[neurons[-1] - 1, 0] += change
    dC = net.cost.fn(a_L, y) - net.cost.fn(activations[-1], y)
    steps.append(PathStep("ΔC", float(dC), path.rate * dw))
    return steps

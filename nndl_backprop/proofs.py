"""The proofs of BP1 and BP2 (eq. 36–45) line by line, each line's value on numbers.

Each proof is a chain of equalities; here every line is evaluated for one neuron of a small
network, with the partial derivatives taken numerically (central differences) or from the
forward pass and backprop. All the values of one chain must agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .gradcheck import numerical_delta

H = 1e-5  # central-difference step: error ~ H², far below the 4 decimals shown
# The equation of each line of each proof, as its steps below label them.
PROOF_LINES = {
    "BP1": ("(36)", "(37)", "(38)", "(39)", "BP1"),
    "BP2": ("(40)", "(41)", "(42)", "(45)", "BP2"),
}


@dataclass(frozen=True)
class Step:
    """One line of a proof: its equation label, the expression, and its value here."""

    eq: str
    expression: str
    value: float


def _nudged(v: np.ndarray, j: int, h: float) -> np.ndarray:
    """A copy of the column v (n, 1) with entry j (book numbering) moved by h."""
    out = v.copy()
    out[j - 1, 0] += h
    return out


def bp1_steps(net, x, y, j: int) -> tuple[list[Step], np.ndarray, np.ndarray]:
    """Eq. 36–39 for output neuron j; also the terms of the sum (37), numeric and closed form."""
    zs, activations, ds = net.deltas(x, y)
    L = net.num_layers
    zL, aL = zs[-1], activations[-1]
    act = net.layer_activations[-1]
    n = net.sizes[-1]
    # ∂C/∂a^L_k: nudge the output activation itself; ∂a^L_k/∂z^L_j: nudge z^L_j, watch a^L_k.
    dC_da = np.array(
        [
            (net.cost.fn(_nudged(aL, k, H), y) - net.cost.fn(_nudged(aL, k, -H), y)) / (2 * H)
            for k in range(1, n + 1)
        ]
    )
    da_dz = (act.fn(_nudged(zL, j, H)) - act.fn(_nudged(zL, j, -H)))[:, 0] / (2 * H)  # (n_L,)
    terms = dC_da * da_dz
    sp_j = float(act.derivative(zL, aL)[j - 1, 0])
    closed = np.zeros(n)
    closed[j - 1] = float(net.cost.grad_a(aL, y)[j - 1, 0]) * sp_j
    steps = [
        Step("(36)", f"∂C/∂z^{L}_{j}  (finite difference)", numerical_delta(net, zs, y, L, j, H)),
        Step("(37)", f"Σ_k ∂C/∂a^{L}_k · ∂a^{L}_k/∂z^{L}_{j}", float(terms.sum())),
        Step("(38)", f"∂C/∂a^{L}_{j} · ∂a^{L}_{j}/∂z^{L}_{j}  (k = j only)", float(terms[j - 1])),
        Step("(39)", f"∂C/∂a^{L}_{j} · σ'(z^{L}_{j})", float(dC_da[j - 1]) * sp_j),
        Step("BP1", f"δ^{L}_{j}  (the package's backprop)", float(ds[-1][j - 1, 0])),
    ]
    return steps, terms, closed


def bp2_steps(net, x, y, layer: int, j: int) -> tuple[list[Step], np.ndarray, np.ndarray]:
    """Eq. 40–45 for neuron j of a hidden layer; also the terms of the sum (41)."""
    zs, activations, ds = net.deltas(x, y)
    l, n_next = layer, net.sizes[layer]
    z, a = zs[l - 2], activations[l - 1]
    act = net.layer_activations[l - 2]
    w_next, b_next = net.weights[l - 1], net.biases[l - 1]  # w^{l+1}: (n_{l+1}, n_l)
    dC_dz_next = np.array([numerical_delta(net, zs, y, l + 1, k, H) for k in range(1, n_next + 1)])
    # ∂z^{l+1}_k/∂z^l_j: nudge z^l_j and recompute z^{l+1} = w^{l+1} σ(z^l) + b^{l+1}.
    z_up = w_next @ act.fn(_nudged(z, j, H)) + b_next  # (n_{l+1}, 1)
    z_down = w_next @ act.fn(_nudged(z, j, -H)) + b_next
    dznext_dz = (z_up - z_down)[:, 0] / (2 * H)  # (n_{l+1},)
    delta_next = ds[l - 1][:, 0]  # δ^{l+1} from backprop, (n_{l+1},)
    sp_j = float(act.derivative(z, a)[j - 1, 0])
    closed = w_next[:, j - 1] * delta_next * sp_j  # the terms of (45)
    terms = dC_dz_next * dznext_dz
    steps = [
        Step("(40)", f"∂C/∂z^{l}_{j}  (finite difference)", numerical_delta(net, zs, y, l, j, H)),
        Step("(41)", f"Σ_k ∂C/∂z^{l + 1}_k · ∂z^{l + 1}_k/∂z^{l}_{j}", float(terms.sum())),
        Step("(42)", f"Σ_k ∂z^{l + 1}_k/∂z^{l}_{j} · δ^{l + 1}_k", float(dznext_dz @ delta_next)),
        Step("(45)", f"Σ_k w^{l + 1}_k{j} δ^{l + 1}_k σ'(z^{l}_{j})", float(closed.sum())),
        Step("BP2", f"δ^{l}_{j}  (the package's backprop)", float(ds[l - 2][j - 1, 0])),
    ]
    return steps, terms, closed


def chain_rule_steps(net, x, y, layer: int, j: int):
    """(steps, numeric terms, closed-form terms): BP1's proof for layer L, else BP2's."""
    if layer == net.num_layers:
        return bp1_steps(net, x, y, j)
    return bp2_steps(net, x, y, layer, j)

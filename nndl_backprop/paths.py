"""The big picture (eq. 47–53): ∂C/∂w^l_jk as a sum over every path from the weight to the cost.

A change Δw^l_jk first moves a^l_j by ∂a^l_j/∂w^l_jk = σ'(z^l_j) a^{l−1}_k. Along an edge from
neuron q of layer p to neuron r of layer p + 1 the rate factor is
∂a^{p+1}_r/∂a^p_q = σ'(z^{p+1}_r) w^{p+1}_rq, and the last factor is ∂C/∂a^L_m. Eq. 53 sums,
over all paths j = q_l → q_{l+1} → … → q_L = m, the product of the rate factors along each.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass

from .validation import as_column, book_layer, book_neuron, positive_int

MAX_PATHS = 1_000_000


@dataclass(frozen=True)
class Path:
    """One path: the neuron (book numbering) it visits in each layer l, l+1, …, L.

    ``factors`` are the rate factors in order: ∂a^l_j/∂w^l_jk, one ∂a/∂a per edge, ∂C/∂a^L_m.
    """

    neurons: tuple[int, ...]
    factors: tuple[float, ...]

    @property
    def rate(self) -> float:
        """The product of the rate factors along the path (one term of eq. 53)."""
        return math.prod(self.factors)


@dataclass(frozen=True)
class PathSum:
    """∂C/∂w^l_jk as the sum over paths (eq. 53): ``value`` and ``n_paths``."""

    layer: int
    j: int
    k: int
    value: float
    n_paths: int


def count_paths(sizes: list[int], layer: int) -> int:
    """Paths from one neuron of book layer ``layer`` to the output: n_{l+1} ⋯ n_L.

    ``sizes``: the widths n_1 … n_L (at least two, each a positive integer); ``layer``: the
    book's l, 2 ≤ l ≤ L. TypeError or ValueError otherwise.
    """
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
        raise TypeError(f"sizes must be a list of layer widths, got {type(sizes).__name__}")
    if len(sizes) < 2:
        raise ValueError(f"sizes needs at least two layers (input and output), got {list(sizes)}")
    widths = [positive_int(n, f"sizes[{i}]") for i, n in enumerate(sizes)]
    return math.prod(widths[book_layer(layer, len(widths)) :])


def enumerate_paths(net, x, y, layer: int, j: int, k: int) -> Iterator[Path]:
    """Every path from w^layer_jk to the cost, with its rate factors (book numbering)."""
    layer = book_layer(layer, net.num_layers)
    j = book_neuron(j, net.sizes[layer - 1], "j")
    k = book_neuron(k, net.sizes[layer - 2], "k")
    n = count_paths(net.sizes, layer)
    if n > MAX_PATHS:
        raise ValueError(
            f"w^{layer}_{j}{k} has {n:,} paths to the cost, more than {MAX_PATHS:,}: summing "
            "them one by one is exactly what backpropagation avoids; use a smaller network"
        )
    x, _ = as_column(x, net.sizes[0], "x")
    y, _ = as_column(y, net.sizes[-1], "y")
    zs, activations = net.forward_columns(x)
    # sp[p][q] is σ'(z) of neuron q (0-based) in book layer p + 2.
    sp = [
        act.derivative(z, a)[:, 0] for act, z, a in zip(net.layer_activations, zs, activations[1:])
    ]
    dC_da = net.cost.grad_a(activations[-1], y)[:, 0]  # ∂C/∂a^L, (n_L,)
    first = sp[layer - 2][j - 1] * activations[layer - 2][k - 1, 0]  # ∂a^l_j / ∂w^l_jk
    later = [range(1, n_p + 1) for n_p in net.sizes[layer:]]
    for rest in itertools.product(*later):
        neurons = (j, *rest)
        factors = [first]
        for p in range(len(rest)):  # edge from layer `layer + p` to `layer + p + 1`
            q, r = neurons[p], neurons[p + 1]
            w = net.weights[layer + p - 1]  # w^{layer+p+1}
            factors.append(sp[layer + p - 1][r - 1] * w[r - 1, q - 1])
        factors.append(dC_da[neurons[-1] - 1])
        yield Path(neurons, tuple(float(f) for f in factors))


def path_sum(net, x, y, layer: int, j: int, k: int) -> PathSum:
    """∂C/∂w^layer_jk by eq. 53: the sum over all paths of the product of rate factors."""
    total, n = 0.0, 0
    for path in enumerate_paths(net, x, y, layer, j, k):
        total += path.rate
        n += 1
    return PathSum(layer=layer, j=j, k=k, value=total, n_paths=n)


def continuation_sum(net, x, y, layer: int, j: int) -> float:
    """Σ over the paths from a^layer_j to the cost of their rate factors: ∂C/∂a^layer_j.

    These are the paths of any weight w^layer_jk without their first factor ∂a^l_j/∂w^l_jk.
    The sum is ∂C/∂a, not the error δ = ∂C/∂z: δ^layer_j = σ'(z^layer_j) · this sum (the
    chapter's footnote on switching the intermediate variables from a to z).
    """
    return sum(
        math.prod(path.factors[1:]) for path in enumerate_paths(net, x, y, layer, j, 1)
    )


def path_sums_by_next_neuron(net, x, y, layer: int, j: int, k: int) -> list[float]:
    """The paths of w^layer_jk grouped by the neuron q they visit in layer + 1.

    Entry q − 1 is the sum of the rates of the paths through neuron q (book numbering); the
    entries add up to eq. 53's total. Each equals σ'(z^l_j) a^{l−1}_k w^{l+1}_qj δ^{l+1}_q,
    the q-th term of BP2 times ∂a^l_j/∂w^l_jk.
    """
    if layer >= net.num_layers:
        raise ValueError(f"layer {layer} is the output layer: its paths visit no later layer")
    sums = [0.0] * net.sizes[layer]
    for path in enumerate_paths(net, x, y, layer, j, k):
        sums[path.neurons[1] - 1] += path.rate
    return sums

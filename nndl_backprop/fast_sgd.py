"""One SGD step per mini-batch, in place: the training path that ``Network.SGD`` runs.

The mathematics is exactly ``Network.backprop_columns`` (BP1, BP2, BP3, BP4) followed by the
update w → w − η ∇_w C, b → b − η ∇_b C. It is written for small mini-batches (the book's
m = 10), where numpy's cost per call, not the arithmetic, decides the speed. Three departures
from the readable path, and nothing else:

1. Examples are ROWS here: the mini-batch is x of shape (m, n_in), and every a^l, z^l, δ^l
   of book layer l is (m, n_l), the book's (n_l, m) transposed. So eq. (25) reads
   z^l = a^{l−1} (w^l)^T + (b^l)^T, BP2 reads δ^l = (δ^{l+1} w^{l+1}) ⊙ σ'(z^l), BP3 sums
   over rows and BP4 is δ^T a^{l−1}. Drawing a mini-batch then copies m contiguous rows.
2. Every array is allocated once per ``SGD`` call and written with ``out=``; a step allocates
   nothing (except σ and σ' of activations other than the sigmoid, which use their own
   functions).
3. η/m multiplies the small δ^l (m, n_l) before BP3 and BP4, so the w-sized product is the
   step η ∂C/∂w^l itself, subtracted from w^l in place with no further pass.

The work of one step, in numpy calls: drawing the mini-batch, 2 (the m rows of x and of y,
or the m x of the book's list copied end to end); then for each of the L − 1 layers: forward,
1 matrix product, 1 bias addition, σ (4 ufuncs); backward, BP1 or BP2 (1 subtraction or
product, σ' from a in 2 ufuncs, 1 multiplication), the η/m scaling (1), BP3 (1 sum), BP4 (1
product) and the update (2 subtractions). The mini-batch's cost, when monitored, is one dot
product of a^L − y for the quadratic cost. On [784, 30, 10] that is about 30 calls.
"""

from __future__ import annotations

import numpy as np

from .activations import ACTIVATIONS, Activation, sigmoid
from .costs import CrossEntropyCost, QuadraticCost

_SIGMOID = ACTIVATIONS["sigmoid"]


def fused_step_supported(net) -> bool:
    """True when every layer has one elementwise Activation and the cost is a built-in one.

    A layer with a neuron of its own (NeuronwiseActivation) indexes neurons as rows of z, and
    a custom Cost may reduce over columns; such networks train on the plain path instead.
    """
    return all(isinstance(act, Activation) for act in net.layer_activations) and isinstance(
        net.cost, QuadraticCost | CrossEntropyCost
    )


class SGDStep:
    """Buffers for mini-batches of m examples, and the step w → w − η ∇C on one of them.

    Holds views of ``net.weights`` and ``net.biases`` for one SGD call and updates them in
    place; its arrays are the scratch space of the step, overwritten by the next one.
    """

    def __init__(self, net, m: int):
        dtype, sizes = net.dtype, net.sizes
        self.net, self.m = net, m
        self.x = np.empty((m, sizes[0]), dtype)  # a^1, the mini-batch's inputs as rows
        self.y = np.empty((m, sizes[-1]), dtype)
        self.zs = [np.empty((m, n), dtype) for n in sizes[1:]]  # z^l, (m, n_l)
        self.activations = [self.x] + [np.empty((m, n), dtype) for n in sizes[1:]]  # a^l
        self.deltas = [np.empty((m, n), dtype) for n in sizes[1:]]  # δ^l, (m, n_l)
        self.sigma_primes = [np.empty((m, n), dtype) for n in sizes[1:]]  # σ'(z^l)
        self.scaled = [np.empty((m, n), dtype) for n in sizes[1:]]  # (η/m) δ^l
        self.step_b = [np.empty((1, n), dtype) for n in sizes[1:]]  # η ∂C/∂b^l as a row
        self.step_w = [np.empty_like(w) for w in net.weights]  # η ∂C/∂w^l, (n_l, n_{l−1})
        self.b_rows = [b.T for b in net.biases]  # (1, n_l) views: updating them updates b^l
        self.quadratic = isinstance(net.cost, QuadraticCost)
        # With a sigmoid output and the cross-entropy, BP1's σ'(z^L) cancels (see deltas()).
        self.cancel = (
            net.cost.name == "cross_entropy" and net.layer_activations[-1].name == "sigmoid"
        )
        # Forward: per layer w^l, (b^l)^T, σ, and the buffers z^l, a^{l−1}, a^l.
        self.layers = list(
            zip(
                net.weights, self.b_rows, net.layer_activations, self.zs,
                self.activations, self.activations[1:],
            )
        )  # fmt: skip

    def load_rows(self, X_rows: np.ndarray, Y_rows: np.ndarray, idx: np.ndarray) -> None:
        """The mini-batch: rows ``idx`` of X_rows (n, n_in) and Y_rows (n, n_out)."""
        # idx comes from a permutation, always in range; mode="clip" lets take skip a buffer.
        np.take(X_rows, idx, axis=0, out=self.x, mode="clip")  # (m, n_in)
        np.take(Y_rows, idx, axis=0, out=self.y, mode="clip")  # (m, n_out)

    def load_pairs(self, xs: list, Y_rows: np.ndarray, idx: np.ndarray) -> None:
        """The mini-batch with its inputs taken straight from the book's list: xs[i] is the x
        of pair i, every one (n_in, 1) or every one (n_in,). The m inputs are copied end to end
        into the (m, n_in) buffer, so the training set is never stacked into a second copy."""
        flat = self.x.reshape(-1, 1) if xs[0].ndim == 2 else self.x.reshape(-1)  # views
        np.concatenate([xs[i] for i in idx.tolist()], out=flat, casting="same_kind")
        np.take(Y_rows, idx, axis=0, out=self.y, mode="clip")  # (m, n_out)

    def step(self, eta: float, cost: bool) -> float | None:
        """w → w − η ∇C on the mini-batch in the buffers x (m, n_in), y (m, n_out). With
        ``cost``, return its mean cost C from this step's forward pass (before the update)."""
        net, y = self.net, self.y
        # Forward (eq. 25 with examples as rows): z^l = a^{l−1} (w^l)^T + (b^l)^T, a^l = σ(z^l).
        for w, b_row, act, z, a_prev, a in self.layers:
            np.matmul(a_prev, w.T, out=z)  # (m, n_{l−1}) @ (n_{l−1}, n_l) -> (m, n_l)
            z += b_row  # (1, n_l) added to every row
            if act is _SIGMOID:
                sigmoid(z, out=a)
            else:
                a[...] = act.fn(z)

        # (BP1) δ^L = ∇_a C ⊙ σ'(z^L), and the mini-batch's cost C from the same a^L.
        a_L, delta, L = self.activations[-1], self.deltas[-1], len(net.weights) - 1
        if self.quadratic:
            np.subtract(a_L, y, out=delta)  # ∇_a C = a^L − y, (m, n_L)
            # C = (1/m) Σ_x ½ ‖a^L_x − y_x‖², from the ∇_a C just computed: one dot product.
            batch_cost = 0.5 * float(np.vdot(delta, delta)) / self.m if cost else None
            delta *= self._sigma_prime(L)  # (BP1)
        else:
            batch_cost = net.cost.fn(a_L.T, y.T) if cost else None  # the cost takes columns
            if self.cancel:
                np.subtract(a_L, y, out=delta)  # (BP1) a^L − y: σ'(z^L) cancelled
            else:
                delta[...] = net.cost.grad_a(a_L, y)  # ∇_a C, (m, n_L)
                delta *= self._sigma_prime(L)  # (BP1)

        scale = eta / self.m
        for i in range(len(net.weights) - 1, -1, -1):  # book layer l = i + 2, from L down to 2
            delta, scaled = self.deltas[i], self.scaled[i]
            np.multiply(delta, scale, out=scaled)  # (η/m) δ^l, (m, n_l)
            if i > 0:  # (BP2) δ^{l−1} = (δ^l w^l) ⊙ σ'(z^{l−1}), with w^l before its update
                delta_prev = self.deltas[i - 1]
                np.matmul(delta, net.weights[i], out=delta_prev)  # (m, n_l) @ (n_l, n_{l−1})
                delta_prev *= self._sigma_prime(i - 1)  # (BP2) ⊙ σ'(z^{l−1}), (m, n_{l−1})
            # (BP3) η ∂C/∂b^l = (η/m) Σ_x δ^l_x: the sum over the m rows.
            np.add.reduce(scaled, axis=0, keepdims=True, out=self.step_b[i])  # (1, n_l)
            self.b_rows[i] -= self.step_b[i]
            # (BP4) η ∂C/∂w^l = (η/m) Σ_x δ^l_x (a^{l−1}_x)^T: one product over the m rows.
            np.matmul(scaled.T, self.activations[i], out=self.step_w[i])  # (n_l, m) @ (m, n_{l−1})
            net.weights[i] -= self.step_w[i]
        return batch_cost

    def _sigma_prime(self, i: int) -> np.ndarray:
        """σ'(z^l) of book layer l = i + 2 into its buffer; from a = σ(z) for the sigmoid."""
        act, sp, a = self.net.layer_activations[i], self.sigma_primes[i], self.activations[i + 1]
        if act is _SIGMOID:
            np.subtract(1.0, a, out=sp)  # σ'(z) = a (1 − a)
            sp *= a
        else:
            sp[...] = act.derivative(self.zs[i], a)
        return sp

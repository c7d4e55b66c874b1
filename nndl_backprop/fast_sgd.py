"""One SGD step per mini-batch, in place: the training path that ``Network.SGD`` runs.

The mathematics is exactly ``Network.backprop_columns`` (BP1, BP2, BP3, BP4) followed by the
update w → w − η ∇_w C, b → b − η ∇_b C. It is written for small mini-batches (the book's
m = 10), where numpy's cost per call, not the arithmetic, decides the speed. Four departures
from the readable path, and nothing else:

1. Examples are ROWS here: the mini-batch is x of shape (m, n_in), and every a^l, z^l, δ^l
   of book layer l is (m, n_l), the book's (n_l, m) transposed. So eq. (25) reads
   z^l = a^{l−1} (w^l)^T + (b^l)^T, BP2 reads δ^l = (δ^{l+1} w^{l+1}) ⊙ σ'(z^l), BP3 sums
   over rows (as 1_m · δ^l, a product with a row of m ones) and BP4 is δ^T a^{l−1}. (In a
   float32 network the hidden layers' arrays lie in memory as the book's (n_l, m) columns,
   which OpenBLAS multiplies faster in float32, and their products are written the book's
   way: (z^l)^T = w^l (a^{l−1})^T and (w^l)^T δ^l. Each array is the same (m, n_l) matrix.)
2. Mini-batches are drawn a chunk at a time (:class:`Chunk`): the rows of about 2 MiB of
   inputs (33 mini-batches of 10 MNIST images in float64, 66 in float32), the next ones in
   the epoch's shuffle, are copied into one buffer by one numpy call, and each step reads
   its m rows there as views. The training set is never copied whole: the chunk is the
   only copy of inputs that training makes.
3. Every array is allocated once per ``SGD`` call and written with ``out=``; a step allocates
   nothing (except σ and σ' of activations other than the sigmoid, which use their own
   functions). Products are ``np.dot``, the same product as ``@`` with less overhead per
   call, and the numbers 1 and η/m are 0-d arrays of the network's dtype.
4. η/m multiplies the small δ^l (m, n_l) before BP3 and BP4, so the w-sized product is the
   step η ∂C/∂w^l itself, subtracted from w^l in place with no further pass.

The work of one step on [784, 30, 10] (sigmoid, quadratic cost), in numpy calls: for each of
the 2 layers, forward: 1 matrix product, 1 bias addition, σ = 1/(1 + e^{−z}) (4 ufuncs);
backward: BP1 (1 subtraction, σ' = a(1 − a) in 2 ufuncs, 1 multiplication) or BP2 (1 matrix
product, σ' in 2, 1 multiplication), the η/m scaling (1), BP3 (1 product), BP4 (1 matrix
product) and the update (2 subtractions). That is 12 + 4 + 4 + 10 = 30 calls; the
mini-batch's cost, when monitored, adds 1 dot product (a^L − y)·(a^L − y). Drawing the
mini-batches adds 2 calls per chunk (the x and the y), and the first epoch's check of a list
of pairs for NaN and inf 1 dot product per chunk: a few hundredths of a call per step.

σ's e^{−z} overflows to inf for z < −709 (−88 in float32), and then σ = 1/(1 + inf) = 0, its
exact value to within the smallest float: this overflow is expected. ``SGD`` runs its steps
inside one ``np.errstate(over="ignore")`` (entering one costs more than a small ufunc), and
the step calls :func:`activations.sigmoid_unchecked`, the same formula without an errstate of
its own. The price: an overflow elsewhere in a step (numbers growing past 1e308 as training
diverges) gives inf without numpy's "overflow" warning; the NaN that follows still brings
numpy's "invalid value" warning, and the cost history shows the inf or NaN.
"""

from __future__ import annotations

import numpy as np

from .activations import ACTIVATIONS, Activation, sigmoid_unchecked
from .costs import CrossEntropyCost, QuadraticCost

_SIGMOID = ACTIVATIONS["sigmoid"]
CHUNK_BYTES = 2 << 20  # a chunk holds about this many bytes of input rows (2 MiB)
# Networks of these dtypes keep the examples of their hidden layers as columns in memory: see
# SGDStep. Measured with OpenBLAS 0.3 on x86-64 (AVX2): in float32 the product w^l (a^{l−1})^T
# written as columns takes about 15 µs on [784, 30, 10] at m = 10, against 20 µs for
# a^{l−1} (w^l)^T written as rows; in float64 the rows are faster (27 µs against 31).
HIDDEN_AS_COLUMNS = {np.dtype(np.float32)}


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
        self.x = self.y = None  # buffers of load_rows and load_pairs, made on first use
        # Every buffer below is (m, n_l). In a hidden layer of a float32 network it is the
        # transpose of an (n_l, m) array: the examples are columns in memory, as in the book,
        # for a faster product (HIDDEN_AS_COLUMNS); the output layer's rows match y's.
        columns = [dtype in HIDDEN_AS_COLUMNS] * (len(sizes) - 2) + [False]  # layers 2 … L

        def buffers():
            return [
                np.empty((n, m), dtype).T if c else np.empty((m, n), dtype)
                for n, c in zip(sizes[1:], columns)
            ]

        zs = buffers()  # z^l, (m, n_l)
        acts = buffers()  # a^l, (m, n_l); a^1 is x
        deltas = buffers()  # δ^l, (m, n_l)
        sigma_primes = buffers()  # σ'(z^l)
        scaled = buffers()  # (η/m) δ^l
        step_b = [np.empty(n, dtype) for n in sizes[1:]]  # η ∂C/∂b^l, (n_l,)
        step_w = [np.empty(w.shape, dtype) for w in net.weights]  # η ∂C/∂w^l, (n_l, n_{l−1})
        b_flat = [b[:, 0] for b in net.biases]  # (n_l,) views: updating them updates b^l
        self.ones = np.ones(m, dtype)  # 1_m: 1_m · δ sums δ's m rows (BP3)
        # The numbers 1 and η/m as 0-d arrays of the dtype: numpy converts a Python float anew
        # at every call, which takes longer than the arithmetic on a (10, 30) array.
        self.one, self.eta, self.scale = np.ones((), dtype), None, None
        self.quadratic = isinstance(net.cost, QuadraticCost)
        # With a sigmoid output and the cross-entropy, BP1's σ'(z^L) cancels (see step()).
        self.cancel = (
            net.cost.name == "cross_entropy" and net.layer_activations[-1].name == "sigmoid"
        )
        self.output = (net.layer_activations[-1], zs[-1], acts[-1], deltas[-1], sigma_primes[-1])
        # Forward, layer by layer: w^l, (w^l)^T (a view), b^l (a row, or a column for columns),
        # σ, z^l, z^l as it lies in memory (m, n_l) or (n_l, m), a^l, columns or not.
        self.forward = tuple(
            (w, w.T, b if c else b.T, act, z, z.T if c else z, a, c)
            for w, b, act, z, a, c in zip(
                net.weights, net.biases, net.layer_activations, zs, acts, columns
            )
        )
        # Backward, from layer L down to 2: δ^l, (η/m) δ^l, a^{l−1} (None: the input x), the
        # steps and parameters of layer l, and for BP2 δ^{l−1}, σ, z^{l−1} and σ'(z^{l−1})
        # (None at layer 2, which has no BP2).
        backward = []
        for i in range(len(net.weights) - 1, -1, -1):  # book layer l = i + 2
            bp2 = None
            if i > 0:
                bp2 = (
                    deltas[i - 1],
                    net.layer_activations[i - 1],
                    zs[i - 1],
                    sigma_primes[i - 1],
                    columns[i - 1],
                )
            backward.append(
                (deltas[i], scaled[i], acts[i - 1] if i > 0 else None, step_b[i], b_flat[i],
                 step_w[i], net.weights[i], bp2)
            )  # fmt: skip
        self.backward = tuple(backward)

    def load_rows(self, X_rows: np.ndarray, Y_rows: np.ndarray, idx: np.ndarray) -> None:
        """The mini-batch for :meth:`step`: rows ``idx`` of X_rows (n, n_in), Y_rows (n, n_out)."""
        x, y = self._buffers()
        # idx comes from a permutation, always in range; mode="clip" lets take skip a buffer.
        np.take(X_rows, idx, axis=0, out=x, mode="clip")  # (m, n_in)
        np.take(Y_rows, idx, axis=0, out=y, mode="clip")  # (m, n_out)

    def load_pairs(self, xs: list, Y_rows: np.ndarray, idx: np.ndarray) -> None:
        """The mini-batch for :meth:`step`, its inputs taken straight from the book's list:
        xs[i] is the x of pair i, every one (n_in, 1) or every one (n_in,)."""
        x, y = self._buffers()
        _concatenate_rows(xs, idx, x)
        np.take(Y_rows, idx, axis=0, out=y, mode="clip")  # (m, n_out)

    def _buffers(self) -> tuple[np.ndarray, np.ndarray]:
        if self.x is None:
            dtype, sizes = self.net.dtype, self.net.sizes
            self.x = np.empty((self.m, sizes[0]), dtype)  # a^1, the inputs as rows
            self.y = np.empty((self.m, sizes[-1]), dtype)
        return self.x, self.y

    def step(self, eta: float, cost: bool, x=None, y=None) -> float | None:
        """w → w − η ∇C on the mini-batch x (m, n_in), y (m, n_out): views of a :class:`Chunk`,
        or by default the buffers that load_rows / load_pairs filled. With ``cost``, return
        its mean cost C from this step's forward pass (before the update).

        Call it inside ``np.errstate(over="ignore")``, as ``SGD`` does: see the module's notes.
        """
        if x is None:
            x, y = self.x, self.y
        # Forward (eq. 25): z^l = a^{l−1} (w^l)^T + (b^l)^T with examples as rows, or as columns
        # (z^l)^T = w^l (a^{l−1})^T + b^l; then a^l = σ(z^l).
        a = x
        for w, w_T, b, act, z, z_mem, a_next, columns in self.forward:
            if columns:  # (z^l)^T = w^l (a^{l−1})^T, the book's eq. (25) with examples as columns
                np.dot(w, a.T, z_mem)  # (n_l, n_{l−1}) @ (n_{l−1}, m) -> (n_l, m)
            else:
                np.dot(a, w_T, z_mem)  # (m, n_{l−1}) @ (n_{l−1}, n_l) -> (m, n_l)
            np.add(z_mem, b, z_mem)  # + (b^l)^T (1, n_l) to every row, or b^l to every column
            if act is _SIGMOID:
                sigmoid_unchecked(z, a_next)
            else:
                a_next[...] = act.fn(z)
            a = a_next

        # (BP1) δ^L = ∇_a C ⊙ σ'(z^L), and the mini-batch's cost C from the same a^L.
        act, z, a_L, delta, sp = self.output
        if self.quadratic:
            np.subtract(a_L, y, delta)  # ∇_a C = a^L − y, (m, n_L)
            # C = (1/m) Σ_x ½ ‖a^L_x − y_x‖², from the ∇_a C just computed: one dot product.
            batch_cost = 0.5 * float(np.vdot(delta, delta)) / self.m if cost else None
            _times_sigma_prime(delta, act, z, a_L, sp, self.one)  # (BP1) ⊙ σ'(z^L)
        else:
            batch_cost = self.net.cost.fn(a_L.T, y.T) if cost else None  # it takes columns
            if self.cancel:
                np.subtract(a_L, y, delta)  # (BP1) a^L − y: σ'(z^L) cancelled
            else:
                delta[...] = self.net.cost.grad_a(a_L, y)  # ∇_a C, (m, n_L)
                _times_sigma_prime(delta, act, z, a_L, sp, self.one)  # (BP1)

        if eta != self.eta:  # η/m as a 0-d array, made once for each η
            self.eta, self.scale = eta, np.array(eta / self.m, self.net.dtype)
        scale, ones = self.scale, self.ones
        for delta, scaled, a_prev, step_b, b, step_w, w, bp2 in self.backward:  # l = L … 2
            np.multiply(delta, scale, scaled)  # (η/m) δ^l, (m, n_l)
            if bp2 is None:
                a_prev = x  # layer 2, the last one back: a^1 = x
            else:  # (BP2) δ^{l−1} = (δ^l w^l) ⊙ σ'(z^{l−1}), with w^l before its update
                delta_prev, act, z, sp, columns = bp2
                if columns:  # as the book writes it: (w^l)^T δ^l, δ^l as columns
                    np.dot(w.T, delta.T, delta_prev.T)  # (n_{l−1}, n_l) @ (n_l, m) -> (n_{l−1}, m)
                else:
                    np.dot(delta, w, delta_prev)  # (m, n_l) @ (n_l, n_{l−1}) -> (m, n_{l−1})
                _times_sigma_prime(delta_prev, act, z, a_prev, sp, self.one)  # (BP2)
            # (BP3) η ∂C/∂b^l = (η/m) Σ_x δ^l_x, the sum over the m rows: 1_m · (η/m) δ^l.
            np.dot(ones, scaled, step_b)  # (m,) @ (m, n_l) -> (n_l,)
            np.subtract(b, step_b, b)
            # (BP4) η ∂C/∂w^l = (η/m) Σ_x δ^l_x (a^{l−1}_x)^T: one product over the m rows.
            np.dot(scaled.T, a_prev, step_w)  # (n_l, m) @ (m, n_{l−1}) -> (n_l, n_{l−1})
            np.subtract(w, step_w, w)
        return batch_cost


def _times_sigma_prime(delta, act, z, a, sp, one) -> None:
    """δ ⊙= σ'(z) in place, σ'(z) written to the buffer sp; from a = σ(z) for the sigmoid.
    ``one`` is 1 as a 0-d array of the dtype."""
    if act is _SIGMOID:
        np.subtract(one, a, sp)  # σ'(z) = a (1 − a)
        np.multiply(sp, a, sp)
    else:
        sp[...] = act.derivative(z, a)
    np.multiply(delta, sp, delta)


class Chunk:
    """An epoch's mini-batches, drawn a chunk at a time: a buffer of rows and views into it.

    ``load(idx)`` copies the rows ``idx`` of the epoch's shuffle, those of about CHUNK_BYTES of
    inputs (at least one mini-batch), into the buffer with one numpy call for the inputs and
    one for the targets, and returns each mini-batch as a pair of views (x (m, n_in),
    y (m, n_out)) of it; the last may hold fewer than m rows. The inputs come from the
    training set's rows X_rows (n, n_in), or from the book's list of pairs when ``xs`` is the
    list of their x (cast to the network's dtype on the way). Memory: the buffer's
    rows × (n_in + n_out) numbers, about 2 MiB, never more than the training set's size.
    """

    def __init__(self, net, m: int, Y_rows: np.ndarray, X_rows=None, xs=None):
        dtype, n_in = net.dtype, net.sizes[0]
        n = Y_rows.shape[0]
        per_chunk = max(1, CHUNK_BYTES // (m * n_in * dtype.itemsize))  # mini-batches
        self.rows = min(n, per_chunk * m)
        self.m, self.X_rows, self.Y_rows, self.xs = m, X_rows, Y_rows, xs
        self.x = np.empty((self.rows, n_in), dtype)  # the chunk's inputs, as rows
        self.y = np.empty((self.rows, Y_rows.shape[1]), dtype)
        self.full = self._views(self.rows)  # the mini-batches of a full chunk

    def _views(self, rows: int) -> list[tuple[np.ndarray, np.ndarray]]:
        x, y, m = self.x, self.y, self.m
        return [(x[k : min(k + m, rows)], y[k : min(k + m, rows)]) for k in range(0, rows, m)]

    def load(self, idx: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Rows ``idx`` (at most ``self.rows``) into the buffer; their mini-batches as views."""
        rows = len(idx)
        if self.xs is None:  # idx is a slice of a permutation: in range, so mode="clip"
            np.take(self.X_rows, idx, axis=0, out=self.x[:rows], mode="clip")  # (rows, n_in)
        else:
            _concatenate_rows(self.xs, idx, self.x[:rows])
        np.take(self.Y_rows, idx, axis=0, out=self.y[:rows], mode="clip")  # (rows, n_out)
        return self.full if rows == self.rows else self._views(rows)


def _concatenate_rows(xs: list, idx: np.ndarray, out: np.ndarray) -> None:
    """xs[i] for i in idx, every one (n_in, 1) or every one (n_in,), copied end to end into
    the rows of ``out`` (len(idx), n_in) by one np.concatenate, cast to out's dtype."""
    flat = out.reshape(-1, 1) if xs[0].ndim == 2 else out.reshape(-1)  # views
    np.concatenate(list(map(xs.__getitem__, idx.tolist())), out=flat, casting="same_kind")

"""A feedforward network in the book's conventions, with per-example and mini-batch backprop.

Numbering. The book counts layers from 1 (layer 1 is the input) and neurons from 1, so
w^l_jk is the weight from neuron k in layer l−1 to neuron j in layer l. Python counts from 0:
``net.weights[l - 2][j - 1, k - 1]`` is w^l_jk and ``net.biases[l - 2][j - 1, 0]`` is b^l_j.
The methods ``w``, ``b``, ``set_w`` and ``set_b`` take the book's numbering, as do all
functions of this package that take a layer or a neuron; raw arrays stay 0-based.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from .activations import Activation, NeuronwiseActivation, get_activation
from .costs import Cost, get_cost
from .equations import bp1, bp2, bp3, bp4
from .precision import as_dtype, gradient_tolerance
from .validation import (
    as_column,
    as_columns,
    as_float_array,
    as_generator,
    book_layer,
    book_neuron,
    same_count,
)

# Weights and biases above this many bytes are refused unless asked for (allow_large=True).
MAX_PARAMETER_BYTES = 2**30


class Network:
    """A fully connected network a^l = σ(w^l a^{l−1} + b^l) (eq. 25), with a cost C(a^L, y).

    Parameters
    ----------
    sizes : neurons per layer, input first, e.g. [784, 30, 10]; at least two layers.
    activation : σ for every layer, a name ("sigmoid", "tanh", "relu", "linear") or Activation.
    cost : "quadratic" or "cross_entropy", or a Cost.
    seed : int or numpy Generator for the standard-normal initialisation, as in the book.
    output_activation : σ of the output layer when it should differ from ``activation``.
    allow_large : allow parameters of more than MAX_PARAMETER_BYTES (1 GiB); without it such a
        network is refused before anything is allocated, so a 2 GB notebook kernel survives.
    dtype : np.float64 (the default, as in the book) or np.float32. Weights and biases hold
        this dtype, inputs are cast to it once at the public methods, and every z, a, δ and
        gradient stays in it. A float32 network starts from the same float64 draws, rounded,
        so the two dtypes start from the same numbers.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | Activation = "sigmoid",
        cost: str | Cost = "quadratic",
        seed: int | np.random.Generator | None = None,
        output_activation: str | Activation | None = None,
        *,
        allow_large: bool = False,
        dtype=np.float64,
    ):
        if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence | np.ndarray):
            raise TypeError(
                f"sizes must be a list of layer widths like [784, 30, 10], got {sizes!r}"
            )
        if len(sizes) < 2:
            raise ValueError(
                f"sizes needs at least two layers (input and output), got {list(sizes)}"
            )
        for i, n in enumerate(sizes):
            if isinstance(n, bool) or not isinstance(n, numbers.Integral):
                raise TypeError(f"sizes[{i}] must be a positive integer, got {n!r}")
            if n <= 0:
                raise ValueError(f"sizes[{i}] must be a positive integer, got {n}")
        self.sizes = [int(n) for n in sizes]
        self.dtype = as_dtype(dtype)
        n_parameters = sum(n_out * (n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:]))
        n_bytes = self.dtype.itemsize * n_parameters
        if n_bytes > MAX_PARAMETER_BYTES and not allow_large:
            raise ValueError(
                f"Network({self.sizes}) would hold {n_parameters:,} parameters, "
                f"{n_bytes / 2**30:.1f} GiB of {self.dtype.name} (and as much again for each "
                f"gradient); the limit is {MAX_PARAMETER_BYTES / 2**30:.0f} GiB so that a "
                "notebook kernel is not killed. Pass allow_large=True to go past it."
            )
        self.num_layers = len(self.sizes)
        self.activation = get_activation(activation)
        self.output_activation = get_activation(
            activation if output_activation is None else output_activation
        )
        self.cost = get_cost(cost)
        if self.cost.name == "cross_entropy" and self.output_activation.name != "sigmoid":
            raise ValueError(
                "the cross_entropy cost needs output activations in (0, 1): use "
                f"output_activation='sigmoid' (got {self.output_activation.name!r})"
            )
        # layer_activations[i] is σ of book layer i + 2; a layer may become neuron-wise later.
        self.layer_activations: list = [self.activation] * (self.num_layers - 2) + [
            self.output_activation
        ]
        rng = as_generator(seed)
        self.biases = [
            rng.standard_normal((n, 1)).astype(self.dtype, copy=False) for n in self.sizes[1:]
        ]
        self.weights = [
            rng.standard_normal((n_out, n_in)).astype(self.dtype, copy=False)
            for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])
        ]

    # ----- the book's numbering -------------------------------------------------------------
    @property
    def gradient_tolerance(self) -> float:
        """The relative error a gradient check can demand of this network's backprop (its
        dtype's rounding); see :func:`precision.gradient_tolerance`."""
        return gradient_tolerance(self.dtype)

    def astype(self, dtype) -> Network:
        """A copy of this network computing in ``dtype`` (its weights and biases cast)."""
        import copy

        twin = copy.copy(self)
        twin.dtype = as_dtype(dtype)
        twin.weights = [w.astype(twin.dtype) for w in self.weights]
        twin.biases = [b.astype(twin.dtype) for b in self.biases]
        return twin

    @property
    def L(self) -> int:
        """The number of layers, input included (the book's L)."""
        return self.num_layers

    def w(self, l: int, j: int | None = None, k: int | None = None):
        """w^l (shape (n_l, n_{l−1})) or, with j and k, the number w^l_jk; book numbering."""
        l = book_layer(l, self.num_layers)
        if j is None and k is None:
            return self.weights[l - 2]
        j = book_neuron(j, self.sizes[l - 1], "j")
        k = book_neuron(k, self.sizes[l - 2], "k")
        return float(self.weights[l - 2][j - 1, k - 1])

    def b(self, l: int, j: int | None = None):
        """b^l (shape (n_l, 1)) or, with j, the number b^l_j; book numbering."""
        l = book_layer(l, self.num_layers)
        if j is None:
            return self.biases[l - 2]
        j = book_neuron(j, self.sizes[l - 1], "j")
        return float(self.biases[l - 2][j - 1, 0])

    def set_w(self, l: int, j: int, k: int, value: float) -> None:
        """Set w^l_jk (book numbering)."""
        self.w(l, j, k)  # validates l, j, k
        self.weights[l - 2][j - 1, k - 1] = float(as_float_array(value, "value", self.dtype))

    def set_b(self, l: int, j: int, value: float) -> None:
        """Set b^l_j (book numbering)."""
        self.b(l, j)
        self.biases[l - 2][j - 1, 0] = float(as_float_array(value, "value", self.dtype))

    def set_neuron_activation(self, l: int, j: int, activation: str | Activation) -> None:
        """Give neuron j of layer l its own activation f: its output becomes f(Σ_k w_jk a_k + b_j).

        The chapter's exercise "backpropagation with a single modified neuron".
        """
        l = book_layer(l, self.num_layers)
        j = book_neuron(j, self.sizes[l - 1], "j")
        current = self.layer_activations[l - 2]
        base, overrides = (
            (current.base, current.overrides)
            if isinstance(current, NeuronwiseActivation)
            else (current, {})
        )
        new = get_activation(activation)
        if l == self.num_layers and self.cost.name == "cross_entropy" and new.name != "sigmoid":
            raise ValueError(
                "the cross_entropy cost needs output activations in (0, 1): an output neuron "
                f"must stay sigmoid (got {new.name!r})"
            )
        overrides = {**overrides, j - 1: new}
        self.layer_activations[l - 2] = NeuronwiseActivation(base, overrides)

    # ----- forward ----------------------------------------------------------------------------
    def forward(self, x) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(zs, activations): every z^l and a^l for x of shape (n_in,), (n_in, 1) or (n_in, m).

        activations[0] is the input a^1 as columns; zs[i] and activations[i + 1] belong to
        book layer i + 2. Each entry has shape (n_l, m), m = 1 for a single example.
        """
        self.check_parameters()
        return self.forward_columns(self._input_columns(x)[0])

    def feedforward(self, a):
        """a^L for a of shape (n_in,), (n_in, 1) or (n_in, m); the output has the same form."""
        self.check_parameters()
        a, one_d = self._input_columns(a)
        a_L = self.forward_columns(a)[1][-1]  # (n_L, m)
        return a_L[:, 0] if one_d else a_L

    def forward_columns(self, a: np.ndarray, layer: int = 1):
        """(zs, activations) of the layers after book layer ``layer``, from its activations a.

        The unchecked fast path that training and the gradient checker use: ``a`` must
        already be an array of the network's dtype (n_layer, m), one example per column (the
        public methods check and cast their inputs, then call this). activations[0] is ``a``.
        """
        activation, activations, zs = a, [a], []
        start = layer - 1  # weights[start] is w^{layer + 1}
        for w, b, act in zip(
            self.weights[start:], self.biases[start:], self.layer_activations[start:]
        ):
            z = w @ activation  # (n_l, n_{l-1}) @ (n_{l-1}, m) -> (n_l, m)
            z += b  # (n_l, 1) added to every column, in place
            zs.append(z)
            activation = act.fn(z)
            activations.append(activation)
        return zs, activations

    def cost_from_z(self, layer: int, z: np.ndarray, y: np.ndarray) -> float:
        """C when book layer ``layer`` has the weighted input z (n_l, m) and every later layer
        is recomputed from it: the cost as a function of z^l, as the demon sees it (eq. 29)."""
        a = self.layer_activations[layer - 2].fn(z)  # a^l = σ(z^l)
        return self.cost.fn(self.forward_columns(a, layer)[1][-1], y)

    def _input_columns(self, x) -> tuple[np.ndarray, bool]:
        arr = as_float_array(x, "input", self.dtype)
        if arr.ndim == 1:
            return as_column(arr, self.sizes[0], "input", self.dtype)
        return as_columns(arr, self.sizes[0], "input", self.dtype), False

    def _examples(self, x, y, one: bool) -> tuple[np.ndarray, np.ndarray]:
        """x and y as checked columns: one example ((n,) or (n, 1)) or m of them ((n, m))."""
        self.check_parameters()
        if one:
            x, _ = as_column(x, self.sizes[0], "x", self.dtype)
            y, _ = as_column(y, self.sizes[-1], "y", self.dtype)
        else:
            x = as_columns(x, self.sizes[0], "X", self.dtype)
            y = as_columns(y, self.sizes[-1], "Y", self.dtype)
            same_count(x, y)
        self.cost.check_targets(y)
        return x, y

    # ----- backward ---------------------------------------------------------------------------
    def deltas(self, x, y) -> tuple[list[np.ndarray], list[np.ndarray], list[np.ndarray]]:
        """(zs, activations, deltas) for one example: deltas[i] is δ of book layer i + 2, (n_l, 1).

        δ^L by BP1, then δ^{L−1}, …, δ^2 by BP2; x: (n_in,) or (n_in, 1), y: (n_out,) or
        (n_out, 1).
        """
        return self.deltas_columns(*self._examples(x, y, one=True))

    def deltas_columns(self, x: np.ndarray, y: np.ndarray) -> tuple[list, list, list]:
        """(zs, activations, deltas) for columns x (n_in, m), y (n_out, m) already checked.

        The unchecked fast path behind :meth:`deltas` and :meth:`backprop_columns`: the forward
        pass, then δ^L by BP1 and δ^{L−1}, …, δ^2 by BP2; deltas[i] is (n_{i+2}, m).
        """
        zs, activations = self.forward_columns(x)
        sigma_L = self.layer_activations[-1]
        if self.cost.name == "cross_entropy" and sigma_L.name == "sigmoid":
            # BP1 with σ'(z^L) = a(1 − a) cancelled against ∇_a C = (a − y) / (a(1 − a)):
            # exact, and free of the 0/0 a saturated output neuron would give.
            delta = activations[-1] - y  # (n_L, m)
        else:
            nabla_a_C = self.cost.grad_a(activations[-1], y)  # (n_L, m)
            delta = bp1(nabla_a_C, sigma_L.derivative(zs[-1], activations[-1]))  # (BP1)
        deltas = [delta]
        for l in range(self.num_layers - 1, 1, -1):  # book layers L − 1, …, 2
            # zs[l − 2] is z^l, activations[l − 1] is a^l, weights[l − 1] is w^{l+1}.
            sp = self.layer_activations[l - 2].derivative(zs[l - 2], activations[l - 1])
            delta = bp2(self.weights[l - 1], delta, sp)  # (BP2) (n_l, m)
            deltas.insert(0, delta)
        return zs, activations, deltas

    def backprop(self, x, y) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(nabla_b, nabla_w): the gradient of C_x for one example, in the book's shapes.

        x: (n_in,) or (n_in, 1); y: (n_out,) or (n_out, 1). nabla_b[i] has the shape of
        biases[i], (n_l, 1); nabla_w[i] the shape of weights[i], (n_l, n_{l−1}).
        """
        return self.backprop_columns(*self._examples(x, y, one=True))

    def backprop_batch(self, X, Y) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(nabla_b, nabla_w) of the MEAN cost over the m columns of X (n_in, m), Y (n_out, m).

        One forward and one backward pass of matrix products over the whole mini-batch: the
        chapter's fully matrix-based approach.
        """
        return self.backprop_columns(*self._examples(X, Y, one=False))

    def backprop_columns(self, x: np.ndarray, y: np.ndarray) -> tuple[list, list]:
        """BP1–BP4 chained, for columns x (n_in, m), y (n_out, m) that are already checked.

        The unchecked fast path (training calls it once per mini-batch): BP1 and BP2 give
        every δ^l (:meth:`deltas_columns`), then BP3 and BP4 turn each δ^l into ∂C/∂b^l and
        ∂C/∂w^l.
        """
        _, activations, deltas = self.deltas_columns(x, y)
        nabla_b = [bp3(delta) for delta in deltas]  # (BP3) each (n_l, 1)
        nabla_w = [
            bp4(delta, a_prev)  # (BP4) (n_l, m) with (n_{l−1}, m) -> (n_l, n_{l−1})
            for delta, a_prev in zip(deltas, activations[:-1])
        ]
        return nabla_b, nabla_w

    # ----- cost and training ------------------------------------------------------------------
    def total_cost(self, X, Y) -> float:
        """C = (1/n) Σ_x C_x over the columns of X (n_in, n) and Y (n_out, n) (eq. 26)."""
        X, Y = self._examples(X, Y, one=False)
        return self.cost.fn(self.forward_columns(X)[1][-1], Y)

    def SGD(
        self,
        training_data,
        epochs: int,
        mini_batch_size: int,
        eta: float,
        test_data=None,
        *,
        seed: int | np.random.Generator | None = None,
        progress: bool = True,
        monitor_cost: bool | str = True,
    ):
        """Mini-batch stochastic gradient descent on the matrix path; see :func:`training.sgd`.

        seed: the shuffling of each epoch; progress: a tqdm bar; monitor_cost: record each
        epoch's training cost in the returned History (True: the mean over its mini-batches,
        free; "epoch_end": the cost after the epoch, one more forward pass; False: none).
        """
        from .training import sgd

        return sgd(
            self,
            training_data,
            epochs,
            mini_batch_size,
            eta,
            test_data,
            seed=seed,
            progress=progress,
            monitor_cost=monitor_cost,
        )

    # ----- the parameters a user can reach ----------------------------------------------------
    def check_parameters(self) -> None:
        """Refuse weights or biases a user assigned with the wrong shape, type or NaN/inf.

        Called by every public method that computes (not by the unchecked ``*_columns`` fast
        paths): weights[i] must be an array of the network's dtype (n_{i+2}, n_{i+1}), and
        biases[i] one of shape (n_{i+2}, 1).
        """
        for name, params, shapes in (
            ("weights", self.weights, list(zip(self.sizes[1:], self.sizes[:-1]))),
            ("biases", self.biases, [(n, 1) for n in self.sizes[1:]]),
        ):
            if not isinstance(params, list) or len(params) != len(shapes):
                raise ValueError(
                    f"net.{name} must be a list of {len(shapes)} arrays (one per layer 2 … "
                    f"{self.num_layers}), got {type(params).__name__} of length "
                    f"{len(params) if hasattr(params, '__len__') else '?'}"
                )
            for i, (p, shape) in enumerate(zip(params, shapes)):
                where = f"net.{name}[{i}] (book layer {i + 2})"
                if not isinstance(p, np.ndarray) or p.dtype != self.dtype:
                    raise TypeError(
                        f"{where} must be a {self.dtype.name} numpy array of shape {shape} "
                        f"(the network's dtype), got "
                        f"{type(p).__name__}{'' if not hasattr(p, 'dtype') else ' ' + str(p.dtype)}"
                    )
                if p.shape != shape:
                    hint = " (a column: use b.reshape(-1, 1))" if name == "biases" else ""
                    raise ValueError(f"{where} must have shape {shape}{hint}, got {p.shape}")
                if not np.isfinite(p).all():
                    raise ValueError(f"{where} contains NaN or inf")

    def __repr__(self) -> str:
        acts = ", ".join(getattr(a, "name", "?") for a in self.layer_activations)
        dtype = "" if self.dtype == np.float64 else f", dtype={self.dtype.name}"
        return (
            f"Network(sizes={self.sizes}, activations=[{acts}], cost={self.cost.name!r}{dtype})"
        )

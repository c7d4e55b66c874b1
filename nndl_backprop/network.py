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
from .equations import bp2, bp3, bp4
from .validation import as_column, as_columns, as_float_array, book_layer, book_neuron, same_count


class Network:
    """A fully connected network a^l = σ(w^l a^{l−1} + b^l) (eq. 25), with a cost C(a^L, y).

    Parameters
    ----------
    sizes : neurons per layer, input first, e.g. [784, 30, 10]; at least two layers.
    activation : σ for every layer, a name ("sigmoid", "tanh", "relu", "linear") or Activation.
    cost : "quadratic" or "cross_entropy", or a Cost.
    seed : int or numpy Generator for the standard-normal initialisation, as in the book.
    output_activation : σ of the output layer when it should differ from ``activation``.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | Activation = "sigmoid",
        cost: str | Cost = "quadratic",
        seed: int | np.random.Generator | None = None,
        output_activation: str | Activation | None = None,
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
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.biases = [rng.standard_normal((n, 1)) for n in self.sizes[1:]]
        self.weights = [
            rng.standard_normal((n_out, n_in))
            for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:])
        ]

    # ----- the book's numbering -------------------------------------------------------------
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
        self.weights[l - 2][j - 1, k - 1] = float(as_float_array(value, "value"))

    def set_b(self, l: int, j: int, value: float) -> None:
        """Set b^l_j (book numbering)."""
        self.b(l, j)
        self.biases[l - 2][j - 1, 0] = float(as_float_array(value, "value"))

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
        return self._forward(self._input_columns(x)[0])

    def feedforward(self, a):
        """a^L for a of shape (n_in,), (n_in, 1) or (n_in, m); the output has the same form."""
        a, one_d = self._input_columns(a)
        for w, b, act in zip(self.weights, self.biases, self.layer_activations):
            a = act.fn(w @ a + b)  # (n_l, n_{l-1}) @ (n_{l-1}, m) + (n_l, 1) -> (n_l, m)
        return a[:, 0] if one_d else a

    def _input_columns(self, x) -> tuple[np.ndarray, bool]:
        arr = as_float_array(x, "input")
        if arr.ndim == 1:
            return as_column(arr, self.sizes[0], "input")
        return as_columns(arr, self.sizes[0], "input"), False

    def _forward(self, x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        activation, activations, zs = x, [x], []
        for w, b, act in zip(self.weights, self.biases, self.layer_activations):
            z = w @ activation  # (n_l, n_{l-1}) @ (n_{l-1}, m) -> (n_l, m)
            z += b  # (n_l, 1) added to every column, in place
            zs.append(z)
            activation = act.fn(z)
            activations.append(activation)
        return zs, activations

    # ----- backward ---------------------------------------------------------------------------
    def backprop(self, x, y) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(nabla_b, nabla_w): the gradient of C_x for one example, in the book's shapes.

        x: (n_in,) or (n_in, 1); y: (n_out,) or (n_out, 1). nabla_b[i] has the shape of
        biases[i], (n_l, 1); nabla_w[i] the shape of weights[i], (n_l, n_{l−1}).
        """
        x, _ = as_column(x, self.sizes[0], "x")
        y, _ = as_column(y, self.sizes[-1], "y")
        return self._backprop(x, y)

    def backprop_batch(self, X, Y) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(nabla_b, nabla_w) of the MEAN cost over the m columns of X (n_in, m), Y (n_out, m).

        One forward and one backward pass of matrix products over the whole mini-batch: the
        chapter's fully matrix-based approach.
        """
        X = as_columns(X, self.sizes[0], "X")
        Y = as_columns(Y, self.sizes[-1], "Y")
        same_count(X, Y)
        return self._backprop(X, Y)

    def _backprop(self, x: np.ndarray, y: np.ndarray) -> tuple[list, list]:
        """BP1–BP4 chained; x (n_in, m), y (n_out, m) already checked."""
        zs, activations = self._forward(x)
        nabla_b = [None] * len(self.biases)
        nabla_w = [None] * len(self.weights)
        delta = self.cost.output_error(
            zs[-1], activations[-1], y, self.layer_activations[-1]
        )  # BP1
        nabla_b[-1] = bp3(delta)
        nabla_w[-1] = bp4(delta, activations[-2])
        # Python's negative indices count back from the output: -i is book layer L + 1 - i.
        for i in range(2, self.num_layers):
            sp = self.layer_activations[-i].derivative(zs[-i], activations[-i])
            delta = bp2(self.weights[-i + 1], delta, sp)
            nabla_b[-i] = bp3(delta)
            nabla_w[-i] = bp4(delta, activations[-i - 1])
        return nabla_b, nabla_w

    # ----- cost and training ------------------------------------------------------------------
    def total_cost(self, X, Y) -> float:
        """C = (1/n) Σ_x C_x over the columns of X (n_in, n) and Y (n_out, n) (eq. 26)."""
        X = as_columns(X, self.sizes[0], "X")
        Y = as_columns(Y, self.sizes[-1], "Y")
        same_count(X, Y)
        return self.cost.fn(self._forward(X)[1][-1], Y)

    def SGD(self, training_data, epochs, mini_batch_size, eta, test_data=None, **kwargs):
        """Mini-batch stochastic gradient descent on the matrix path; see :func:`training.sgd`."""
        from .training import sgd

        return sgd(self, training_data, epochs, mini_batch_size, eta, test_data, **kwargs)

    def __repr__(self) -> str:
        acts = ", ".join(getattr(a, "name", "?") for a in self.layer_activations)
        return f"Network(sizes={self.sizes}, activations=[{acts}], cost={self.cost.name!r})"

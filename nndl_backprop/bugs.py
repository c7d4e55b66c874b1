"""Six buggy backprops, one classic mistake each, and the registry the bug hunt draws on.

Every function has the signature of ``Network.backprop_batch``: x (n_in, m) and y (n_out, m)
hold a mini-batch as columns (m = 1 for one example), and the result (nabla_b, nabla_w) is the
gradient of the MEAN quadratic cost over the columns, for sigmoid neurons, as in the book's
``network.py``. ``backprop`` is the correct version; each buggy one differs from it in a line
or two. The registry gives the symptom a student would see, never the answer: the answer is
what :func:`nndl_backprop.diagnose.diagnose` measures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import sigmoid_prime


def backprop(net, x, y):
    """The correct gradient: BP1, then BP2 back through the layers, with BP3 and BP4 at each."""
    zs, activations = net.forward(x)
    m = x.shape[1]
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    nabla_w = [np.zeros(w.shape) for w in net.weights]
    delta = (activations[-1] - y) * sigmoid_prime(zs[-1])  # BP1, (n_L, m)
    nabla_b[-1] = delta.sum(axis=1, keepdims=True) / m  # BP3, (n_L, 1)
    nabla_w[-1] = delta @ activations[-2].T / m  # BP4, (n_L, m) @ (m, n_{L-1})
    for l in range(2, net.num_layers):  # -l counts back from the output: book layer L + 1 - l
        sp = sigmoid_prime(zs[-l])  # (n_l, m)
        delta = (net.weights[-l + 1].T @ delta) * sp  # BP2, (n_l, n_{l+1}) @ (n_{l+1}, m)
        nabla_b[-l] = delta.sum(axis=1, keepdims=True) / m  # BP3
        nabla_w[-l] = delta @ activations[-l - 1].T / m  # BP4
    return nabla_b, nabla_w


def backprop_output_error(net, x, y):
    """Backprop as a student wrote it (bug A)."""
    zs, activations = net.forward(x)
    m = x.shape[1]
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    nabla_w = [np.zeros(w.shape) for w in net.weights]
    delta = activations[-1] - y  # the error at the output, (n_L, m)
    nabla_b[-1] = delta.sum(axis=1, keepdims=True) / m
    nabla_w[-1] = delta @ activations[-2].T / m
    for l in range(2, net.num_layers):
        sp = sigmoid_prime(zs[-l])
        delta = (net.weights[-l + 1].T @ delta) * sp
        nabla_b[-l] = delta.sum(axis=1, keepdims=True) / m
        nabla_w[-l] = delta @ activations[-l - 1].T / m
    return nabla_b, nabla_w


def backprop_square(net, x, y):
    """Backprop as a student wrote it (bug B)."""
    zs, activations = net.forward(x)
    m = x.shape[1]
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    nabla_w = [np.zeros(w.shape) for w in net.weights]
    delta = (activations[-1] - y) * sigmoid_prime(zs[-1])
    nabla_b[-1] = delta.sum(axis=1, keepdims=True) / m
    nabla_w[-1] = delta @ activations[-2].T / m
    for l in range(2, net.num_layers):
        sp = sigmoid_prime(zs[-l])
        delta = (net.weights[-l + 1] @ delta) * sp
        nabla_b[-l] = delta.sum(axis=1, keepdims=True) / m
        nabla_w[-l] = delta @ activations[-l - 1].T / m
    return nabla_b, nabla_w


def backprop_loops(net, x, y):
    """Backprop as a student wrote it (bug C), with BP2 spelled out neuron by neuron."""
    zs, activations = net.forward(x)
    m = x.shape[1]
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    nabla_w = [np.zeros(w.shape) for w in net.weights]
    delta = (activations[-1] - y) * sigmoid_prime(zs[-1])
    nabla_b[-1] = delta.sum(axis=1, keepdims=True) / m
    nabla_w[-1] = delta @ activations[-2].T / m
    for l in range(2, net.num_layers):
        sp = sigmoid_prime(zs[-l])
        w = net.weights[-l + 1]  # (n_{l+1}, n_l)
        new_delta = np.zeros((w.shape[1], m))
        for k in range(w.shape[1]):  # neuron k of layer l ...
            for j in range(w.shape[0]):  # ... sends its output to every neuron j of layer l+1
                new_delta[k] = w[j, k] * delta[j] * sp[k]
        delta = new_delta
        nabla_b[-l] = delta.sum(axis=1, keepdims=True) / m
        nabla_w[-l] = delta @ activations[-l - 1].T / m
    return nabla_b, nabla_w


def backprop_matrix(net, x, y):
    """Backprop as a student wrote it (bug D), fully matrix-based over the mini-batch."""
    zs, activations = net.forward(x)
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    nabla_w = [np.zeros(w.shape) for w in net.weights]
    delta = (activations[-1] - y) * sigmoid_prime(zs[-1])
    nabla_b[-1] = delta.mean(axis=1, keepdims=True)
    nabla_w[-1] = delta @ activations[-2].T
    for l in range(2, net.num_layers):
        sp = sigmoid_prime(zs[-l])
        delta = (net.weights[-l + 1].T @ delta) * sp
        nabla_b[-l] = delta.mean(axis=1, keepdims=True)
        nabla_w[-l] = delta @ activations[-l - 1].T
    return nabla_b, nabla_w


def backprop_indices(net, x, y):
    """Backprop as a student wrote it (bug E)."""
    zs, activations = net.forward(x)
    m = x.shape[1]
    nabla_b = [np.zeros(b.shape) for b in net.biases]
    nabla_w = [np.zeros(w.shape) for w in net.weights]
    delta = (activations[-1] - y) * sigmoid_prime(zs[-1])
    nabla_b[-1] = delta.sum(axis=1, keepdims=True) / m
    nabla_w[-1] = delta @ activations[-2].T / m
    for l in range(2, net.num_layers):
        sp = sigmoid_prime(zs[-l])
        delta = (net.weights[-l + 1].T @ delta) * sp
        nabla_b[-l + 1] = delta.sum(axis=1, keepdims=True) / m
        nabla_w[-l] = delta @ activations[-l - 1].T / m
    return nabla_b, nabla_w


def backprop_buffers(net, x, y):
    """Backprop as a student wrote it (bug F), allocating its gradient arrays only once."""
    if not hasattr(net, "grad_buffers"):  # the first call makes them; later calls reuse them
        net.grad_buffers = (
            [np.zeros(b.shape) for b in net.biases],
            [np.zeros(w.shape) for w in net.weights],
        )
    nabla_b, nabla_w = net.grad_buffers
    zs, activations = net.forward(x)
    m = x.shape[1]
    delta = (activations[-1] - y) * sigmoid_prime(zs[-1])
    nabla_b[-1] += delta.sum(axis=1, keepdims=True) / m
    nabla_w[-1] += delta @ activations[-2].T / m
    for l in range(2, net.num_layers):
        sp = sigmoid_prime(zs[-l])
        delta = (net.weights[-l + 1].T @ delta) * sp
        nabla_b[-l] += delta.sum(axis=1, keepdims=True) / m
        nabla_w[-l] += delta @ activations[-l - 1].T / m
    return nabla_b, nabla_w


@dataclass(frozen=True)
class Bug:
    """A buggy backprop: its ``name``, the ``function``, what a student sees (``symptom``),
    and, for the tests and the solutions only, the ``equation`` it breaks and the ``mistake``."""

    name: str
    function: object
    symptom: str
    equation: str | None
    mistake: str


BUGS: dict[str, Bug] = {
    bug.name: bug
    for bug in (
        Bug("correct", backprop, "trains as expected.", None, "none"),
        Bug(
            "A",
            backprop_output_error,
            "it trains, and its cost falls even faster than the correct code's: is anything wrong?",
            "BP1",
            "σ'(z^L) forgotten in the output error",
        ),
        Bug(
            "B",
            backprop_square,
            "it runs and trains on this network without an error; on a network whose layers all "
            "differ in width it stops with a ValueError.",
            "BP2",
            "w instead of its transpose when the error moves back",
        ),
        Bug(
            "C",
            backprop_loops,
            "the accuracy stalls far below the correct code's.",
            "BP2",
            "the sum over j overwritten instead of accumulated",
        ),
        Bug(
            "D",
            backprop_matrix,
            "the cost hardly falls, and the accuracy stays near chance (one digit in ten).",
            "BP4",
            "summed over the mini-batch instead of averaged",
        ),
        Bug(
            "E",
            backprop_indices,
            "training looks normal: cost and accuracy follow the correct code's closely.",
            "BP3",
            "a bias gradient stored one layer off",
        ),
        Bug(
            "F",
            backprop_buffers,
            "the accuracy falls to chance, and the gradient is several times the correct code's.",
            "BP3, BP4",
            "gradient arrays added to in place and never reset",
        ),
    )
}

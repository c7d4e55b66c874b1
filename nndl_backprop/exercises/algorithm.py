"""Exercises for notebook 07: backprop for one example, a single modified neuron, linear neurons."""

from __future__ import annotations

import numpy as np

from ..activations import ACTIVATIONS, sigmoid, sigmoid_prime
from ..network import Network
from ._check import CheckResult, Mistake, as_array, call, compare, compare_gradients, run_checker

NETWORK_SIZES = ([3, 4, 2], [2, 5, 3, 2], [4, 3, 3, 3])


def _examples(sizes: list[int], seed: int, activation: str = "sigmoid"):
    """A seeded network and one (x, y) example for it, x (n_in, 1) and y (n_out, 1)."""
    rng = np.random.default_rng(seed)
    net = Network(sizes, activation=activation, seed=rng)
    return net, rng.random((sizes[0], 1)), rng.random((sizes[-1], 1))


def variant_backprop(net, x, y, *, sign=1.0, sp_output=True, sp_hidden=True, sp=sigmoid_prime):
    """Backprop with one typical slip switched on: the wrong sign of a − y, or σ' left out.

    ``sp`` is the σ' the slip multiplies by (the sigmoid's by default, whatever the network
    uses): with a linear network this reproduces "kept σ' of the sigmoid". Quadratic cost only.
    """
    zs, activations = net.forward(x)
    delta = sign * (activations[-1] - y) * (sp(zs[-1]) if sp_output else 1.0)  # (n_L, 1)
    nabla_b, nabla_w = [delta], [delta @ activations[-2].T]
    for i in range(2, net.num_layers):
        delta = net.weights[-i + 1].T @ delta * (sp(zs[-i]) if sp_hidden else 1.0)  # (n_l, 1)
        nabla_b.insert(0, delta)
        nabla_w.insert(0, delta @ activations[-i - 1].T)
    return nabla_b, nabla_w


def check_backprop(my_backprop) -> CheckResult:
    """my_backprop(net, x, y) -> (nabla_b, nabla_w) of C_x = ½‖a^L − y‖² for a sigmoid network."""

    def cases():
        for seed, sizes in enumerate(NETWORK_SIZES):
            net, x, y = _examples(sizes, seed)
            got = call(my_backprop, net, x, y, what="my_backprop")
            wrong = {
                "the sign is flipped: ∇_a C = a^L − y for the quadratic cost, not y − a^L.": (
                    variant_backprop(net, x, y, sign=-1.0)
                ),
                "σ'(z^L) is missing in the output error: BP1 is δ^L = (a^L − y) ⊙ σ'(z^L).": (
                    variant_backprop(net, x, y, sp_output=False)
                ),
                "σ'(z^l) is missing when moving the error back: BP2 ends with ⊙ σ'(z^l).": (
                    variant_backprop(net, x, y, sp_hidden=False)
                ),
            }
            compare_gradients(got, net.backprop(x, y), net, f"network {sizes}", wrong)

    return run_checker(
        "backprop for one example",
        my_backprop,
        cases,
        f"every ∂C/∂b and ∂C/∂w agrees with the reference on the networks {list(NETWORK_SIZES)}.",
    )


def check_modified_sigma_prime(my_layer_sigma_prime) -> CheckResult:
    """my_layer_sigma_prime(z, j, f, f_prime) -> σ'(z) of a layer whose neuron j uses f.

    z: (n, 1); j: the modified neuron, book numbering; f, f_prime: its activation and
    derivative. Every other neuron of the layer is a sigmoid.
    """

    def cases():
        rng = np.random.default_rng(7)
        for name in ("tanh", "relu", "linear"):
            act = ACTIVATIONS[name]
            for n in (3, 5):
                z = rng.standard_normal((n, 1)) + 0.3  # mostly away from relu's kink
                for j in range(1, n + 1):
                    got = call(
                        my_layer_sigma_prime, z, j, act.fn, act.prime, what="my_layer_sigma_prime"
                    )
                    want = sigmoid_prime(z)
                    want[j - 1] = act.prime(z[j - 1])
                    unchanged = sigmoid_prime(z)
                    used_f = sigmoid_prime(z)
                    used_f[j - 1] = act.fn(z[j - 1])
                    wrong = {
                        f"row {j} still holds the sigmoid's σ'(z_{j}): neuron j = {j} uses f, "
                        "so its entry must be f'(z_j).": unchanged,
                        f"row {j} holds f(z_{j}); BP1 and BP2 need the derivative f'(z_{j}).": (
                            used_f
                        ),
                        f"every row uses f'; only neuron j = {j} is modified, the others "
                        "keep σ'.": act.prime(z),
                    }
                    if j < n:
                        off = sigmoid_prime(z)
                        off[j] = act.prime(z[j])
                        wrong[
                            "off by one: you changed row j + 1. The book counts neurons from 1, "
                            f"so neuron j = {j} is row j - 1 = {j - 1} of the array."
                        ] = off
                    compare(got, want, f"σ' of the layer (f = {name}, j = {j})", wrong)

    return run_checker(
        "single modified neuron",
        my_layer_sigma_prime,
        cases,
        "in the backward pass only the modified neuron's entry changes, from σ'(z_j) to f'(z_j); "
        "in the forward pass that neuron computes a_j = f(z_j), which every later layer and BP4 "
        "then use; BP1–BP4 keep their form.",
    )


def check_linear_backprop(my_linear_backprop) -> CheckResult:
    """my_linear_backprop(weights, biases, x, y) -> (nabla_b, nabla_w) with σ(z) = z everywhere."""

    def cases():
        for seed, sizes in enumerate(NETWORK_SIZES):
            net, x, y = _examples(sizes, 10 + seed, activation="linear")
            weights = [w.copy() for w in net.weights]
            biases = [b.copy() for b in net.biases]
            got = call(my_linear_backprop, weights, biases, x, y, what="my_linear_backprop")
            sig = Network(sizes, seed=0)
            sig.weights, sig.biases = weights, biases
            wrong = {
                "this is the gradient of a SIGMOID network: with σ(z) = z the forward pass is "
                "a^l = z^l, with no sigmoid.": sig.backprop(x, y),
                "you kept the sigmoid's σ'(z) factors; with σ(z) = z, σ'(z) = 1 and every "
                "⊙ σ'(z) disappears.": variant_backprop(net, x, y),
                "the sign is flipped: δ^L = a^L − y.": variant_backprop(
                    net, x, y, sign=-1.0, sp=np.ones_like
                ),
            }
            compare_gradients(got, net.backprop(x, y), net, f"linear network {sizes}", wrong)

    return run_checker(
        "linear neurons",
        my_linear_backprop,
        cases,
        "with σ'(z) = 1, δ^L = a^L − y and δ^l = (w^{l+1})^T δ^{l+1}: pure matrix products.",
    )


def check_sigmoid_prime(my_sigmoid_prime) -> CheckResult:
    """my_sigmoid_prime(z) -> σ'(z) = σ(z)(1 − σ(z)), elementwise, same shape as z."""

    def cases():
        rng = np.random.default_rng(8)
        for shape in ((4, 1), (3, 5)):
            z = rng.standard_normal(shape) * 3
            got = as_array(call(my_sigmoid_prime, z, what="my_sigmoid_prime"), "σ'(z)")
            if got.shape != shape:
                raise Mistake(f"σ'(z) should have the shape of z, {shape}, got {got.shape}")
            compare(
                got,
                sigmoid_prime(z),
                "σ'(z)",
                {
                    "this is σ(z) itself, not its derivative σ(z)(1 − σ(z)).": sigmoid(z),
                    "this is z(1 − z): apply σ first, σ'(z) = σ(z)(1 − σ(z)).": z * (1 - z),
                },
            )

    return run_checker("σ'(z)", my_sigmoid_prime, cases, "σ'(z) = σ(z)(1 − σ(z)), elementwise.")

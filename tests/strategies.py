"""Hypothesis strategies and small reference helpers shared by the test modules.

The helpers here are deliberately independent of the package's own checker: ``rel_err`` is the
textbook relative error, and ``gradient_case`` builds a network whose gradient is clearly
non-zero, so that "backprop equals finite differences" can never pass as 0 == 0.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from nndl_backprop import Network

ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "linear")
COST_NAMES = ("quadratic", "cross_entropy")
# Architectures for the gradient grid: one hidden layer up to three, wide and narrow.
ARCHITECTURES = ([2, 3, 1], [4, 5, 3], [3, 4, 4, 2], [5, 3, 3, 3, 4])


# ----- strategies ---------------------------------------------------------------------------
def sizes_lists(min_layers: int = 2, max_layers: int = 5, max_width: int = 6):
    """Layer widths such as [3, 5, 2]: input first, every width ≥ 1."""
    return st.lists(
        st.integers(min_value=1, max_value=max_width), min_size=min_layers, max_size=max_layers
    )


def finite_z(bound: float = 50.0):
    """Weighted inputs z: finite floats in [−bound, bound], no NaN, no inf."""
    return st.floats(min_value=-bound, max_value=bound, allow_nan=False, allow_infinity=False)


activation_names = st.sampled_from(ACTIVATION_NAMES)
seeds = st.integers(min_value=0, max_value=2**32 - 1)
batch_sizes = st.integers(min_value=1, max_value=5)


# ----- reference helpers --------------------------------------------------------------------
def rel_err(a, b) -> float:
    """‖a − b‖ / (‖a‖ + ‖b‖) for two arrays of one shape (shapes must agree exactly)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, f"shapes differ: {a.shape} vs {b.shape}"
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def flat(arrays) -> np.ndarray:
    """All entries of a list of arrays (e.g. nabla_b + nabla_w) as one vector."""
    return np.concatenate([np.ravel(a) for a in arrays])


def gradient_case(sizes, activation: str, cost: str, seed: int):
    """(net, x, y, seed_used) for one example whose gradient is a meaningful test of backprop.

    With cross-entropy the output layer is sigmoid (the only output the cost accepts). Relu
    networks get their hidden biases shifted up by 1 so that most units are alive. Starting at
    ``seed``, the first seed is used whose network has (a) a clearly non-zero gradient in every
    layer (a dead relu network would compare 0 with 0), (b) every weighted input at least 1e-3
    from relu's kink, so that the finite-difference step never crosses it, and (c) output
    weighted inputs |z^L| < 8: beyond that a sigmoid output lies within 3e-4 of 0 or 1, the
    cross-entropy's ln(1 − a) loses digits, and that rounding, divided by the small step,
    spoils the finite-difference reference (backprop itself stays exact: δ^L = a − y).
    The search is deterministic; ``seed_used`` is returned so a failure can name it.
    """
    for s in range(seed, seed + 50):
        rng = np.random.default_rng(s)
        output = "sigmoid" if cost == "cross_entropy" else None
        net = Network(sizes, activation=activation, cost=cost, seed=rng, output_activation=output)
        if activation == "relu":
            for b in net.biases[:-1]:
                b += 1.0
        x = rng.uniform(-1.0, 1.0, size=(sizes[0], 1))  # (n_in, 1)
        y = rng.uniform(0.05, 0.95, size=(sizes[-1], 1))  # (n_out, 1), inside (0, 1)
        nabla_b, nabla_w = net.backprop(x, y)
        zs, _ = net.forward(x)
        if (
            min(np.linalg.norm(g) for g in nabla_b + nabla_w) > 1e-3
            and (activation != "relu" or min_abs_z(net, x) > 1e-3)
            and float(np.max(np.abs(zs[-1]))) < 8.0
        ):
            return net, x, y, s
    raise AssertionError(f"no usable network for {sizes} {activation} {cost} from seed {seed}")


def min_abs_z(net, x) -> float:
    """The smallest |z^l_j| over all layers: how close any neuron sits to relu's kink."""
    zs, _ = net.forward(x)
    return min(float(np.min(np.abs(z))) for z in zs)

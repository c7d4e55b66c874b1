"""The network's own guards: parameters a user assigned, seeds, memory, labels (issue: trust)."""

from __future__ import annotations

import numpy as np
import pytest

from nndl_backprop import Network, evaluate, one_hot


def _net():
    return Network([3, 4, 2], seed=0)


@pytest.mark.parametrize(
    ("spoil", "error", "words"),
    [
        (
            lambda n: n.biases.__setitem__(0, np.zeros(4)),
            ValueError,
            r"biases\[0\].*\(4, 1\).*reshape",
        ),
        (
            lambda n: n.weights.__setitem__(1, np.zeros((4, 2))),
            ValueError,
            r"weights\[1\].*\(2, 4\)",
        ),
        (lambda n: n.weights[0].__setitem__((0, 0), np.nan), ValueError, "NaN or inf"),
        (lambda n: n.biases[1].__setitem__((1, 0), np.inf), ValueError, "NaN or inf"),
        (lambda n: n.weights.__setitem__(0, [[0.0] * 3] * 4), TypeError, "numpy array"),
        (lambda n: n.weights.pop(), ValueError, "list of 2 arrays"),
        (lambda n: setattr(n, "biases", tuple(n.biases)), ValueError, "list of 2 arrays"),
    ],
)
def test_parameters_a_user_assigned_are_checked_with_the_expected_shape(spoil, error, words):
    x, y = np.ones(3), np.array([1.0, 0.0])
    for call in (
        lambda n: n.feedforward(x),
        lambda n: n.forward(x),
        lambda n: n.backprop(x, y),
        lambda n: n.backprop_batch(np.ones((3, 2)), np.ones((2, 2))),
        lambda n: n.deltas(x, y),
        lambda n: n.SGD([(x.reshape(3, 1), y.reshape(2, 1))], 1, 1, 1.0, progress=False),
    ):
        net = _net()
        spoil(net)
        with pytest.raises(error, match=words):
            call(net)


@pytest.mark.parametrize(
    ("seed", "error"), [(-1, ValueError), (1.5, TypeError), ("0", TypeError), (True, TypeError)]
)
def test_a_bad_seed_gets_our_message(seed, error):
    with pytest.raises(error, match="seed must be"):
        Network([2, 2], seed=seed)


def test_a_network_too_large_for_a_notebook_kernel_is_refused_before_allocating():
    with pytest.raises(ValueError, match=r"2,500,050,000 parameters.*allow_large=True"):
        Network([50000, 50000])
    # The limit counts bytes of the network's dtype: 400 million float32 are 1.5 GiB.
    with pytest.raises(ValueError, match=r"1\.5 GiB of float32"):
        Network([20000, 20000], dtype=np.float32)


@pytest.mark.parametrize(
    ("labels", "words"),
    [([-1, 0], r"0 … 9"), ([10], r"0 … 9"), ([0.5], r"0 … 9"), ([[0, 1]], "1-D")],
)
def test_one_hot_refuses_labels_outside_0_to_n_out(labels, words):
    with pytest.raises(ValueError, match=words):
        one_hot(np.array(labels), 10)


def test_evaluate_checks_its_data():
    net = Network([3, 4, 2], seed=0)
    X = np.ones((3, 2))
    assert evaluate(net, X, np.array([0, 1])) in (0, 1, 2)
    with pytest.raises(ValueError, match=r"0 … 1"):
        evaluate(net, X, np.array([-1, 0]))
    with pytest.raises(ValueError, match="3"):
        evaluate(net, np.ones((4, 2)), np.array([0, 1]))

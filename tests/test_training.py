"""SGD: learns the offline digits, accepts the book's data forms, and takes the right step."""

from __future__ import annotations

import copy
import time

import numpy as np
import pytest

from nndl_backprop import History, Network, update_mini_batch_loop
from nndl_backprop.data import load_digits


@pytest.fixture(scope="module")
def digits():
    return load_digits()


def toy_data(rng, n=12, n_in=4, n_out=3):
    """n random examples: the book's list of pairs and the same data stacked as columns."""
    X = rng.uniform(size=(n_in, n))
    labels = rng.integers(0, n_out, size=n)
    Y = np.zeros((n_out, n))
    Y[labels, np.arange(n)] = 1.0
    pairs = [(X[:, i : i + 1], Y[:, i : i + 1]) for i in range(n)]
    return X, Y, labels, pairs


def test_digits_reach_90_percent(digits):
    training_data, test_data = digits
    assert len(training_data) == 1500 and len(test_data) == 297
    net = Network([64, 30, 10], seed=0)
    start = time.perf_counter()
    history = net.SGD(training_data, 10, 10, 3.0, test_data=test_data, seed=0, progress=False)
    seconds = time.perf_counter() - start
    # Recorded, never asserted on: timings depend on the machine and its load.
    print(f"digits [64, 30, 10]: {history.accuracy[-1]:.1%} after 10 epochs in {seconds:.2f} s")
    assert history.accuracy[-1] >= 0.90
    assert history.correct[-1] == round(history.accuracy[-1] * 297)
    assert history.cost[-1] < history.cost[0]


def test_list_of_pairs_and_stacked_arrays_train_identically():
    rng = np.random.default_rng(1)
    X, Y, _, pairs = toy_data(rng)
    a, b = Network([4, 5, 3], seed=2), Network([4, 5, 3], seed=2)
    a.SGD(pairs, 3, 4, 0.5, seed=3, progress=False)
    b.SGD((X, Y), 3, 4, 0.5, seed=3, progress=False)
    for p, q in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-14)
    # Flat (n,) vectors inside the pairs are fine too.
    c = Network([4, 5, 3], seed=2)
    c.SGD([(x[:, 0], y[:, 0]) for x, y in pairs], 3, 4, 0.5, seed=3, progress=False)
    for p, q in zip(a.weights + a.biases, c.weights + c.biases):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-14)


def test_integer_labels_one_hot_and_stacked_test_data_agree():
    rng = np.random.default_rng(4)
    X, Y, labels, pairs = toy_data(rng, n=20)
    forms = [
        [(X[:, i : i + 1], int(labels[i])) for i in range(20)],  # the book's test set
        pairs,  # one-hot columns
        (X, labels),  # stacked, integer labels
        (X, Y),  # stacked, one-hot
    ]
    results = []
    for test_data in forms:
        net = Network([4, 5, 3], seed=5)
        results.append(net.SGD(pairs, 2, 5, 1.0, test_data=test_data, seed=6, progress=False))
    for h in results[1:]:
        assert h.correct == results[0].correct
    # The count is the argmax rule, checked independently on the trained network.
    net = Network([4, 5, 3], seed=5)
    net.SGD(pairs, 2, 5, 1.0, seed=6, progress=False)
    assert results[0].correct[-1] == int(np.sum(np.argmax(net.feedforward(X), axis=0) == labels))


def test_history_lengths():
    rng = np.random.default_rng(7)
    X, Y, labels, pairs = toy_data(rng)
    h = Network([4, 5, 3], seed=0).SGD(pairs, 3, 4, 1.0, test_data=(X, labels), progress=False)
    assert isinstance(h, History)
    assert h.epoch == [1, 2, 3]
    assert len(h.cost) == len(h.accuracy) == len(h.correct) == 3
    assert all(0.0 <= acc <= 1.0 for acc in h.accuracy)
    assert [c / 12 for c in h.correct] == h.accuracy
    h = Network([4, 5, 3], seed=0).SGD(pairs, 2, 4, 1.0, progress=False)
    assert len(h.cost) == 2 and h.accuracy == [] and h.correct == []
    h = Network([4, 5, 3], seed=0).SGD(pairs, 2, 4, 1.0, progress=False, monitor_cost=False)
    assert h.cost == [] and h.epoch == [1, 2]
    assert len(h.seconds) == 2 and all(t > 0 for t in h.seconds)


def test_epoch_end_cost_is_the_total_cost_after_the_epoch():
    rng = np.random.default_rng(8)
    X, Y, _, pairs = toy_data(rng)
    net = Network([4, 5, 3], seed=0)
    h = net.SGD(pairs, 2, 4, 1.0, seed=0, progress=False, monitor_cost="epoch_end")
    assert h.cost[-1] == pytest.approx(net.total_cost(X, Y), rel=1e-12)
    # The default: the mean over the epoch's mini-batches as the weights moved; same training.
    again = Network([4, 5, 3], seed=0)
    h_during = again.SGD(pairs, 2, 4, 1.0, seed=0, progress=False)
    np.testing.assert_array_equal(again.weights[0], net.weights[0])
    assert len(h_during.cost) == 2 and h_during.cost[0] != pytest.approx(h.cost[0])
    with pytest.raises(ValueError, match="monitor_cost must be True, False or 'epoch_end'"):
        again.SGD(pairs, 1, 4, 1.0, progress=False, monitor_cost="end")


@pytest.mark.parametrize("m", [12, 50])
def test_one_full_batch_epoch_is_one_gradient_step(m):
    """With the whole set in one mini-batch, an epoch is w → w − η ∇C (order does not matter)."""
    rng = np.random.default_rng(9)
    X, Y, _, pairs = toy_data(rng)
    eta = 0.7
    net = Network([4, 5, 3], seed=1)
    by_hand = copy.deepcopy(net)
    by_loop = copy.deepcopy(net)
    nabla_b, nabla_w = by_hand.backprop_batch(X, Y)
    net.SGD((X, Y), 1, m, eta, seed=0, progress=False)
    update_mini_batch_loop(by_loop, pairs, eta)  # the book's per-example update
    for p, w, nw, q in zip(net.weights, by_hand.weights, nabla_w, by_loop.weights):
        np.testing.assert_allclose(p, w - eta * nw, rtol=0, atol=1e-13)
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-13)
    for p, b, nb, q in zip(net.biases, by_hand.biases, nabla_b, by_loop.biases):
        np.testing.assert_allclose(p, b - eta * nb, rtol=0, atol=1e-13)
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-13)
    assert not np.allclose(net.weights[0], by_hand.weights[0])  # it did move


def test_seeded_training_is_reproducible():
    rng = np.random.default_rng(10)
    X, Y, _, _ = toy_data(rng)
    runs = []
    for seed in (0, 0, 1):
        net = Network([4, 5, 3], seed=3)
        net.SGD((X, Y), 2, 3, 1.0, seed=seed, progress=False)
        runs.append(net.weights[0])
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.array_equal(runs[0], runs[2])  # the shuffle depends on the seed


def test_progress_bar_only_when_asked(capsys):
    rng = np.random.default_rng(11)
    X, Y, _, _ = toy_data(rng)
    Network([4, 5, 3], seed=0).SGD((X, Y), 2, 4, 1.0, progress=False)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    Network([4, 5, 3], seed=0).SGD((X, Y), 2, 4, 1.0, progress=True)
    captured = capsys.readouterr()
    assert "2/2" in captured.err + captured.out

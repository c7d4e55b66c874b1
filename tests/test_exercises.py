"""Every checker accepts a right answer and rejects the typical wrong ones with the right words."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nndl_backprop import evaluate, sigma_prime_matrix, stack_examples
from nndl_backprop.activations import sigmoid, sigmoid_prime
from nndl_backprop.equations import delta_product
from nndl_backprop.exercises import (
    CheckResult,
    check_accuracy,
    check_backprop,
    check_backprop_batch,
    check_bp1,
    check_bp2,
    check_bp3,
    check_bp4,
    check_count_paths,
    check_delta_product,
    check_dz_db,
    check_dz_dw,
    check_forward_passes,
    check_linear_backprop,
    check_modified_sigma_prime,
    check_rate_factor,
    check_sigma_prime_matrix,
    check_sigmoid_prime,
    check_update_mini_batch,
)
from nndl_backprop.exercises.algorithm import variant_backprop


def stub(*args):
    raise NotImplementedError


def assert_rejects(result: CheckResult, *words: str) -> None:
    assert isinstance(result, CheckResult)
    assert not result.passed and not bool(result)
    for word in words:
        assert word in result.message, f"{word!r} not in {result.message!r}"
    assert "not yet" in repr(result) and "not yet" in result._repr_html_()


def assert_accepts(result: CheckResult) -> None:
    assert result.passed, result.message
    assert "correct" in repr(result) and "correct" in result._repr_html_()


# ----- one checker, many answers ------------------------------------------------------------
CASES = {
    check_bp1: (
        lambda g, sp: g * sp,
        [
            (lambda g, sp: g, "∇_a C alone"),
            (lambda g, sp: sp, "σ'(z^L) alone"),
            (lambda g, sp: -g * sp, "wrong sign"),
            (lambda g, sp: g.T @ sp, "elementwise"),
            (lambda g, sp: g @ sp.T, "elementwise"),
        ],
    ),
    check_bp2: (
        lambda w, d, sp: (w.T @ d) * sp,
        [
            (lambda w, d, sp: w.T @ d, "σ'(z^l) is missing"),
            (lambda w, d, sp: (w @ d) * sp, "transpose"),
            (lambda w, d, sp: -(w.T @ d) * sp, "wrong sign"),
        ],
    ),
    check_sigma_prime_matrix: (
        np.diagflat,
        [
            (lambda sp: sp, "square"),
            (lambda sp: np.tile(sp.T, (sp.shape[0], 1)), "diagonal"),
            (lambda sp: sp @ sp.T, "outer"),
        ],
    ),
    check_bp3: (
        lambda d: d,
        [(lambda d: -d, "wrong sign"), (lambda d: d.T, "transpose")],
    ),
    check_bp4: (
        lambda d, a: d @ a.T,
        [
            (lambda d, a: a @ d.T, "transpose of w^l"),
            (lambda d, a: float(d.ravel()[0] * a.ravel()[0]), "OUTER product"),
            (lambda d, a: -d @ a.T, "wrong sign"),
        ],
    ),
    check_dz_db: (
        lambda i, j: float(i == j),
        [(lambda i, j: 1.0, "should be 0"), (lambda i, j: -float(i == j), "wrong sign")],
    ),
    check_dz_dw: (
        lambda a, i, j, k: a[k - 1, 0] if i == j else 0.0,
        [
            (lambda a, i, j, k: a[j - 1, 0] if i == j else 0.0, "INPUT neuron k"),
            (lambda a, i, j, k: a[k, 0] if i == j else 0.0, "off by one"),
            (lambda a, i, j, k: a[k - 1, 0], "i ≠ j"),
            (lambda a, i, j, k: a if i == j else 0.0, "one number"),
        ],
    ),
    check_delta_product: (
        delta_product,
        [
            (lambda ws, sps, g, l: sps[l - 2] * g[0], "shape"),
        ],
    ),
    check_sigmoid_prime: (
        sigmoid_prime,
        [
            (sigmoid, "σ(z) itself"),
            (lambda z: z * (1 - z), "apply σ first"),
            (lambda z: sigmoid_prime(z)[:1], "shape of z"),
        ],
    ),
    check_forward_passes: (
        lambda s: sum(b * (a + 1) for a, b in zip(s[:-1], s[1:])) + 1,
        [
            (lambda s: sum(b * (a + 1) for a, b in zip(s[:-1], s[1:])), "add 1"),
            (lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])) + 1, "biases are missing"),
            (lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])), "only the weights"),
            (lambda s: sum(b * (a + 1) for a, b in zip(s[:-1], s[1:])) + s[0] + 1, "input"),
            (lambda s: 2 * sum(b * (a + 1) for a, b in zip(s[:-1], s[1:])), "central"),
            (lambda s: "many", "should be a number"),
        ],
    ),
    check_count_paths: (
        lambda s, l: math.prod(s[l:]),
        [
            (lambda s, l: math.prod(s[l - 1 :]), "counts layer"),
            (lambda s, l: sum(s[l:]), "multiply"),
            (lambda s, l: math.prod(s[l:-1]), "output layer is missing"),
            (lambda s, l: math.prod(s[l:]) + 0.5, "whole number"),
            (lambda s, l: "many", "should be a number"),
        ],
    ),
}


def _rate(net, x, p, q, r, *, sp=True, swap=False, at_start=False):
    zs, _ = net.forward(x)
    w = net.weights[p - 1]
    weight = w[q - 1, r - 1] if swap else w[r - 1, q - 1]
    z = zs[p - 2][q - 1, 0] if at_start else zs[p - 1][r - 1, 0]
    return float(sigmoid_prime(z) * weight) if sp else float(weight)


CASES[check_rate_factor] = (
    _rate,
    [
        (lambda *a: _rate(*a, sp=False), "σ' is missing"),
        (lambda *a: _rate(*a, swap=True), "swapped"),
        (lambda *a: _rate(*a, at_start=True) if a[2] >= 2 else _rate(*a), "wrong neuron"),
    ],
)


def _accuracy(net, data, *, argfn=np.argmax):
    return sum(int(argfn(net.feedforward(x))) == y for x, y in data) / len(data)


CASES[check_accuracy] = (
    lambda net, data: evaluate(net, *stack_examples(data, net.sizes[0], net.sizes[-1])) / len(data),
    [
        (lambda net, data: _accuracy(net, data) * len(data), "number right"),
        (lambda net, data: 100 * _accuracy(net, data), "percentage"),
        (lambda net, data: _accuracy(net, data, argfn=np.argmin), "MOST active"),
        (lambda net, data: 1 - _accuracy(net, data), "WRONG"),
    ],
)

CHECKERS = list(CASES)


@pytest.mark.parametrize("checker", CHECKERS, ids=lambda c: c.__name__)
def test_accepts_the_right_answer(checker):
    assert_accepts(checker(CASES[checker][0]))


@pytest.mark.parametrize(
    "checker, wrong, words",
    [(c, w, words) for c in CHECKERS for w, words in CASES[c][1]],
    ids=lambda v: getattr(v, "__name__", str(v))[:20],
)
def test_rejects_a_typical_mistake_in_words(checker, wrong, words):
    assert_rejects(checker(wrong), words)


ALL = CHECKERS + [
    check_backprop,
    check_linear_backprop,
    check_modified_sigma_prime,
    check_backprop_batch,
    check_update_mini_batch,
]


@pytest.mark.parametrize("checker", ALL, ids=lambda c: c.__name__)
def test_the_stub_is_diagnosed_without_raising(checker):
    assert_rejects(checker(stub), "stub")
    assert "replace the body" in checker(stub).hint


@pytest.mark.parametrize("checker", ALL, ids=lambda c: c.__name__)
def test_a_function_that_returns_nothing_or_crashes(checker):
    if checker is check_update_mini_batch:
        assert_rejects(checker(lambda *a: None), "did not change")
    else:
        assert_rejects(checker(lambda *a: None), "returned None")
    assert_rejects(checker(lambda *a: 1 / 0), "ZeroDivisionError")
    assert_rejects(checker(42), "expected a function")


@pytest.mark.parametrize("checker", ALL, ids=lambda c: c.__name__)
def test_an_answer_of_a_strange_kind_is_reported_not_raised(checker):
    class Odd:
        shape = "odd"

    result = checker(lambda *a: Odd())
    assert not result.passed and result.message


# ----- backprop over whole networks ---------------------------------------------------------
def test_check_backprop():
    assert_accepts(check_backprop(lambda net, x, y: net.backprop(x, y)))
    assert_rejects(check_backprop(lambda n, x, y: variant_backprop(n, x, y, sign=-1.0)), "sign")
    assert_rejects(
        check_backprop(lambda n, x, y: variant_backprop(n, x, y, sp_output=False)), "BP1"
    )
    assert_rejects(
        check_backprop(lambda n, x, y: variant_backprop(n, x, y, sp_hidden=False)), "BP2"
    )
    reverse = check_backprop(lambda n, x, y: [g[::-1] for g in n.backprop(x, y)])
    assert_rejects(reverse, "reverse order")
    transposed = check_backprop(
        lambda n, x, y: (n.backprop(x, y)[0], [w.T for w in n.backprop(x, y)[1]])
    )
    assert_rejects(transposed, "transpose", "layer 3")
    assert_rejects(check_backprop(lambda n, x, y: n.backprop(x, y)[0]), "should be a list")
    assert_rejects(check_backprop(lambda n, x, y: 3.0), "pair")
    assert_rejects(check_backprop(lambda n, x, y: (n.backprop(x, y)[0][:1], [])), "one array")


def test_check_linear_backprop():
    from nndl_backprop import Network

    def right(weights, biases, x, y):
        net = Network([w.shape[1] for w in weights] + [weights[-1].shape[0]], "linear")
        net.weights, net.biases = weights, biases
        return net.backprop(x, y)

    def as_sigmoid(weights, biases, x, y):
        net = Network([w.shape[1] for w in weights] + [weights[-1].shape[0]])
        net.weights, net.biases = weights, biases
        return net.backprop(x, y)

    def kept_sp(weights, biases, x, y):
        net = Network([w.shape[1] for w in weights] + [weights[-1].shape[0]], "linear")
        net.weights, net.biases = weights, biases
        return variant_backprop(net, x, y)

    assert_accepts(check_linear_backprop(right))
    assert_rejects(check_linear_backprop(as_sigmoid), "SIGMOID network")
    assert_rejects(check_linear_backprop(kept_sp), "σ'(z) = 1")
    flipped = check_linear_backprop(lambda *a: [[-g for g in gs] for gs in right(*a)])
    assert_rejects(flipped, "sign")


def _modified(z, j, f, f_prime, *, use=None, row=None, everywhere=False):
    if everywhere:
        return f_prime(z)
    out = sigmoid_prime(z)
    r = j - 1 if row is None else row
    if r < len(out):
        out[r] = (use or f_prime)(z[r])
    return out


def test_check_modified_sigma_prime():
    assert_accepts(check_modified_sigma_prime(_modified))
    assert_rejects(check_modified_sigma_prime(lambda z, j, f, fp: sigmoid_prime(z)), "still holds")
    assert_rejects(
        check_modified_sigma_prime(lambda z, j, f, fp: _modified(z, j, f, fp, use=f)), "derivative"
    )
    assert_rejects(
        check_modified_sigma_prime(lambda z, j, f, fp: _modified(z, j, f, fp, row=j)), "off by one"
    )
    assert_rejects(
        check_modified_sigma_prime(lambda z, j, f, fp: _modified(z, j, f, fp, everywhere=True)),
        "only neuron j",
    )


# ----- the mini-batch -----------------------------------------------------------------------
def _batch_grads(net, X, Y, *, b_scale=1.0, w_scale=1.0):
    m = X.shape[1]
    nabla_b, nabla_w = net.backprop_batch(X, Y)
    return [nb * m**b_scale for nb in nabla_b], [nw * m**w_scale for nw in nabla_w]


def test_check_backprop_batch():
    from nndl_backprop import gradient_by_loop

    assert_accepts(check_backprop_batch(lambda net, X, Y: net.backprop_batch(X, Y)))
    assert_accepts(check_backprop_batch(gradient_by_loop))
    assert_rejects(
        check_backprop_batch(lambda *a: _batch_grads(*a, b_scale=1, w_scale=1)), "summed"
    )
    assert_rejects(
        check_backprop_batch(lambda *a: _batch_grads(*a, b_scale=1, w_scale=0)), "biases are summed"
    )
    assert_rejects(
        check_backprop_batch(lambda *a: _batch_grads(*a, b_scale=0, w_scale=1)),
        "weights are summed",
    )

    def per_column_bias(net, X, Y):
        nabla_b, nabla_w = net.backprop_batch(X, Y)
        return [np.repeat(nb, X.shape[1], axis=1) for nb in nabla_b], nabla_w

    assert_rejects(check_backprop_batch(per_column_bias), "one column per example", "axis=1")

    def transposed(net, X, Y):
        nabla_b, nabla_w = net.backprop_batch(X, Y)
        return nabla_b, [nw.T for nw in nabla_w]

    assert_rejects(check_backprop_batch(transposed), "transpose")


def test_check_update_mini_batch():
    def step(net, X, Y, eta, scale=1.0):
        nabla_b, nabla_w = net.backprop_batch(X, Y)
        for w, nw in zip(net.weights, nabla_w):
            w -= scale * eta * nw
        for b, nb in zip(net.biases, nabla_b):
            b -= scale * eta * nb

    assert_accepts(check_update_mini_batch(step))
    assert_rejects(check_update_mini_batch(lambda *a: step(*a, scale=-1.0)), "uphill")
    assert_rejects(
        check_update_mini_batch(lambda net, X, Y, eta: step(net, X, Y, eta, 1 / X.shape[1])),
        "do not divide by m",
    )
    assert_rejects(check_update_mini_batch(lambda *a: None), "did not change")


def test_sigma_prime_matrix_reference_is_the_packages():
    assert check_sigma_prime_matrix(lambda v: sigma_prime_matrix(v)).passed

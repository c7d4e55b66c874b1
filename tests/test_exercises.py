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


# ----- answers that change their inputs in place (mutation-style) ---------------------------
# Each wrong answer below spoils its inputs so that a reference computed AFTER the call would
# agree with it (BP3's `d *= 2` returns 2δ and leaves 2δ behind); the checker must reject it.
def _zero_then_modified(z, j, f, fp):
    z.fill(0.0)
    return _modified(z, j, f, fp)


def _fake_target(net, x, y):
    y[...] = net.feedforward(x)  # δ^L = 0 for the spoiled y, so every gradient is 0
    return [np.zeros(b.shape) for b in net.biases], [np.zeros(w.shape) for w in net.weights]


def _linear_fake_target(weights, biases, x, y):
    a = x
    for w, b in zip(weights, biases):
        a = w @ a + b
    y[...] = a
    return [np.zeros(b.shape) for b in biases], [np.zeros(w.shape) for w in weights]


def _step(net, X, Y, eta):
    nabla_b, nabla_w = net.backprop_batch(X, Y)
    for w, nw in zip(net.weights, nabla_w):
        w -= eta * nw
    for b, nb in zip(net.biases, nabla_b):
        b -= eta * nb


def _zero_rate(net, x, p, q, r):
    net.weights[p - 1][r - 1, q - 1] = 0.0
    return 0.0


def _relabel(net, data):
    data[:] = [(x, int(np.argmax(net.feedforward(x)))) for x, _ in data]
    return 1.0


def _right_linear(weights, biases, x, y):
    from nndl_backprop import Network

    net = Network([w.shape[1] for w in weights] + [weights[-1].shape[0]], "linear")
    net.weights, net.biases = weights, biases
    return net.backprop(x, y)


RIGHT = {checker: right for checker, (right, _) in CASES.items()} | {
    check_backprop: lambda net, x, y: net.backprop(x, y),
    check_linear_backprop: _right_linear,
    check_modified_sigma_prime: _modified,
    check_backprop_batch: lambda net, X, Y: net.backprop_batch(X, Y),
    check_update_mini_batch: _step,
}

WRONG_IN_PLACE = {
    check_bp1: lambda g, sp: (sp.fill(1.0), g.__iadd__(1.0))[1],
    check_bp2: lambda w, d, sp: (sp.fill(0.0), np.zeros(sp.shape))[1],
    check_bp3: lambda d: d.__imul__(2),
    check_bp4: lambda d, a: (a.fill(0.0), d @ a.T)[1],
    check_sigma_prime_matrix: lambda sp: (sp.fill(0.0), np.zeros((len(sp), len(sp))))[1],
    check_delta_product: lambda ws, sps, g, l: (g.fill(0.0), np.zeros(sps[l - 2].shape))[1],
    check_sigmoid_prime: lambda z: (z.fill(0.0), np.full(z.shape, 0.25))[1],
    check_dz_dw: lambda a, i, j, k: (a.fill(0.0), 0.0)[1],
    check_modified_sigma_prime: _zero_then_modified,
    check_backprop: _fake_target,
    check_linear_backprop: _linear_fake_target,
    check_backprop_batch: _fake_target,
    check_update_mini_batch: lambda net, X, Y, eta: (X.fill(0.0), _step(net, X, Y, eta))[1],
    check_rate_factor: _zero_rate,
    check_count_paths: lambda s, l: (s.__setitem__(slice(l, None), [1]), 1)[1],
    check_forward_passes: lambda s: (s.__setitem__(slice(None), [1, 1]), 3)[1],
    check_accuracy: _relabel,
}


def _spoil(value) -> None:
    """Change an argument in place: arrays get 7s, lists are emptied, a network's weights 0."""
    if isinstance(value, np.ndarray):
        value.fill(7.0)
    elif isinstance(value, list):
        value.clear()
    elif hasattr(value, "weights"):
        for w in value.weights:
            w.fill(0.0)


def _right_then_spoil(right, keep=0):
    def answer(*args):
        import copy

        out = copy.deepcopy(right(*args))
        for a in args[keep:]:
            _spoil(a)
        return out

    return answer


def test_every_checker_has_an_in_place_wrong_answer():
    assert set(WRONG_IN_PLACE) | {check_dz_db} == set(ALL)  # ∂z/∂b takes only ints


@pytest.mark.parametrize("checker", list(WRONG_IN_PLACE), ids=lambda c: c.__name__)
def test_a_wrong_answer_computed_in_place_is_rejected(checker):
    result = checker(WRONG_IN_PLACE[checker])
    assert_rejects(result)
    assert "in place" in result.message


@pytest.mark.parametrize("checker", list(WRONG_IN_PLACE), ids=lambda c: c.__name__)
def test_a_right_answer_that_spoils_its_inputs_passes_with_a_note(checker):
    keep = 1 if checker is check_update_mini_batch else 0  # that one must change net
    result = checker(_right_then_spoil(RIGHT[checker], keep))
    assert_accepts(result)
    assert "changed its argument" in result.message and "in place" in result.message


def test_the_issues_examples():
    assert_rejects(check_bp3(lambda d: d.__imul__(2)), "wrong values", "`d` in place")
    result = check_bp1(lambda g, s: g.__imul__(s))
    assert_accepts(result)
    assert "changed its argument `g` in place" in result.message


def test_a_right_answer_without_side_effects_gets_no_note():
    for checker in ALL:
        if checker in RIGHT:
            assert "Note" not in checker(RIGHT[checker]).message


# ----- escapes, hangs and odd results: always an answer in words ----------------------------
class Escape(BaseException):
    pass


def _forever(*args):
    while True:
        pass


@pytest.fixture
def short_time_limit(monkeypatch):
    from nndl_backprop.exercises import _check

    monkeypatch.setattr(_check, "TIME_LIMIT", 0.2)


HOSTILE = {
    "sys.exit": (lambda *a: __import__("sys").exit(3), "tried to stop Python"),
    "BaseException": (lambda *a: (_ for _ in ()).throw(Escape("out")), "Escape"),
    "recursion": (lambda *a: (lambda f: f(f))(lambda f: f(f)), "RecursionError"),
    "a string": (lambda *a: "0.5", ""),
    "a dict": (lambda *a: {}, ""),
    "NaN": (lambda *a: float("nan"), ""),
    "inf": (lambda *a: float("inf"), ""),
    "an object": (lambda *a: object(), ""),
    "a complex": (lambda *a: 1j, ""),
    "a huge int": (lambda *a: 10**400, ""),
}


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("checker", ALL, ids=lambda c: c.__name__)
def test_hostile_functions_get_an_answer_in_words(checker, name):
    fn, words = HOSTILE[name]
    assert_rejects(checker(fn), words)


@pytest.mark.parametrize("checker", ALL, ids=lambda c: c.__name__)
def test_an_endless_loop_is_stopped_with_a_message(checker, short_time_limit):
    import time

    start = time.monotonic()
    result = checker(_forever)
    assert_rejects(result, "did not finish within 0.2 s")
    assert "loop" in result.hint
    assert time.monotonic() - start < 5


def test_keyboard_interrupt_still_stops_the_checker():
    with pytest.raises(KeyboardInterrupt):
        check_bp3(lambda d: (_ for _ in ()).throw(KeyboardInterrupt()))


def test_nan_results_are_named():
    assert_rejects(check_bp3(lambda d: d * np.nan), "NaN or inf")
    assert_rejects(check_dz_db(lambda i, j: float("nan")), "not a finite number")
    assert_rejects(check_count_paths(lambda s, l: float("inf")), "not a finite number")


def test_a_one_element_array_for_a_number_is_taken_with_a_note():
    result = check_dz_db(lambda i, j: np.array([float(i == j)]))
    assert_accepts(result)
    assert "1-element" in result.message
    assert_rejects(check_dz_db(lambda i, j: np.array([1.0, 0.0])), "one number", "(2,)")
    assert_rejects(check_count_paths(lambda s, l: [math.prod(s[l:])] * 2), "one number")
    assert_accepts(check_count_paths(lambda s, l: np.array([math.prod(s[l:])])))


def test_a_timer_already_running_is_restored(short_time_limit):
    import signal

    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers on this platform")
    previous = signal.signal(signal.SIGALRM, lambda *a: None)
    try:
        signal.setitimer(signal.ITIMER_REAL, 30.0)
        assert_accepts(check_bp3(lambda d: d))
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 20 < remaining <= 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

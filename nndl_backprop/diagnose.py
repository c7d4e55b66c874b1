"""Which of BP1–BP4 a backprop breaks, and how: measured, layer by layer, from the output back.

``diagnose`` runs a backprop ``fn(net, x, y) -> (nabla_b, nabla_w)`` (the signature of
``Network.backprop_batch``: x (n_in, m), y (n_out, m), the gradient of the mean cost) on a small
seeded network and compares each ∂C/∂b^l and ∂C/∂w^l with the package's gradient. The first
layer from the output that is wrong shows which equation broke: δ^l enters both ∂C/∂b^l (BP3)
and ∂C/∂w^l (BP4), so if both are wrong δ^l is wrong (BP1 at the output, BP2 below); if only
one is, that one equation is. Then candidate mistakes are tried to say how. Nothing here knows
which bug was planted. The default network has square weight matrices, so a missing transpose
or a layer index one off runs silently, as in real code, and is found by its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .gradcheck import numerical_gradient, relative_error
from .network import Network

SIZES = (5, 5, 5, 5)
M = 3  # examples in the mini-batch the function is called on
TOL = 1e-6  # relative error above this counts as wrong (rounding gives about 1e-15)
FLOOR = 1e-10  # denominator floor of the elementwise relative error, so 0 / 0 gives 0


@dataclass(frozen=True)
class Diagnosis:
    """``ok``, the ``equation`` broken ("BP1" … "BP4", or None), a ``message`` in words, and
    per parameter the elementwise relative error against central differences: ``errors_b[i]``
    has the shape of b^{i+2}, ``errors_w[i]`` that of w^{i+2} (None if the code did not run;
    of the second call if a second call on the same examples gave different numbers)."""

    ok: bool
    equation: str | None
    message: str
    errors_b: list[np.ndarray] | None = None
    errors_w: list[np.ndarray] | None = None

    def __str__(self) -> str:
        head = "nothing wrong found" if self.ok else f"wrong ({self.equation or 'no equation'})"
        return f"{head}: {self.message}"

    __repr__ = __str__


def elementwise_relative_error(a, b, floor: float = FLOOR) -> np.ndarray:
    """|a − b| / max(|a| + |b|, floor), entry by entry; at least 1e-16, so log scales take it."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.maximum(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor), 1e-16)


def _same(a, b) -> bool:
    return np.shape(a) == np.shape(b) and relative_error(a, b) < TOL


def _mean(d: np.ndarray) -> np.ndarray:
    return d.mean(axis=1, keepdims=True)  # (n, m) -> (n, 1): BP3 over a mini-batch


def diagnose(fn, sizes=SIZES, m: int = M, seed: int = 0) -> Diagnosis:
    """Run ``fn`` on a seeded ``Network(sizes)`` and a mini-batch of m examples; say what is
    wrong in the book's terms, with the per-parameter errors for heat maps."""
    net = Network(list(sizes), seed=seed)
    rng = np.random.default_rng(seed)
    X, Y = rng.random((net.sizes[0], m)), rng.random((net.sizes[-1], m))
    saved = [p.copy() for p in (*net.weights, *net.biases, X, Y)]
    first = _run(fn, net, X, Y)
    if isinstance(first, str):
        return Diagnosis(False, None, first)
    got_b, got_w = first
    for name, got, want in (("∂C/∂b", got_b, net.biases), ("∂C/∂w", got_w, net.weights)):
        for i, (g, p) in enumerate(zip(got, want)):
            if g.shape == p.T.shape != p.shape and name == "∂C/∂w":
                return Diagnosis(
                    False,
                    "BP4",
                    f"∂C/∂w^{i + 2} has shape {g.shape}, the transpose "
                    f"of w^{i + 2}'s {p.shape}: BP4 is δ^l (a^(l−1))^T, not its "
                    "transpose.",
                )
            if g.shape != p.shape:
                return Diagnosis(
                    False,
                    None,
                    f"{name}^{i + 2} has shape {g.shape}, but "
                    f"{'w' if name == '∂C/∂w' else 'b'}^{i + 2} has {p.shape}.",
                )
    changed = [
        p for p, s in zip((*net.weights, *net.biases, X, Y), saved) if not np.array_equal(p, s)
    ]
    if changed:
        return Diagnosis(
            False,
            None,
            f"it changed {len(changed)} of the arrays it was given "
            "(weights, biases, x or y) in place; a gradient must leave them as they were.",
        )
    num = numerical_gradient(net, X, Y, method="central")
    errors_b = [elementwise_relative_error(g, n) for g, n in zip(got_b, num.nabla_b)]
    errors_w = [elementwise_relative_error(g, n) for g, n in zip(got_w, num.nabla_w)]
    first_b, first_w = [g.copy() for g in got_b], [g.copy() for g in got_w]
    again = _run(fn, net, X, Y)
    if not isinstance(again, str) and not all(
        np.allclose(a, b, rtol=1e-12, atol=0)
        for a, b in zip([*again[0], *again[1]], [*first_b, *first_w])
    ):
        ratio = float(np.median(np.abs(again[1][-1]) / np.maximum(np.abs(first_w[-1]), FLOOR)))
        return Diagnosis(
            False,
            "BP3, BP4",
            f"a second call on the same mini-batch returned "
            f"∂C/∂w^{net.num_layers} {ratio:.2f} times the first (median entry). The "
            "gradient of BP3 and BP4 must depend only on the network and the examples: "
            "arrays kept between calls are being added to in place (+=) and never reset "
            "to zero.",
            [elementwise_relative_error(g, n) for g, n in zip(again[0], num.nabla_b)],
            [elementwise_relative_error(g, n) for g, n in zip(again[1], num.nabla_w)],
        )
    found = _explain(net, X, Y, first_b, first_w)
    if found is None:
        worst = max(float(e.max()) for e in (*errors_b, *errors_w))
        return Diagnosis(
            True,
            None,
            "every ∂C/∂b and ∂C/∂w agrees with central differences "
            f"(largest relative error {worst:.1e}) and a second call gives the same "
            "numbers.",
            errors_b,
            errors_w,
        )
    return Diagnosis(False, *found, errors_b, errors_w)


def _run(fn, net, X, Y):
    """fn's (nabla_b, nabla_w) as lists of float arrays, or a message saying why not."""
    try:
        with np.errstate(all="ignore"):
            out = fn(net, X, Y)
    except NotImplementedError:
        return (
            "the function is still the stub (it raises NotImplementedError): write the code, "
            "then run the cell again."
        )
    except Exception as exc:  # the student's code may fail in any way; say how in words
        return f"it raised {type(exc).__name__}: {exc}"
    try:
        nabla_b, nabla_w = out
        nabla_b = [np.asarray(g, dtype=float) for g in nabla_b]
        nabla_w = [np.asarray(g, dtype=float) for g in nabla_w]
    except (TypeError, ValueError):
        return "it should return (nabla_b, nabla_w), two lists of arrays, one per layer."
    if len(nabla_b) != len(net.biases) or len(nabla_w) != len(net.weights):
        return (
            f"it returned {len(nabla_b)} and {len(nabla_w)} arrays; the network has "
            f"{len(net.biases)} layers of weights and biases."
        )
    return nabla_b, nabla_w


def _explain(net, X, Y, got_b, got_w):
    """(equation, message) for the layer nearest the output that is wrong, or None."""
    zs, acts = net.forward(X)
    sps = [act.derivative(z, a) for act, z, a in zip(net.layer_activations, zs, acts[1:])]
    grad_a = net.cost.grad_a(acts[-1], Y)
    deltas = [grad_a * sps[-1]]  # BP1, then BP2 back: deltas[i] is δ^{i+2}, (n_l, m)
    for w, sp in zip(net.weights[:0:-1], sps[-2::-1]):
        deltas.insert(0, (w.T @ deltas[0]) * sp)
    want_b = [_mean(d) for d in deltas]
    want_w = [d @ a.T / d.shape[1] for d, a in zip(deltas, acts)]
    m, L = X.shape[1], net.num_layers
    if m > 1 and all(_same(g, m * w) for g, w in zip(got_b + got_w, want_b + want_w)):
        return "BP3, BP4", (
            f"every ∂C/∂b and ∂C/∂w is exactly m = {m} times the right value: "
            "summed over the mini-batch, where BP3 and BP4 for the mean cost "
            "average δ^l and δ^l (a^(l−1))^T over the m examples."
        )
    for i in reversed(range(L - 1)):
        l, b_ok, w_ok = i + 2, _same(got_b[i], want_b[i]), _same(got_w[i], want_w[i])
        if b_ok and w_ok:
            continue
        if b_ok:
            return "BP4", _how_bp4(l, got_w[i], want_w[i], deltas[i], acts, m)
        if w_ok:
            return "BP3", _how_bp3(l, got_b[i], want_b, m)
        if l == L:
            tries = {
                f"δ^{L} lacks the factor σ'(z^{L}): BP1 is δ^L = ∇_a C ⊙ σ'(z^L).": grad_a,
                f"δ^{L} has the wrong sign: ∇_a C = a^L − y, not y − a^L (BP1).": -deltas[-1],
            }
            return "BP1", _match(
                got_b[i],
                tries,
                f"δ^{L} is wrong (∂C/∂b^{L} and ∂C/∂w^{L} both are); BP1 is δ^L = ∇_a C ⊙ σ'(z^L).",
            )
        w, d_next, sp = net.weights[i + 1], deltas[i + 1], sps[i]
        tries = {f"δ^{l} lacks the factor σ'(z^{l}): BP2 ends with ⊙ σ'(z^l).": w.T @ d_next}
        if w.shape[0] == w.shape[1]:
            tries[f"δ^{l} uses w^{l + 1} where BP2 has its transpose (w^{l + 1})^T."] = (
                w @ d_next
            ) * sp
            tries[f"δ^{l} is multiplied by σ'(z^{l + 1}), one layer off: BP2 needs σ'(z^{l})."] = (
                w.T @ d_next
            ) * sps[i + 1]
        for j in range(w.shape[0]):
            tries[
                f"δ^{l}_k keeps one term of BP2's sum over j (j = {j + 1}) and drops the "
                f"rest: each a^{l}_k feeds every neuron of layer {l + 1}, so their "
                "contributions must be added (+=), not overwritten (=)."
            ] = (w[j : j + 1].T @ d_next[j : j + 1]) * sp
        return "BP2", _match(
            got_b[i],
            tries,
            f"δ^{l + 1} is right but δ^{l} is wrong: the step "
            "back, BP2 δ^l = ((w^(l+1))^T δ^(l+1)) ⊙ σ'(z^l), is broken.",
        )
    return None


def _match(got: np.ndarray, tries: dict, otherwise: str) -> str:
    """The message of the first candidate (n, m) whose mean over columns equals ``got``."""
    for message, candidate in tries.items():
        if _same(got, _mean(candidate)):
            return message
    return otherwise


def _how_bp3(l: int, got: np.ndarray, want_b: list, m: int) -> str:
    tries = {
        f"∂C/∂b^{l} holds ∂C/∂b^{k + 2}, the value of another layer: an index is off "
        f"by one. BP3 is ∂C/∂b^l = δ^l, the same layer's error.": want
        for k, want in enumerate(want_b)
        if k != l - 2 and want.shape == got.shape
    }
    tries[f"∂C/∂b^{l} is zero: it was never filled in (BP3: ∂C/∂b^l = δ^l)."] = 0 * want_b[l - 2]
    tries[
        f"∂C/∂b^{l} is m = {m} times δ^{l}'s mean: BP3 for the mean cost averages over the "
        "mini-batch."
    ] = m * want_b[l - 2]
    for message, value in tries.items():
        if _same(got, value):
            return message
    return f"∂C/∂w^{l} is right, so δ^{l} is, but ∂C/∂b^{l} is not δ^{l} (BP3)."


def _how_bp4(l: int, got, want, delta, acts, m: int) -> str:
    ratio = float(np.median(got / np.where(want == 0, np.inf, want)))
    tries = {
        f"∂C/∂w^{l} is {ratio:.2f} times the right value, and m = {m}: the product "
        "δ (a^(l−1))^T sums over the mini-batch, and BP4 for the mean cost needs 1/m.": m * want,
        f"∂C/∂w^{l} is the transpose of the right value: BP4 is δ^l (a^(l−1))^T.": want.T,
    }
    for k, a in enumerate(acts):
        if k != l - 2 and a.shape[0] == want.shape[1]:
            tries[
                f"∂C/∂w^{l} uses a^{k + 1} where BP4 has a^{l - 1}: a layer index is off by "
                f"{abs(k + 2 - l)}."
            ] = delta @ a.T / m
    for message, value in tries.items():
        if _same(got, value):
            return message
    return f"∂C/∂b^{l} is right, so δ^{l} is, but ∂C/∂w^{l} is not δ^{l} (a^{l - 1})^T (BP4)."


def _spans(indices) -> str:
    """Book-numbered runs of 0-based indices: [0, 1, 2, 4] -> '1–3, 5'."""
    runs, out = [], sorted({int(i) + 1 for i in indices})
    for n in out:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in runs)


def describe_errors(errors_b, errors_w, tol: float = TOL) -> str:
    """The heat maps in words: the largest error, and where entries exceed ``tol``."""
    named = [(f"w^{i + 2}", e) for i, e in enumerate(errors_w)]
    named += [(f"b^{i + 2}", e) for i, e in enumerate(errors_b)]
    worst_name, worst = max(named, key=lambda ne: ne[1].max())
    parts = []
    for name, e in named:
        rows, cols = np.nonzero(e > tol)
        if rows.size == e.size:
            parts.append(f"{name} (all {e.size} entries)")
        elif rows.size:
            where = f"rows {_spans(rows)}" + (f", columns {_spans(cols)}" if name[0] == "w" else "")
            parts.append(f"{name} ({rows.size} of {e.size} entries: {where})")
    head = f"largest relative error {worst.max():.1e}, in {worst_name}"
    if not parts:
        return f"{head}; every entry of every weight matrix and bias vector is below {tol:.0e}."
    return f"{head}; above {tol:.0e} in " + "; ".join(parts) + ". All other entries are below it."

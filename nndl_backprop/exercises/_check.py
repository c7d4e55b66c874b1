"""The machinery every checker shares: a readable result, safe calls, and plain-words diagnoses.

A checker runs the student's function on a few seeded random cases, compares each answer with
the reference, and, when they differ, looks for the typical mistake that explains the
difference (a missing transpose, a wrong sign, σ' forgotten, a sum instead of a mean…).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CheckResult:
    """What a checker found: ``passed`` and a message in plain words (never just False)."""

    exercise: str
    passed: bool
    message: str
    hint: str = ""

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        head = "✔ correct" if self.passed else "✘ not yet"
        text = f"{head} — {self.exercise}: {self.message}"
        return text + (f"\n  Hint: {self.hint}" if self.hint else "")

    def _repr_html_(self) -> str:
        colour, mark = ("#009E73", "✔ correct") if self.passed else ("#D55E00", "✘ not yet")
        hint = f"<br><i>Hint:</i> {html.escape(self.hint)}" if self.hint else ""
        return (
            f'<div style="border-left:6px solid {colour};padding:6px 10px;font-size:1.05em">'
            f'<b style="color:{colour}">{mark}</b> — <b>{html.escape(self.exercise)}</b>: '
            f"{html.escape(self.message)}{hint}</div>"
        )


class Mistake(Exception):
    """Raised inside a checker to stop at the first problem with a plain-words message."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


def run_checker(exercise: str, fn, cases: Callable[[], None], success: str) -> CheckResult:
    """Run ``cases`` (which raises Mistake on the first problem) and wrap the outcome."""
    if not callable(fn):
        return CheckResult(
            exercise, False, f"expected a function, got {type(fn).__name__} {fn!r:.60}"
        )
    try:
        cases()
    except Mistake as m:
        return CheckResult(exercise, False, m.message, m.hint)
    except Exception as exc:  # an answer of an unexpected kind broke a comparison
        return CheckResult(
            exercise,
            False,
            f"your answer could not be compared with the reference ({type(exc).__name__}: {exc}).",
            "check the type and shape of what your function returns against the exercise.",
        )
    return CheckResult(exercise, True, success)


def call(fn, *args, what: str = "your function", allow_none: bool = False):
    """fn(*args), turning the stub's NotImplementedError and any crash into a Mistake.

    A None result counts as the stub (or a forgotten ``return``) unless ``allow_none``.
    """
    try:
        with np.errstate(all="ignore"):
            out = fn(*args)
    except NotImplementedError:
        raise Mistake(
            f"{what} is still the stub (it raises NotImplementedError).",
            "replace the body with your own code, then run this cell again.",
        ) from None
    except Exception as exc:  # the student's code may fail in any way; report it in words
        text = str(exc)
        if isinstance(exc, ValueError) and any(
            s in text for s in ("matmul", "shapes", "broadcast", "aligned")
        ):
            raise Mistake(
                f"{what} raised ValueError: {text}.",
                "the shapes in a product or sum do not fit: write each array's shape beside "
                "it; is a transpose missing or extra?",
            ) from None
        raise Mistake(f"{what} raised {type(exc).__name__}: {text}") from None
    if out is None and not allow_none:
        raise Mistake(
            f"{what} returned None: it is still the stub, or it forgot its `return`.",
            "end the function with `return` and the value asked for.",
        )
    return out


def as_array(value, what: str) -> np.ndarray:
    """``value`` as a float array, or a Mistake saying what kind of thing it was."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Mistake(
            f"{what} should be a numpy array of numbers, got {type(value).__name__}"
        ) from None
    if not np.all(np.isfinite(arr)):
        raise Mistake(f"{what} contains NaN or inf")
    return arr


def close(a: np.ndarray, b: np.ndarray, tol: float = 1e-8) -> bool:
    """Same shape and equal up to floating-point rounding (relative to their size)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return False
    scale = max(1.0, float(np.max(np.abs(b), initial=0.0)))
    return bool(np.all(np.abs(a - b) <= tol * scale))


def compare(got, want: np.ndarray, what: str, wrong: dict[str, np.ndarray] | None = None) -> None:
    """Raise a Mistake unless ``got`` equals ``want``; name the typical mistake it matches.

    ``wrong`` maps a message to the answer that mistake would give; the generic mistakes
    (shape, transpose, sign, a missing factor) are tried after them.
    """
    got = as_array(got, what)
    for message, candidate in (wrong or {}).items():
        if close(got, candidate) and not close(candidate, want):
            raise Mistake(f"{what}: {message}")
    if got.shape != want.shape:
        if got.shape == want.T.shape and got.ndim == 2:
            raise Mistake(
                f"{what} has shape {got.shape} but should have {want.shape}: "
                "the transpose of what is wanted (check the order of a matrix product)."
            )
        if got.size == want.size:
            raise Mistake(
                f"{what} has shape {got.shape} but should have {want.shape}; the numbers may "
                "be right but arranged wrongly (keep column vectors as (n, 1))."
            )
        raise Mistake(f"{what} has shape {got.shape} but should have {want.shape}.")
    if close(got, want):
        return
    if close(got, -want):
        raise Mistake(f"{what} has the wrong sign: every entry is minus the right value.")
    if got.ndim == 2 and got.shape[0] == got.shape[1] and close(got, want.T):
        raise Mistake(f"{what} is transposed: entry (j, k) holds what belongs at (k, j).")
    err = np.linalg.norm(got - want) / (np.linalg.norm(got) + np.linalg.norm(want) + 1e-300)
    idx = np.unravel_index(np.argmax(np.abs(got - want)), want.shape)
    raise Mistake(
        f"{what} has the right shape {want.shape} but wrong values (relative error "
        f"{err:.2g}); e.g. at index {tuple(int(i) for i in idx)} you give {got[idx]:.6g}, "
        f"the reference gives {want[idx]:.6g}."
    )


def compare_number(got, want: float, what: str, wrong: dict[str, float] | None = None) -> None:
    """Like :func:`compare` for one number; ints compare exactly."""
    if isinstance(got, np.ndarray) and got.size == 1:
        got = got.item()
    if isinstance(got, bool) or not isinstance(got, (int, float, np.number)):
        raise Mistake(f"{what} should be a number, got {type(got).__name__} {got!r:.60}")
    for message, candidate in (wrong or {}).items():
        if np.isclose(got, candidate, rtol=1e-9, atol=1e-12) and not np.isclose(candidate, want):
            raise Mistake(f"{what}: {message}")
    if not np.isclose(got, want, rtol=1e-7, atol=1e-12):
        if np.isclose(got, -want, rtol=1e-7, atol=1e-12):
            raise Mistake(f"{what} has the wrong sign: {got:.6g} instead of {want:.6g}.")
        raise Mistake(f"{what} is {got:.6g} but should be {want:.6g}.")


def gradient_pair(out, net, what: str) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Check that ``out`` is (nabla_b, nabla_w) with one array per layer, in layer order."""
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise Mistake(f"{what} should return a pair (nabla_b, nabla_w), got {type(out).__name__}")
    nabla_b, nabla_w = out
    n = len(net.weights)
    for name, grads in (("nabla_b", nabla_b), ("nabla_w", nabla_w)):
        if not isinstance(grads, (list, tuple)) or len(grads) != n:
            raise Mistake(
                f"{name} should be a list with one array per layer l = 2 … {n + 1} "
                f"({n} arrays), got {type(grads).__name__}"
                + (f" of length {len(grads)}" if isinstance(grads, (list, tuple)) else "")
            )
    return list(nabla_b), list(nabla_w)


def compare_gradients(
    got,
    want,
    net,
    what: str,
    wrong: dict[str, tuple] | None = None,
    labels: tuple[str, str] = ("∂C/∂b", "∂C/∂w"),
) -> None:
    """Compare (nabla_b, nabla_w) layer by layer, naming the book's layer on a mismatch."""
    nabla_b, nabla_w = gradient_pair(got, net, what)
    for message, (cand_b, cand_w) in (wrong or {}).items():
        if _same_grads(cand_b, want[0]) and _same_grads(cand_w, want[1]):
            continue  # this slip makes no difference in this case
        if _same_grads(nabla_b, cand_b) and _same_grads(nabla_w, cand_w):
            raise Mistake(f"{what}: {message}")
    if (
        [np.shape(g) for g in nabla_w] == [w.shape for w in reversed(want[1])]
        and len(nabla_w) > 1
        and [np.shape(g) for g in nabla_w] != [w.shape for w in want[1]]
    ):
        raise Mistake(
            f"{what}: the layers come in reverse order; nabla_w[0] must belong to layer 2, "
            "the first layer after the input (fill the lists from the end while going backward)."
        )
    for i in range(len(net.weights) - 1, -1, -1):  # from the output back, like backprop
        compare(nabla_b[i], want[0][i], f"{what}: {labels[0]} of layer {i + 2}")
        compare(nabla_w[i], want[1][i], f"{what}: {labels[1]} of layer {i + 2}")


def _same_grads(got: list, cand: list) -> bool:
    try:
        return all(close(np.asarray(g, dtype=float), c) for g, c in zip(got, cand, strict=True))
    except (TypeError, ValueError):
        return False

"""The machinery every checker shares: a readable result, safe calls, and plain-words diagnoses.

A checker runs the student's function on a few seeded random cases, compares each answer with
the reference, and, when they differ, looks for the typical mistake that explains the
difference (a missing transpose, a wrong sign, σ' forgotten, a sum instead of a mean…).

The student's function always receives deep copies of the inputs, so the reference and every
"typical mistake" are computed from pristine inputs however the function treats its arguments;
if it changed an argument in place, the result says so in words. Each call has a time limit
(:data:`TIME_LIMIT` seconds), and ``sys.exit`` or any other escape from the student's code
becomes a message, never a traceback. The time limit uses ``SIGALRM``, so it protects calls
made from the main thread on Unix (a Jupyter kernel's cells run there); on Windows or in
another thread the call runs without it, and a loop inside one long numpy operation is only
stopped once that operation returns.
"""

from __future__ import annotations

import contextvars
import copy
import html
import inspect
import math
import numbers
import signal
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

TIME_LIMIT = 5.0  # seconds per call of the student's function; every case is small
_notes: contextvars.ContextVar[dict[str, None] | None] = contextvars.ContextVar(
    "checker_notes", default=None
)


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


def note(text: str) -> None:
    """Add a remark that the result will carry whether the answer passes or not (once each)."""
    notes = _notes.get()
    if notes is not None:
        notes.setdefault(text, None)


def run_checker(exercise: str, fn, cases: Callable[[], None], success: str) -> CheckResult:
    """Run ``cases`` (which raises Mistake on the first problem) and wrap the outcome.

    Notes gathered on the way (an argument changed in place, a 1-element array taken as a
    number) are appended to the message, so a right answer that spoils its inputs still hears
    about it.
    """
    if not callable(fn):
        return CheckResult(
            exercise, False, f"expected a function, got {type(fn).__name__} {fn!r:.60}"
        )
    token = _notes.set({})
    try:
        try:
            cases()
        except Mistake as m:
            return CheckResult(exercise, False, _with_notes(m.message), m.hint)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # an answer of an unexpected kind broke a comparison
            return CheckResult(
                exercise,
                False,
                _with_notes(
                    "your answer could not be compared with the reference "
                    f"({type(exc).__name__}: {exc})."
                ),
                "check the type and shape of what your function returns against the exercise.",
            )
        return CheckResult(exercise, True, _with_notes(success))
    finally:
        _notes.reset(token)


def _with_notes(message: str) -> str:
    notes = _notes.get() or {}
    return " ".join([message, *("Note: " + n for n in notes)])


class _TimeUp(BaseException):
    """Raised by the SIGALRM handler; a BaseException so ``except Exception`` cannot eat it."""


@contextmanager
def _time_limit(seconds: float):
    """Interrupt the body after ``seconds`` (main thread on Unix only; elsewhere no limit).

    The alarm repeats every 0.1 s until the body gives up, so a bare ``except:`` inside the
    student's loop cannot swallow it; any timer that was already running is re-armed after.
    """
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    armed = True

    def on_alarm(signum, frame):
        if armed:
            raise _TimeUp

    start = time.monotonic()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if previous is None else previous)
        if old_delay > 0:  # someone else's timer (pytest-timeout, say): give it its time back
            remaining = max(old_delay - (time.monotonic() - start), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, remaining, old_interval)


def call(
    fn,
    *args,
    what: str = "your function",
    allow_none: bool = False,
    changes: tuple[int, ...] = (),
):
    """fn(*copies of args), turning the stub, any crash, an exit or a hang into a Mistake.

    The function gets deep copies, so the caller's arguments stay pristine for the reference;
    if it changed a copy in place, a note says so. Arguments at the positions in ``changes``
    are the ones the exercise asks to change in place: they are passed as they are.
    A None result counts as the stub (or a forgotten ``return``) unless ``allow_none``.
    """
    given = [a if i in changes else copy.deepcopy(a) for i, a in enumerate(args)]
    try:
        with np.errstate(all="ignore"), _time_limit(TIME_LIMIT):
            out = fn(*given)
    except NotImplementedError:
        raise Mistake(
            f"{what} is still the stub (it raises NotImplementedError).",
            "replace the body with your own code, then run this cell again.",
        ) from None
    except _TimeUp:
        raise Mistake(
            f"{what} did not finish within {TIME_LIMIT:g} s on a small case, so it was stopped.",
            "look for a loop that never ends (a `while` whose condition never changes, or a "
            "function that calls itself without a base case).",
        ) from None
    except KeyboardInterrupt:
        raise
    except (SystemExit, GeneratorExit) as exc:
        raise Mistake(
            f"{what} tried to stop Python ({type(exc).__name__}: {exc}); the checker caught it.",
            "remove sys.exit(), exit() or quit() from the function; return the value instead.",
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
    except BaseException as exc:  # any other escape (a custom BaseException)
        raise Mistake(f"{what} raised {type(exc).__name__}: {exc}") from None
    names = _argument_names(fn, len(args))
    for i, (before, after) in enumerate(zip(args, given)):
        if i not in changes and not _same(before, after):
            note(
                f"{what.split('(')[0]} changed its argument {names[i]} in place. It was judged "
                "on what it returned (from a fresh copy), but a caller would find that "
                "argument spoiled: build a new array (`d = d * 2`, not `d *= 2`)."
            )
    if out is None and not allow_none:
        raise Mistake(
            f"{what} returned None: it is still the stub, or it forgot its `return`.",
            "end the function with `return` and the value asked for.",
        )
    return out


def _argument_names(fn, n: int) -> list[str]:
    """`name` of each of the first n positional parameters, or "number k" when unknown."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        params = []
    named = [
        p.name
        for p in params
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]
    return [f"`{named[i]}`" if i < len(named) else f"number {i + 1}" for i in range(n)]


def _same(a, b, depth: int = 0) -> bool:
    """Whether b (a copy of a, after the student's call) still equals a, NaN equal to NaN."""
    if depth > 20:
        return True
    if isinstance(a, np.ndarray):
        return (
            isinstance(b, np.ndarray)
            and a.shape == b.shape
            and a.dtype == b.dtype
            and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        )
    if isinstance(a, (list, tuple)):
        return (
            type(a) is type(b)
            and len(a) == len(b)
            and all(_same(x, y, depth + 1) for x, y in zip(a, b))
        )
    if isinstance(a, dict):
        return (
            isinstance(b, dict)
            and a.keys() == b.keys()
            and all(_same(a[k], b[k], depth + 1) for k in a)
        )
    if isinstance(a, (numbers.Number, str, bytes, type(None))):
        return type(a) is type(b) and (a == b or (a != a and b != b))
    if hasattr(a, "__dict__") and not callable(a):  # e.g. a Network: compare its attributes
        return type(a) is type(b) and _same(vars(a), vars(b), depth + 1)
    return True  # functions and other immutable helpers


def as_array(value, what: str) -> np.ndarray:
    """``value`` as a float array, or a Mistake saying what kind of thing it was."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise Mistake(
            f"{what} should be a numpy array of numbers, got {type(value).__name__}"
        ) from None
    if not np.all(np.isfinite(arr)):
        raise Mistake(f"{what} contains NaN or inf")
    return arr


def as_number(value, what: str) -> float | int:
    """One real number from ``value``; a 1-element array is taken as its entry, with a note.

    Python and numpy ints stay ints (so counts compare exactly); NaN, inf, booleans and
    anything else are a Mistake in words.
    """
    if isinstance(value, (np.ndarray, list, tuple)):
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError):
            arr = None
        if arr is None or arr.size != 1 or arr.dtype.kind not in "iuf":
            raise Mistake(
                f"{what} should be one number, got {type(value).__name__}"
                + (f" of shape {arr.shape}" if arr is not None else "")
            )
        note(
            f"a 1-element {type(value).__name__} came back where one number is expected; its "
            "one entry was taken as the number (return a plain number, e.g. float(x))."
        )
        value = arr.reshape(()).item()
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.number)):
        raise Mistake(f"{what} should be a number, got {type(value).__name__} {value!r:.60}")
    if isinstance(value, numbers.Integral):
        return int(value)
    value = float(value)
    if not math.isfinite(value):
        raise Mistake(f"{what} is {value}, not a finite number.")
    return value


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
    got = as_number(got, what)
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

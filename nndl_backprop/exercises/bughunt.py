"""The checker of notebook 12: has the student's fix of a buggy backprop removed the bug?"""

from __future__ import annotations

from ..bugs import BUGS
from ..diagnose import diagnose
from ._check import CheckResult

# The square network lets a transpose or index slip run silently; the other has every layer a
# different width, so a fix that only works when shapes happen to agree is caught too.
NETWORKS = ((5, 5, 5, 5), (3, 5, 4, 2))


def check_fix(bug: str, my_backprop) -> CheckResult:
    """my_backprop(net, x, y) -> (nabla_b, nabla_w), x (n_in, m), y (n_out, m): the fixed
    version of bug ``bug``; checked by :func:`~nndl_backprop.diagnose.diagnose` on two networks."""
    if bug not in BUGS:
        raise ValueError(f"unknown bug {bug!r}; expected one of {sorted(BUGS)}")
    exercise = f"fix of bug {bug}"
    if not callable(my_backprop):
        return CheckResult(
            exercise, False, f"expected a function, got {type(my_backprop).__name__}"
        )
    for seed, sizes in enumerate(NETWORKS):
        found = diagnose(my_backprop, sizes=sizes, m=4, seed=seed)
        if not found.ok:
            where = "" if found.errors_w is None else f"on the network {list(sizes)}: "
            hint = "" if found.equation is None else f"look again at {found.equation}."
            return CheckResult(exercise, False, f"{where}{found.message}", hint)
    return CheckResult(
        exercise,
        True,
        f"nothing wrong found on the networks {[list(s) for s in NETWORKS]}: every ∂C/∂b and "
        "∂C/∂w agrees with central differences, and a second call gives the same numbers.",
    )

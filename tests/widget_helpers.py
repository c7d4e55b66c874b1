"""Helpers shared by the widget test modules (no browser)."""

from __future__ import annotations

import numpy as np


def assert_finite(state, where: str = "state") -> None:
    """Every number in a demo's state (nested dicts, lists, arrays) is finite."""
    if isinstance(state, dict):
        for key, value in state.items():
            assert_finite(value, f"{where}[{key!r}]")
    elif isinstance(state, list | tuple):
        for i, value in enumerate(state):
            assert_finite(value, f"{where}[{i}]")
    elif isinstance(state, np.ndarray) and state.dtype.kind in "fc":
        assert np.all(np.isfinite(state)), f"{where} is not finite: {state}"
    elif isinstance(state, float | np.floating):  # Python integers are always finite
        assert np.isfinite(state), f"{where} is not finite: {state}"


def offscreen(demo):
    """The demo rendering its figures as a browser would need, without one (then refreshed)."""
    demo.stage.offscreen = True
    demo.refresh()
    return demo


def last_blit(demo, fig=None):
    """The Blit that drew the demo's (first) figure last."""
    return demo.stage.current[demo.figures[0] if fig is None else fig]

"""Every demo names its controls and describes its figure in words, from the same numbers."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from nndl_backprop.widgets.readout import Readout, plain
from nndl_backprop.widgets.registry import DEMOS


def _readouts(widget) -> list[Readout]:
    """The Readout widgets inside a layout, depth first."""
    if isinstance(widget, Readout):
        return [widget]
    return [r for child in getattr(widget, "children", ()) for r in _readouts(child)]


def _other_value(control):
    """A value the control can take other than its current one (the next option or step)."""
    if hasattr(control, "options"):
        values = list(control._options_values)
        return values[(values.index(control.value) + 1) % len(values)]
    if isinstance(control, widgets.FloatLogSlider):
        return control.base ** min(control.max, (control.min + control.max) / 2)
    if control.value + control.step <= control.max:
        return control.value + control.step
    return control.value - control.step


def test_plain_reads_html_as_a_sentence():
    assert plain("x = <b>-0.5</b><br>gap = 3e-03 &lt; 1") == "x = −0.5; gap = 3e-03 < 1"


@pytest.mark.parametrize("entry", [d for d in DEMOS if not d.live], ids=lambda d: d.stem)
def test_every_control_is_named_and_the_figure_described(entry):
    demo = entry.build()
    unnamed = [name for name, c in demo.controls.items() if not c.description.strip()]
    assert not unnamed, f"{entry.stem}: controls without a description (accessible name): {unnamed}"
    (readout,) = _readouts(demo.ui)
    before = readout.alt
    assert readout.figure and before.startswith(readout.figure), before
    assert any(ch.isdigit() for ch in before), f"{entry.stem}: no number in {before!r}"
    name, control = next(
        (n, c) for n, c in demo.controls.items() if not getattr(c, "disabled", False)
    )
    demo.set(**{name: _other_value(control)})
    assert demo.error is None, demo.error
    assert readout.alt != before, f"{entry.stem}: changing {name} left the description as it was"

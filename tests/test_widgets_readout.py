"""Every demo names its controls and describes its figure in words, from the same numbers."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from nndl_backprop.widgets.readout import Readout, plain
from nndl_backprop.widgets.registry import DEMOS


@pytest.fixture(autouse=True)
def _close_figures():
    """Each demo opens its figures through pyplot; close them so they do not pile up."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


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


class _Shown:
    """What the demos' Output widgets were given to display, in order."""

    def __init__(self):
        self.images: list[str] = []

    def __call__(self, obj, *args, **kwargs):
        self.images.append(obj.data)


@pytest.fixture
def static_page(monkeypatch):
    """The inline (static) rendering as in a kernel, with the images it displays recorded."""
    import IPython.display

    from nndl_backprop.widgets import render

    shown = _Shown()
    monkeypatch.setattr(render, "in_kernel", lambda: True)
    monkeypatch.setattr(IPython.display, "display", shown)
    monkeypatch.setattr(widgets.Output, "clear_output", lambda self, *a, **k: None)
    return shown


def _alt(image_html: str) -> str:
    import html
    import re

    (alt,) = re.findall(r'alt="([^"]*)"', image_html)
    return html.unescape(alt)


@pytest.mark.parametrize("entry", [d for d in DEMOS if not d.live], ids=lambda d: d.stem)
def test_a_static_image_is_born_with_the_readouts_sentence(entry, static_page):
    """Without ipympl each update displays one new image per figure, at the update's end, and
    its alt is already the readout's sentence for the new numbers (not a placeholder the page
    would rename a moment later)."""
    demo = entry.build()
    (readout,) = _readouts(demo.ui)
    assert len(static_page.images) == len(demo.figures), static_page.images
    assert _alt(static_page.images[-1]) == readout.alt, (static_page.images[-1][-300:], readout.alt)
    name, control = next(
        (n, c) for n, c in demo.controls.items() if not getattr(c, "disabled", False)
    )
    before = readout.alt
    demo.set(**{name: _other_value(control)})
    assert demo.error is None, demo.error
    assert len(static_page.images) == 2 * len(demo.figures)
    assert readout.alt != before
    assert _alt(static_page.images[-1]) == readout.alt, (_alt(static_page.images[-1]), readout.alt)


def test_a_refused_or_failed_update_keeps_the_last_image(static_page):
    demo = DEMOS[0].build()
    shown = len(static_page.images)
    name, control = next(iter(demo.controls.items()))
    demo.set(**{name: float("nan")})  # refused before any update
    assert demo.error and len(static_page.images) == shown
    failing = demo._update

    def update(**values):
        failing(**values)  # draws the new picture, then fails
        raise ValueError("this update fails after drawing")

    demo._update = update
    demo.refresh()
    assert demo.error == "this update fails after drawing"
    assert len(static_page.images) == shown, "a failed update showed its half-made picture"

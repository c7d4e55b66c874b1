"""The common shape of every demo: named controls, a pure update, readable state, a layout."""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from contextlib import ExitStack

import ipywidgets as widgets

from .readout import DEMO_CLASS
from .render import Stage

# One look for every control's label: the whole description, never cut off.
LABEL_STYLE = {"description_width": "initial"}
# The cost dropdowns: what the page says -> the package's registry name.
COST_NAMES = {"quadratic": "quadratic", "cross-entropy": "cross_entropy"}


class Demo:
    """A live demo: changing any control calls ``update``, whose returned dict is ``state``.

    Parameters
    ----------
    controls : name -> ipywidgets value widget (sliders, dropdowns, …).
    ui : the widget to display (controls, readouts and figure laid out together).
    update : called with the controls' current values as keyword arguments; redraws the
        readouts and figure in place and returns the numbers it displayed (for tests).
    status : optional HTML widget where bad input is reported instead of raising in the UI.
    figures : the matplotlib figures the demo redraws (benchmarks render them to time a frame).
    stage : what the demo keeps for drawing (see :class:`~.render.Stage`).
    readouts : widgets whose changes during one update reach the page as one message each
        (a :class:`~.readout.Readout` sets ``alt`` twice per update: once is enough).
    """

    def __init__(
        self,
        controls: dict[str, widgets.ValueWidget],
        ui: widgets.Widget,
        update: Callable[..., dict],
        status: widgets.HTML | None = None,
        figures=(),
        stage: Stage | None = None,
        readouts=(),
    ):
        self.controls = controls
        self.readouts = list(readouts)
        self.figures = list(figures)
        self.ui = ui
        ui.add_class(DEMO_CLASS)  # the box within which the readout labels the figure
        self.stage = Stage() if stage is None else stage
        self._update = update
        self.status = status
        self.state: dict = {}
        self.error: str | None = None
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.refresh()

    def values(self) -> dict:
        """The controls' current values by name."""
        return {name: c.value for name, c in self.controls.items()}

    def refresh(self) -> dict:
        """Recompute and redraw from the current control values; returns the new state."""
        try:
            with ExitStack() as held:
                for readout in self.readouts:
                    held.enter_context(readout.hold_sync())
                held.enter_context(self.stage.pictures_held(self._figure_name))
                try:
                    self.state = self._update(**self.values())
                finally:
                    for readout in self.readouts:
                        readout.busy = ""  # whatever a live update said it was doing is done
            self._report(None)
        except (ValueError, TypeError) as exc:  # bad input: say so in the page, keep running
            self._report(str(exc))
        return self.state

    def _figure_name(self) -> str:
        """The figure's accessible name: what the readout says of it and of the numbers."""
        return " ".join(readout.alt for readout in self.readouts if readout.alt)

    def _report(self, error: str | None) -> None:
        self.error = error
        if self.status is not None:
            self.status.value = "" if error is None else f"<b>Cannot update:</b> {error}"

    def _on_change(self, _change) -> None:
        self.refresh()

    def set(self, **values) -> dict:
        """Set several controls at once (one update), as a user would; returns the state.

        Every value is checked first: if any is refused (wrong type, NaN, outside the control's
        range, not among its options), nothing changes, the status line says why and
        ``error`` holds the message, so the picture stays the one the controls show.
        """
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; have {sorted(self.controls)}")
        problems = [
            msg
            for name, value in values.items()
            if (msg := self._refusal(name, self.controls[name], value)) is not None
        ]
        if problems:
            self._report("; ".join(problems))
            return self.state
        for name, value in values.items():
            control = self.controls[name]
            control.unobserve(self._on_change, names="value")
            try:
                if control in self.stage.fitted:
                    control.max = max(control.max, value)  # the update fits it again
                control.value = value
            finally:
                control.observe(self._on_change, names="value")
        self.refresh()
        clamped = [
            f"{name} = {value} is more than its largest value here, {self.controls[name].value}"
            for name, value in values.items()
            if self.controls[name].value != value and self.error is None
        ]
        if clamped:  # a fitted slider cut the value back: the picture shows the new one
            self._report("; ".join(clamped))
        return self.state

    def _refusal(self, name: str, control, value) -> str | None:
        """Why ``value`` cannot go into ``control`` (None if it can)."""
        label = f"{name} = {value!r}"
        if hasattr(control, "options"):  # dropdowns, toggle buttons, selection sliders
            options = list(control._options_values)  # the values behind the labels shown
            if value not in options:
                return f"{label} is not one of {options}"
            return None
        if isinstance(control, widgets.Checkbox | widgets.ToggleButton):
            return None if isinstance(value, bool) else f"{label} must be True or False"
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return f"{label} must be a number"
        if not math.isfinite(value):
            return f"{label} must be a finite number"
        if isinstance(control, widgets.IntSlider | widgets.BoundedIntText):
            if value != int(value):
                return f"{label} must be a whole number"
            if value < control.min or (value > control.max and control not in self.stage.fitted):
                return f"{label} is outside {control.min} … {control.max}"
            return None
        if isinstance(control, widgets.FloatLogSlider):
            lo, hi = control.base**control.min, control.base**control.max
        elif hasattr(control, "min") and hasattr(control, "max"):
            lo, hi = control.min, control.max
        else:
            return None
        if not lo <= value <= hi:
            return f"{label} is outside {lo:g} … {hi:g}"
        return None

    def _repr_mimebundle_(self, **kwargs):
        return self.ui._repr_mimebundle_(**kwargs)


def update_on_release(controls: dict) -> dict:
    """Have the sliders among ``controls`` update when let go rather than at every value a
    drag passes, for demos whose update trains or times something: each value would start a
    run, and the runs would queue up behind one another. An arrow key still updates at each
    press. Returns ``controls``."""
    for control in controls.values():
        if hasattr(control, "continuous_update"):
            control.continuous_update = False
    return controls


def laid_out_demo(
    controls: dict, update: Callable[..., dict], fig, readout, status, rows=None, stage=None
) -> Demo:
    """A :class:`Demo` on the usual page: rows of controls, the readout, the figure, the status.

    ``rows`` lists the control names of each row; by default all controls share one row.
    """
    stage = Stage() if stage is None else stage
    rows = [list(controls)] if rows is None else rows
    controls_rows = [widgets.HBox([controls[name] for name in row]) for row in rows]
    ui = widgets.VBox([*controls_rows, readout, stage.figure_widget(fig), status])
    return Demo(controls, ui, update, status, figures=[fig], stage=stage, readouts=[readout])

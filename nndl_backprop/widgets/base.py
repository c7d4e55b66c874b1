"""The common shape of every demo: named controls, a pure update, readable state, a layout."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets


class Demo:
    """A live demo: changing any control calls ``update``, whose returned dict is ``state``.

    Parameters
    ----------
    controls : name -> ipywidgets value widget (sliders, dropdowns, …).
    ui : the widget to display (controls, readouts and figure laid out together).
    update : called with the controls' current values as keyword arguments; redraws the
        readouts and figure in place and returns the numbers it displayed (for tests).
    status : optional HTML widget where bad input is reported instead of raising in the UI.
    """

    def __init__(
        self,
        controls: dict[str, widgets.ValueWidget],
        ui: widgets.Widget,
        update: Callable[..., dict],
        status: widgets.HTML | None = None,
    ):
        self.controls = controls
        self.ui = ui
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
            self.state = self._update(**self.values())
            self.error = None
        except (ValueError, TypeError) as exc:  # bad input: say so in the page, keep running
            self.error = str(exc)
        if self.status is not None:
            self.status.value = "" if self.error is None else f"<b>Cannot update:</b> {self.error}"
        return self.state

    def _on_change(self, _change) -> None:
        self.refresh()

    def set(self, **values) -> dict:
        """Set several controls at once (one update), as a user would; returns the state."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; have {sorted(self.controls)}")
        for name, control in self.controls.items():
            if name in values:
                control.unobserve(self._on_change, names="value")
                try:
                    control.value = values[name]
                finally:
                    control.observe(self._on_change, names="value")
        return self.refresh()

    def _repr_mimebundle_(self, **kwargs):
        return self.ui._repr_mimebundle_(**kwargs)


def figure_widget(fig) -> widgets.Widget:
    """The figure as a widget for a layout: ipympl's canvas when active, else an Output."""
    if isinstance(fig.canvas, widgets.DOMWidget):
        return fig.canvas
    out = widgets.Output()
    fig._nndl_output = out  # remembered so redraw() can refresh a static backend's image
    return out


def redraw(fig) -> None:
    """Show the figure's new data: in place with ipympl, or re-rendered into its Output."""
    if isinstance(fig.canvas, widgets.DOMWidget):
        fig.canvas.draw_idle()
        return
    out = getattr(fig, "_nndl_output", None)
    if out is None:
        return
    from IPython.display import display

    out.clear_output(wait=True)
    with out:
        display(fig)

"""The common shape of every demo: named controls, a pure update, readable state, a layout."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

# Without a front-end (tests) figures are not rendered at all: their data is what is checked.
# The latency benchmark sets this to True to time the rendering a browser would need.
RENDER_WITHOUT_FRONTEND = False


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
    """

    def __init__(
        self,
        controls: dict[str, widgets.ValueWidget],
        ui: widgets.Widget,
        update: Callable[..., dict],
        status: widgets.HTML | None = None,
        figures=(),
    ):
        self.controls = controls
        self.figures = list(figures)
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
                    _widen(control, values[name])
                    control.value = values[name]
                finally:
                    control.observe(self._on_change, names="value")
        return self.refresh()

    def _repr_mimebundle_(self, **kwargs):
        return self.ui._repr_mimebundle_(**kwargs)


def figure_widget(fig) -> widgets.Widget:
    """The figure as a widget for a layout: ipympl's canvas when active, else an Output."""
    if isinstance(fig.canvas, widgets.DOMWidget):
        fig.canvas.header_visible = False  # ipympl's "Figure 1" title says nothing useful
        return fig.canvas
    out = widgets.Output()
    fig._nndl_output = out  # remembered so redraw() can refresh a static backend's image
    return out


def laid_out_demo(
    controls: dict, update: Callable[..., dict], fig, readout, status, rows=None
) -> Demo:
    """A :class:`Demo` on the usual page: rows of controls, the readout, the figure, the status.

    ``rows`` lists the control names of each row; by default all controls share one row.
    """
    rows = [list(controls)] if rows is None else rows
    controls_rows = [widgets.HBox([controls[name] for name in row]) for row in rows]
    ui = widgets.VBox([*controls_rows, readout, figure_widget(fig), status])
    return Demo(controls, ui, update, status, figures=[fig])


def redraw(fig) -> None:
    """Show the figure's new data: in place with ipympl, or re-rendered into its Output."""
    if isinstance(fig.canvas, widgets.DOMWidget):
        fig.canvas.draw_idle()
        return
    out = getattr(fig, "_nndl_output", None)
    if out is None or not in_kernel():
        return  # no front-end to show it to (a test or a benchmark): the data is already set
    from IPython.display import display

    out.clear_output(wait=True)
    with out:
        display(fig)


def _widen(control, value) -> None:
    """Let a bounded integer slider take ``value`` for now.

    A range that depends on another control (j ≤ n_l) is then fitted by ``update`` (see
    :func:`fit_slider`), not by the order in which :meth:`Demo.set` assigned the values.
    """
    if getattr(control, "_nndl_fitted", False) and isinstance(value, int):
        control.max = max(control.max, value)


def in_kernel() -> bool:
    """True inside a running IPython kernel, where an Output widget can show a figure."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def fit_slider(slider: widgets.IntSlider, max_value: int) -> int:
    """Give an integer slider a new maximum (e.g. j ≤ n_l when l changes); returns its value.

    Lowering the maximum below the value clamps the value, which fires one more update.
    """
    slider._nndl_fitted = True  # Demo.set may now widen it before update fits it again
    if slider.max != max_value:
        if max_value < slider.min:
            raise ValueError(f"cannot give {slider.description!r} a maximum below {slider.min}")
        slider.max = max_value
    return slider.value


class Blit:
    """Redraw only ``artists`` over a cached background, as animations do (blitting).

    A full Agg render of a figure spends most of its time on tick labels and titles that a
    slider rarely changes. ``blit()`` restores the picture of everything else and draws just
    the given artists; ``blit(full=True)`` renders everything again, and must be used when
    anything outside ``artists`` changed (axis limits, a title, a colour bar). The artists are
    ordinary (not "animated") ones, so saving or re-displaying the figure shows them too.
    With the inline backend there is no canvas to blit into: the whole image is re-displayed.
    """

    def __init__(self, fig, artists):
        self.fig = fig
        artists = list(artists)
        # What a full render draws above the changing artists must be redrawn above them too:
        # the axes' frames (spines) and any legend inside the axes (a legend placed outside
        # stays in the background: it is slow to draw). Anything else above must be listed.
        self._axes = list({id(a.axes): a.axes for a in artists if a.axes is not None}.values())
        for ax in self._axes:
            artists += [*ax.spines.values()] if ax.axison else []
        self._own = artists
        self.artists = self._with_legends()
        self._background = None
        self._size = None
        self.last_full = True  # whether the last call rendered the whole figure
        fig._nndl_blit = self  # the benchmark looks for it: such figures render in the update

    def __call__(self, full: bool = False) -> None:
        fig, canvas = self.fig, self.fig.canvas
        if not isinstance(canvas, widgets.DOMWidget):
            if getattr(fig, "_nndl_output", None) is not None and in_kernel():
                redraw(fig)
                return
            if not RENDER_WITHOUT_FRONTEND:
                return
        elif getattr(canvas, "syncing_data_url", False):
            # ipympl before its view is up (the cell is still running): a blit now would store
            # a PNG without its "data:" prefix as the view's first image (ipympl 0.10), and
            # JupyterLab would show an empty figure. Ask for a full draw once the view exists.
            canvas.draw_idle()
            return
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        size = canvas.get_width_height(physical=True)
        self.last_full = full or self._background is None or size != self._size
        if self.last_full:
            self.artists = self._with_legends()
            shown = [a.get_visible() for a in self.artists]
            for a in self.artists:
                a.set_visible(False)
            FigureCanvasAgg.draw(canvas)  # render into the buffer without sending a frame
            self._background = canvas.copy_from_bbox(fig.bbox)
            self._size = size
            for a, visible in zip(self.artists, shown):
                a.set_visible(visible)
        else:
            canvas.restore_region(self._background)
        for a in self.artists:
            fig.draw_artist(a)
        canvas.blit(fig.bbox)  # ipympl sends the new picture; a plain Agg canvas keeps it

    def _with_legends(self) -> list:
        """The artists to redraw, in z-order: ours, and legends that overlap their axes."""
        renderer = self.fig.canvas.get_renderer()
        legends = [
            ax.get_legend()
            for ax in self._axes
            if ax.get_legend() is not None
            and ax.get_legend().get_window_extent(renderer).overlaps(ax.bbox)
        ]
        return sorted(self._own + legends, key=lambda a: a.get_zorder())  # stable for ties


def blits_into_canvas(fig) -> bool:
    """True where :class:`Blit` draws into the canvas rather than re-displaying the figure:
    an ipympl canvas whose view is up, or no front-end at all while the benchmark renders."""
    canvas = fig.canvas
    if isinstance(canvas, widgets.DOMWidget):
        return not getattr(canvas, "syncing_data_url", False)
    inline = getattr(fig, "_nndl_output", None) is not None and in_kernel()
    return RENDER_WITHOUT_FRONTEND and not inline


def keyed_blit(fig, cache: dict, key, artists) -> Blit:
    """The Blit whose background was rendered for ``key`` (e.g. an axis scale): a setting seen
    before only redraws ``artists``. Only for figures whose axes do not move between keys."""
    if key not in cache:
        cache[key] = Blit(fig, artists)
    fig._nndl_blit = cache[key]  # the one the benchmark asks whether it rendered fully
    return cache[key]

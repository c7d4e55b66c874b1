"""How a demo's figures reach the page: one module for all rendering.

With ipympl (``%matplotlib widget``) a figure's canvas is itself a widget and is redrawn in
place; elsewhere (the inline backend) the figure is shown in an ``ipywidgets.Output`` that is
refreshed with a new image. :func:`use_rendering` picks one of the two (``NNDL_RENDERING`` or
its argument: ``auto``, ``widget`` or ``static``); either way a figure never grows wider than
the space it has. A slider rarely changes more than a few artists, so most updates
*blit*: they restore a cached picture of everything else and draw only what changed.

Everything kept between updates belongs to the demo's :class:`Stage`, never to matplotlib's
or ipywidgets' objects.
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
import os
import struct
import sys
import types
import zlib

import ipywidgets as widgets
import numpy as np
from matplotlib.axis import Axis
from matplotlib.transforms import Bbox

from .glyphs import kept_glyphs

RENDERING_VARIABLE = "NNDL_RENDERING"
RENDERINGS = ("auto", "widget", "static")
FALLBACK_ALT = "the demo's figure; the readout states what it shows"
FIGURE_CLASS = "nndl-figure"  # the class every figure's widget carries (see readout.py's CSS)
KEPT_LOOKS = 600  # pictures of cells kept for reuse by CellBlit (about 30 kB each at 100 dpi)


class Stage:
    """What one demo keeps for drawing: each figure's Output (inline backend), the blit each
    figure used last, and which integer sliders have a range fitted by the update.

    ``offscreen``: render figures even without a front-end (the latency benchmark sets it to
    time the rendering a browser would need; tests leave it off and check the data).
    """

    def __init__(self):
        self.offscreen = False
        self.outputs: dict = {}  # figure -> ipywidgets.Output showing it (inline backend)
        self.current: dict = {}  # figure -> the Blit that drew it last
        self.fitted: set = set()  # sliders whose maximum the update sets (see fit_slider)
        self.held: list | None = None  # figures whose new image waits for the update's end

    @contextlib.contextmanager
    def pictures_held(self, name):
        """Hold the static images an update draws until it ends, then show each once, its
        ``alt`` the sentence ``name()`` gives then: an image is never on the page with an
        older or a placeholder name, not even for the moment before the readout's view can
        rename it (see readout.py). An update that raises shows nothing new: the last
        picture stays. ipympl canvases are not held (they are named in the page). Within an
        update that holds already (a clamped slider updates again), the outer one shows."""
        if self.held is not None:
            yield
            return
        self.held = []
        try:
            yield
            held = self.held
        finally:
            self.held = None
        for fig in held:
            self._show(fig, name())

    def figure_widget(self, fig) -> widgets.Widget:
        """The figure as a widget for a layout: ipympl's canvas when active, else an Output.

        Either is scaled down to fit its output area (the CSS is in readout.py), never up."""
        if isinstance(fig.canvas, widgets.DOMWidget):
            fig.canvas.header_visible = False  # ipympl's "Figure 1" title says nothing useful
            fig.canvas.resizable = False  # its drag handle would fight the fitted width
            fig.canvas.add_class(FIGURE_CLASS)
            # Every change reaches the page by a Blit or redraw(): pyplot's automatic redraw
            # of a changed figure would only send the same picture again (see Blit._send).
            fig.stale_callback = None
            if _sends_diff_frames(fig.canvas):
                fig.canvas.get_diff_image = types.MethodType(diff_frame, fig.canvas)
            fig.canvas.draw = types.MethodType(draw_through_blit(self, fig.canvas.draw), fig.canvas)
            return fig.canvas
        out = self.outputs[fig] = widgets.Output()
        out.add_class(FIGURE_CLASS)
        return out

    def redraw(self, fig) -> None:
        """Show the figure's new data: in place with ipympl, or re-rendered into its Output."""
        if isinstance(fig.canvas, widgets.DOMWidget):
            if getattr(fig.canvas, "syncing_data_url", False):
                fig.canvas.draw_idle()  # no view yet: it asks for a picture when it is up
            else:
                fig.canvas.draw()  # render and send now, not after a round trip to the page
            return
        out = self.outputs.get(fig)
        if out is None or not in_kernel():
            return  # no front-end to show it to (a test or a benchmark): the data is set
        if self.held is not None:
            if fig not in self.held:
                self.held.append(fig)  # shown when the update ends, with its sentence
            return
        self._show(fig, FALLBACK_ALT)

    def _show(self, fig, alt: str) -> None:
        """Replace the figure's image in its Output by a new one named ``alt``."""
        from IPython.display import display

        out = self.outputs[fig]
        out.clear_output(wait=True)
        with out:
            display(static_image(fig, alt or FALLBACK_ALT))

    def blits_into_canvas(self, fig) -> bool:
        """True where a Blit draws into the canvas rather than re-displaying the figure: an
        ipympl canvas whose view is up, or no front-end at all while the benchmark renders."""
        canvas = fig.canvas
        if isinstance(canvas, widgets.DOMWidget):
            return not getattr(canvas, "syncing_data_url", False)
        return self.offscreen and not (fig in self.outputs and in_kernel())

    def blit(self, fig, artists) -> Blit:
        """A :class:`Blit` of ``artists`` over the rest of ``fig``."""
        return Blit(self, fig, artists)

    def keyed_blit(self, fig, cache: dict, key, artists) -> Blit:
        """The Blit whose background was rendered for ``key`` (e.g. an axis scale): a setting
        seen before only redraws ``artists``. Only for figures whose axes do not move between
        keys."""
        if key not in cache:
            cache[key] = Blit(self, fig, artists)
        self.current[fig] = cache[key]
        return cache[key]

    def fit_slider(self, slider: widgets.IntSlider, max_value: int) -> int:
        """Give an integer slider a new maximum (e.g. j ≤ n_l when l changes); its value.

        Lowering the maximum below the value clamps the value, which fires one more update.
        """
        self.fitted.add(slider)
        if slider.max != max_value:
            if max_value < slider.min:
                raise ValueError(f"cannot give {slider.description!r} a maximum below {slider.min}")
            slider.max = max_value
        return slider.value


def draw_through_blit(stage: Stage, draw):
    """An ipympl canvas's ``draw`` that renders through the figure's current :class:`Blit`.

    The page asks for a whole picture when its view opens (and after a resize or a change of
    pixel ratio); ``draw`` is the canvas's own. A full render would leave the blit without a
    background, and the first key press would render the figure twice (background, then the
    changed artists: 100–300 ms). Through the blit, that request renders the background and
    draws the artists over it, the same picture pixel for pixel, and the first press finds its
    background ready. The canvas's buffer always ends holding the whole picture, which is
    what the page is sent. A figure that does not blit (or has no view yet) is drawn as usual.
    """

    def draw_canvas(canvas) -> None:
        blit = stage.current.get(canvas.figure)
        if blit is None or getattr(canvas, "syncing_data_url", False):
            draw()
        else:
            blit.redraw_whole()

    return draw_canvas


def static_image(fig, alt: str = FALLBACK_ALT):
    """The figure as an HTML ``<img>`` (PNG) named ``alt`` that shrinks to its output area's
    width. A demo gives its readout's sentence (see :meth:`Stage.pictures_held`); the
    readout's view keeps the name in step with the readout (see readout.py)."""
    from IPython.display import HTML

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    width, height = (round(v) for v in fig.bbox.size)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return HTML(
        f'<img src="data:image/png;base64,{data}" width="{width}" height="{height}" '
        f'alt="{html.escape(alt, quote=True)}" style="max-width:100%;height:auto">'
    )


# ----- the frames ipympl sends ------------------------------------------------------------------
_WEBAGG_STATE = ("_png_is_old", "_force_full", "_last_buff", "set_image_mode", "get_renderer")


def _sends_diff_frames(canvas) -> bool:
    """Whether ``canvas`` makes its frames as matplotlib's web canvas does (ipympl's does), so
    :func:`diff_frame` can stand in for its ``get_diff_image``."""
    return hasattr(type(canvas), "get_diff_image") and all(
        hasattr(canvas, name) for name in _WEBAGG_STATE
    )


def diff_frame(canvas) -> bytes | None:
    """The next frame for the page, as matplotlib's ``get_diff_image`` makes it, encoded faster.

    The same picture: the pixels that changed since the last frame over transparent ones
    ("diff" mode), or the whole picture ("full" mode) after a resize, on request, or when the
    figure has transparent pixels. Only the PNG encoding differs: PIL's default (zlib level
    6, adaptive filters) spends about 20 ms on a 1100 × 450 frame whatever changed in it;
    :func:`png_rgba` at zlib's fastest level, with the rows nothing changed in taken from a
    cache, spends a few ms, for a file a third larger.
    """
    if not canvas._png_is_old:
        return None
    pixels = np.asarray(canvas.get_renderer().buffer_rgba())  # (height, width, 4) uint8
    buff = pixels.view(np.uint32).squeeze(2)  # one 32-bit number per pixel, to compare at once
    if canvas._force_full or buff.shape != canvas._last_buff.shape or not _opaque(pixels, buff):
        canvas.set_image_mode("full")
        output, blank_rows = buff, None
    else:
        canvas.set_image_mode("diff")
        changed = buff != canvas._last_buff  # (height, width) bool
        blank_rows = ~changed.any(axis=1)  # (height,): rows the page keeps as they are
        output = np.zeros_like(buff)
        rows = ~blank_rows
        output[rows] = np.where(changed[rows], buff[rows], 0)
    canvas._last_buff = buff.copy()
    canvas._force_full = False
    canvas._png_is_old = False
    return png_rgba(output.view(np.uint8).reshape(*output.shape, 4), blank_rows)


def _opaque(pixels: np.ndarray, buff: np.ndarray) -> bool:
    """Whether every pixel's alpha is 255. In little-endian memory a pixel's 32-bit number
    is alpha × 2**24 + ..., so one contiguous comparison tells (five times faster than
    reading every fourth byte)."""
    if sys.byteorder == "little":
        return not (buff < 0xFF000000).any()
    return not (pixels[:, :, 3] != 255).any()


ZLIB_HEADER = b"\x78\x01"  # deflate, 32 KiB window, "fastest" (a multiple of 31, as zlib asks)
ADLER_BASE = 65521  # Adler-32's modulus
_BLANK_RUNS: dict = {}  # (row length, k) -> deflate of 2**k rows of zero bytes (full flush)


def png_rgba(rgba: np.ndarray, blank_rows: np.ndarray | None = None) -> bytes:
    """A PNG file of an (height, width, 4) uint8 RGBA image: rows unfiltered, one IDAT chunk
    at zlib's fastest level. On the demos' frames (61 of them, 400–1100 px wide) that took
    4.4 ms and 21 KB on average, against PIL's 15.6 ms and 15 KB.

    ``blank_rows`` (a bool per row, optional) marks rows that are all zero bytes, as most rows
    of a diff frame are: each run of them is copied from deflate data made once per row length
    and run length (zlib's fastest level still reads every zero, about 2.5 ms per megabyte).
    The file decodes to the same pixels either way.
    """
    height, width, _ = rgba.shape
    row_length = 1 + 4 * width  # each row: filter type 0, then the pixels
    if blank_rows is None:
        blank_rows = np.zeros(height, bool)
    elif blank_rows.shape != (height,):
        raise ValueError(
            f"blank_rows must have one entry per row ({height}), not {blank_rows.shape}"
        )
    deflated, adler = [ZLIB_HEADER], 1
    edges = np.flatnonzero(np.diff(blank_rows.astype(np.int8))) + 1  # where a run ends
    for start, stop in zip([0, *edges.tolist()], [*edges.tolist(), height]):
        if blank_rows[start]:
            deflated += _blank_run(row_length, stop - start)
            # Adler-32 over n zero bytes: the sum of bytes (low half) stays, and the running
            # sum of those sums (high half) grows by n times it.
            low, high = adler & 0xFFFF, adler >> 16
            high = (high + (stop - start) * row_length * low) % ADLER_BASE
            adler = (high << 16) | low
            continue
        rows = np.zeros((stop - start, row_length), np.uint8)
        rows[:, 1:] = rgba[start:stop].reshape(stop - start, 4 * width)
        compressor = zlib.compressobj(1, zlib.DEFLATED, -15)  # raw deflate: ours frames it
        deflated += [compressor.compress(rows), compressor.flush(zlib.Z_FULL_FLUSH)]
        adler = zlib.adler32(rows, adler)
    # Every run ends byte-aligned with a fresh dictionary (a full flush), so the runs join
    # into one stream; an empty final block and the checksum close it.
    deflated += [zlib.compressobj(1, zlib.DEFLATED, -15).flush(), struct.pack(">I", adler)]
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA, no interlace
    chunks = [(b"IHDR", header), (b"IDAT", b"".join(deflated)), (b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(
        struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        for kind, body in chunks
    )


def _blank_run(row_length: int, n_rows: int) -> list[bytes]:
    """Deflate data of ``n_rows`` rows of zero bytes, as pieces of 2**k rows made once each."""
    pieces = []
    for k in range(n_rows.bit_length()):
        if n_rows >> k & 1:
            key = (row_length, k)
            if key not in _BLANK_RUNS:
                compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
                zeros = bytes(row_length << k)
                _BLANK_RUNS[key] = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
            pieces.append(_BLANK_RUNS[key])
    return pieces


def ipympl_works() -> bool:
    """Whether ipympl can show figures here: installed, and not where its front-end is missing
    (Google Colab has no ipympl front-end unless its custom widget manager is enabled)."""
    if "google.colab" in sys.modules:
        return False
    try:
        import ipympl  # noqa: F401
    except ImportError:
        return False
    return True


def use_rendering(mode: str | None = None) -> str:
    """Choose how figures reach the page; returns the choice, ``"widget"`` or ``"static"``.

    ``mode``: ``"widget"`` (ipympl: the canvas is redrawn in place), ``"static"`` (the inline
    backend: a new image on every change) or ``"auto"`` (widget where ipympl works, see
    :func:`ipympl_works`). Without ``mode`` the environment variable ``NNDL_RENDERING`` decides,
    else ``auto``. A widget asked for where ipympl is missing becomes static, silently: the
    picture still follows the controls. Call it before building the demos.
    """
    mode = (mode or os.environ.get(RENDERING_VARIABLE) or "auto").strip().lower()
    if mode not in RENDERINGS:
        raise ValueError(f"rendering {mode!r} is not one of {RENDERINGS}")
    chosen = "widget" if mode != "static" and ipympl_works() else "static"
    backend = "widget" if chosen == "widget" else "inline"
    shell = _shell()
    if shell is not None:
        shell.run_line_magic("matplotlib", backend)  # also installs the display hooks
    else:
        import matplotlib

        matplotlib.use(
            "module://ipympl.backend_nbagg"
            if chosen == "widget"
            else "module://matplotlib_inline.backend_inline"
        )
    return chosen


def _shell():
    """The running IPython shell, or None."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def in_kernel() -> bool:
    """True inside a running IPython kernel, where an Output widget can show a figure."""
    shell = _shell()
    return shell is not None and getattr(shell, "kernel", None) is not None


class Blit:
    """Redraw only ``artists`` over a cached background, as animations do (blitting).

    A full Agg render of a figure spends most of its time on tick labels and titles that a
    slider rarely changes. ``blit()`` restores the picture of everything else and draws just
    the given artists; ``blit(full=True)`` renders everything again, and must be used when
    anything outside ``artists`` changed (axis limits, a title, a colour bar). The artists are
    ordinary (not "animated") ones, so saving or re-displaying the figure shows them too.
    With the inline backend there is no canvas to blit into: the whole image is re-displayed.
    """

    def __init__(self, stage: Stage, fig, artists):
        self.stage = stage
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
        self._args = ()  # what the last call was given besides ``full`` (see redraw_whole)
        stage.current[fig] = self  # the benchmark asks it whether it rendered fully

    def __call__(self, full: bool = False) -> None:
        if self._render(full):
            self._send()

    def redraw_whole(self) -> None:
        """Render the whole figure again, as the last call left it, and send it: the picture
        of a full draw, with this blit's background made on the way (see
        :func:`draw_through_blit`)."""
        self(*self._args, full=True)

    def _render(self, full: bool) -> bool:
        """Draw the new picture into the canvas's buffer, without sending it. False when there
        is no canvas to blit into (the figure was re-displayed, or will be drawn whole)."""
        fig, canvas = self.fig, self.fig.canvas
        if not isinstance(canvas, widgets.DOMWidget):
            if fig in self.stage.outputs and in_kernel():
                self.stage.redraw(fig)
                return False
            if not self.stage.offscreen:
                return False
        elif getattr(canvas, "syncing_data_url", False):
            # ipympl before its view is up (the cell is still running): a blit now would store
            # a PNG without its "data:" prefix as the view's first image (ipympl 0.10), and
            # JupyterLab would show an empty figure. Ask for a full draw once the view exists.
            canvas.draw_idle()
            return False
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
        with kept_glyphs(canvas.get_renderer()):  # changing texts: glyph bitmaps reused
            for a in self.artists:
                fig.draw_artist(a)
        return True

    def _send(self) -> None:
        """Send the picture in the canvas's buffer: ipympl sends it to the page as one frame;
        a plain Agg canvas keeps it.

        The figure is then marked as drawn. Left "stale", it would be drawn a second time:
        after every widget message IPython runs its post-execute hooks, and pyplot's redraws
        every stale figure, which with ipympl asks the page for a full render, a second frame
        60–150 ms after this one (measured with benchmarks/bench_browser.py).
        """
        self.fig.canvas.blit(self.fig.bbox)
        self.fig.stale = False

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


def cell_look(patch, text) -> tuple:
    """What a cell shows: its colour, outline width, number and the number's colour."""
    return (tuple(patch.get_facecolor()), patch.get_linewidth(), text.get_text(), text.get_color())


class CellBlit(Blit):
    """A :class:`Blit` that redraws only the cells whose look changed, and remembers looks.

    Text is slow to render (about 1 ms a number). Each cell (its square and its number) owns a
    box of the picture no other artist reaches: a changed cell gets its box back from the
    background and is drawn again, and the box's pixels are kept for that look, so a look seen
    before (a step back, a return to a σ) is copied rather than drawn. The picture is a full
    render's, pixel for pixel.
    """

    def __init__(self, stage: Stage, fig, cells: dict, boxes: dict):
        self.cells = cells  # key -> (square, number)
        self.boxes = boxes  # key -> (axes, (x0, y0, x1, y1) in data coordinates)
        self._drawn, self._pixels, self._extents = {}, {}, {}
        super().__init__(stage, fig, [a for artists in cells.values() for a in artists])

    def __call__(self, looks=None, full: bool = False) -> None:
        self._args = (looks,)
        canvas = self.fig.canvas
        fast = (
            looks is not None
            and not full
            and self._background is not None
            and canvas.get_width_height(physical=True) == self._size
            and self.stage.blits_into_canvas(self.fig)
        )
        if not fast:
            super().__call__(full)
            if self.last_full and self._background is not None:
                self._start_over(looks or {})
            return
        self.last_full = False
        for key, look in looks.items():
            if self._drawn.get(key) == look:
                continue
            pixels = self._pixels.get((key, look))
            if pixels is None:
                x0, y0, x1, y1 = self._extents[key]
                # restore_region counts rows from the top, copy_from_bbox from the bottom.
                height = self._size[1]
                canvas.restore_region(
                    self._background, bbox=(x0, height - y1, x1, height - y0), xy=(0, 0)
                )
                with kept_glyphs(canvas.get_renderer()):
                    for a in self.cells[key]:
                        self.fig.draw_artist(a)
                box = Bbox.from_extents(x0, y0, x1, y1)
                if len(self._pixels) >= KEPT_LOOKS:
                    self._pixels.clear()
                pixels = self._pixels[(key, look)] = canvas.copy_from_bbox(box)
            else:
                canvas.restore_region(pixels)
            self._drawn[key] = look
        self._send()

    def _start_over(self, looks: dict) -> None:
        """After a new background: every cell is as drawn, no pixels kept; boxes in whole
        pixels, counted from the bottom left."""
        self._drawn, self._pixels = dict(looks), {}
        for key, (ax, (x0, y0, x1, y1)) in self.boxes.items():
            (px0, py0), (px1, py1) = ax.transData.transform([(x0, y0), (x1, y1)])
            self._extents[key] = (
                int(np.floor(px0)),
                int(np.floor(py0)),
                int(np.ceil(px1)),
                int(np.ceil(py1)),
            )


class LayeredBlit(Blit):
    """A :class:`Blit` over one σ's background, with each layer's artists drawn on it once.

    A new σ renders the whole figure (the range of the values and its tick labels) without
    ``layer_artists`` (here the y axis of the terms, with its range, and the proof's labels);
    then, for every layer, sets them with ``layers[layer]()``, draws them over that picture and
    keeps the areas they cover. A change of layer then copies those areas and draws only the
    bars and dots. They are drawn in a full render's order, and whatever is drawn after them
    is drawn after them there too: the picture is a full render's, pixel for pixel.
    """

    def __init__(self, stage: Stage, fig, artists, layer_artists, layers: dict):
        self.layer_artists = list(layer_artists)
        self.layers = layers  # layer -> function that sets layer_artists for that layer
        self._layers = {}  # layer -> pictures of the areas its artists cover
        super().__init__(stage, fig, [*artists, *self.layer_artists])

    def __call__(self, layer, full: bool = False) -> None:
        self._args = (layer,)
        canvas = self.fig.canvas
        stale = (
            full or self._background is None or canvas.get_width_height(physical=True) != self._size
        )
        if stale or not self.stage.blits_into_canvas(self.fig):
            rendered = self._render(full)  # sent below, once this σ's layers are drawn
            self._layers = {}
            if rendered and self.last_full and self._background is not None:
                # With the new background, every layer's pictures: a change of layer is then a
                # copy (the σ dropdown waits for them, the layer slider does not).
                for other, show in self.layers.items():
                    show()
                    self._draw_layer(other)
                self.layers[layer]()
                self(layer)
                self.last_full = True
            elif rendered:
                self._send()
            return
        canvas.restore_region(self._background)
        if layer not in self._layers:
            self._draw_layer(layer)
        else:
            for picture in self._layers[layer]:
                canvas.restore_region(picture)
        self.last_full = False
        own = {id(a) for a in self.layer_artists}
        with kept_glyphs(canvas.get_renderer()):
            for a in self.artists:
                if id(a) not in own:
                    self.fig.draw_artist(a)
        self._send()

    def _draw_layer(self, layer) -> None:
        """Draw the layer's artists over the background and keep the areas they cover."""
        canvas = self.fig.canvas
        canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        with kept_glyphs(renderer):
            for a in self.layer_artists:
                self.fig.draw_artist(a)
        # Only the areas drawn on are kept (whole copies of the figure would be large). An
        # axis draws grid lines across its axes and tick marks just outside, neither in its
        # tight box: its axes' box, widened by more than a tick's length, covers them.
        tight = [a.get_tightbbox(renderer) for a in self.layer_artists]
        boxes = [box.padded(3) for box in tight if box is not None]
        boxes += [a.axes.bbox.padded(12) for a in self.layer_artists if isinstance(a, Axis)]
        self._layers[layer] = [canvas.copy_from_bbox(box) for box in boxes]

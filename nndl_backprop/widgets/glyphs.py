"""Text redrawn from glyph bitmaps kept from its last drawing: the same pixels, without FreeType.

Since matplotlib 3.11 the Agg renderer lays a string out (``_layout``) and asks FreeType for
each glyph's bitmap (``_render_glyph``), glyph by glyph, every time the text is drawn: a
40-character title costs a few milliseconds, and a blitted figure redraws its changing texts
(a title with the current numbers, the labels on redrawn neurons) on every slider step. The
bitmaps depend only on the string, the font, its size, the resolution, the angle and the
text's position on the canvas (FreeType places glyphs to 1/64 of a pixel), never on the
colour or on what lies beneath: kept under all of those as the key, they are blended again
by the renderer's own ``draw_text_image``, in the same order, with the same graphics context.
The picture is the same, pixel for pixel (``tests/test_widgets_glyphs.py``).

:func:`kept_glyphs` applies this to what a :class:`~.render.Blit` draws, and only where the
renderer works as described; anywhere else (mathtext, other matplotlib versions, other
renderers) text is drawn as usual.
"""

from __future__ import annotations

import math
from contextlib import contextmanager

import numpy as np

KEPT_RUNS = 2000  # strings kept (a few kB each); all are dropped when the store is full
_RUNS: dict = {}  # key -> tuple of (bitmap, left, bottom) per glyph, as drawn


def _supported(renderer) -> bool:
    """Whether ``renderer`` draws plain text glyph by glyph, as this module repeats."""
    from matplotlib.backends.backend_agg import RendererAgg

    return (
        isinstance(renderer, RendererAgg)
        and hasattr(RendererAgg, "_draw_text_glyphs_and_boxes")
        and hasattr(RendererAgg, "_prepare_font")
        and hasattr(renderer, "_renderer")
    )


@contextmanager
def kept_glyphs(renderer):
    """Within the block, plain text drawn on ``renderer`` reuses kept glyph bitmaps."""
    if not _supported(renderer) or "draw_text" in vars(renderer):  # or already inside one
        yield
        return
    renderer.draw_text = lambda *args, **kwargs: _draw_text(renderer, *args, **kwargs)
    try:
        yield
    finally:
        del renderer.draw_text  # the class's own again


def _draw_text(renderer, gc, x, y, s, prop, angle, ismath=False, mtext=None):
    """RendererAgg.draw_text, with the glyphs' bitmaps kept under everything they depend on."""
    from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag

    if ismath:
        return RendererAgg.draw_text(renderer, gc, x, y, s, prop, angle, ismath, mtext)
    features = tuple(mtext.get_fontfeatures() or ()) if mtext is not None else ()
    language = mtext.get_language() if mtext is not None else None
    key = (
        s,
        hash(prop),
        float(x),
        float(y),
        float(angle),
        float(renderer.dpi),
        int(renderer.height),
        bool(gc.get_antialiased()),
        get_hinting_flag(),
        features,
        str(language),
    )
    run = _RUNS.get(key)
    if run is None:
        run = _render_run(renderer, gc, x, y, s, prop, angle, mtext)
        if len(_RUNS) >= KEPT_RUNS:
            _RUNS.clear()
        _RUNS[key] = run
    for bitmap, left, bottom in run:
        renderer._renderer.draw_text_image(bitmap, left, bottom, 0, gc)


def _render_run(renderer, gc, x, y, s, prop, angle, mtext) -> tuple:
    """Each glyph's bitmap and place, computed as RendererAgg.draw_text computes them."""
    from matplotlib.backends.backend_agg import get_hinting_flag
    from matplotlib.ft2font import RenderMode

    font = renderer._prepare_font(prop)
    items = font._layout(
        s,
        flags=get_hinting_flag(),
        features=mtext.get_fontfeatures() if mtext is not None else None,
        language=mtext.get_language() if mtext is not None else None,
    )
    size = prop.get_size_in_points()
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    load_flags = get_hinting_flag()
    mode = RenderMode.NORMAL if gc.get_antialiased() else RenderMode.MONO
    run = []
    for item in items:
        glyph_font, dx, dy = item.ft_object, item.x, item.y  # dy is upwards
        glyph_font.set_size(size, renderer.dpi)
        glyph_font._set_transform(
            (0x10000 * np.array([[cos, -sin], [sin, cos]]) @ [[1, 0], [0, 1]]).round().astype(int),
            [
                round(0x40 * (x + dx * cos - dy * sin)),
                round(0x40 * (renderer.height - y + dx * sin + dy * cos)),  # FreeType: y up
            ],
        )
        bitmap = glyph_font._render_glyph(item.glyph_index, load_flags, mode)
        buffer = np.array(bitmap.buffer)  # a copy: FreeType reuses its own
        if not gc.get_antialiased():
            buffer *= 0xFF
        run.append((buffer, bitmap.left, int(renderer.height) - bitmap.top + buffer.shape[0]))
    return tuple(run)

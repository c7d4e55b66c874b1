"""Text drawn from kept glyph bitmaps (widgets/glyphs.py) is the text matplotlib draws, pixel
for pixel: first drawing or reuse, any string, size, angle, colour or place."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402

from nndl_backprop.widgets import glyphs  # noqa: E402
from nndl_backprop.widgets.glyphs import kept_glyphs  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def picture(texts, cached: bool, repeats: int = 1) -> np.ndarray:
    """The canvas after a background and ``texts`` (kwargs of fig.text) drawn on it."""
    fig = plt.figure(figsize=(4, 3), dpi=100)
    fig.add_axes([0.1, 0.1, 0.8, 0.8]).plot([0, 1], [0, 1], linewidth=8)  # ink beneath
    artists = [fig.text(**t) for t in texts]
    for a in artists:
        a.set_visible(False)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    background = canvas.copy_from_bbox(fig.bbox)
    for a in artists:
        a.set_visible(True)
    renderer = canvas.get_renderer()
    for _ in range(repeats):
        canvas.restore_region(background)
        if cached:
            with kept_glyphs(renderer):
                for a in artists:
                    fig.draw_artist(a)
        else:
            for a in artists:
                fig.draw_artist(a)
    return np.asarray(canvas.buffer_rgba()).copy()


TEXTS = [
    {"x": 0.1, "y": 0.5, "s": "w²₁₁: 6 paths to the cost, path 1", "fontsize": 15},
    {"x": 0.33, "y": 0.21, "s": "−0.0123 ★ δ", "color": "tab:red", "fontsize": 9},
    {"x": 0.5, "y": 0.5, "s": "turned", "rotation": 33, "fontsize": 20, "alpha": 0.6},
    {"x": 0.71, "y": 0.83, "s": "two\nlines", "ha": "center", "va": "center"},
    {"x": 0.2, "y": 0.9, "s": "no smoothing", "antialiased": False, "fontsize": 12},
    {"x": 0.5, "y": 0.1, "s": "$\\delta^l_j$ mathtext", "fontsize": 14},
]


@pytest.mark.parametrize("text", TEXTS, ids=lambda t: t["s"][:12])
def test_kept_glyphs_draw_what_matplotlib_draws(text):
    glyphs._RUNS.clear()
    plain = picture([text], cached=False)
    assert np.array_equal(picture([text], cached=True), plain), "first drawing"
    assert np.array_equal(picture([text], cached=True, repeats=3), plain), "reused"


def test_runs_are_reused_and_mathtext_is_not_kept():
    if not glyphs._supported(FigureCanvasAgg(plt.figure()).get_renderer()):
        pytest.skip("this matplotlib draws text in one piece: nothing is kept")
    glyphs._RUNS.clear()
    picture(TEXTS[:1], cached=True, repeats=3)
    assert len(glyphs._RUNS) == 1
    picture(TEXTS[-1:], cached=True)
    assert len(glyphs._RUNS) == 1, "mathtext is drawn as matplotlib draws it"


def test_the_store_is_bounded(monkeypatch):
    monkeypatch.setattr(glyphs, "KEPT_RUNS", 5)
    glyphs._RUNS.clear()
    picture([{"x": 0.1, "y": 0.1 + i / 20, "s": f"n = {i}"} for i in range(12)], cached=True)
    assert 0 < len(glyphs._RUNS) <= 5


def test_the_renderer_is_its_own_again_after_the_block():
    canvas = FigureCanvasAgg(plt.figure())
    renderer = canvas.get_renderer()
    with kept_glyphs(renderer):
        pass
    assert "draw_text" not in vars(renderer)


def test_blocks_can_nest():
    canvas = FigureCanvasAgg(plt.figure())
    renderer = canvas.get_renderer()
    with kept_glyphs(renderer):
        with kept_glyphs(renderer):
            assert "draw_text" in vars(renderer)
        assert "draw_text" in vars(renderer), "the outer block still keeps glyphs"
    assert "draw_text" not in vars(renderer)


def test_other_renderers_are_left_alone():
    class Other:
        def draw_text(self):
            return "own"

    other = Other()
    with kept_glyphs(other):
        assert other.draw_text() == "own"


def test_indexed_writes_the_books_indices_in_unicode():
    """The live titles' w^l_jk without mathtext: digits raised and lowered, anything else
    refused (a letter has no Unicode subscript in every font)."""
    from nndl_backprop.plots import indexed

    assert indexed("w", 3, "12") == "w³₁₂"
    assert indexed("b", 2, 1) == "b²₁"
    assert indexed("z", "-1", "+0") == "z⁻¹₊₀"
    with pytest.raises(ValueError, match="only digits and signs"):
        indexed("w", "l", "jk")

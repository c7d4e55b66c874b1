"""Shared figure style (legible when projected, colour-blind safe) and the static figures.

Imports matplotlib (inside the functions), so the core package never imports this module;
the figures draw what the core computed and compute nothing themselves.
"""

from __future__ import annotations

import numpy as np

from .timing import BatchTiming
from .training import mistakes

# Okabe & Ito's palette, distinguishable under the common colour-vision deficiencies.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}
CYCLE = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]
DIVERGING_CMAP = "RdBu_r"  # heat maps of signed quantities (δ, ∂C/∂w); centre at zero
SEQUENTIAL_CMAP = "viridis"

RC = {
    "font.size": 14,
    "axes.titlesize": 16,
    "axes.labelsize": 15,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 13,
    "lines.linewidth": 2.5,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "figure.dpi": 100,
}


SUPERSCRIPTS = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")
SUBSCRIPTS = str.maketrans("0123456789+-", "₀₁₂₃₄₅₆₇₈₉₊₋")


def indexed(symbol: str, upper, lower) -> str:
    """``symbol`` with digits above and below in Unicode, e.g. ``indexed("w", 3, "12")`` is
    "w³₁₂" (the book's w^3_12). For text that changes with a slider: matplotlib parses every
    new ``$...$`` string (about 20 ms each), while these are plain glyphs."""
    upper, lower = str(upper), str(lower)
    for part in (upper, lower):
        if part.strip("0123456789+-"):
            raise ValueError(f"only digits and signs can be raised or lowered, not {part!r}")
    return f"{symbol}{upper.translate(SUPERSCRIPTS)}{lower.translate(SUBSCRIPTS)}"


def use_style() -> None:
    """Apply the project's style to matplotlib globally (font sizes, palette, grid)."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(RC)
    mpl.rcParams["axes.prop_cycle"] = cycler(color=CYCLE)


def new_figure(nrows: int = 1, ncols: int = 1, figsize=(8, 4.5), **kwargs):
    """(fig, axes) in the project's style, without the pyplot figure manager's side effects
    when the backend is not interactive; with ipympl (``%matplotlib widget``) the canvas is a
    widget that can sit inside an ipywidgets layout and be redrawn in place."""
    import matplotlib.pyplot as plt

    use_style()
    with plt.ioff():
        fig, axes = plt.subplots(nrows, ncols, figsize=figsize, **kwargs)
    return fig, axes


# ----- static figures the notebooks show (no widgets) ------------------------------------
class Described:
    """A static figure with its text alternative, shown as an image whose ``alt`` and caption
    state what the picture shows, with the numbers it was drawn from.

    ``fig`` is the matplotlib figure; ``text`` the description (also the plain-text output).
    """

    def __init__(self, fig, text: str):
        self.fig, self.text = fig, text

    def _repr_mimebundle_(self, include=None, exclude=None):
        import base64
        import html
        import io

        buffer = io.BytesIO()
        self.fig.savefig(buffer, format="png")
        png = base64.b64encode(buffer.getvalue()).decode("ascii")
        words = html.escape(self.text)
        page = (
            f'<figure style="margin:0"><img src="data:image/png;base64,{png}" alt="{words}" '
            f'style="max-width:100%;height:auto"><figcaption style="font-size:0.95em">{words}'
            "</figcaption></figure>"
        )
        return {"text/html": page, "image/png": png, "text/plain": self.text}


def _span(values, fmt: str) -> str:
    """'from A to B' for a sequence, in ``fmt``."""
    return f"from {format(values[0], fmt)} to {format(values[-1], fmt)}"


def plot_batch_timing(timing: BatchTiming):
    """Time per example (loop and matrix) and the speed-up, both against the mini-batch size."""
    fig, (ax_time, ax_gain) = new_figure(1, 2, figsize=(11, 4.3), layout="constrained")
    m = np.array(timing.batch_sizes)
    ax_time.loglog(
        m,
        1e6 * np.array(timing.loop) / m,
        "o-",
        color=PALETTE["orange"],
        label="loop over examples",
    )
    ax_time.loglog(
        m, 1e6 * np.array(timing.matrix) / m, "s-", color=PALETTE["blue"], label="matrix form"
    )
    ax_time.set(xlabel="mini-batch size m", ylabel="µs per example")
    ax_time.set_title(f"gradient of one mini-batch, network {timing.sizes}", fontsize=14)
    ax_time.legend()
    ax_gain.semilogx(m, timing.speedup, "o-", color=PALETTE["green"])
    ax_gain.axhline(1, color="black", linewidth=0.8)
    ax_gain.set(xlabel="mini-batch size m", ylabel="speed-up (loop time / matrix time)")
    ax_gain.set_ylim(0, max(timing.speedup) * 1.15)
    ax_gain.set_title("how much faster the matrix form is", fontsize=14)
    loop_us, matrix_us = 1e6 * np.array(timing.loop) / m, 1e6 * np.array(timing.matrix) / m
    best = int(np.argmax(timing.speedup))
    return Described(
        fig,
        f"Two panels against the mini-batch size m = {m[0]} … {m[-1]} (log scale), network "
        f"{timing.sizes}. Left, time per example: the loop over examples (orange circles) "
        f"{_span(loop_us, '.1f')} µs, the matrix form (blue squares) {_span(matrix_us, '.1f')} "
        f"µs. Right, the speed-up (loop time / matrix time): {_span(timing.speedup, '.1f')}×, "
        f"largest {timing.speedup[best]:.1f}× at m = {m[best]}.",
    )


def image_side(x: np.ndarray) -> int:
    """The side n of a square image of n² pixels."""
    side = int(round(np.sqrt(x.size)))
    if side * side != x.size:
        raise ValueError(f"an input of {x.size} pixels is not a square image")
    return side


def show_image(ax, x: np.ndarray, title: str = "") -> None:
    """Draw a square image x (n², 1) in grey, dark ink on white, without ticks."""
    side = image_side(x)
    ax.imshow(x.reshape(side, side), cmap="gray_r", vmin=0.0, vmax=1.0)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.set_title(title, fontsize=13)


def plot_history(history, title: str = ""):
    """Mean training cost and test accuracy against the epoch."""
    fig, (ax_cost, ax_acc) = new_figure(1, 2, figsize=(11, 4.0), layout="constrained")
    ax_cost.plot(history.epoch, history.cost, "o-", color=PALETTE["vermillion"])
    ax_cost.set(xlabel="epoch", ylabel="training cost C")
    if history.accuracy:
        ax_acc.plot(history.epoch, 100 * np.array(history.accuracy), "o-", color=PALETTE["blue"])
    ax_acc.set(xlabel="epoch", ylabel="test accuracy (%)")
    if title:
        fig.suptitle(title, fontsize=16)
    text = (
        f"{title + ': ' if title else ''}two panels against the epoch, 1 … {len(history.epoch)}. "
        f"Left, the training cost C {_span(history.cost, '.4f')}."
        if history.cost
        else f"{title + ': ' if title else ''}no training cost was recorded."
    )
    if history.accuracy:
        acc = 100 * np.array(history.accuracy)
        text += (
            f" Right, the test accuracy {_span(acc, '.1f')} %, best {acc.max():.1f} % at epoch "
            f"{history.epoch[int(np.argmax(acc))]}."
        )
    return Described(fig, text)


def _image_grid(images: list[tuple[np.ndarray, str]], ncols: int, title: str):
    """The (image, caption) pairs in rows of ``ncols``; spare axes are hidden."""
    nrows = max(1, -(-len(images) // ncols))
    fig, axes = new_figure(nrows, ncols, figsize=(1.6 * ncols, 1.9 * nrows), squeeze=False)
    for ax in axes.ravel():
        ax.set_axis_off()
    for ax, (x, caption) in zip(axes.ravel(), images):
        ax.set_axis_on()
        show_image(ax, x, caption)
    fig.suptitle(title, fontsize=15)
    return fig


def plot_examples(data, n: int = 16, ncols: int = 8):
    """The first n (x, y) pairs as images, titled with their digit (y a label or one-hot)."""
    images = [(x, str(int(np.argmax(y)) if np.ndim(y) else int(y))) for x, y in data[:n]]
    side = image_side(np.asarray(images[0][0])) if images else 0
    return Described(
        _image_grid(images, ncols, "examples and their labels"),
        f"The first {len(images)} examples, {side} × {side} grey images of handwritten digits, "
        f"with their labels: {', '.join(label for _, label in images)}.",
    )


def plot_mistakes(net, test_data, n: int = 16, ncols: int = 8):
    """The first n test images the network gets wrong, titled 'label → guess'."""
    every = mistakes(net, test_data)
    images = [(x, f"{label} → {guess}") for _, x, label, guess in every[:n]]
    return Described(
        _image_grid(images, ncols, "mistakes: true label → network's answer"),
        f"{len(images)} of the {len(every)} test images (of {len(test_data)}) that the network "
        f"gets wrong, each captioned true label → network's answer: "
        f"{', '.join(caption for _, caption in images)}.",
    )

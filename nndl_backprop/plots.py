"""Shared figure style (legible when projected, colour-blind safe) and the static figures.

Imports matplotlib (inside the functions), so the core package never imports this module;
the figures draw what the core computed and compute nothing themselves.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .timing import BatchTiming, Extrapolation, GradientCost, fit_power_law
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
    return fig


def plot_gradient_costs(costs: Sequence[GradientCost], estimate: Extrapolation | None = None):
    """Measured seconds of both methods, and their ratio with its fitted slope, against P."""
    fig, (ax_t, ax_r) = new_figure(1, 2, figsize=(11, 4.4), layout="constrained")
    P = np.array([c.n_params for c in costs])
    fd = np.array([c.fd_seconds for c in costs])
    bp = np.array([c.bp_seconds for c in costs])
    ratio = fd / bp
    ax_t.loglog(P, 1e3 * fd, "o-", color=PALETTE["vermillion"], label="finite differences (46)")
    ax_t.loglog(P, 1e3 * bp, "s-", color=PALETTE["blue"], label="backprop")
    ax_t.set(xlabel="parameters P", ylabel="ms per gradient (one example)")
    ax_t.legend()
    fit = fit_power_law(P, ratio)
    grid = np.logspace(np.log10(P.min()), np.log10(estimate.n_params if estimate else P.max()), 50)
    ax_r.loglog(P, ratio, "o", color=PALETTE["green"], markersize=9, label="measured ratio")
    ax_r.loglog(
        grid, fit(grid), "--", color=PALETTE["green"], label=f"fit: ratio ∝ P^{fit.slope:.2f}"
    )
    if estimate is not None:
        ax_r.loglog(
            [estimate.n_params],
            [estimate.ratio],
            "*",
            color=PALETTE["vermillion"],
            markersize=18,
            label=f"extrapolated to P = {estimate.n_params:,}",
        )
    ax_r.set(xlabel="parameters P", ylabel="time(46) / time(backprop)")
    ax_r.legend(loc="upper left")
    return fig


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
    return fig


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
    return _image_grid(images, ncols, "examples and their labels")


def plot_mistakes(net, test_data, n: int = 16, ncols: int = 8):
    """The first n test images the network gets wrong, titled 'label → guess'."""
    wrong = mistakes(net, test_data)[:n]
    images = [(x, f"{label} → {guess}") for _, x, label, guess in wrong]
    return _image_grid(images, ncols, "mistakes: true label → network's answer")

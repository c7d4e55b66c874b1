"""Shared figure style: legible when projected, colour-blind safe (Okabe–Ito palette).

Imports matplotlib, so the core package never imports this module.
"""

from __future__ import annotations

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

"""Notebook 12: a buggy backprop's gradient check as heat maps beside its training run, and
the V of the finite-difference error against the step ε."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import LogNorm

from ..bugs import BUGS
from ..diagnose import describe_errors, diagnose
from ..plots import PALETTE, SEQUENTIAL_CMAP, indexed, new_figure
from ..step_size import DTYPES, METHODS, default_eps, sweep
from ..symptoms import EPOCHS, short_run
from .base import LABEL_STYLE, Demo, laid_out_demo, update_on_release
from .readout import Readout
from .render import Stage

SEEDS = 5
ERROR_RANGE = (1e-16, 1.0)


def bug_label(name: str) -> str:
    return "correct implementation" if name == "correct" else f"bug {name}"


def build_bug_hunt_demo() -> Demo:
    """Pick a backprop (a bug or the correct one) and a network seed: per weight matrix and bias
    vector, the relative error against central differences on a log colour scale, and beside it
    the test accuracy over a short training run on the digits against the correct code's."""
    stage = Stage()
    controls = {
        "bug": widgets.Dropdown(
            options=[(bug_label(n), n) for n in BUGS],
            value="A",
            description="backprop",
            style=LABEL_STYLE,
        ),
        "seed": widgets.IntSlider(
            0, min=0, max=SEEDS - 1, description="network seed", style=LABEL_STYLE
        ),
    }
    update_on_release(controls)  # each new setting is measured: only the one let go
    n_layers = len(diagnose(BUGS["correct"].function).errors_w)
    fig, axes = new_figure(
        1,
        2 * n_layers + 1,
        figsize=(10, 3.9),
        gridspec_kw={"width_ratios": [5, 1] * n_layers + [9]},
        layout="constrained",
    )
    norm = LogNorm(*ERROR_RANGE)
    images = []
    for i in range(n_layers):
        for ax, name in ((axes[2 * i], f"$w^{i + 2}$"), (axes[2 * i + 1], f"$b^{i + 2}$")):
            images.append(
                ax.imshow(np.ones((5, 5 if "w" in name else 1)), cmap=SEQUENTIAL_CMAP, norm=norm)
            )
            ax.set_title(name)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
    bar = fig.colorbar(images[0], ax=list(axes[:-1]), location="bottom", shrink=0.9)
    bar.set_label("relative error against central differences (log scale)", fontsize=12)
    ax_run = axes[-1]
    (reference_line,) = ax_run.plot([], [], "--", color=PALETTE["blue"], label="correct code")
    (bug_line,) = ax_run.plot([], [], "o-", color=PALETTE["vermillion"], label="chosen code")
    ax_run.set(xlabel="epoch", ylabel="test accuracy", ylim=(0, 1))
    ax_run.legend(loc="lower right", fontsize=11)
    # A plain text, not set_title: a hidden title is moved when the blit's background renders.
    title = ax_run.text(0.5, 1.02, "", transform=ax_run.transAxes, ha="center", va="bottom")
    title.set_fontsize(14)
    ax_run.set_xlim(0.5, EPOCHS + 0.5)
    _freeze_layout(fig, title, bug_label("correct"))
    changing, blits = [*images, reference_line, bug_line, title], {}
    readout, status = Readout(), widgets.HTML()
    cache = {}  # (bug, seed) -> (diagnosis, run): a revisit is instant

    def measured(bug, seed):
        if (bug, seed) not in cache:
            cache[(bug, seed)] = (
                diagnose(BUGS[bug].function, seed=seed),
                short_run(BUGS[bug].function, seed=seed),
            )
        return cache[(bug, seed)]

    def update(bug, seed):
        measured_now = (bug, seed) not in cache or ("correct", seed) not in cache
        if measured_now:
            readout.working("checking this backprop's gradients and training with it …")
        found, run = measured(bug, seed)
        _, reference = measured("correct", seed)
        errors = [e for pair in zip(found.errors_w, found.errors_b) for e in pair]
        for image, e in zip(images, errors):
            image.set_data(e)
            image.set_extent((-0.5, e.shape[1] - 0.5, e.shape[0] - 0.5, -0.5))
        reference_line.set_data(reference.epoch, reference.accuracy)
        bug_line.set_data(run.epoch, run.accuracy)
        title.set_text(bug_label(bug))
        stage.keyed_blit(fig, blits, "fixed axes", changing)()  # every setting shares the axes
        readout.figure = (
            f"Heat maps of the relative error between this backprop's gradient and central "
            f"differences, for each layer's weights and biases, and the test accuracy per epoch "
            f"of training with it ({bug_label(bug)}) beside the correct code's."
        )
        readout.value = (
            "<div style='font-size:16px;line-height:1.5'>"
            f"<b>Symptom.</b> {BUGS[bug].symptom} After {len(run.epoch)} epochs: test accuracy "
            f"<b>{run.accuracy[-1]:.0%}</b> (correct code {reference.accuracy[-1]:.0%}), cost "
            f"{run.cost[-1]:.3f} ({reference.cost[-1]:.3f}), mean gradient norm "
            f"{run.grad_norm[-1]:.2f} ({reference.grad_norm[-1]:.2f}).<br>"
            f"<b>Heat maps</b> (network {[5, 5, 5, 5]}, seed {seed}): "
            f"{describe_errors(found.errors_b, found.errors_w)}</div>"
        )
        return {
            "bug": bug,
            "seed": seed,
            "ok": found.ok,
            "equation": found.equation,
            "max_error": max(float(e.max()) for e in errors),
            "errors": errors,
            "accuracy": np.array(run.accuracy),
            "reference_accuracy": np.array(reference.accuracy),
            "cost": np.array(run.cost),
            "measured_now": measured_now,
        }

    return laid_out_demo(controls, update, fig, readout, status, stage=stage)


def plot_heat_maps(found, title: str = ""):
    """One heat map per weight matrix and bias vector of a :class:`Diagnosis`: the relative
    error against central differences, on one log colour scale."""
    n = len(found.errors_w)
    fig, axes = new_figure(1, 2 * n, figsize=(8, 3.2), gridspec_kw={"width_ratios": [5, 1] * n})
    fig.subplots_adjust(left=0.02, right=0.98, top=0.8, bottom=0.3, wspace=0.15)
    for i in range(n):
        for ax, name, e in (
            (axes[2 * i], "w", found.errors_w[i]),
            (axes[2 * i + 1], "b", found.errors_b[i]),
        ):
            image = ax.imshow(e, cmap=SEQUENTIAL_CMAP, norm=LogNorm(*ERROR_RANGE))
            ax.set_title(f"${name}^{i + 2}$")
            ax.set_axis_off()
    bar = fig.colorbar(image, cax=fig.add_axes((0.1, 0.14, 0.8, 0.05)), orientation="horizontal")
    bar.set_label("relative error against central differences (log scale)", fontsize=12)
    if title:
        fig.suptitle(title, fontsize=15)
    return fig


def _freeze_layout(fig, title, sample: str) -> None:
    """Lay the figure out once, with a sample title in place, and keep that layout: a blitted
    frame needs axes that do not move when the title's text changes."""
    title.set_text(sample)
    fig.get_layout_engine().execute(fig)
    fig.set_layout_engine("none")
    title.set_text("")


def weights_in_book_order(sizes) -> list[tuple[int, int, int]]:
    """Every (l, j, k) of a network of these sizes, layer by layer, row by row."""
    return [
        (l, j, k)
        for l in range(2, len(sizes) + 1)
        for j in range(1, sizes[l - 1] + 1)
        for k in range(1, sizes[l - 2] + 1)
    ]


def build_step_size_demo(sizes=(3, 4, 2), seed: int = 0) -> Demo:
    """Forward and central differences for one weight against ε, in float64 and float32: the V
    of truncation error (right) against round-off (left), with the best ε and the defaults."""
    weights = weights_in_book_order(sizes)
    stage = Stage()
    controls = {
        "weight": widgets.IntSlider(
            1, min=1, max=len(weights), description="weight number", style=LABEL_STYLE
        ),
        "dtype": widgets.Dropdown(options=[*DTYPES, "both"], value="both", description="type"),
    }
    update_on_release(controls)  # each new setting is measured: only the one let go
    fig, ax = new_figure(figsize=(9.5, 5), layout="constrained")
    lines, stars = {}, {}
    changing_lines = []
    colour = {"float64": PALETTE["blue"], "float32": PALETTE["orange"]}
    marker = {"float64": "o", "float32": "s"}
    for method in METHODS:
        for dtype in DTYPES:
            style_ = "-" if method == "forward" else "--"
            (lines[(method, dtype)],) = ax.loglog(
                [],
                [],
                style_,
                marker=marker[dtype],
                markersize=4,
                color=colour[dtype],
                label=f"{method}, {dtype}",
            )
            (stars[(method, dtype)],) = ax.loglog(
                [], [], "*", color=colour[dtype], markersize=18, markeredgecolor="black"
            )
            changing_lines += [lines[(method, dtype)], stars[(method, dtype)]]
    ax.set(
        xlabel="step ε",
        ylabel="relative error of the estimate",
        ylim=(1e-14, 10),
        xlim=(3e-13, 0.3),
    )
    defaults = default_eps()
    # The default-ε lines and labels lie under the curves (a lower z-order), and the legend
    # above the axes: both stay in the blitted background, which a slider never redraws.
    for method, eps in defaults.items():
        ax.axvline(
            eps,
            color="gray",
            linestyle=":" if method == "forward" else "-.",
            linewidth=1.5,
            zorder=1.5,
        )
        ax.text(eps, 3e-14, f" default ε\n {method}\n {eps:.0e}", fontsize=10, va="bottom")
        ax.texts[-1].set_zorder(1.5)
    ax.invert_xaxis()  # from large ε (left) to small ε (right), as one shrinks it
    fig.legend(handles=[lines[key] for key in lines], loc="outside upper center", ncols=4)
    title = ax.text(0.5, 1.02, "", transform=ax.transAxes, ha="center", va="bottom")
    title.set_fontsize(14)
    _freeze_layout(fig, title, f"∂C/∂{indexed('w', 2, '11')} = +1.0000e-01 (backprop); ★ = best ε")
    changing = [*changing_lines, title]  # in the order they were made, as a full render draws
    blits = {}
    readout, status = Readout(), widgets.HTML()
    cache = {}

    def update(weight, dtype):
        l, j, k = weights[weight - 1]
        measured_now = (l, j, k) not in cache
        if measured_now:
            readout.working(f"trying each ε on this weight (layer {l}, j = {j}, k = {k}) …")
            cache[(l, j, k)] = sweep(l, j, k, sizes=sizes, seed=seed)
        s = cache[(l, j, k)]
        shown = DTYPES if dtype == "both" else (dtype,)
        for (method, dt), line in lines.items():
            on = dt in shown
            line.set_data((s.eps, s.errors[(method, dt)]) if on else ([], []))
            best_eps, best_err = s.best[(method, dt)]
            stars[(method, dt)].set_data(([best_eps], [best_err]) if on else ([], []))
        title.set_text(f"∂C/∂{indexed('w', l, f'{j}{k}')} = {s.exact:+.4e} (backprop); ★ = best ε")
        stage.keyed_blit(fig, blits, "fixed axes", changing)()
        best = "; ".join(
            f"{method} {dt}: best ε {s.best[(method, dt)][0]:.1e}, error "
            f"{s.best[(method, dt)][1]:.1e}"
            for dt in shown
            for method in METHODS
        )
        readout.figure = (
            f"Log-log curves of the error of forward (solid) and central (dashed) differences "
            f"against ε for weight w{l},{j}{k}, {' and '.join(shown)}; stars mark the best ε."
        )
        readout.value = (
            "<div style='font-size:16px;line-height:1.5'>"
            f"Weight w<sup>{l}</sup><sub>{j}{k}</sub> of a {list(sizes)} network. Solid lines: "
            "forward differences; dashed: central. From large ε the error falls (truncation, "
            "like ε forward and ε² central) until round-off takes over and it rises again like "
            f"1/ε.<br>{best}. Package defaults (dotted lines): forward "
            f"{defaults['forward']:.0e}, central {defaults['central']:.0e}.</div>"
        )
        return {
            "weight": (l, j, k),
            "exact": s.exact,
            "best": dict(s.best),
            "shown": shown,
            "errors": {key: s.errors[key] for key in s.errors if key[1] in shown},
            "measured_now": measured_now,
        }

    return laid_out_demo(controls, update, fig, readout, status, stage=stage)


LATENCY_CASES = [
    ("build_bug_hunt_demo", [{"bug": name} for name in BUGS] + [{"seed": 1}, {"bug": "A"}]),
    (
        "build_step_size_demo",
        [{"weight": w} for w in (1, 5, 12, 20)]
        + [{"dtype": d} for d in ("float64", "float32", "both")],
    ),
]

"""Notebook 05: train briefly on the offline digits and watch what learns slowly.

Pick the hidden activation, the cost, the initial weight scale and η; a short run of SGD
(a few epochs on a subset) draws the test accuracy and each layer's mean |∂C/∂w| per epoch,
with the previous run dashed behind for comparison. The output layer is always sigmoid, so
both costs apply.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import ACTIVATIONS
from ..plots import CYCLE, new_figure
from ..slow_learning import EPOCHS, N_TRAIN, SIZES, short_run
from .base import LABEL_STYLE, Demo, laid_out_demo, update_on_release
from .readout import Readout
from .render import Stage


def _log_slider(description: str, lo: float, hi: float) -> widgets.FloatLogSlider:
    """A slider from 10**lo to 10**hi starting at 1; it retrains only when released."""
    return widgets.FloatLogSlider(
        1.0,
        base=10,
        min=lo,
        max=hi,
        step=0.1,
        description=description,
        continuous_update=False,
        style=LABEL_STYLE,
    )


def build_slow_learning_demo(n_train: int = N_TRAIN, seed: int = 0) -> Demo:
    """Accuracy and per-layer mean |∂C/∂w| of a short run for the chosen setting.

    Controls for activation, cost, initial weight scale and η; a new setting trains (a
    fraction of a second) and redraws the curves in place; a setting seen before is remembered.
    """
    stage = Stage()
    from ..data import load_digits

    training, test = load_digits(seed=seed)
    data = (training[:n_train], test)
    controls = {
        "activation": widgets.Dropdown(options=list(ACTIVATIONS), description="hidden σ"),
        "cost": widgets.Dropdown(options=["quadratic", "cross_entropy"], description="cost"),
        "scale": _log_slider("weight scale", -1, 1),
        "eta": _log_slider("η", -2, 0.5),
    }
    update_on_release(controls)  # each new setting is measured: only the one let go
    fig, (ax_acc, ax_grad) = new_figure(1, 2, figsize=(10.5, 4.2))
    epochs = np.arange(EPOCHS + 1)
    (acc_line,) = ax_acc.plot([], [], "o-", color=CYCLE[0], label="this run")
    (acc_prev,) = ax_acc.plot([], [], "--", color="gray", label="previous run")
    ax_acc.set(xlabel="epoch", ylabel="test accuracy", xlim=(0, EPOCHS), ylim=(0, 1))
    ax_acc.legend(loc="lower right")
    n_layers = len(SIZES) - 1
    grad_lines = [
        ax_grad.semilogy([], [], "o-", color=CYCLE[i + 1], label=f"layer {i + 2}")[0]
        for i in range(n_layers)
    ]
    grad_prev = [
        ax_grad.semilogy([], [], "--", color=CYCLE[i + 1], alpha=0.5)[0] for i in range(n_layers)
    ]
    ax_grad.set(xlabel="epoch", ylabel="mean |∂C/∂w| per layer", xlim=(0, EPOCHS), ylim=(1e-6, 1))
    ax_grad.legend(loc="lower left", ncols=3)
    fig.tight_layout()
    readout, status = Readout(), widgets.HTML()
    # Each setting is trained once and remembered (training is seeded, so it would give the
    # same run again), with the background of its gradient scale: a return is instant.
    runs, blits = {}, {}
    curves = [acc_line, acc_prev, *grad_lines, *grad_prev]

    def update(activation, cost, scale, eta):
        key = (activation, cost, scale, eta)
        fresh = key not in runs
        if fresh:
            readout.working(f"training {EPOCHS} epochs with these settings …")
            runs[key] = short_run(activation, cost, scale, eta, data, seed)
        run = runs[key]
        for line, prev in [(acc_line, acc_prev)] + list(zip(grad_lines, grad_prev)):
            prev.set_data(*line.get_data())
        acc_line.set_data(epochs[: len(run.accuracy)], run.accuracy)
        grads = np.array(run.grad).reshape(-1, n_layers)  # (epochs run, layers)
        for i, line in enumerate(grad_lines):
            line.set_data(epochs[: len(grads)], grads[:, i])
        if grads.size:
            ax_grad.set_ylim(max(grads.min() / 3, 1e-12), max(grads.max() * 3, 1e-10))
        stage.keyed_blit(fig, blits, key, curves)()
        note = (
            f"<b>diverged at epoch {run.diverged}</b> (numbers overflowed): lower η or the scale"
            if run.diverged is not None
            else f"final test accuracy <b>{run.accuracy[-1]:.1%}</b>"
        )
        first = (
            ", ".join(f"layer {i + 2}: {g:.1e}" for i, g in enumerate(grads[0]))
            if grads.size
            else "—"
        )
        readout.figure = (
            f"Left: test accuracy per epoch; right: each layer's mean |∂C/∂w| per epoch on a log "
            f"scale (the previous run faded), hidden σ {activation}, {cost} cost, weight scale "
            f"{scale}, η = {eta}."
        )
        readout.value = (
            f"<div style='font-size:18px;line-height:1.6'>{note}<br>mean |∂C/∂w| before "
            f"training: {first}</div>"
        )
        return {
            "accuracy": list(run.accuracy),
            "grad": grads,
            "diverged": run.diverged,
            "measured_now": fresh,  # trained in this update (the benchmark reports these apart)
        }

    rows = [["activation", "cost"], ["scale", "eta"]]
    return laid_out_demo(controls, update, fig, readout, status, rows, stage=stage)


LATENCY_CASES = [
    (
        "build_slow_learning_demo",
        [{"activation": a, "cost": "cross_entropy"} for a in ACTIVATIONS]
        + [{"scale": s, "activation": "sigmoid", "cost": "quadratic"} for s in (0.1, 1.0, 10.0)],
    )
]

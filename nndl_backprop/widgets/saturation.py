"""Notebook 05: saturation, where σ' is small and BP1, BP2 and BP4 make learning slow.

σ and σ' under a z slider; saturated output and hidden neurons (BP1, BP2); weights out of
low-activation neurons (BP4). The short training runs are in slow_learning.py."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import ACTIVATIONS, Network, get_cost
from ..plots import PALETTE, new_figure
from .base import LABEL_STYLE, Demo, laid_out_demo
from .readout import Readout, number
from .render import Stage

FLOOR = 1e-12  # log axes: gradients smaller than this are drawn at this height


def _html(lines) -> str:
    """The readout: one line each, in a font legible when projected."""
    return "<div style='font-size:18px;line-height:1.6'>" + "<br>".join(lines) + "</div>"


def build_sigmoid_demo() -> Demo:
    """σ(z) and σ'(z) with a marker at the chosen z; pick the activation to compare."""
    stage = Stage()
    controls = {
        "z": widgets.FloatSlider(
            0.0, min=-10, max=10, step=0.1, description="z", style=LABEL_STYLE
        ),
        "activation": widgets.Dropdown(options=list(ACTIVATIONS), description="σ"),
    }
    zz = np.linspace(-10, 10, 401)
    fig, ax = new_figure(figsize=(8, 4.5))
    (fn_line,) = ax.plot([], [], color=PALETTE["blue"], label="σ(z)")
    (prime_line,) = ax.plot([], [], color=PALETTE["vermillion"], label="σ'(z)")
    (fn_dot,) = ax.plot([], [], "o", color=PALETTE["blue"], markersize=11)
    (prime_dot,) = ax.plot([], [], "o", color=PALETTE["vermillion"], markersize=11)
    ax.set(xlabel="weighted input z", ylabel="value", xlim=(-10, 10))
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5))  # outside: not redrawn
    fig.tight_layout()
    ax.set_ylim(
        -1.2, 1.2
    )  # fixed, so a change of σ redraws only the curves; relu and linear leave the view
    blit = stage.blit(fig, [fn_line, prime_line, fn_dot, prime_dot])
    readout, status = Readout(), widgets.HTML()

    def update(z, activation):
        act = ACTIVATIONS[activation]
        fn_line.set_data(zz, act.fn(zz))
        prime_line.set_data(zz, act.prime(zz))
        s, sp = float(act.fn(np.array(z))), float(act.prime(np.array(z)))
        fn_dot.set_data([z], [s])
        prime_dot.set_data([z], [sp])
        blit()
        peak = float(act.prime(zz).max())
        readout.figure = (
            f"Curves of {activation}(z) and its derivative, dots at z = {number(z, '+.1f')}: "
            f"{number(s, '.5f')} and {number(sp, '.5f')}."
        )
        readout.value = _html(
            [
                f"{activation}({z:+.1f}) = <b>{s:.5f}</b>, "
                f"{activation}'({z:+.1f}) = <b>{sp:.5f}</b>",
                f"σ' is {100 * sp / peak:.2f}% of its largest value: every δ through this neuron "
                "is scaled by it (BP1, BP2)",
            ]
        )
        return {"sigma": s, "sigma_prime": sp, "fraction_of_peak": sp / peak}

    return laid_out_demo(controls, update, fig, readout, status, stage=stage)


WEIGHT_NAMES = ["w²₁₁", "w²₁₂", "w²₂₁", "w²₂₂", "w³₁₁", "w³₁₂"]


def build_saturated_neuron_demo(seed: int = 4) -> Demo:
    """|∂C/∂w| for every weight of a [2, 2, 1] sigmoid network as neurons saturate.

    Sliders push the output neuron's and hidden neuron 1's biases into saturation and dim
    the input x₁; bars show |∂C/∂w| for every weight.
    """
    stage = Stage()
    net = Network([2, 2, 1], seed=seed)
    controls = {
        "b_out": widgets.FloatSlider(
            0.0, min=-10, max=10, step=0.5, description="output bias b³₁", style=LABEL_STYLE
        ),
        "b_hidden": widgets.FloatSlider(
            0.0, min=-10, max=10, step=0.5, description="hidden bias b²₁", style=LABEL_STYLE
        ),
        "x1": widgets.FloatSlider(
            1.0, min=0.0, max=1.0, step=0.05, description="input a¹₁ = x₁", style=LABEL_STYLE
        ),
        "y": widgets.Dropdown(options=[0.0, 1.0], value=1.0, description="target y"),
        "cost": widgets.Dropdown(options=["quadratic", "cross_entropy"], description="cost"),
    }
    fig, ax = new_figure(figsize=(8, 4.5))
    bars = ax.bar(
        range(6),
        np.full(6, FLOOR),
        bottom=FLOOR,
        color=[PALETTE["sky"]] * 4 + [PALETTE["orange"]] * 2,
        zorder=2,
    )
    ax.set_yscale("log")
    ax.set_ylim(FLOOR, 10)
    ax.set_xticks(range(6), WEIGHT_NAMES)
    ax.set_ylabel("|∂C/∂w| (log scale)")
    ax.set_title("how fast each weight can learn", fontsize=15)
    fig.tight_layout()
    blit = stage.blit(fig, list(bars))
    readout, status = Readout(), widgets.HTML()

    def update(b_out, b_hidden, x1, y, cost):
        net.cost = get_cost(cost)
        net.biases[1][0, 0], net.biases[0][0, 0] = b_out, b_hidden
        x, y_col = np.array([[x1], [0.5]]), np.array([[y]])
        zs, activations, ds = net.deltas(x, y_col)
        nabla_w = [d @ a.T for d, a in zip(ds, activations[:-1])]  # BP4
        grads = np.abs(np.concatenate([nabla_w[0].ravel(), nabla_w[1].ravel()]))
        for bar, g in zip(bars, np.maximum(grads, FLOOR)):
            bar.set_height(g - FLOOR)
        blit()
        sp_out = float(activations[2][0, 0] * (1 - activations[2][0, 0]))
        sp_hidden = float(activations[1][0, 0] * (1 - activations[1][0, 0]))
        readout.figure = (
            f"Bars of |∂C/∂w| for every weight on a log scale, from {grads.min():.1e} to "
            f"{grads.max():.1e}."
        )
        readout.value = _html(
            [
                f"BP1: a³ = {activations[2][0, 0]:.4f}, σ'(z³) = {sp_out:.2e}, "
                f"δ³ = <b>{ds[1][0, 0]:+.2e}</b>"
                + (" (cross-entropy: σ' cancels, δ³ = a − y)" if cost == "cross_entropy" else ""),
                f"BP2: σ'(z²₁) = {sp_hidden:.2e}, δ²₁ = <b>{ds[0][0, 0]:+.2e}</b>",
                f"BP4: ∂C/∂w²₁₁ = x₁ δ²₁ = {x1:.2f} × {ds[0][0, 0]:+.2e} "
                f"= <b>{nabla_w[0][0, 0]:+.2e}</b>",
            ]
        )
        return {
            "delta_out": float(ds[1][0, 0]),
            "delta_hidden": float(ds[0][0, 0]),
            "sigma_prime_out": sp_out,
            "sigma_prime_hidden": sp_hidden,
            "grads": grads,
            "a_out": float(activations[2][0, 0]),
            "z_out": float(zs[1][0, 0]),
        }

    rows = [["b_out", "b_hidden", "x1"], ["y", "cost"]]
    demo = laid_out_demo(controls, update, fig, readout, status, rows, stage=stage)
    demo.net = net
    return demo


LATENCY_CASES = [
    (
        "build_sigmoid_demo",
        [{"z": z} for z in np.linspace(-10, 10, 21)]
        + [{"activation": a, "z": 3.0} for a in ACTIVATIONS],
    ),
    (
        "build_saturated_neuron_demo",
        [{"b_out": b, "b_hidden": -b} for b in np.linspace(-10, 10, 11)]
        + [{"x1": v} for v in np.linspace(0, 1, 6)]
        + [{"y": y, "cost": c} for y in (0.0, 1.0) for c in ("quadratic", "cross_entropy")],
    ),
]

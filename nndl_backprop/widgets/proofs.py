"""Notebook 06: every step of the proofs of BP1 (eq. 36–39) and BP2 (eq. 40–45), as numbers.

Each side of each step is evaluated on a small network: partial derivatives by central finite
differences (nudging one z or one a and re-running the rest of the network), the closed forms
from the forward pass and backprop. All the values of one chain must agree.
"""

from __future__ import annotations

import functools

import ipywidgets as widgets
import numpy as np

from .. import Network
from ..plots import PALETTE, new_figure
from ..proofs import PROOF_LINES, chain_rule_steps
from .base import LABEL_STYLE, Demo, laid_out_demo
from .readout import Readout
from .render import LayeredBlit, Stage


def build_chain_rule_demo(sizes=(3, 4, 4, 3), seed: int = 0) -> Demo:
    """Each step of the proof of BP1 or BP2 evaluated on one example.

    Pick a layer, a neuron, σ and a random example; each proof step's value is shown, the
    terms of the chain-rule sum drawn as bars (finite differences) and dots (closed form).
    """
    stage = Stage()
    L = len(sizes)
    controls = {
        "layer": widgets.IntSlider(L, min=2, max=L, description="layer l", style=LABEL_STYLE),
        "j": widgets.IntSlider(1, min=1, max=sizes[-1], description="neuron j", style=LABEL_STYLE),
        "activation": widgets.Dropdown(
            options=["sigmoid", "tanh"], value="sigmoid", description="σ", style=LABEL_STYLE
        ),
        "example": widgets.IntSlider(seed, min=0, max=20, description="example", style=LABEL_STYLE),
    }
    fig, (ax_terms, ax_steps) = new_figure(1, 2, figsize=(11, 4.3), layout="constrained")
    widest = max(sizes[1:])
    ks_all = np.arange(1, widest + 1)
    # zorder 2: over the grid, like the line at 0 (1.8), so a redraw of the bars alone over
    # the background gives the picture a full render gives.
    bars = ax_terms.bar(
        ks_all, np.zeros(widest), color=PALETTE["sky"], label="finite differences", zorder=2
    )
    (closed_dots,) = ax_terms.plot(
        [], [], "o", color=PALETTE["vermillion"], markersize=10, label="formula"
    )
    zero_line = ax_terms.axhline(0, color="black", linewidth=0.8, zorder=1.8)
    # Below the axes, not over the bars: it stays in the background, never redrawn.
    ax_terms.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, fontsize=13)
    ax_terms.set(xlim=(0.4, widest + 0.6), xticks=ks_all)
    rows = np.arange(5)[::-1]  # five lines in each proof
    (step_dots,) = ax_steps.plot(np.zeros(5), rows, "o", color=PALETTE["blue"], markersize=12)
    ax_steps.set(xlabel="value of each line of the proof", ylim=(-0.5, 4.5))
    ax_steps.set_title("every step gives the same number", fontsize=15)
    _freeze_layout(fig, ax_terms, ax_steps)
    eq_labels = _tick_label_texts(ax_steps, rows)
    # What depends on the layer (the scale of the terms, the proof's labels), in the order a
    # full render draws it: drawn once per layer over each σ's background, then kept.
    # (The x axis of the terms is the same for every layer but for its label.)
    layer_artists = [ax_terms.yaxis, zero_line, ax_terms.xaxis.label, ax_terms.title, *eq_labels]
    readout, status = Readout(), widgets.HTML()
    n_examples = controls["example"].max + 1

    def example_net(activation, example):
        rng = np.random.default_rng(example)
        net = Network(list(sizes), activation=activation, seed=rng)
        return net, rng.random((sizes[0], 1)), rng.random((sizes[-1], 1))

    def compute(layer, j, activation, example):
        return chain_rule_steps(*example_net(activation, example), layer, j)

    # The range of the terms is per layer and σ, that of the proof's values per σ; each holds
    # every neuron and example, so moving j or the example only redraws the bars and dots.
    scales, blits = {}, {}

    def scale(activation):
        """{layer: bar span} and (lo, hi) of the values, for every neuron and example of σ.

        From the closed forms: the finite differences agree with them to about H²."""
        if activation not in scales:
            spans, values = dict.fromkeys(range(2, L + 1), 1e-6), []
            for example in range(n_examples):
                net, x, y = example_net(activation, example)
                zs, activations, ds = net.deltas(x, y)
                values += [float(d.min()) for d in ds] + [float(d.max()) for d in ds]
                spans[L] = max(spans[L], float(np.abs(ds[-1]).max()))  # (39): k = j term is δ^L_j
                for l in range(2, L):
                    sp = net.layer_activations[l - 2].derivative(zs[l - 2], activations[l - 1])
                    terms = net.weights[l - 1] * ds[l - 1] * sp.T  # (n_{l+1}, n_l): (45), all j
                    spans[l] = max(spans[l], float(np.abs(terms).max()))
            lo, hi = min(values), max(values)
            pad = max(hi - lo, 1e-3) * 0.1
            scales[activation] = ({l: 1.25 * span for l, span in spans.items()}, lo - pad, hi + pad)
        return scales[activation]

    def show_layer(layer, activation):
        """Set what depends on the layer: the range of the terms, the proof's labels."""
        spans = scale(activation)[0]
        ax_terms.set_ylim(-spans[layer], spans[layer])
        proof = "BP1" if layer == L else "BP2"
        sum_eq = PROOF_LINES[proof][1]
        ax_terms.set(xlabel=f"k (neuron of layer {min(layer + 1, L)})")
        ax_terms.set(ylabel=f"term k of the sum {sum_eq}")
        ax_terms.set_title(f"the terms of {sum_eq}", fontsize=15, y=1.0)  # see _freeze_layout
        for text, eq in zip(eq_labels, PROOF_LINES[proof]):
            text.set_text(eq)

    def update(layer, j, activation, example):
        j = stage.fit_slider(controls["j"], sizes[layer - 1])
        steps, terms, closed = compute(layer, j, activation, example)
        values = np.array([s.value for s in steps])
        spread = float(values.max() - values.min())
        ks = np.arange(1, len(terms) + 1)
        for k, bar in enumerate(bars):
            bar.set_height(terms[k] if k < len(terms) else 0.0)
            bar.set_visible(k < len(terms))
        closed_dots.set_data(ks, closed)
        step_dots.set_xdata(values)
        show_layer(layer, activation)
        ax_steps.set_xlim(*scale(activation)[1:])
        if activation not in blits:
            blits[activation] = LayeredBlit(
                stage,
                fig,
                [*bars, closed_dots, step_dots],
                layer_artists,
                layers={l: functools.partial(show_layer, l, activation) for l in range(2, L + 1)},
            )
        stage.current[fig] = blits[activation]  # the one the benchmark asks
        blits[activation](layer)
        body = "".join(
            f"<tr><td>{s.eq}</td><td>{s.expression}</td><td><b>{s.value:+.6f}</b></td></tr>"
            for s in steps
        )
        readout.figure = (
            f"Left: bars of the terms of the sum for δ{layer},{j}, dots at their closed forms; "
            f"right: each step of the proof as a dot on one axis, all within {spread:.1e}."
        )
        readout.value = (
            "<table style='font-size:16px;font-family:monospace'>"
            f"{body}</table><div style='font-size:16px'>largest difference between the lines: "
            f"{spread:.1e}</div>"
        )
        return {
            "steps": steps,
            "values": values,
            "spread": spread,
            "terms": terms,
            "closed_terms": closed,
            "j": j,
        }

    return laid_out_demo(controls, update, fig, readout, status, stage=stage)


LATENCY_CASES = [
    (
        "build_chain_rule_demo",
        [{"layer": l, "j": j} for l in (2, 3, 4) for j in (1, 3)]
        + [{"activation": "tanh"}, {"example": 7}, {"activation": "sigmoid"}],
    )
]


def _freeze_layout(fig, ax_terms, ax_steps) -> None:
    """Lay the figure out once, for the widest labels it will show, then fix the axes.

    Each σ has its own background, and the bars drawn over either of them must land
    where that background put the axes.
    """
    ax_terms.set(xlabel="k (neuron of layer 4)", ylabel="term k of the sum (41)")
    ax_terms.set_ylim(-0.0888, 0.0888)  # tick labels as wide as they get ("−0.075")
    # A title at a fixed height: hidden while a background is rendered, an automatically
    # placed one would be moved (an invisible text has no extent).
    ax_terms.set_title("the terms of (41)", fontsize=15, y=1.0)
    ax_steps.set_yticks(np.arange(5), ["(40)", "(41)", "(42)", "(45)", "BP2"])
    ax_steps.set_xlim(-0.0888, 0.0888)
    fig.get_layout_engine().execute(fig)
    fig.set_layout_engine("none")


def _tick_label_texts(ax, rows) -> list:
    """Texts where the y tick labels of ``ax`` were, which a blit can redraw; the ticks stay."""
    tick = ax.yaxis.get_major_ticks()[0]
    transform, va, ha = ax.get_yaxis_text1_transform(tick.get_pad() + tick.get_tick_padding())
    font, color = tick.label1.get_fontproperties(), tick.label1.get_color()
    ax.set_yticks(rows, [""] * len(rows))
    return [
        ax.text(0, row, "", transform=transform, va=va, ha=ha, fontproperties=font, color=color)
        for row in rows
    ]

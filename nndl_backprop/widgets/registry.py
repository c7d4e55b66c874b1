"""Every demo in one table: the notebooks' widgets, the Voila pages, the tests and benchmarks.

A demo is a ``build_*`` function of a module in this package that returns a
:class:`~nndl_backprop.widgets.base.Demo`. Add a new one here and it gets a Voila page
(``python demos/build_demos.py``), the widget tests' sweeps over every control, the latency
benchmark and the browser tests, with no other list to edit. ``tests/test_demos.py`` fails if a
``build_*`` function is missing from this table.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple


class DemoEntry(NamedTuple):
    """One demo: its Voila page's file stem, the notebook it belongs to, where its builder
    lives, and the page's title and one line on what to do (Markdown with LaTeX)."""

    stem: str
    notebook: str
    module: str
    builder: str
    title: str
    what_to_do: str
    live: bool = False  # its update trains or times something: tests sample it, not sweep it

    def build(self, **kwargs):
        """Build the demo (imports ipywidgets and matplotlib)."""
        module = importlib.import_module(f"{__package__}.{self.module}")
        return getattr(module, self.builder)(**kwargs)

    def latency_cases(self) -> list[dict]:
        """The settings the latency benchmark steps through (the module's LATENCY_CASES)."""
        module = importlib.import_module(f"{__package__}.{self.module}")
        return dict(getattr(module, "LATENCY_CASES", []))[self.builder]


DEMOS = [
    DemoEntry(
        "01_notation",
        "01_notation",
        "notation",
        "build_notation_demo",
        "Notation: which weight is $w^l_{jk}$?",
        "Pick $l$, $j$ and $k$: the diagram lights the connection and the matrix $w^l$ shows "
        "where its number sits (row $j$, column $k$).",
    ),
    DemoEntry(
        "02a_hadamard",
        "02_cost_and_hadamard",
        "cost",
        "build_hadamard_demo",
        "The Hadamard product $s \\odot t$ (eq. 28)",
        "Move the entries of $s$ and $t$: each bar of $s \\odot t$ is $s_j t_j$.",
    ),
    DemoEntry(
        "02b_output_cost",
        "02_cost_and_hadamard",
        "cost",
        "build_output_cost_demo",
        "The cost as a function of the output activations $a^L$",
        "Move $a^L$ around the map; change the target $y$ and the cost and watch where $C$ is "
        "smallest.",
    ),
    DemoEntry(
        "03_demon",
        "03_demon",
        "demon",
        "build_demon_demo",
        "The demon: $\\delta^l_j$ measures how $C$ answers a nudge $\\Delta z^l_j$ (eq. 29)",
        "Pick a neuron and let the demon nudge its $z$: the measured $\\Delta C$ follows "
        "$\\delta^l_j \\Delta z$, and the gap shrinks like $\\Delta z^2$.",
    ),
    DemoEntry(
        "04_equations",
        "04_four_equations",
        "equations",
        "build_equations_demo",
        "The four equations: $\\delta^l$ and $\\partial C / \\partial w^l$ in every layer",
        "Change the input, the target or the cost: the heat maps of $\\delta^l$ and "
        "$\\partial C/\\partial w^l = \\delta^l (a^{l-1})^T$ follow (BP1–BP4).",
    ),
    DemoEntry(
        "05a_sigmoid",
        "05_saturation",
        "saturation",
        "build_sigmoid_demo",
        "Saturation: $\\sigma(z)$ and $\\sigma'(z)$",
        "Slide $z$ to the ends: $\\sigma'(z)$, the factor in BP1 and BP2, goes to zero.",
    ),
    DemoEntry(
        "05b_saturated_neuron",
        "05_saturation",
        "saturation",
        "build_saturated_neuron_demo",
        "A saturated neuron learns slowly",
        "Push the biases into saturation or dim the input: the bars of "
        "$|\\partial C/\\partial w|$ that depend on it fall towards zero.",
    ),
    DemoEntry(
        "05c_slow_learning",
        "05_saturation",
        "slow_learning",
        "build_slow_learning_demo",
        "Slow learning in a short training run",
        "Change the activation, the cost, the initial weights or $\\eta$: the network retrains "
        "and each layer's mean $|\\partial C/\\partial w|$ is drawn per epoch.",
        live=True,
    ),
    DemoEntry(
        "06_chain_rule",
        "06_proofs",
        "proofs",
        "build_chain_rule_demo",
        "The proofs of BP1 and BP2, step by step, as numbers",
        "Pick a layer and a neuron: every step of the chain rule is evaluated, finite "
        "differences beside the closed forms.",
    ),
    DemoEntry(
        "07_backprop_stepper",
        "07_algorithm_and_code",
        "algorithm",
        "build_backprop_stepper_demo",
        "The backpropagation algorithm, one step at a time",
        "Move the step slider: the forward pass, then $\\delta^L$ (BP1), then the error moved "
        "back layer by layer (BP2), then the gradient (BP3, BP4).",
    ),
    DemoEntry(
        "08_minibatch",
        "08_matrix_minibatch",
        "minibatch",
        "build_batch_demo",
        "A whole mini-batch at once",
        "Change the hidden width and the mini-batch size $m$: the loop over examples and the "
        "matrix form give the same gradient; compare their times.",
        live=True,
    ),
    DemoEntry(
        "09_speed",
        "09_why_backprop_is_fast",
        "speed",
        "build_speed_demo",
        "Why backpropagation is fast (eq. 46)",
        "Make the network wider or deeper: count the forward passes each method needs and "
        "compare the measured times.",
        live=True,
    ),
    DemoEntry(
        "10a_paths",
        "10_big_picture",
        "bigpicture",
        "build_paths_demo",
        "The big picture: $\\partial C/\\partial w$ as a sum over paths (eq. 53)",
        "Pick a weight and one of its paths: the path's rate factors, the sum over all paths and "
        "backprop's value.",
    ),
    DemoEntry(
        "10b_path_count",
        "10_big_picture",
        "bigpicture",
        "build_path_count_demo",
        "How many paths?",
        "Make the network wider and deeper: the number of paths explodes, backprop's work does "
        "not.",
    ),
    DemoEntry(
        "11_training",
        "11_training_on_digits",
        "training",
        "build_training_demo",
        "Training on digits",
        "Change the hidden width, $\\eta$, the epochs or the mini-batch size: a fresh network "
        "trains and the cost, the accuracy and a few mistakes are redrawn.",
        live=True,
    ),
    DemoEntry(
        "12a_bug_hunt",
        "12_debugging_backprop",
        "bughunt",
        "build_bug_hunt_demo",
        "Debugging backprop: where does the gradient go wrong?",
        "Pick a buggy backprop: the heat maps show where its gradient disagrees with central "
        "differences, and the curve what training with it looks like.",
        live=True,
    ),
    DemoEntry(
        "12b_step_size",
        "12_debugging_backprop",
        "bughunt",
        "build_step_size_demo",
        "The gradient check's step $\\varepsilon$ (eq. 46)",
        "Move through the weights: the error of forward and central differences falls with "
        "$\\varepsilon$ (truncation), then rises again (round-off); float32 against float64.",
    ),
]

"""Notebook 11: training on real digits; cost and accuracy per epoch, and the mistakes made."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import MaxNLocator

from .. import Network
from ..plots import PALETTE, image_side, new_figure, show_image
from ..training import History, mistakes
from .base import LABEL_STYLE, Demo, laid_out_demo, update_on_release
from .readout import Readout
from .render import Stage

N_SHOWN = 8  # mistakes drawn under the curves


def build_training_demo(training_data=None, test_data=None, seed: int = 0) -> Demo:
    """SGD on digits: cost, accuracy and a few mistakes for the chosen hyper-parameters.

    Hidden width, η, epochs and mini-batch size; each change trains a fresh [n_in, h, 10]
    network with SGD and redraws the cost, the accuracy and a few mistakes.

    Without data it trains on the offline 8×8 digits (``data.load_digits()``).
    """
    stage = Stage()
    if training_data is None or test_data is None:
        from ..data import load_digits

        training_data, test_data = load_digits()
    n_in = int(np.size(training_data[0][0]))
    controls = {
        "hidden": widgets.IntSlider(
            30, min=5, max=60, step=5, description="hidden neurons", style=LABEL_STYLE
        ),
        "eta": widgets.FloatSlider(
            3.0, min=0.1, max=10.0, step=0.1, description="η", style=LABEL_STYLE
        ),
        "epochs": widgets.IntSlider(5, min=1, max=10, description="epochs", style=LABEL_STYLE),
        "mini_batch_size": widgets.SelectionSlider(
            options=(1, 5, 10, 30, 100), value=10, description="mini-batch m", style=LABEL_STYLE
        ),
    }
    update_on_release(controls)  # each new setting trains: only the one let go
    fig = new_figure(figsize=(11, 6.0), layout="constrained")[0]
    fig.clf()
    grid = fig.add_gridspec(2, N_SHOWN, height_ratios=[2.2, 1])
    ax_cost = fig.add_subplot(grid[0, : N_SHOWN // 2])
    ax_acc = fig.add_subplot(grid[0, N_SHOWN // 2 :])
    image_axes = [fig.add_subplot(grid[1, i]) for i in range(N_SHOWN)]
    side = image_side(np.asarray(test_data[0][0]))
    images = []
    for ax in image_axes:
        show_image(ax, np.zeros(side * side))
        images.append(ax.images[0])
    (cost_line,) = ax_cost.plot([], [], "o-", color=PALETTE["vermillion"])
    (acc_line,) = ax_acc.plot([], [], "o-", color=PALETTE["blue"])
    ax_cost.set(xlabel="epoch", ylabel="training cost C")
    ax_acc.set(xlabel="epoch", ylabel="test accuracy (%)", ylim=(0, 100))
    for ax in (ax_cost, ax_acc):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole epochs only
    # Laid out once, for tick labels as wide as they get ("0.175"), then fixed: each run has
    # its own background, and the curves must land where any of them put the axes.
    ax_cost.set_ylim(0, 0.22)
    for ax in image_axes:
        ax.set_title("9 → 9", fontsize=13)
    fig.get_layout_engine().execute(fig)
    fig.set_layout_engine("none")
    readout, status = Readout(), widgets.HTML()
    # Each setting is trained once and remembered (training is seeded, so it would give the
    # same run again), with its picture's background: returning to a setting is instant.
    runs, blits = {}, {}

    def train(hidden, eta, epochs, mini_batch_size):
        """One SGD epoch at a time, saying which: the page shows the work going on. One
        shuffling generator for all the calls gives the epochs one call would."""
        net = Network([n_in, hidden, 10], seed=seed)
        shuffle, history = np.random.default_rng(seed), History()
        for epoch in range(1, epochs + 1):
            readout.working(f"training [{n_in}, {hidden}, 10]: epoch {epoch} of {epochs} …")
            one = net.SGD(
                training_data,
                1,
                mini_batch_size,
                eta,
                test_data=test_data,
                seed=shuffle,
                progress=False,
                monitor_cost="epoch_end",  # the readout gives the trained network's cost
            )
            history.epoch.append(epoch)
            for name in ("cost", "accuracy", "correct", "seconds"):
                getattr(history, name).extend(getattr(one, name))
        return history, mistakes(net, test_data)

    def update(hidden, eta, epochs, mini_batch_size):
        key = (hidden, eta, epochs, mini_batch_size)
        fresh = key not in runs
        if fresh:
            runs[key] = train(*key)
        history, wrong = runs[key]
        acc = 100 * np.array(history.accuracy)
        cost_line.set_data(history.epoch, history.cost)
        acc_line.set_data(history.epoch, acc)
        for ax in (ax_cost, ax_acc):
            ax.set_xlim(0.5, epochs + 0.5)
        ax_cost.set_ylim(0, max(history.cost) * 1.1)
        for ax, image, item in zip(image_axes, images, wrong + [None] * N_SHOWN):
            ax.set_visible(item is not None)
            if item is not None:
                image.set_data(item[1].reshape(side, side))
                ax.set_title(f"{item[2]} → {item[3]}", fontsize=13)
        # The scales and captions are this run's: its own background.
        shown = [im for im in images if im.axes.get_visible()]
        stage.keyed_blit(fig, blits, key, [cost_line, acc_line, *shown])()
        readout.figure = (
            f"Training cost and test accuracy per epoch ({acc[-1]:.1f}% at the end), and the "
            f"first {min(N_SHOWN, len(wrong))} misclassified test digits."
        )
        readout.value = (
            "<div style='font-size:17px;line-height:1.6'>"
            f"after {epochs} epoch(s): test accuracy <b>{acc[-1]:.1f}%</b> "
            f"({history.correct[-1]} of {len(test_data)}), training cost "
            f"{history.cost[-1]:.4f}; {len(wrong)} mistakes, the first {min(N_SHOWN, len(wrong))} "
            "below (true → guess).</div>"
        )
        return {
            "accuracy": acc,
            "cost": np.array(history.cost),
            "n_mistakes": len(wrong),
            "epochs": list(history.epoch),
            "measured_now": fresh,  # trained in this update (the benchmark reports these apart)
        }

    rows = [["hidden", "eta"], ["epochs", "mini_batch_size"]]
    return laid_out_demo(controls, update, fig, readout, status, rows, stage=stage)


LATENCY_CASES = [
    (
        "build_training_demo",
        [{"epochs": e} for e in (1, 3)] + [{"hidden": 10, "epochs": 2}, {"eta": 0.5}],
    ),
]

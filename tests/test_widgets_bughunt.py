"""The widgets of notebook 12 driven across their ranges without a browser."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

pytest.importorskip("ipywidgets")
from nndl_backprop.bugs import BUGS  # noqa: E402
from nndl_backprop.step_size import sweep  # noqa: E402
from nndl_backprop.widgets.bughunt import (  # noqa: E402
    SEEDS,
    build_bug_hunt_demo,
    build_step_size_demo,
    weights_in_book_order,
)

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_bug_hunt_every_bug_and_seed():
    demo = build_bug_hunt_demo()
    for seed in (0, SEEDS - 1):
        for name, bug in BUGS.items():
            state = demo.set(bug=name, seed=seed)
            assert demo.error is None
            assert state["equation"] == bug.equation
            assert state["ok"] == (name == "correct")
            assert all(np.all(np.isfinite(e)) for e in state["errors"])
            assert np.all((state["accuracy"] >= 0) & (state["accuracy"] <= 1))
            shown = [im.get_array() for im in demo.figures[0].axes[0].get_images()]
            np.testing.assert_array_equal(shown[0], state["errors"][0])
            text = demo.ui.children[1].value
            assert "largest relative error" in text and f"{state['accuracy'][-1]:.0%}" in text
    assert demo.set(bug="correct", seed=0)["max_error"] < 1e-6
    assert demo.set(bug="D", seed=0)["accuracy"][-1] < demo.state["reference_accuracy"][-1]


def test_step_size_every_weight_and_type():
    sizes = (3, 4, 2)
    demo = build_step_size_demo(sizes=sizes)
    weights = weights_in_book_order(sizes)
    assert demo.controls["weight"].max == len(weights) == 20
    for dtype in ("float64", "float32", "both"):
        for w in (1, 7, 12, 13, 20):
            state = demo.set(weight=w, dtype=dtype)
            assert demo.error is None
            assert state["weight"] == weights[w - 1]
            for key, err in state["errors"].items():
                assert key[1] in state["shown"] and np.all(np.isfinite(err))
    l, j, k = weights[12]
    state = demo.set(weight=13, dtype="both")
    assert state["best"] == sweep(l, j, k, sizes=sizes).best  # the numbers come from the core
    assert "best ε" in demo.ui.children[1].value

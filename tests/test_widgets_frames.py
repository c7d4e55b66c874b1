"""What reaches the page after a slider moves, with ipympl: one frame per update, made as
matplotlib makes it, and one message per readout (no browser; see benchmarks/bench_browser.py
for the times in one)."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pytest
from PIL import Image

from nndl_backprop.widgets.registry import DEMOS
from nndl_backprop.widgets.render import _opaque, diff_frame, png_rgba

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    """Each test builds demos: their figures are closed after it, as pyplot keeps them."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (37, 101), (400, 600)])
def test_png_rgba_decodes_to_the_same_pixels(shape):
    rng = np.random.default_rng(sum(shape))
    noise = rng.integers(0, 256, (*shape, 4), dtype=np.uint8)
    blocks = np.zeros((*shape, 4), np.uint8)
    blocks[: shape[0] // 2, : shape[1] // 3] = (200, 30, 60, 255)
    for image in (noise, blocks, np.zeros_like(noise)):
        png = png_rgba(image)
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        assert np.array_equal(decoded(png), image)


@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (37, 101), (420, 1100)])
def test_png_rgba_with_blank_rows_decodes_to_the_same_pixels(shape):
    """Rows marked blank are taken from cached deflate data: every pattern of blank runs (at
    the top, in the middle, at the bottom, all or none) decodes to the image, and so does the
    same image encoded with no marks."""
    rng = np.random.default_rng(sum(shape))
    height = shape[0]
    patterns = [np.zeros(height, bool), np.ones(height, bool), rng.random(height) < 0.5]
    if height > 3:
        runs = np.zeros(height, bool)
        runs[: height // 3] = runs[-2:] = True  # a long run first, a short one last
        patterns.append(runs)
    for blank in patterns:
        image = rng.integers(0, 256, (*shape, 4), dtype=np.uint8)
        image[blank] = 0
        png = png_rgba(image, blank)
        assert np.array_equal(decoded(png), image), blank.astype(int)
        assert np.array_equal(decoded(png_rgba(image)), image)


def test_png_rgba_refuses_marks_of_another_height():
    with pytest.raises(ValueError, match=r"one entry per row \(3\)"):
        png_rgba(np.zeros((3, 4, 4), np.uint8), np.zeros(4, bool))


def test_opaque_reads_the_alpha_channel_only():
    """A frame is sent whole when any pixel is transparent: the quick test on 32-bit numbers
    agrees with reading the alpha bytes, whatever the colour bytes hold."""
    rng = np.random.default_rng(7)
    pixels = rng.integers(0, 256, (50, 70, 4), dtype=np.uint8)
    pixels[..., 3] = 255
    as_numbers = pixels.view(np.uint32).squeeze(2)
    assert _opaque(pixels, as_numbers)
    for alpha in (0, 254):
        pixels[rng.integers(50), rng.integers(70), 3] = alpha
        assert not _opaque(pixels, as_numbers)
        pixels[..., 3] = 255


class Page:
    """What ipympl would send to a page: its JSON events and its binary frames."""

    def __init__(self):
        self.events, self.frames = [], []

    def send_json(self, content):
        self.events.append(content["type"])

    def send_binary(self, data):
        self.frames.append(data)


@pytest.fixture
def ipympl_figures():
    """Demos built under ipympl, their canvases talking to a :class:`Page` as if the view
    were up; the test backend is back afterwards."""
    pytest.importorskip("ipympl")
    import matplotlib.pyplot as plt

    matplotlib.use("module://ipympl.backend_nbagg")
    was_interactive = matplotlib.is_interactive()
    matplotlib.interactive(True)  # as %matplotlib widget leaves it

    def build(entry):
        demo = entry.build()
        pages = {}
        for fig in demo.figures:
            canvas = fig.canvas
            canvas.syncing_data_url = False  # the page's view has said "initialized"
            page = pages[fig] = Page()
            canvas.manager.web_sockets = {page}
            canvas.send_event = lambda kind, _page=page, **_: _page.events.append(kind)
            canvas.draw()  # the first full picture, as the page asks for when it opens
        return demo, pages

    yield build
    plt.close("all")
    matplotlib.interactive(was_interactive)
    matplotlib.use("Agg")  # as every widget test module has it


QUICK = [d for d in DEMOS if not d.live]


@pytest.mark.parametrize("entry", QUICK, ids=[d.stem for d in QUICK])
def test_each_update_sends_one_frame_and_asks_for_no_second(entry, ipympl_figures):
    """Before the fix a blit left the figure "stale": IPython's post-execute hook then made
    pyplot redraw it, and ipympl asked the page for a second, full frame after every key
    press. Here every update sends exactly one frame and, once the hooks have run as after a
    widget message, no request for another."""
    import matplotlib.pyplot as plt

    demo, pages = ipympl_figures(entry)
    for case in entry.latency_cases()[:4]:
        for page in pages.values():
            page.events.clear(), page.frames.clear()
        demo.set(**case)
        assert demo.error is None
        plt.draw_all()  # what the post-execute hook of %matplotlib does after each message
        for fig, page in pages.items():
            assert not fig.stale
            assert "draw" not in page.events, f"{case}: a second, full frame was requested"
            assert len(page.frames) == 1, f"{case}: {len(page.frames)} frames sent"


@pytest.mark.parametrize("entry", QUICK, ids=[d.stem for d in QUICK])
def test_the_pages_first_picture_prepares_the_first_press(entry, ipympl_figures):
    """The whole picture the page asks for when its view opens renders through the figure's
    blit (render.draw_through_blit): the same pixels as a full render, and the first key press
    afterwards redraws only what changed, where it used to render the whole figure twice."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    demo, pages = ipympl_figures(entry)  # each canvas drew the page's first picture
    for fig in demo.figures:
        canvas = fig.canvas
        blit = demo.stage.current.get(fig)
        assert blit is not None and blit._background is not None, "no background after the draw"
        drawn = np.asarray(canvas.buffer_rgba()).copy()
        FigureCanvasAgg.draw(canvas)
        assert np.array_equal(drawn, np.asarray(canvas.buffer_rgba())), "not a full render"
        canvas.draw()  # the page asks again (say after a resize): the same picture, sent
        assert np.array_equal(drawn, np.asarray(canvas.buffer_rgba()))
        assert pages[fig].frames, "the picture was not sent"
    # The first press (the benchmark's first setting: one that keeps the axes).
    demo.set(**entry.latency_cases()[0])
    assert demo.error is None
    for fig in demo.figures:
        assert not demo.stage.current[fig].last_full, "the first press rendered everything"


@pytest.mark.parametrize("entry", QUICK[:6], ids=[d.stem for d in QUICK[:6]])
def test_diff_frames_are_matplotlibs_frames(entry, ipympl_figures):
    """The frame our encoder makes decodes to the pixels matplotlib's own would, in the same
    mode (diff or full), update after update."""
    from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore

    demo, _ = ipympl_figures(entry)
    fig = demo.figures[0]
    canvas = fig.canvas
    for case in entry.latency_cases()[:4] + [{}]:
        if case:
            demo.set(**case)
        else:
            canvas._force_full = True  # a resize or a page that asked for everything
        canvas._png_is_old = True
        kept = (canvas._last_buff.copy(), canvas._force_full)
        theirs = FigureCanvasWebAggCore.get_diff_image(canvas)
        their_mode = canvas._current_image_mode
        canvas._last_buff, canvas._force_full, canvas._png_is_old = kept[0], kept[1], True
        ours = diff_frame(canvas)
        assert canvas._current_image_mode == their_mode
        assert np.array_equal(decoded(ours), decoded(theirs)), case
        assert diff_frame(canvas) is None  # nothing new to send


@pytest.fixture(scope="module")
def digits():
    from nndl_backprop.data import load_digits

    training_data, test_data = load_digits()
    return training_data[:300], test_data[:100]


class SentStates:
    """Records each message a widget sends: the names of the traits it carries."""

    def __init__(self, widget):
        self.messages = []
        original = widget.send_state

        def send_state(key=None):
            keys = [key] if isinstance(key, str) else list(key or widget.keys)
            self.messages.append({k: getattr(widget, k) for k in keys})
            return original(key)

        widget.send_state = send_state


def readout_of(demo):
    (readout,) = demo.readouts
    return readout


@pytest.mark.parametrize("entry", QUICK, ids=[d.stem for d in QUICK])
def test_one_readout_message_per_update(entry):
    demo = entry.build()
    sent = SentStates(readout_of(demo))
    for case in entry.latency_cases()[:3]:
        sent.messages.clear()
        state = demo.set(**case)
        if state.get("measured_now"):  # first said what it computes (e.g. an ε sweep)
            assert sent.messages[0].keys() == {"busy"} and sent.messages[0]["busy"]
            del sent.messages[0]
        assert len(sent.messages) == 1, sent.messages
        message = sent.messages[0]
        assert message["value"] and message["alt"] and message.get("busy", "") == ""


def test_training_says_each_epoch_as_it_trains_and_trains_as_one_call(digits):
    """The training demo trains one epoch per call to show its progress; the run is the one
    a single call with all the epochs gives."""
    from nndl_backprop import Network
    from nndl_backprop.widgets.training import build_training_demo

    training_data, test_data = digits
    demo = build_training_demo(training_data, test_data)
    sent = SentStates(readout_of(demo))
    state = demo.set(epochs=4, hidden=20, eta=2.0, mini_batch_size=10)
    said = [m["busy"] for m in sent.messages if "busy" in m and m["busy"]]
    assert said == [f"training [64, 20, 10]: epoch {e} of 4 …" for e in range(1, 5)]
    assert sent.messages[-1]["busy"] == ""  # the end of the update clears it
    net = Network([64, 20, 10], seed=0)
    history = net.SGD(
        training_data, 4, 10, 2.0, test_data=test_data, seed=0, progress=False,
        monitor_cost="epoch_end",
    )  # fmt: skip
    print("demo:", state["cost"], "one call:", history.cost)
    assert np.array_equal(state["cost"], history.cost)
    assert np.array_equal(state["accuracy"], 100 * np.array(history.accuracy))
    sent.messages.clear()
    demo.set(epochs=1)  # a new setting: working again
    demo.set(epochs=4)  # seen before: nothing to say
    assert [m["busy"] for m in sent.messages if m.get("busy")] == [
        "training [64, 20, 10]: epoch 1 of 1 …"
    ]


@pytest.mark.parametrize("entry", [d for d in DEMOS if d.live], ids=lambda d: d.stem)
def test_live_demos_say_they_are_working_before_the_work(entry):
    if entry.builder == "build_training_demo":
        pytest.skip("its own test above")
    demo = entry.build()
    sent = SentStates(readout_of(demo))
    measured = 0
    for case in entry.latency_cases():
        sent.messages.clear()
        if not demo.set(**case).get("measured_now"):
            continue  # seen before: the numbers come at once
        measured += 1
        assert sent.messages[0].keys() == {"busy"} and sent.messages[0]["busy"], sent.messages
        assert sent.messages[-1]["busy"] == "" and sent.messages[-1]["value"]
    assert measured, "no case of the benchmark made the demo work"


@pytest.mark.parametrize("entry", DEMOS, ids=[d.stem for d in DEMOS])
def test_sliders_of_demos_that_measure_update_when_let_go(entry):
    """A drag across a slider of a demo that trains or times would start one run per value it
    passes; those update on release (arrow keys still update at each press). The others
    follow the drag."""
    demo = entry.build()
    measures = entry.live or entry.stem == "12b_step_size"  # 12b sweeps ε on a first visit
    sliders = [c for c in demo.controls.values() if hasattr(c, "continuous_update")]
    assert sliders
    for slider in sliders:
        assert slider.continuous_update is (not measures), slider.description

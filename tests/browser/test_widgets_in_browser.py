"""Every notebook with widgets, run in JupyterLab and rendered by Voila in headless Chromium.

For each notebook: run all cells from the menu as a person would, wait for the kernel to go
idle, and check that no cell produced an error. Then, in every output that holds a slider, move
the slider with the keyboard and check that something *other than the slider* (a computed
number, a figure) changed on screen. Demo pages under Voila get the same slider check.
Every page is also measured at three window widths (no figure wider than its output area;
JupyterLab with its file browser open) and checked with axe-core (no serious or critical
violation in our content). Screenshots land in test-artifacts/browser/; report.json there lists,
per page, which slider moved, from which value to which, and which text changed; axe.json what
axe-core found.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from screens import LAB_CONTENT, VOILA_CONTENT, check_axe, check_widths

REPO = Path(__file__).resolve().parents[2]
WIDGET_MARKERS = ("ipywidgets", "nndl_backprop.widgets")


def _with_widgets(folder: str) -> list[str]:
    paths = sorted((REPO / folder).rglob("*.ipynb"))
    paths = [p for p in paths if ".ipynb_checkpoints" not in p.parts]
    return [
        str(p.relative_to(REPO)) for p in paths if any(m in p.read_text() for m in WIDGET_MARKERS)
    ]


# Static figures that these notebooks' cells show (plots.py's, as PNG) have no alt text yet: the
# notebooks are to show them with a text alternative; until then axe-core's finding is recorded.
KNOWN_AXE: dict[str, tuple[str, ...]] = {}  # notebook -> axe rules it may still break
LAB_NOTEBOOKS = ["fixtures/slider_demo.ipynb", *_with_widgets("notebooks")]
VOILA_PAGES = ["fixtures/slider_demo.ipynb", *_with_widgets("demos")]

# Outputs of cells (not outputs nested inside an Output widget) that contain a slider.
SLIDER_OUTPUTS = (
    ".jp-OutputArea-output:not(.jp-OutputArea-output .jp-OutputArea-output):has(.widget-slider)"
)
BROKEN_WIDGET_TEXT = ("Error displaying widget", "Error rendering", "Cannot update:")
# What the widget manager and ipympl log when a view fails to come up.
BROKEN_WIDGET_CONSOLE = (
    "Error setting state", "Could not create a view", "Error creating widget",
    "Error displaying widget", "Failed to execute 'drawImage'",
)
# Whether each ipympl figure has been drawn: a 0×0 or fully transparent canvas has no picture.
FIGURES_DRAWN = """() => [...document.querySelectorAll('.jupyter-matplotlib-canvas-div')].map(e => {
  const canvas = e.querySelector('canvas');
  if (!canvas || !canvas.width || !canvas.height) return false;
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
  return false;
})"""

CURRENT_PANEL = "window.jupyterapp && window.jupyterapp.shell.currentWidget"
OPEN_NOTEBOOK = """async path => {
  await window.jupyterapp.commands.execute('docmanager:open', {path});
}"""
KERNEL_IDLE = f"""path => {{
  const panel = {CURRENT_PANEL};
  const kernel = panel && panel.context && panel.context.path === path && panel.sessionContext
    && panel.sessionContext.session && panel.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle' && panel.content.widgets.length > 0;
}}"""
# Without saving (the copy is scratch) and without the "unsaved changes" dialog.
CLOSE_NOTEBOOK = f"""async () => {{
  const panel = {CURRENT_PANEL};
  if (panel && panel.sessionContext) {{
    await panel.sessionContext.shutdown();
    panel.dispose();
  }}
}}"""
CODE_CELLS = """panel.content.widgets.filter(
  c => c.model.type === 'code' && c.model.sharedModel.getSource().trim() !== '')"""
NOT_YET_RUN = f"""() => {{
  const panel = {CURRENT_PANEL};
  return {CODE_CELLS}.every(c => c.model.executionCount === null);
}}"""
# Done: kernel idle and every code cell run, or a cell failed (Run All stops there).
RUN_FINISHED = f"""() => {{
  const panel = {CURRENT_PANEL};
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  const cells = {CODE_CELLS};
  const failed = cells.some(c => c.model.outputs.toJSON().some(o => o.output_type === 'error'));
  return failed || cells.every(c => c.model.executionCount !== null);
}}"""
CELL_OUTPUTS = f"""() => {{
  const panel = {CURRENT_PANEL};
  return {CODE_CELLS}.map(
    c => ({{count: c.model.executionCount, outputs: c.model.outputs.toJSON()}}));
}}"""
# The texts shown in an output, outside the moved slider: what the slider drives.
TEXTS_OUTSIDE_SLIDER = """(el, index) => {
  const slider = el.querySelectorAll('.widget-slider')[index];
  const shown = el.querySelectorAll(
    '.widget-html-content, .nndl-readout-text, .widget-label, .widget-readout, .jp-RenderedText, '
    + '.jp-RenderedHTML');
  return [...shown].filter(e => !slider.contains(e)).map(e => e.innerText.trim()).filter(t => t);
}"""


def _name(relpath: str) -> str:
    return relpath.replace("/", "-").removesuffix(".ipynb")


def _stable_screenshot(locator, mask, timeout: float = 15.0) -> bytes:
    """A screenshot once three in a row agree (the figures have finished drawing)."""
    shots = [locator.screenshot(mask=mask, animations="disabled")]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not (len(shots) >= 3 and len(set(shots[-3:])) == 1):
        time.sleep(0.25)
        shots.append(locator.screenshot(mask=mask, animations="disabled"))
    return shots[-1]


def _slider_value(slider) -> str:
    """The slider's value as shown: its readout, else the handle's (rounded) aria value."""
    readout = slider.locator(".widget-readout")
    if readout.count() and readout.first.is_visible():
        return readout.first.inner_text().strip()
    return slider.locator(".noUi-handle").first.get_attribute("aria-valuenow")


def move_each_slider(page, name: str, artifacts: Path) -> list[dict]:
    """In each cell output holding a slider, move its first enabled slider three steps with
    the arrow keys; assert that the output, with that slider masked out, looks different."""
    moves = []
    page.mouse.move(0, 0)  # no hover effects (ipympl's toolbar fades in under the mouse)
    outputs = page.locator(SLIDER_OUTPUTS)
    for i in range(outputs.count()):
        output = outputs.nth(i)
        sliders = output.locator(".widget-slider")
        index = next(
            (k for k in range(sliders.count())
             if sliders.nth(k).locator(".noUi-handle[disabled]").count() == 0),
            None,
        )
        if index is None:
            continue
        slider = sliders.nth(index)
        handle = slider.locator(".noUi-handle").first
        label = slider.locator(".widget-label").first.inner_text().strip()
        value = _slider_value(slider)
        at_max = float(handle.get_attribute("aria-valuenow")) >= float(
            handle.get_attribute("aria-valuemax")
        )
        key = "ArrowLeft" if at_max else "ArrowRight"
        mask = [slider, output.locator(".jupyter-matplotlib-toolbar")]
        handle.focus()  # before the first screenshot, so the focus ring is not a "change"
        before_png = _stable_screenshot(output, mask)
        before_texts = output.evaluate(TEXTS_OUTSIDE_SLIDER, index)
        output.screenshot(path=artifacts / f"{name}-output{i}-before.png")
        for _ in range(3):
            handle.press(key)
            time.sleep(0.1)
        deadline, after_png = time.monotonic() + 20, before_png
        while time.monotonic() < deadline and after_png == before_png:
            time.sleep(0.3)
            after_png = _stable_screenshot(output, mask)
        moved_to = _slider_value(slider)
        after_texts = output.evaluate(TEXTS_OUTSIDE_SLIDER, index)
        output.screenshot(path=artifacts / f"{name}-output{i}-after.png")  # unmasked, to look at
        move = {
            "output": i, "slider": label, "from": value, "to": moved_to,
            "changed_text": [t for t in after_texts if t not in before_texts],
            "pixels_changed": after_png != before_png,
        }
        moves.append(move)
        assert moved_to != value, f"{name}: slider {label!r} did not move with {key}"
        assert move["pixels_changed"], (
            f"{name}: moving slider {label!r} from {value} to {moved_to} changed nothing else "
            f"in its output (see {name}-output{i}-*.png)"
        )
    return moves


def assert_no_broken_widgets(page, name: str) -> None:
    """No widget error on screen or in the console, no uncaught error, no empty figure."""
    for text in BROKEN_WIDGET_TEXT:
        shown = page.get_by_text(text)
        assert shown.count() == 0, f"{name}: page shows {shown.first.inner_text()!r}"
    logged = [m for m in page.console_errors if any(p in m for p in BROKEN_WIDGET_CONSOLE)]
    assert not logged, f"{name}: widget errors in the console: {logged}"
    assert not page.errors, f"{name}: uncaught errors in the page: {page.errors}"
    deadline = time.monotonic() + 30  # a figure is drawn once its first frame arrives
    while True:
        empty = [i for i, drawn in enumerate(page.evaluate(FIGURES_DRAWN)) if not drawn]
        if not empty or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert not empty, f"{name}: figure(s) {empty} (in page order) stayed empty for 30 s"


@pytest.fixture(scope="module")
def report(artifacts):
    """Collects what each test moved and saw; written to test-artifacts/browser/report.json."""
    path = artifacts / "report.json"
    found = json.loads(path.read_text()) if path.exists() else {}
    yield found
    path.write_text(json.dumps(found, indent=2, sort_keys=True))


def _run_menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel").get_by_text(item, exact=True).click()


def run_in_lab(page, relpath: str) -> None:
    """Open the notebook in JupyterLab and run all its cells from the menu, as a person would."""
    page.errors.clear()
    page.console_errors.clear()
    page.evaluate(OPEN_NOTEBOOK, relpath)
    page.wait_for_function(KERNEL_IDLE, arg=relpath, timeout=90_000)
    _run_menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(NOT_YET_RUN)
    _run_menu(page, "Run", "Run All Cells")
    page.wait_for_function(RUN_FINISHED, timeout=240_000, polling=250)


def check_widths_in_lab(page, name: str, artifacts: Path) -> dict:
    """check_widths with JupyterLab's file browser open (it takes a column of the window)."""
    page.evaluate("() => window.jupyterapp.shell.activateById('filebrowser')")
    try:
        return check_widths(page, name, artifacts)
    finally:
        page.evaluate("() => window.jupyterapp.shell.collapseLeft()")


@pytest.mark.parametrize("relpath", LAB_NOTEBOOKS)
def test_notebook_in_jupyterlab(lab_page, artifacts, report, relpath):
    page, name = lab_page, f"lab-{_name(relpath)}"
    try:
        run_in_lab(page, relpath)
        page.screenshot(path=artifacts / f"{name}.png")
        check_run_and_move_sliders(page, name, relpath, artifacts, report)
        report[name]["figures_measured"] = check_widths_in_lab(page, name, artifacts)
        check_axe(page, artifacts, name, LAB_CONTENT, KNOWN_AXE.get(relpath, ()))
    finally:
        page.evaluate(CLOSE_NOTEBOOK)


def check_run_and_move_sliders(page, name, relpath, artifacts, report) -> None:
    cells = page.evaluate(CELL_OUTPUTS)
    errors = [
        f"cell [{c['count']}]: {o['ename']}: {o['evalue']}"
        for c in cells for o in c["outputs"] if o["output_type"] == "error"
    ]
    assert not errors, f"{relpath} raised: {errors}"
    stderr = [
        o["text"] for c in cells for o in c["outputs"]
        if o["output_type"] == "stream" and o["name"] == "stderr"
        and any(word in o["text"] for word in ("Traceback", "Warning", "Error"))
    ]
    assert not stderr, f"{relpath} wrote to stderr: {stderr}"
    assert not [c for c in cells if c["count"] is None], f"{relpath}: some cells did not run"
    news = page.get_by_text("Would you like to get notified about official Jupyter news?")
    assert news.count() == 0, "binder/overrides.json should turn the news pop-up off"

    assert_no_broken_widgets(page, relpath)
    moves = move_each_slider(page, name, artifacts)
    assert_no_broken_widgets(page, relpath)
    report[name] = {"cells_run": len(cells), "moves": moves}


def open_in_voila(page, server, relpath: str) -> None:
    """Render the notebook under Voila and wait for its first slider."""
    page.goto(server.url(f"voila/render/{relpath}"), timeout=120_000)
    page.locator("#rendered_cells").wait_for(state="visible", timeout=120_000)
    page.locator("#loading").wait_for(state="hidden")
    page.locator(".widget-slider .noUi-handle").first.wait_for(timeout=60_000)


@pytest.mark.parametrize("relpath", VOILA_PAGES)
def test_demo_under_voila(page, voila_server, artifacts, report, relpath):
    name = f"voila-{_name(relpath)}"
    open_in_voila(page, voila_server, relpath)

    assert page.locator(".jp-CodeCell .jp-InputArea").count() == 0, "Voila should hide the code"
    for word in ("Traceback", "There was an error when executing cell"):
        assert page.get_by_text(word).count() == 0, f"{relpath}: the page shows {word!r}"
    assert_no_broken_widgets(page, relpath)  # also waits for the figures to be drawn
    page.screenshot(path=artifacts / f"{name}.png", full_page=True)
    moves = move_each_slider(page, name, artifacts)
    assert moves, f"{relpath}: no slider to move"
    assert_no_broken_widgets(page, relpath)
    report[name] = {"moves": moves, "figures_measured": check_widths(page, name, artifacts)}
    check_axe(page, artifacts, name, VOILA_CONTENT)


def test_voila_tree_lists_every_demo(page, voila_server, artifacts):
    """What `make demo` opens: Voila's file list, with every demo page in it."""
    page.goto(voila_server.url("voila/tree"))
    page.locator(".jp-DirListing-item", has_text="demos").dblclick()
    for demo in [Path(p).name for p in VOILA_PAGES if p.startswith("demos/")]:
        page.locator(".jp-DirListing-itemText").get_by_text(demo, exact=True).wait_for()
    page.screenshot(path=artifacts / "voila-tree-demos.png")

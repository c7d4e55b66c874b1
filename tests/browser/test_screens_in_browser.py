"""The demos on every screen and for every student: the static fallback, dark theme, keyboard,
the readout's live region and the figure's accessible name, in headless Chromium.

The fallback runs where ipympl is not used: a fixture notebook that calls
``use_rendering("static")`` in JupyterLab, and a demo page under a Voila whose kernels have
``NNDL_RENDERING=static``. Screenshots land in test-artifacts/browser/.
"""

from __future__ import annotations

import time

from screens import (
    FIGURE_NAMES,
    LAB_CONTENT,
    LIVE_REGIONS,
    TAG_LIVE_REGIONS,
    VOILA_CONTENT,
    check_axe,
    check_widths,
    record_axe,
    severe_violations,
)
from test_widgets_in_browser import (
    CLOSE_NOTEBOOK,
    assert_no_broken_widgets,
    check_widths_in_lab,
    move_each_slider,
    open_in_voila,
    run_in_lab,
)

STATIC_IMAGES = "() => [...document.querySelectorAll('.nndl-figure img')].map(i => i.src.length)"
IMAGE_SOURCES = "() => [...document.querySelectorAll('.nndl-figure img')].map(i => i.src)"


def check_static_page(page, name: str, artifacts) -> None:
    """Static images, no ipympl canvas; a slider press gives a new image, the same live region
    a new text, and the image a new accessible name with the new numbers."""
    assert page.locator(".jupyter-matplotlib").count() == 0, f"{name}: ipympl was used"
    page.wait_for_function(f"() => ({STATIC_IMAGES})().length > 0", timeout=60_000)
    before_src = page.evaluate(IMAGE_SOURCES)
    before_text = page.evaluate(TAG_LIVE_REGIONS)
    before_names = page.evaluate(FIGURE_NAMES)
    assert before_text and all(before_text), f"{name}: no readout in a live region"
    assert all(f["name"] and "measured" in f["name"] for f in before_names), before_names
    moves = move_each_slider(page, name, artifacts)
    assert moves, f"{name}: no slider to move"
    page.wait_for_function(
        f"before => ({IMAGE_SOURCES})().some((s, i) => s !== before[i])", arg=before_src
    )
    check_live_region_and_name(page, name, before_text, before_names)


def check_live_region_and_name(page, name: str, before_text, before_names) -> None:
    """After a slider press: the tagged live regions are still there (not replaced), polite,
    and one says something new; the figures' names follow their readouts."""
    deadline = time.monotonic() + 10
    while True:
        live = page.evaluate(LIVE_REGIONS)
        names = page.evaluate(FIGURE_NAMES)
        if names != before_names or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert [r["tag"] for r in live] == [str(i) for i in range(len(before_text))], (
        f"{name}: a live region was replaced, not updated: {live}"
    )
    assert all(r["polite"] == "polite" for r in live), live
    assert [r["text"] for r in live] != before_text, f"{name}: no readout changed"
    assert names != before_names, f"{name}: no figure's accessible name changed: {names}"
    assert all(n["role"] == "img" and n["name"] for n in names), names


def test_static_fallback_in_jupyterlab(lab_page, artifacts):
    page, relpath, name = lab_page, "fixtures/static_demo.ipynb", "lab-static"
    try:
        run_in_lab(page, relpath)
        check_static_page(page, name, artifacts)
        assert_no_broken_widgets(page, relpath)
        check_widths_in_lab(page, name, artifacts)
        check_axe(page, artifacts, name, LAB_CONTENT)
    finally:
        page.evaluate(CLOSE_NOTEBOOK)


def test_static_fallback_under_voila(page, static_voila_server, artifacts):
    relpath, name = "demos/03_demon.ipynb", "voila-static-03_demon"
    open_in_voila(page, static_voila_server, relpath)
    check_static_page(page, name, artifacts)
    assert_no_broken_widgets(page, relpath)
    page.screenshot(path=artifacts / f"{name}.png", full_page=True)
    check_widths(page, name, artifacts)
    check_axe(page, artifacts, name, VOILA_CONTENT)
    # The whole page once, Voila's own template included, for the README's list.
    record_axe(artifacts, name, "whole_page", severe_violations(page, [["body"]]))


FOCUSED = """() => {
  const e = document.activeElement;
  return e ? {tag: e.tagName.toLowerCase(), text: e.innerText || '', value: e.value || ''} : null;
}"""


def tab_to(page, selector: str, presses: int = 12) -> None:
    """Press Tab until the focus is on an element matching ``selector``."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} not reached with Tab; focus is on {page.evaluate(FOCUSED)}")


def readouts(page) -> list[str]:
    return [r["text"] for r in page.evaluate(LIVE_REGIONS)]


def wait_for_new_readouts(page, before: list[str], what: str) -> None:
    deadline = time.monotonic() + 15
    while readouts(page) == before:
        assert time.monotonic() < deadline, f"{what} changed no readout"
        time.sleep(0.2)


def test_widget_demos_keyboard_dark_theme(lab_page, artifacts):
    """Three demos under ipympl: the live regions and names follow a slider; the toggle
    buttons and a dropdown are reached with Tab and changed with keys; in JupyterLab Dark the
    figures keep their white paper and our text its contrast (axe-core)."""
    page, relpath, name = lab_page, "fixtures/widget_demos.ipynb", "lab-widget-demos"
    try:
        run_in_lab(page, relpath)
        assert_no_broken_widgets(page, relpath)
        before_text, before_names = page.evaluate(TAG_LIVE_REGIONS), page.evaluate(FIGURE_NAMES)
        assert len(before_names) == 3 and all(n["kind"] == "canvas" for n in before_names)
        move_each_slider(page, name, artifacts)
        check_live_region_and_name(page, name, before_text, before_names)

        # Keyboard alone: from the notation demo's first control, Tab to a toggle button that
        # is not pressed and press Space; then Tab on to the equations' dropdown: ArrowDown, Enter.
        notation, equations = page.locator(".nndl-demo").nth(1), page.locator(".nndl-demo").nth(2)
        notation.locator(".widget-toggle-buttons button").first.focus()
        before = readouts(page)
        tab_to(page, ".widget-toggle-buttons button:not(.mod-active)")
        page.keyboard.press("Space")
        wait_for_new_readouts(page, before, "Space on a toggle button")
        equations.locator(".widget-slider .noUi-handle").first.focus()
        before = readouts(page)
        tab_to(page, ".nndl-demo select")
        page.keyboard.press("ArrowDown")  # a closed list changes at once, an open one on Enter
        page.keyboard.press("Enter")
        wait_for_new_readouts(page, before, "ArrowDown and Enter on a dropdown")

        check_widths_in_lab(page, name, artifacts)
        check_axe(page, artifacts, name, LAB_CONTENT)
        record_axe(artifacts, name, "whole_page", severe_violations(page, [["body"]]))
        check_dark_theme(page, name, artifacts)
    finally:
        page.evaluate(CLOSE_NOTEBOOK)


# The top-left pixel of each ipympl figure: the figure's paper.
PAPER = """() => [...document.querySelectorAll('.nndl-figure canvas:first-child')].map(c => {
  const [r, g, b, a] = c.getContext('2d').getImageData(1, 1, 1, 1).data;
  return {r, g, b, a};
})"""
SET_THEME = "theme => window.jupyterapp.commands.execute('apputils:change-theme', {theme})"


def check_dark_theme(page, name: str, artifacts) -> None:
    """In JupyterLab Dark: every figure on opaque light paper, our text with enough contrast
    (axe-core's color-contrast over the demos); a screenshot of the first demo."""
    page.evaluate(SET_THEME, "JupyterLab Dark")
    try:
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'")
        time.sleep(1.0)  # the theme's CSS variables reach every view
        papers = page.evaluate(PAPER)
        light = [p["a"] == 255 and min(p["r"], p["g"], p["b"]) > 230 for p in papers]
        assert papers and all(light), (
            f"{name}: in the dark theme a figure's paper is not opaque and light: {papers}"
        )
        demo = page.locator(".nndl-demo").first
        demo.scroll_into_view_if_needed()
        demo.screenshot(path=artifacts / f"{name}-dark.png")
        violations = severe_violations(page, [[".nndl-demo"]])
        record_axe(artifacts, name, "dark_theme_demos", violations)
        assert not violations, f"{name}: in the dark theme axe-core finds: {violations}"
    finally:
        page.evaluate(SET_THEME, "JupyterLab Light")
        page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'")

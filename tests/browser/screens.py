"""Checks shared by the browser tests: axe-core, figures that fit, the readout's live region.

axe-core comes bundled in the PyPI package axe-playwright-python (nothing is downloaded while
testing). Each axe run is written to test-artifacts/browser/axe.json: per page, the serious and
critical violations in our content (notebook cells and outputs, Voila's rendered cells) and, for
the pages checked whole, those in JupyterLab's or Voila's own chrome.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

WIDTHS = (1024, 1280, 1920)
SEVERE = ("serious", "critical")
# Our content: what the notebooks and demos render (not JupyterLab's toolbars, editors, menus).
LAB_CONTENT = [[".jp-NotebookPanel .jp-OutputArea"], [".jp-NotebookPanel .jp-MarkdownOutput"]]
VOILA_CONTENT = [["#rendered_cells"]]

# Each figure (ipympl canvas or image) in a top-level cell output, and the output's box.
FIGURE_BOXES = """() => {
  const outputs = [...document.querySelectorAll('.jp-OutputArea-output')]
    .filter(o => !o.parentElement.closest('.jp-OutputArea-output'));
  const found = [];
  outputs.forEach((o, i) => {
    const area = o.getBoundingClientRect();
    for (const f of o.querySelectorAll('.jupyter-matplotlib-canvas-div, img')) {
      const box = f.getBoundingClientRect();
      if (!box.width) continue;  // not shown (a collapsed output)
      found.push({output: i, kind: f.tagName.toLowerCase(), left: box.left, right: box.right,
                  width: box.width, area_left: area.left, area_right: area.right});
    }
  });
  return found;
}"""


def severe_violations(page, include, exclude=()) -> list[dict]:
    """axe-core's serious and critical violations within ``include``: rule, impact, nodes."""
    from axe_playwright_python.sync_playwright import Axe

    context = {"include": include, "exclude": list(exclude)} if exclude else {"include": include}
    response = Axe().run(page, context=context).response
    return [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [" ".join(map(str, n["target"])) for n in v["nodes"]][:5],
            "count": len(v["nodes"]),
        }
        for v in response["violations"]
        if v["impact"] in SEVERE
    ]


def record_axe(artifacts: Path, name: str, key: str, violations: list[dict]) -> None:
    """Add one page's violations to axe.json (read, update, write: tests run one at a time)."""
    path = artifacts / "axe.json"
    found = json.loads(path.read_text()) if path.exists() else {}
    found.setdefault(name, {})[key] = {
        "serious_or_critical": sum(v["count"] for v in violations),
        "violations": violations,
    }
    path.write_text(json.dumps(found, indent=2, sort_keys=True))


def check_axe(page, artifacts: Path, name: str, include, known=()) -> None:
    """Zero serious or critical axe-core violations in our content on this page, apart from
    the ``known`` rules (recorded in axe.json all the same)."""
    violations = severe_violations(page, include)
    record_axe(artifacts, name, "content", violations)
    left = [v for v in violations if v["rule"] not in known]
    assert not left, f"{name}: axe-core finds in our content: {left}"


def figures_outside(page) -> list[dict]:
    """The figures whose box reaches out of their output area (1 px allowed for rounding)."""
    return [
        f for f in page.evaluate(FIGURE_BOXES)
        if f["left"] < f["area_left"] - 1 or f["right"] > f["area_right"] + 1
    ]


def check_widths(page, name: str, artifacts: Path, widths=WIDTHS) -> dict:
    """At each window width, no figure wider than its output area; the viewport comes back
    to 1280 px. Returns, per width, how many figures were measured."""
    measured = {}
    try:
        for width in widths:
            page.set_viewport_size({"width": width, "height": 800})
            deadline = time.monotonic() + 5  # the layout follows the window in a frame or two
            while True:
                time.sleep(0.3)
                outside = figures_outside(page)
                if not outside or time.monotonic() > deadline:
                    break
            if outside:
                page.screenshot(path=artifacts / f"{name}-width{width}.png")
            assert not outside, (
                f"{name}: at {width} px, figure(s) wider than their output area: {outside} "
                f"(see {name}-width{width}.png)"
            )
            measured[width] = len(page.evaluate(FIGURE_BOXES))
    finally:
        page.set_viewport_size({"width": 1280, "height": 800})
    return measured


# The readout's live region, tagged so that an update that replaced it would be seen.
TAG_LIVE_REGIONS = """() => {
  const live = [...document.querySelectorAll('.nndl-readout [role=status][aria-live=polite]')];
  live.forEach((e, i) => { e.dataset.nndlTag = String(i); });
  return live.map(e => e.innerText);
}"""
LIVE_REGIONS = """() => [...document.querySelectorAll('.nndl-readout [role=status]')].map(e => ({
  tag: e.dataset.nndlTag || null, polite: e.getAttribute('aria-live'), text: e.innerText}))"""
# Each demo's figure and its accessible name (ipympl's canvas box or the static image).
FIGURE_NAMES = """() => [...document.querySelectorAll('.nndl-demo')].map(demo => {
  const box = demo.querySelector('.nndl-figure .jupyter-matplotlib-canvas-div');
  const img = demo.querySelector('.nndl-figure img');
  if (box) return {kind: 'canvas', role: box.getAttribute('role'),
                   name: box.getAttribute('aria-label')};
  if (img) return {kind: 'img', role: 'img', name: img.getAttribute('alt')};
  return {kind: 'none', role: null, name: null};
})"""

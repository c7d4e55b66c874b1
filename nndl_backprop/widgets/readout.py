"""A demo's readout: its numbers, announced when they change, and its figure's text alternative.

ipywidgets' ``HTML`` replaces its content on every update and has no way to set ARIA
attributes, and a live region created anew with each update is often not announced. The
:class:`Readout` keeps one ``role="status"`` element for its whole life and changes only what it
holds; its view also gives the demo's figure (an ipympl canvas or a static image) the readout's
sentence as its accessible name, gives ipywidgets' slider handles their label as theirs (they
have none), keeps the arrow keys of a focused dropdown from JupyterLab's shortcuts, and carries
the stylesheet that fits figures to their output area and keeps the readout legible in dark
themes. It is an anywidget: plain JavaScript, no
build step, and the same in JupyterLab, Voila, Notebook 7, VS Code and Colab.
"""

from __future__ import annotations

import html
import re

import anywidget
import traitlets

from .render import FIGURE_CLASS

DEMO_CLASS = "nndl-demo"  # the class of a demo's outer box, within which the readout labels

_ESM = f"""
function render({{ model, el }}) {{
  el.classList.add("nndl-readout");
  const live = document.createElement("div");
  live.className = "nndl-readout-text";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  el.appendChild(live);
  const label = () => {{
    const root = el.closest(".{DEMO_CLASS}");
    const text = model.get("alt");
    if (!root) return;
    for (const box of root.querySelectorAll(".{FIGURE_CLASS} .jupyter-matplotlib-canvas-div")) {{
      if (text && box.getAttribute("aria-label") !== text) {{
        box.setAttribute("role", "img");
        box.setAttribute("aria-label", text);
      }}
      box.querySelectorAll("canvas").forEach(c => c.setAttribute("aria-hidden", "true"));
    }}
    for (const img of root.querySelectorAll(".{FIGURE_CLASS} img")) {{
      if (text && img.alt !== text) img.alt = text;
    }}
    // JupyterLab's notebook shortcuts take the arrow keys from a focused dropdown (they move
    // to the next cell): keep them for the dropdown.
    for (const select of root.querySelectorAll("select:not([data-lm-suppress-shortcuts])")) {{
      select.setAttribute("data-lm-suppress-shortcuts", "true");
    }}
    // ipywidgets' slider handles (role="slider") have no name: give them their label's,
    // once (no demo renames a slider). innerText makes the browser lay the page out, which
    // in a long notebook took milliseconds at every key press: only unnamed handles ask it.
    for (const slider of root.querySelectorAll(".widget-slider")) {{
      const unnamed = slider.querySelectorAll(".noUi-handle:not([aria-label])");
      if (!unnamed.length) continue;
      const name = ((slider.querySelector(".widget-label") || {{}}).innerText || "").trim();
      if (name) unnamed.forEach(handle => handle.setAttribute("aria-label", name));
    }}
  }};
  // While a demo trains or times something, a line says what it is doing; the numbers above
  // stay the last run's until the new ones arrive, and the live region is marked busy so a
  // screen reader waits for them rather than reading the old ones again.
  const busy = document.createElement("div");
  busy.className = "nndl-readout-busy";
  busy.setAttribute("aria-hidden", "true");
  el.appendChild(busy);
  const working = () => {{
    const text = model.get("busy");
    busy.textContent = text;
    busy.style.display = text ? "" : "none";
    live.setAttribute("aria-busy", text ? "true" : "false");
  }};
  const show = () => {{ live.innerHTML = model.get("value"); label(); }};
  model.on("change:value", show);
  model.on("change:alt", label);
  model.on("change:busy", working);
  show();
  working();
  // A static figure is a new <img> on every change, and the figure's view may come up after
  // this one: label whatever appears inside the demo.
  let observer = null, tries = 0;
  const watch = () => {{
    const root = el.closest(".{DEMO_CLASS}");
    if (root) {{
      observer = new MutationObserver(label);
      observer.observe(root, {{ childList: true, subtree: true }});
      label();
    }} else if (tries++ < 500) {{
      setTimeout(watch, 20);  // soon after this view joins its box: a figure may be up already
    }}
  }};
  watch();
  return () => observer && observer.disconnect();
}}
export default {{ render }};
"""

_CSS = f"""
.nndl-readout-busy {{ font-style: italic; opacity: 0.85; }}
.nndl-readout {{
  color: var(--jp-widgets-color, var(--jp-content-font-color1, inherit));
  font-size: var(--jp-widgets-font-size, 13px);
  margin: 4px 2px;
}}
/* A figure never grows wider than its output area; it keeps its shape as it shrinks. Every
   ipympl figure on the page, a demo's or one a cell shows. */
.{FIGURE_CLASS}, .jupyter-matplotlib, .jupyter-matplotlib-figure,
.jupyter-matplotlib-canvas-container {{ max-width: 100%; min-width: 0; }}
.jupyter-matplotlib-canvas-div {{ max-width: 100%; height: auto !important; }}
.jupyter-matplotlib-canvas-div > canvas:first-child {{
  position: relative !important; width: 100% !important; height: auto !important;
}}
.jupyter-matplotlib-canvas-div > canvas + canvas {{
  width: 100% !important; height: 100% !important;
}}
.{FIGURE_CLASS} img {{ max-width: 100%; height: auto; }}
/* Dark themes: the figure keeps its white paper, so its black ink stays readable. */
.{FIGURE_CLASS} canvas:first-child, .{FIGURE_CLASS} img {{ background: #fff; }}
"""


class Readout(anywidget.AnyWidget):
    """The numbers a demo shows (``value``, HTML) in a polite live region, and ``alt``, the
    figure's accessible name: ``figure`` (one sentence on what the picture shows, with its
    numbers) followed by the readout as plain text. Set ``figure`` before ``value``."""

    _esm = _ESM
    _css = _CSS
    value = traitlets.Unicode("").tag(sync=True)
    alt = traitlets.Unicode("").tag(sync=True)
    figure = traitlets.Unicode("")  # kept in the kernel: it reaches the page inside ``alt``
    busy = traitlets.Unicode("").tag(sync=True)  # what a live demo is doing; "" when idle

    def working(self, text: str) -> None:
        """Say at once what the demo is doing (e.g. "training: epoch 2 of 5 …").

        Sent now, even in the middle of an update whose other changes reach the page together
        when it ends (:class:`~.base.Demo` holds them); the update's end clears it.
        """
        self.busy = text
        self.send_state("busy")

    @traitlets.observe("value", "figure")
    def _text_alternative(self, _change) -> None:
        self.alt = f"{self.figure} {plain(self.value)}".strip()


def plain(markup: str) -> str:
    """HTML as plain text read aloud: tags dropped, line and row breaks as "; ", minus signs."""
    text = re.sub(r"<br\s*/?>|</tr>|</p>", "; ", markup)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"(?<![\w.])-(?=\d)", "−", text)
    return re.sub(r"\s+", " ", text).replace(" ;", ";").replace(" ,", ",").strip(" ;")


def number(x: float, spec: str = "+.4f") -> str:
    """``x`` formatted for a sentence read aloud: a true minus sign (−), read as "minus"."""
    return format(x, spec).replace("-", "−")

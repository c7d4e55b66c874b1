"""Slider latency in a real browser: every demo, every slider, key presses, JupyterLab and Voila.

Run from the repository root (needs Debian's Chromium at /usr/bin/chromium and the playwright
Python package, never ``playwright install``; about 5 minutes on a quiet machine, 10–20 on a
busy one):

    .venv/bin/python benchmarks/bench_browser.py                 # make bench-browser
    .venv/bin/python benchmarks/bench_browser.py --only 03_demon --presses 2
    .venv/bin/python benchmarks/bench_browser.py --busy-cores 1  # one core taken by other work

It starts a JupyterLab and a Voila server on 127.0.0.1 (as tests/browser does, on a scratch
copy of notebooks/ and demos/; JupyterLab with the settings a student gets, not the tests'
``windowingMode`` "none", unless ``--lab-windowing`` says otherwise), opens every notebook
with widgets in JupyterLab (Run All first) and every demo page under Voila, and in every cell
output that holds a slider presses ArrowRight / ArrowLeft on each enabled slider's handle,
``--presses`` times.

Each press is timed on the page's own clock (``performance.now()``), by hooks installed
before the page loads: a keydown listener, wrappers around canvas ``drawImage`` /
``putImageData``, a MutationObserver on the widget outputs (the slider itself excluded), and a
WebSocket wrapper that records the time and size of every message. From the keydown:

- first: the first canvas draw or change of the widget outputs outside the slider;
- complete: the last such change before the page has been quiet for 250 ms;
- where the time goes: keydown → the first message sent to the kernel (the browser side of
  the widget); → the first message back (the kernel's round trip); → the last message of the
  update (the kernel's work: the computation, matplotlib's drawing, PNG encoding, the comm
  messages); → the first draw after it (the browser decoding the image and drawing it); and
  the bytes received per press (the images' size).

Prints median and p95 per demo (a notebook's presses split by the demo they moved, live demos
marked) and overall, with and without the live demos, and the breakdown; asserts nothing.
``--markdown FILE`` also writes the table as Markdown, for the README.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))
from conftest import (  # noqa: E402  (the tests' server and browser setup, reused as is)
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    _free_port,
    clean_jupyter_env,
    start_jupyterlab,
)

WIDGET_MARKERS = ("ipywidgets", "nndl_backprop.widgets")
QUIET_MS = 250
DEADLINE = [float("inf")]  # time.monotonic() after which no new page is started (--max-minutes)
SLIDER_OUTPUTS = (
    ".jp-OutputArea-output:not(.jp-OutputArea-output .jp-OutputArea-output):has(.widget-slider)"
)

# Installed before any page script: records what happens, with performance.now() times.
HOOKS = """(() => {
  const log = {events: [], ws: []};
  window.__latency = log;
  const now = () => performance.now();
  document.addEventListener('keydown', () => log.events.push({t: now(), kind: 'key'}), true);
  for (const name of ['drawImage', 'putImageData']) {
    const original = CanvasRenderingContext2D.prototype[name];
    CanvasRenderingContext2D.prototype[name] = function (...args) {
      const c = this.canvas;
      c.__nndlDrawn = true;
      if (!c.closest || !c.closest('.widget-slider'))
        log.events.push({t: now(), kind: 'draw', pixels: c.width * c.height});
      return original.apply(this, args);
    };
  }
  const watch = () => new MutationObserver(records => {
    for (const r of records) {
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (!el || el.closest('.widget-slider')) continue;
      if (!el.closest('.jp-OutputArea-output, .jupyter-widgets')) continue;
      log.events.push({t: now(), kind: 'dom'});
      return;
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
                             attributes: true, attributeFilter: ['src', 'style', 'value']});
  if (document.body) watch(); else document.addEventListener('DOMContentLoaded', watch);
  const size = d => typeof d === 'string' ? d.length : (d.byteLength ?? d.size ?? 0);
  const Original = window.WebSocket;
  window.WebSocket = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => log.ws.push({t: now(), dir: 'in', size: size(e.data)}));
    }
    send(data) {
      log.ws.push({t: now(), dir: 'out', size: size(data)});
      return super.send(data);
    }
  };
})()"""

RESET = "() => { window.__latency.events.length = 0; window.__latency.ws.length = 0; }"
LAST_EVENT = """() => {
  const all = [...window.__latency.events, ...window.__latency.ws];
  return all.length ? Math.max(...all.map(e => e.t)) : null;
}"""
NOW = "() => performance.now()"
FIGURES_DRAWN = """() => [...document.querySelectorAll(
  '.jupyter-matplotlib-canvas-div > canvas:first-child')].every(c => c.__nndlDrawn)"""
READ_S = 1.0
NOTEBOOK_SETTINGS = "@jupyterlab/notebook-extension:tracker"
WINDOWING_MODES = ("contentVisibility", "defer", "full", "none")


def with_widgets(folder: str) -> list[str]:
    paths = sorted((REPO / folder).glob("*.ipynb"))
    return [
        str(p.relative_to(REPO)) for p in paths if any(m in p.read_text() for m in WIDGET_MARKERS)
    ]


# ----- servers ---------------------------------------------------------------------------------
def scratch_site(root: Path) -> Path:
    site = root / "site"
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    for name in ("notebooks", "demos"):
        shutil.copytree(REPO / name, site / name, ignore=ignore)
    shutil.copy(REPO / "demos" / "voila.json", site / "voila.json")
    return site


def start_lab(site: Path, env: dict, root: Path, windowing: str | None) -> Server:
    """JupyterLab with the settings a student has (binder/overrides.json over JupyterLab's
    defaults, whose windowingMode "contentVisibility" lets the browser skip laying out and
    painting the cells out of view), not the tests' (every cell rendered); ``windowing``
    sets another windowingMode, to compare."""
    settings = root / "lab-app-settings"
    settings.mkdir()
    extra = {} if windowing is None else {NOTEBOOK_SETTINGS: {"windowingMode": windowing}}
    server = start_jupyterlab(site, env, settings, root / "lab.log", extra=extra)
    server.wait_ready("api/status")
    return server


def start_voila(site: Path, env: dict, root: Path) -> Server:
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1",
        f"--port={port}", "--Voila.port_retries=0", f"--token={token}", str(site),
    ]  # fmt: skip
    server = Server("Voila", cmd, port, token, env, site, root / "voila.log")
    server.wait_ready("")
    return server


# ----- one page: press every slider ------------------------------------------------------------
def press_every_slider(page, presses: int) -> list[dict]:
    """Press each enabled slider's handle ``presses`` times; one timing record per press."""
    records = []
    page.mouse.move(0, 0)
    outputs = page.locator(SLIDER_OUTPUTS)
    for i in range(outputs.count()):
        sliders = outputs.nth(i).locator(".widget-slider")
        for k in range(sliders.count()):
            slider = sliders.nth(k)
            handle = slider.locator(".noUi-handle").first
            if slider.locator(".noUi-handle[disabled]").count() or not handle.is_visible():
                continue
            # textContent, not innerText: a cell that JupyterLab's contentVisibility mode has not
            # rendered yet has no innerText.
            label = slider.locator(".widget-label").first.text_content().strip() or f"slider {k}"
            handle.focus()
            settle(page)
            for p in range(presses):
                at_max = float(handle.get_attribute("aria-valuenow")) >= float(
                    handle.get_attribute("aria-valuemax")
                )
                key = "ArrowLeft" if at_max or p % 2 else "ArrowRight"
                page.evaluate(RESET)
                handle.press(key)
                settle(page)
                record = timing(page.evaluate("() => window.__latency"))
                if record:
                    records.append({"output": i, "slider": label, **record})
    return records


def page_ready(page) -> None:
    """Wait until every figure on the page shows its first picture, then READ_S more seconds
    (a student reads the page before touching a slider; the kernel finishes starting up):
    the presses measure the sliders, not the page's loading."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(FIGURES_DRAWN, timeout=60_000, polling=100)
    except PlaywrightTimeout:
        print("  (a figure was still blank after 60 s: measuring anyway)")
    settle(page, timeout=30)
    time.sleep(READ_S)
    settle(page, timeout=30)


def settle(page, timeout: float = 15.0) -> None:
    """Wait until nothing has happened on the page for QUIET_MS (or the timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.05)
        last, now = page.evaluate(LAST_EVENT), page.evaluate(NOW)
        if last is None or now - last >= QUIET_MS:
            return


def timing(log: dict) -> dict | None:
    """The press's times (ms after keydown) and bytes, from the page's own records."""
    keys = [e["t"] for e in log["events"] if e["kind"] == "key"]
    if not keys:
        return None
    t0 = keys[0]
    changes = sorted(e["t"] - t0 for e in log["events"] if e["kind"] != "key" and e["t"] >= t0)
    draws = [e for e in log["events"] if e["kind"] == "draw" and e["t"] >= t0]
    sent = [m["t"] - t0 for m in log["ws"] if m["dir"] == "out" and m["t"] >= t0]
    received = [m for m in log["ws"] if m["dir"] == "in" and m["t"] >= t0]
    if not changes:
        return None
    last_in = max((m["t"] - t0 for m in received), default=None)
    first_draw_after = [e["t"] - t0 for e in draws if last_in is None or e["t"] - t0 >= last_in]
    return {
        "first": changes[0],
        "complete": changes[-1],
        "sent": sent[0] if sent else None,
        "first_in": min((m["t"] - t0 for m in received), default=None),
        "last_in": last_in,
        "draw_after_last_in": first_draw_after[0] if first_draw_after else None,
        "draws": len(draws),
        "bytes_in": sum(m["size"] for m in received),
        "messages_in": len(received),
    }


# ----- the two front ends ----------------------------------------------------------------------
def measure_voila(browser, server, pages, presses, results: dict) -> None:
    """Fills ``results`` page by page, so an interrupted run keeps what it measured."""
    for relpath in pages:
        if time.monotonic() > DEADLINE[0]:
            print(f"  time budget spent: {relpath} and later pages not measured")
            return
        context, page = new_page(browser)
        try:
            page.goto(server.url(f"voila/render/{relpath}"), timeout=180_000)
            page.locator("#rendered_cells").wait_for(state="visible", timeout=180_000)
            page.locator("#loading").wait_for(state="hidden", timeout=180_000)
            page.locator(".widget-slider .noUi-handle").first.wait_for(timeout=60_000)
            page_ready(page)
            results[f"voila {Path(relpath).stem}"] = press_every_slider(page, presses)
        finally:
            context.close()
        print(f"  voila {relpath}: {len(results.get(f'voila {Path(relpath).stem}', []))} presses")


def measure_lab(browser, server, notebooks, presses, results: dict) -> None:
    """Fills ``results`` notebook by notebook (see :func:`measure_voila`)."""
    context, page = new_page(browser)
    try:
        page.goto(server.url("lab", "reset"))
        page.wait_for_function("() => window.jupyterapp !== undefined", timeout=120_000)
        page.evaluate("() => window.jupyterapp.restored")
        for relpath in notebooks:
            if time.monotonic() > DEADLINE[0]:
                print(f"  time budget spent: {relpath} and later notebooks not measured")
                return
            page.evaluate(
                "async p => { await window.jupyterapp.commands.execute("
                "'docmanager:open', {path: p}); }",
                relpath,
            )
            page.wait_for_function(
                """p => { const w = window.jupyterapp.shell.currentWidget;
                  const k = w && w.context && w.context.path === p && w.sessionContext
                    && w.sessionContext.session && w.sessionContext.session.kernel;
                  return !!k && k.status === 'idle'; }""",
                arg=relpath, timeout=120_000,
            )  # fmt: skip
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_function(
                """() => { const w = window.jupyterapp.shell.currentWidget;
                  const k = w.sessionContext.session.kernel;
                  const cells = w.content.widgets.filter(c => c.model.type === 'code'
                    && c.model.sharedModel.getSource().trim() !== '');
                  const failed = cells.some(
                    c => c.model.outputs.toJSON().some(o => o.output_type === 'error'));
                  return k.status === 'idle' && cells.every(c => c.model.executionCount !== null)
                    || failed;
                }""",
                timeout=600_000, polling=500,
            )  # fmt: skip
            page_ready(page)
            results[f"lab {Path(relpath).stem}"] = press_every_slider(page, presses)
            print(f"  lab {relpath}: {len(results[f'lab {Path(relpath).stem}'])} presses")
            page.evaluate(
                """async () => { const w = window.jupyterapp.shell.currentWidget;
                  await w.sessionContext.shutdown(); w.dispose(); }"""
            )
    finally:
        context.close()


def new_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith("http://127.0.0.1:")
            else route.abort()
        ),
    )
    context.add_init_script(HOOKS)
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


# ----- report ----------------------------------------------------------------------------------
def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def fmt(values) -> str:
    values = [v for v in values if v is not None]
    return f"{statistics.median(values):.0f} / {p95(values):.0f}" if values else "–"


def slider_names() -> dict:
    """{demo's stem: the names of its sliders}, from every demo of the registry built on Agg
    (what the page's slider labels are matched against)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nndl_backprop.widgets.registry import DEMOS

    names = {}
    for entry in DEMOS:
        demo = entry.build()
        names[entry.stem] = {
            c.description.strip() for c in demo.controls.values() if hasattr(c, "readout")
        }
        plt.close("all")
    return names


def by_demo(results: dict) -> dict:
    """The records per demo: a Voila page is one demo; a notebook's records are split by
    the output they came from, each named after the demo of the notebook whose sliders bear
    the same names ("lab 05_saturation · 05c_slow_learning"). Live demos (they train or time
    something) are marked, since the targets are for the others."""
    from nndl_backprop.widgets.registry import DEMOS

    entries = {d.stem: d for d in DEMOS}
    names = slider_names()
    grouped = {}
    for page, records in results.items():
        if page.startswith("voila"):
            stem = page.split(" ", 1)[1]
            live = entries[stem].live if stem in entries else False
            grouped[page + (" (live)" if live else "")] = (records, live)
            continue
        notebook = page.split(" ", 1)[1]
        for output in sorted({r["output"] for r in records}):
            mine = [r for r in records if r["output"] == output]
            labels = {r["slider"] for r in mine}
            match = [
                d for d in DEMOS if d.notebook == notebook and labels <= names.get(d.stem, set())
            ]
            name = f"{page} · {match[0].stem}" if len(match) == 1 else f"{page} · output {output}"
            live = len(match) == 1 and match[0].live
            grouped[name + (" (live)" if live else "")] = (mine, live)
    return grouped


def summary(results: dict) -> list[list[str]]:
    rows = []
    grouped = by_demo(results)
    everything = {
        "all Voila": [],
        "all Voila, not live": [],
        "all JupyterLab": [],
        "all JupyterLab, not live": [],
    }
    for name, (records, live) in grouped.items():
        front = "all Voila" if name.startswith("voila") else "all JupyterLab"
        everything[front] += records
        if not live:
            everything[front + ", not live"] += records
    pages = {name: records for name, (records, _) in grouped.items()}
    for name, records in [*pages.items(), *everything.items()]:
        if not records:
            continue

        def col(key, records=records):
            return [r[key] for r in records]

        kernel = [
            r["last_in"] - r["sent"]
            for r in records
            if r["last_in"] is not None and r["sent"] is not None
        ]
        decode = [
            r["draw_after_last_in"] - r["last_in"]
            for r in records
            if r["draw_after_last_in"] is not None and r["last_in"] is not None
        ]
        rows.append([
            name, str(len(records)), fmt(col("first")), fmt(col("complete")), fmt(col("sent")),
            fmt(kernel), fmt(decode), f"{statistics.median(col('bytes_in')) / 1024:.0f}",
            f"{statistics.median(col('draws')):.0f}",
        ])  # fmt: skip
    return rows


HEADER = [
    "page", "presses", "first ms", "complete ms", "key→send", "send→last msg in",
    "last msg→draw", "KiB in", "draws",
]  # fmt: skip


def text_table(rows) -> str:
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    line = "  ".join(f"{{:<{widths[0]}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line.format(*HEADER), rule, *(line.format(*r) for r in rows)])


def markdown_table(rows) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in rows])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=4, help="key presses per slider")
    parser.add_argument("--only", help="only pages whose path contains this text")
    parser.add_argument("--no-lab", action="store_true", help="Voila only")
    parser.add_argument("--no-voila", action="store_true", help="JupyterLab only")
    parser.add_argument("--json", help="write every press's record to this file")
    parser.add_argument("--max-minutes", type=float, help="start no new page after this long")
    parser.add_argument("--markdown", help="write the table as Markdown to this file")
    parser.add_argument(
        "--lab-windowing",
        choices=WINDOWING_MODES,
        help="JupyterLab's notebook windowingMode (default: JupyterLab's own default, as a "
        "student has it; the browser tests use none)",
    )
    parser.add_argument(
        "--busy-cores",
        type=int,
        default=0,
        help="keep N other processes spinning during the run (a machine shared with other "
        "work, reproducibly); default 0",
    )
    args = parser.parse_args(argv)
    if args.busy_cores < 0 or args.presses < 1:
        parser.error("--busy-cores takes a whole number >= 0, --presses one >= 1")
    if not CHROMIUM.exists():
        sys.exit(f"no Chromium at {CHROMIUM}: apt-get install chromium (never playwright install)")
    from playwright.sync_api import sync_playwright

    def chosen(paths):
        return [p for p in paths if not args.only or args.only in p]

    if args.max_minutes:
        DEADLINE[0] = time.monotonic() + 60 * args.max_minutes
    root = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    servers = []
    results = {}
    spinners = [
        subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy_cores)
    ]
    try:
        site, env = scratch_site(root), clean_jupyter_env(root)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            if not args.no_voila:
                servers.append(start_voila(site, env, root))
                print("Voila:")
                measure_voila(
                    browser, servers[-1], chosen(with_widgets("demos")), args.presses, results
                )
            if not args.no_lab:
                servers.append(start_lab(site, env, root, args.lab_windowing))
                print("JupyterLab:")
                measure_lab(
                    browser, servers[-1], chosen(with_widgets("notebooks")), args.presses, results
                )
            browser.close()
    except KeyboardInterrupt:  # Ctrl-C: report what was measured so far
        print("interrupted: the table covers the pages measured so far")
    except Exception:  # a page that failed: report the others, and the error
        traceback.print_exc()
        print("stopped by the error above: the table covers the pages measured so far")
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
        for server in servers:
            server.stop()
        shutil.rmtree(root, ignore_errors=True)
    one, five, _ = os.getloadavg()
    windowing = args.lab_windowing or "JupyterLab's default"
    print(
        f"\nSlider latency, ms after the keydown (median / p95); load average {one:.1f} (1 min),"
        f" {five:.1f} (5 min) on {os.cpu_count()} CPUs, {args.busy_cores} of them kept busy by"
        f" --busy-cores; JupyterLab windowingMode: {windowing}"
    )
    rows = summary(results)
    print(text_table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    if args.markdown:
        Path(args.markdown).write_text(markdown_table(rows) + "\n")


if __name__ == "__main__":
    main()

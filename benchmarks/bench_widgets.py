"""Widget latency: drive every demo's controls programmatically and time each update.

Times every demo of ``nndl_backprop.widgets.registry`` (so demos added later are timed too)
with its module's ``LATENCY_CASES``, builds each demo on the Agg backend (no browser, no ipympl) and
applies each listed setting of the controls. Each update is timed from
``demo.set(...)`` until the new picture is rendered: the computation, the plot data set in
place, and the Agg rendering the browser's new picture needs. Figures that blit
(``widgets.render.Blit``) render inside the update; any other figure gets a full
``fig.canvas.draw()``, as ipympl's ``draw_idle`` would ask for. (ipympl's PNG encoding of the
changed pixels is not included.) Wall-clock times depend on what else the machine runs, so the
CPU time of the process is printed too, with the load average.

Some updates are by nature a measurement: a demo that times code live (minibatch, speed) or
trains a network (training) does so once per distinct setting and remembers the result; such
an update says so in its state (``"measured_now": True``). Those updates are reported on a
line of their own and left out of the target (their time is the timing or the training the
student asked for); a return to a setting seen before is an ordinary update and counts.

Target: median ≤ 30 ms and 95th percentile ≤ 60 ms of wall-clock time. The last column
counts the updates that had to render a whole figure (new axis limits, curves or colour bars:
a dropdown or a layer change) rather than blit a few artists, and their median time. Prints a
table; asserts nothing.
Run: ``.venv/bin/python benchmarks/bench_widgets.py [--repeats N] [module ...]``
"""

from __future__ import annotations

import argparse
import os
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot  # noqa: E402
import numpy as np  # noqa: E402

from nndl_backprop.widgets.registry import DEMOS  # noqa: E402


def time_demo(demo, settings, repeats: int):
    """(wall times, CPU times, whether whole figures were rendered, whether the update ran a
    measurement or a training), one entry per update."""
    demo.stage.offscreen = True  # render as a browser would need, without one
    for fig in demo.figures:
        fig.canvas.draw()  # the first render builds font caches; do not time it
    demo.refresh()
    full_draw = [fig for fig in demo.figures if fig not in demo.stage.current]
    wall, cpu, full, measuring = [], [], [], []
    for _ in range(repeats):
        for values in settings:
            start, start_cpu = time.perf_counter(), time.process_time()
            demo.set(**values)
            for fig in full_draw:
                fig.canvas.draw()
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            if demo.error is not None:
                raise RuntimeError(f"{values} gave an error: {demo.error}")
            drawn = demo.stage.current
            full.append(bool(full_draw) or any(drawn[fig].last_full for fig in demo.figures))
            measuring.append(bool(demo.state.get("measured_now", False)))
    return np.array(wall), np.array(cpu), np.array(full), np.array(measuring)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="widgets modules to time (default: all)")
    parser.add_argument("--repeats", type=int, default=3, help="passes through each case list")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; times per update")
    header = (
        f"{'demo':<40} {'n':>4} {'median':>8} {'p95':>8} {'cpu med':>8} {'cpu p95':>8}"
        f"  {'target':<6}  full renders: n, median"
    )
    print(header)
    print("-" * len(header))
    ms = 1000.0
    for entry in DEMOS:
        if args.modules and entry.module not in args.modules:
            continue
        demo = entry.build()
        wall, cpu, full, measuring = time_demo(demo, entry.latency_cases(), args.repeats)
        label = entry.module + "." + entry.builder
        if measuring.any():
            print(
                f"{label + ' (measures)':<40} {measuring.sum():>4} "
                f"{np.median(wall[measuring]) * ms:>6.1f}ms {'':>8} "
                f"{np.median(cpu[measuring]) * ms:>6.1f}ms {'':>8}  {'n/a':<6}  "
                "first visit of a setting: times or trains live, then remembered"
            )
            wall, cpu, full = wall[~measuring], cpu[~measuring], full[~measuring]
            label += " (revisits)"
        med, p95 = np.median(wall) * ms, np.percentile(wall, 95) * ms
        verdict = "ok" if med <= 30 and p95 <= 60 else "SLOW"
        fulls = f"{full.sum()}, {np.median(wall[full]) * ms:.0f} ms" if full.any() else "0"
        if not demo.figures:
            fulls += " (Demo(figures=...) not given: rendering not timed)"
        print(
            f"{label:<40} {len(wall):>4} {med:>6.1f}ms {p95:>6.1f}ms "
            f"{np.median(cpu) * ms:>6.1f}ms {np.percentile(cpu, 95) * ms:>6.1f}ms"
            f"  {verdict:<6}  {fulls}"
        )
        for fig in demo.figures:
            matplotlib.pyplot.close(fig)


if __name__ == "__main__":
    main()

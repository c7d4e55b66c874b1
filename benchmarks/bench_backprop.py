"""Speed of backpropagation: the book's per-example loop against the matrix-based package.

Run from the repository root (a few minutes; ``--quick`` takes under a minute):

    .venv/bin/python benchmarks/bench_backprop.py

It prints the machine's facts and two tables, and asserts nothing:

1. One mini-batch, float64, on [784, 30, 10], [784, 100, 10], [784, 256, 256, 10] at
   m = 10 and 100: (a) ``gradient_by_loop``, the chapter's per-example algorithm; (b)
   ``net.backprop_batch``, one forward and one backward pass of matrix products; (c)
   ``net.forward`` alone; and, when PyTorch is importable, its eager autograd as a peer.
2. One SGD epoch over 50,000 random MNIST-shaped examples on [784, 30, 10] at m = 10,
   η = 3.0: the book's loop (``update_mini_batch_loop`` on shuffled (x, y) pairs) against
   ``net.SGD(..., progress=False, monitor_cost=False)`` and PyTorch.

Every time is the median over ``--repeat`` runs, timeit-style (each run repeats the call
until it lasts at least ``--min-time`` seconds); the epoch runs take turns. The environment
variables that steer OpenBLAS are reported, never changed: to measure without them, unset
them in the command's environment (``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE
.venv/bin/python ...``) and say so with ``--label``. On a shared machine, ``--blas-threads 1
--clock cpu`` gives steadier figures (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout

from nndl_backprop import Network, gradient_by_loop, update_mini_batch_loop  # noqa: E402

ARCHITECTURES = ([784, 30, 10], [784, 100, 10], [784, 256, 256, 10])
BATCH_SIZES = (10, 100)
ENV_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")


# ----- timing --------------------------------------------------------------------------------
CLOCK = {"wall": time.perf_counter, "cpu": time.process_time}
clock = CLOCK["wall"]


def median_times(fns: dict, repeat: int, min_time: float) -> dict:
    """Median seconds per call of each function, timeit-style.

    Each timed run makes n calls, n doubled until a run lasts ≥ min_time; the functions take
    turns in each of the ``repeat`` rounds, so a burst of load from elsewhere on the machine
    slows all of them alike and their ratios hold.
    """
    timers = {}
    for name, fn in fns.items():
        timer, number = timeit.Timer(fn, timer=clock), 1
        while timer.timeit(number) < min_time:  # the first call also warms caches up
            number *= 2
        timers[name] = (timer, number)
    times = {name: [] for name in fns}
    for _ in range(repeat):
        for name, (timer, number) in timers.items():
            times[name].append(timer.timeit(number) / number)
    return {name: statistics.median(t) for name, t in times.items()}


def median_runs(runs: dict, repeat: int) -> dict:
    """Median seconds of each long run (such as one epoch) over ``repeat`` rounds.

    The runs take turns within each round, so a burst of load from elsewhere on the machine
    slows every contender alike rather than one of them.
    """
    times = {name: [] for name in runs}
    for _ in range(repeat):
        for name, fn in runs.items():
            start = clock()
            fn()
            times[name].append(clock() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def mnist_shaped(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n random examples as columns: pixels X (784, n) in [0, 1), one-hot targets Y (10, n)."""
    X = rng.random((784, n))
    Y = np.zeros((10, n))
    Y[rng.integers(0, 10, n), np.arange(n)] = 1.0
    return X, Y


# ----- PyTorch, an optional peer ---------------------------------------------------------------
def load_torch():
    """torch set to its fastest configuration here (one thread), or None if not importable."""
    try:
        import torch
    except ImportError:
        return None
    # Its default threading is many times slower for these small products on two cores.
    torch.set_num_threads(1)
    return torch


class TorchPeer:
    """The same network in PyTorch eager autograd: float64, sigmoid, quadratic cost (eq. 26).

    Examples are rows here (torch's convention); the parameters match ``Network``'s shapes.
    """

    def __init__(self, torch, sizes, seed: int = 0):
        self.torch = torch
        gen = torch.Generator().manual_seed(seed)
        self.params = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            w = torch.randn(n_out, n_in, dtype=torch.float64, generator=gen)
            b = torch.randn(n_out, dtype=torch.float64, generator=gen)
            self.params += [w.requires_grad_(), b.requires_grad_()]

    def forward(self, x):
        a = x  # (m, n_in)
        for w, b in zip(self.params[::2], self.params[1::2]):
            a = self.torch.sigmoid(self.torch.addmm(b, a, w.T))  # (m, n_out)
        return a

    def forward_no_grad(self, x):
        with self.torch.no_grad():
            return self.forward(x)

    def gradient(self, x, y):
        """Autograd's gradient of the mean quadratic cost over the m rows."""
        a = self.forward(x)
        cost = self.torch.nn.functional.mse_loss(a, y, reduction="sum") * (0.5 / x.shape[0])
        return self.torch.autograd.grad(cost, self.params)

    def sgd_epoch(self, X_rows, Y_rows, m: int, eta: float, seed: int) -> None:
        torch = self.torch
        order = torch.from_numpy(np.random.default_rng(seed).permutation(X_rows.shape[0]))
        for start in range(0, X_rows.shape[0], m):
            idx = order[start : start + m]
            grads = self.gradient(X_rows.index_select(0, idx), Y_rows.index_select(0, idx))
            with torch.no_grad():
                torch._foreach_add_(self.params, grads, alpha=-eta)  # what optim.SGD runs


# ----- the book's per-example SGD epoch --------------------------------------------------------
def book_epoch(net, training_data: list, m: int, eta: float, seed: int) -> None:
    """One epoch of the book's SGD: shuffle the (x, y) pairs, then one loop update per slice."""
    random.Random(seed).shuffle(training_data)
    for k in range(0, len(training_data), m):
        update_mini_batch_loop(net, training_data[k : k + m], eta)


# ----- report ----------------------------------------------------------------------------------
def machine_facts(torch, label: str | None) -> list[str]:
    lines = [
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}",
    ]
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        lines.append("BLAS: threadpoolctl not installed, BLAS unknown")
    else:
        for pool in threadpool_info():
            details = [pool.get("version"), pool.get("architecture")]
            lines.append(
                f"{pool['user_api']}: {pool['internal_api']} "
                + " ".join(str(d) for d in details if d)
                + f" ({Path(pool['filepath']).name}), {pool['num_threads']} thread(s)"
            )
    env = [f"{k}={os.environ[k]}" if k in os.environ else f"{k} unset" for k in ENV_VARS]
    lines.append("environment: " + ", ".join(env))
    if torch is not None:
        lines.append(f"torch {torch.__version__}, {torch.get_num_threads()} thread(s), eager")
    else:
        lines.append("torch not importable: no PyTorch columns")
    lines.append(
        "clock: this process's CPU time (time.process_time)"
        if clock is CLOCK["cpu"]
        else "clock: elapsed wall time (time.perf_counter)"
    )
    if label:
        lines.append(f"label: {label}")
    lines.append(load_average())
    return lines


def load_average() -> str:
    """The machine's load: other work on the two cores slows every timing here."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:>{w}}}" for w in widths)
    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt.format(*header), rule, *(fmt.format(*r) for r in rows)])


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f}"


def mini_batch_row(net, peer, X, Y, args) -> tuple[list[str], float]:
    """A table row of numpy's (and PyTorch's) timings, and (forward + backward) / forward."""
    fns = {
        "loop": lambda: gradient_by_loop(net, X, Y),
        "batch": lambda: net.backprop_batch(X, Y),
        "forward": lambda: net.forward(X),
    }
    if peer is not None:
        xt, yt = peer.torch.from_numpy(X.T.copy()), peer.torch.from_numpy(Y.T.copy())  # rows
        fns["torch gradient"] = lambda: peer.gradient(xt, yt)
        fns["torch forward"] = lambda: peer.forward_no_grad(xt)
    t = median_times(fns, args.repeat, args.min_time)
    row = [str(net.sizes), str(X.shape[1]), ms(t["loop"]), ms(t["batch"]), ms(t["forward"])]
    row += [f"{t['loop'] / t['batch']:.1f}x", f"{t['batch'] / t['forward']:.2f}"]
    if peer is not None:
        row += [ms(t["torch gradient"]), ms(t["torch forward"])]
        row += [f"{t['torch gradient'] / t['batch']:.1f}x"]
    return row, t["batch"] / t["forward"]


def mini_batch_table(args, torch) -> tuple[str, dict]:
    rng = np.random.default_rng(1)
    rows, ratios = [], {}
    for sizes in ARCHITECTURES:
        net = Network(sizes, seed=0)
        peer = TorchPeer(torch, sizes) if torch is not None else None
        for m in BATCH_SIZES:
            X, Y = mnist_shaped(m, rng)  # (784, m), (10, m)
            row, ratios[(str(sizes), m)] = mini_batch_row(net, peer, X, Y[: sizes[-1]], args)
            rows.append(row)
    header = ["sizes", "m", "loop ms", "batch ms", "forward ms", "loop/batch", "(f+b)/f"]
    if torch is not None:
        header += ["torch f+b ms", "torch fwd ms", "torch/batch"]
    return table(header, rows), ratios


def epoch_table(args, torch) -> tuple[str, dict]:
    sizes, m, eta, n = [784, 30, 10], 10, 3.0, args.epoch_examples
    X, Y = mnist_shaped(n, np.random.default_rng(2))
    # The book's format: a list of (x (784, 1), y (10, 1)) pairs; and stacked columns (X, Y).
    pairs = [(X[:, i : i + 1].copy(), Y[:, i : i + 1].copy()) for i in range(n)]

    def run_book():
        book_epoch(Network(sizes, seed=0), pairs, m, eta, seed=0)

    def run_pairs():
        Network(sizes, seed=0).SGD(pairs, 1, m, eta, seed=0, progress=False, monitor_cost=False)

    def run_arrays():
        Network(sizes, seed=0).SGD((X, Y), 1, m, eta, seed=0, progress=False, monitor_cost=False)

    runs = {
        "per-example loop (book), list of pairs": run_book,
        "net.SGD, list of (x, y) pairs": run_pairs,
        "net.SGD, stacked arrays (X, Y)": run_arrays,
    }
    if torch is not None:
        X_rows, Y_rows = torch.from_numpy(X.T.copy()), torch.from_numpy(Y.T.copy())

        def run_torch():
            TorchPeer(torch, sizes).sgd_epoch(X_rows, Y_rows, m, eta, seed=0)

        runs["PyTorch eager autograd, 1 thread"] = run_torch
    results = median_runs(runs, args.repeat_epoch)
    t_book = results["per-example loop (book), list of pairs"]
    rows = [
        [name, f"{t:.3f}", f"{n / t:,.0f}", f"{t_book / t:.1f}x"] for name, t in results.items()
    ]
    header = [f"one epoch, {n:,} examples, [784, 30, 10], m = {m}, eta = {eta}"]
    header += ["seconds", "examples/s", "vs loop"]
    return table(header, rows), results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per mini-batch cell")
    parser.add_argument("--min-time", type=float, default=0.2, help="seconds per timed run")
    parser.add_argument("--repeat-epoch", type=int, default=3, help="timed runs per epoch row")
    parser.add_argument("--epoch-examples", type=int, default=50_000)
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if present")
    parser.add_argument("--quick", action="store_true", help="fewer, shorter runs (a smoke test)")
    parser.add_argument("--label", help="a note printed with the results, e.g. 'vars unset'")
    parser.add_argument(
        "--blas-threads", type=int, help="limit numpy's BLAS to N threads (needs threadpoolctl)"
    )
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCK),
        default="wall",
        help="wall: elapsed time (default); cpu: this process's CPU time, steadier when other "
        "work shares the cores (use with --blas-threads 1, or spinning BLAS threads count)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.min_time, args.repeat_epoch, args.epoch_examples = 3, 0.05, 1, 10_000
    global clock
    clock = CLOCK[args.clock]
    if args.blas_threads:
        from threadpoolctl import threadpool_limits

        threadpool_limits(args.blas_threads, user_api="blas")
    torch = None if args.no_torch else load_torch()

    print("Backpropagation speed, float64 (median times; nothing is asserted)")
    print("\n".join("  " + line for line in machine_facts(torch, args.label)))
    print("\nOne mini-batch: gradient of the mean cost (loop = per-example backprop, averaged)")
    text, ratios = mini_batch_table(args, torch)
    print(text)
    print("\nOne SGD epoch")
    text, epochs = epoch_table(args, torch)
    print(text)

    t_book = epochs["per-example loop (book), list of pairs"]
    print("\nRatios")
    for key in ("net.SGD, list of (x, y) pairs", "net.SGD, stacked arrays (X, Y)"):
        print(
            f"  epoch speed-up of the package over the per-example loop ({key[9:]}): "
            f"{t_book / epochs[key]:.1f}x (target >= 6x)"
        )
    if "PyTorch eager autograd, 1 thread" in epochs:
        t_torch = epochs["PyTorch eager autograd, 1 thread"]
        print(
            f"  PyTorch epoch / package epoch (arrays): "
            f"{t_torch / epochs['net.SGD, stacked arrays (X, Y)']:.2f} (target > 1)"
        )
    for m in BATCH_SIZES:
        worst = max(r for (s, mm), r in ratios.items() if mm == m)
        each = ", ".join(f"{s} {r:.2f}" for (s, mm), r in ratios.items() if mm == m)
        target = " (target <= 2.5)" if m == 100 else ""
        print(f"  (forward + backward) / forward at m = {m}: {each}; worst {worst:.2f}{target}")
    print(f"\n{load_average()} at the end")


if __name__ == "__main__":
    main()

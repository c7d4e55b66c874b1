"""Speed of backpropagation: the book's per-example loop against the matrix-based package.

Run from the repository root (a few minutes; ``--quick`` takes under a minute):

    .venv/bin/python benchmarks/bench_backprop.py

It prints the machine's facts and two tables, and asserts nothing:

1. One mini-batch, float64, on [784, 30, 10], [784, 100, 10], [784, 256, 256, 10] at
   m = 10 and 100: (a) ``gradient_by_loop``, the chapter's per-example algorithm; (b)
   ``net.backprop_batch``, one forward and one backward pass of matrix products; (c)
   ``net.forward`` alone; and, when PyTorch is importable, its eager autograd as a peer.
2. One SGD epoch over 50,000 random MNIST-shaped examples on [784, 30, 10] at m = 10,
   η = 3.0, each contender in a fresh process (``--rounds`` processes of
   ``--epochs-per-process`` epochs, taking turns): the book's loop (``update_mini_batch_loop``
   on shuffled (x, y) pairs); ``net.SGD(data, 1, ...)`` from the list of pairs and from stacked
   arrays, float64 and float32, without monitoring, and float64 with ``monitor_cost=True`` and
   ``"epoch_end"``; PyTorch eager autograd (one thread) and JAX (jit + lax.scan over the
   epoch) when importable by ``--peer-python`` (default: this Python), skipped otherwise.

Every time is the median over ``--repeat`` runs, timeit-style (each run repeats the call
until it lasts at least ``--min-time`` seconds); an epoch row is the median over rounds of
each round's median epoch, and its ratio to the book's loop is paired round by round.
The environment variables that steer OpenBLAS are reported, never changed (the epoch
processes inherit them): to measure without them, unset them in the command's environment
(``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv/bin/python ...``) and say so with
``--label``. On a shared machine, ``--blas-threads 1
--clock cpu`` gives steadier figures (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a plain checkout

from nndl_backprop import Network, gradient_by_loop, update_mini_batch_loop  # noqa: E402
from nndl_backprop.fast_sgd import SGDStep  # noqa: E402
from nndl_backprop.training import plain_step  # noqa: E402

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
        lines.append(
            "torch not importable by this Python: no PyTorch columns in the mini-batch table"
        )
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


def step_table(args) -> str:
    """One training step on one mini-batch of 10, [784, 30, 10], side by side in this process.

    The contenders take turns (median_times), so the ratios hold under load; a tiny η keeps
    the weights from drifting far over the thousands of timed steps.
    """
    X, Y = mnist_shaped(10, np.random.default_rng(3))  # (784, 10), (10, 10)
    pairs = [(X[:, i : i + 1].copy(), Y[:, i : i + 1].copy()) for i in range(10)]
    idx, eta = np.arange(10), 1e-6
    fns = {"book": None, "plain": None}
    book, plain = Network(EPOCH_SIZES, seed=0), Network(EPOCH_SIZES, seed=0)
    fns["book"] = lambda: update_mini_batch_loop(book, pairs, eta)
    fns["plain"] = lambda: plain_step(plain, X, Y, eta)
    for dtype in ("float64", "float32"):
        step = SGDStep(Network(EPOCH_SIZES, seed=0, dtype=dtype), 10)
        X_rows, Y_rows = X.T.astype(dtype), Y.T.astype(dtype)  # (10, 784), (10, 10)

        def fused(step=step, X_rows=X_rows, Y_rows=Y_rows):
            step.load_rows(X_rows, Y_rows, idx)
            step.step(eta, False)

        fns[f"fused {dtype}"] = fused
    t = median_times(fns, args.repeat, args.min_time)
    names = {
        "book": "update_mini_batch_loop (book), float64",
        "plain": "plain_step (backprop_columns + update), float64",
        "fused float64": "SGDStep (what SGD runs), float64",
        "fused float32": "SGDStep (what SGD runs), float32",
    }
    rows = [[names[k], f"{v * 1e6:.1f}", f"{t['book'] / v:.1f}x"] for k, v in t.items()]
    return table(["one step, m = 10, [784, 30, 10]", "µs", "vs book"], rows)


# ----- the epoch table: each contender in a fresh process -------------------------------------
EPOCH_SIZES, EPOCH_M, EPOCH_ETA = [784, 30, 10], 10, 3.0
BOOK = "per-example loop (book), list of pairs, float64"
# name -> (what the worker runs, needs torch or jax)
EPOCH_METHODS = {
    BOOK: ("book", None),
    "net.SGD, list of (x, y) pairs, float64": ("sgd pairs float64", None),
    "net.SGD, stacked arrays (X, Y), float64": ("sgd arrays float64", None),
    "net.SGD, list of (x, y) pairs, float32": ("sgd pairs float32", None),
    "net.SGD, stacked arrays (X, Y), float32": ("sgd arrays float32", None),
    "net.SGD, pairs, float64, monitor_cost=True": ("sgd pairs float64 monitor", None),
    "net.SGD, pairs, float64, monitor_cost='epoch_end'": ("sgd pairs float64 epoch_end", None),
    "PyTorch eager autograd, 1 thread, float64": ("torch", "torch"),
    "JAX jit + lax.scan over the epoch, float64": ("jax", "jax"),
}


def epoch_worker(method: str, n: int, epochs: int) -> list[float]:
    """Seconds of each of ``epochs`` epochs of one contender, run in this (fresh) process.

    The data (the same in every process) is built before any timing: n random MNIST-shaped
    examples, as the book's list of (x (784, 1), y (10, 1)) pairs and stacked as columns.
    Each package epoch is one ``net.SGD(..., epochs=1)`` call from a fresh seeded network:
    stacking the pairs (or transposing the arrays) into rows is included every time.
    """
    X, Y = mnist_shaped(n, np.random.default_rng(2))  # (784, n), (10, n)
    sizes, m, eta = EPOCH_SIZES, EPOCH_M, EPOCH_ETA
    if method in ("torch", "jax"):
        run = (torch_epoch_runner if method == "torch" else jax_epoch_runner)(X, Y, sizes, m, eta)
    elif method == "book":
        pairs = [(X[:, i : i + 1].copy(), Y[:, i : i + 1].copy()) for i in range(n)]

        def run(seed):
            book_epoch(Network(sizes, seed=0), pairs, m, eta, seed=seed)
    else:
        _, form, dtype, *monitor = method.split()
        data = (
            [(X[:, i : i + 1].copy(), Y[:, i : i + 1].copy()) for i in range(n)]
            if form == "pairs"
            else (X, Y)
        )
        monitor_cost = {(): False, ("monitor",): True, ("epoch_end",): "epoch_end"}[tuple(monitor)]

        def run(seed):
            net = Network(sizes, seed=0, dtype=dtype)
            net.SGD(data, 1, m, eta, seed=seed, progress=False, monitor_cost=monitor_cost)

    times = []
    for epoch in range(epochs):
        start = clock()
        run(epoch)
        times.append(clock() - start)
    return times


def torch_epoch_runner(X, Y, sizes, m, eta):
    torch = load_torch()
    X_rows, Y_rows = torch.from_numpy(X.T.copy()), torch.from_numpy(Y.T.copy())
    return lambda seed: TorchPeer(torch, sizes).sgd_epoch(X_rows, Y_rows, m, eta, seed=seed)


def jax_epoch_runner(X, Y, sizes, m, eta):
    """A whole epoch compiled by XLA: the shuffle's gather, then lax.scan over the mini-batches
    (forward, jax.grad of the mean quadratic cost, the update), float64."""
    import jax

    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy
    n = X.shape[1] - X.shape[1] % m  # scan needs equal mini-batches; n = 50,000 divides by 10
    X_rows, Y_rows = jnp.asarray(X.T[:n]), jnp.asarray(Y.T[:n])  # (n, 784), (n, 10)
    rng = np.random.default_rng(0)
    params0 = [
        (jnp.asarray(rng.standard_normal((n_in, n_out))), jnp.asarray(rng.standard_normal(n_out)))
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]

    def cost(params, x, y):
        a = x  # (m, n_in)
        for w, b in params:
            a = jax.nn.sigmoid(a @ w + b)  # (m, n_out)
        return 0.5 * jnp.sum((a - y) ** 2) / x.shape[0]

    def step(params, batch):
        grads = jax.grad(cost)(params, *batch)
        return jax.tree_util.tree_map(lambda p, g: p - eta * g, params, grads), None

    @jax.jit
    def epoch(params, order):
        xs = X_rows[order].reshape(-1, m, X_rows.shape[1])  # (n/m, m, 784)
        ys = Y_rows[order].reshape(-1, m, Y_rows.shape[1])
        return jax.lax.scan(step, params, (xs, ys))[0]

    orders = [jnp.asarray(np.random.default_rng(s).permutation(n)) for s in range(64)]
    jax.block_until_ready(epoch(params0, orders[0]))  # compile once, untimed

    def run(seed):
        jax.block_until_ready(epoch(params0, orders[seed % 64]))

    return run


def peer_importable(python: str, module: str) -> bool:
    return subprocess.run([python, "-c", f"import {module}"], capture_output=True).returncode == 0


def epoch_table(args) -> tuple[str, dict, list[str]]:
    """The epoch table: every contender in a fresh process per round, rounds in turn."""
    notes, methods = [], {}
    for name, (worker, needs) in EPOCH_METHODS.items():
        if needs and (args.no_torch if needs == "torch" else args.no_jax):
            notes.append(f"{name}: skipped (--no-{needs})")
        elif needs and not peer_importable(args.peer_python, needs):
            notes.append(
                f"{name}: skipped, {needs} not importable by {Path(args.peer_python).name}"
            )
        else:
            methods[name] = (worker, args.peer_python if needs else sys.executable)
    times = {name: [] for name in methods}
    per_round = {name: [] for name in methods}  # each round's median epoch, for paired ratios
    for _ in range(args.rounds):  # each round runs every contender once, so load hits all
        for name, (worker, python) in methods.items():
            command = [python, __file__, "--epoch-worker", worker, "--clock", args.clock]
            command += ["--epoch-examples", str(args.epoch_examples)]
            command += ["--epochs-per-process", str(args.epochs_per_process)]
            if args.blas_threads:
                command += ["--blas-threads", str(args.blas_threads)]
            out = subprocess.run(command, capture_output=True, text=True, check=False)
            if out.returncode != 0:
                raise RuntimeError(f"{name} failed:\n{out.stderr}")
            epochs = json.loads(out.stdout.strip().splitlines()[-1])
            times[name] += epochs
            per_round[name].append(statistics.median(epochs))
    # A row's time: the median over rounds of each round's median epoch, as its ratios.
    results = {name: statistics.median(t) for name, t in per_round.items()}
    # The book's loop over each row, round by round: the two ran minutes apart at most, so a
    # drift of the machine's speed between rounds cancels; the median and range over rounds.
    ratios = {name: [b / t for b, t in zip(per_round[BOOK], per_round[name])] for name in methods}
    n = args.epoch_examples
    rows = [
        [
            name, f"{t:.3f}", f"{n / t:,.0f}", f"{statistics.median(ratios[name]):.1f}x",
            f"{min(ratios[name]):.1f}–{max(ratios[name]):.1f}x", str(len(times[name])),
        ]
        for name, t in results.items()
    ]  # fmt: skip
    header = [f"one epoch, {n:,} examples, {EPOCH_SIZES}, m = {EPOCH_M}, eta = {EPOCH_ETA}"]
    header += ["s/epoch", "examples/s", "vs book", "rounds' range", "epochs"]
    return table(header, rows), ratios, notes


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per mini-batch cell")
    parser.add_argument("--min-time", type=float, default=0.1, help="seconds per timed run")
    parser.add_argument("--rounds", type=int, default=2, help="fresh processes per epoch row")
    parser.add_argument("--epochs-per-process", type=int, default=2, help="timed epochs each")
    parser.add_argument("--epoch-examples", type=int, default=50_000)
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if present")
    parser.add_argument("--no-jax", action="store_true", help="skip JAX even if present")
    parser.add_argument(
        "--peer-python",
        default=sys.executable,
        help="the Python that runs the PyTorch and JAX rows (a venv where they are installed; "
        "it needs numpy too); default: this one",
    )
    parser.add_argument("--skip-mini-batch", action="store_true", help="only the epoch table")
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
    parser.add_argument("--epoch-worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.min_time, args.rounds, args.epoch_examples = 3, 0.05, 1, 10_000
    global clock
    clock = CLOCK[args.clock]
    if args.blas_threads:
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # a peer's Python without it: torch and JAX set their own threads
            pass
        else:
            threadpool_limits(args.blas_threads, user_api="blas")
    if args.epoch_worker:  # one contender, in a fresh process: print its epoch times
        print(
            json.dumps(
                epoch_worker(args.epoch_worker, args.epoch_examples, args.epochs_per_process)
            )
        )
        return
    torch = None if args.no_torch else load_torch()

    print("Backpropagation speed (median times; nothing is asserted)")
    print("\n".join("  " + line for line in machine_facts(torch, args.label)))
    if args.peer_python != sys.executable:
        print("  PyTorch and JAX rows run by another Python (--peer-python)")
    ratios = {}
    if not args.skip_mini_batch:
        print("\nOne mini-batch, float64: gradient of the mean cost (loop = per-example backprop)")
        text, ratios = mini_batch_table(args, torch)
        print(text)
    if not args.skip_mini_batch:
        print("\nOne training step (gather, forward, BP1–BP4, update), side by side in turns")
        print(step_table(args))
    print(
        f"\nOne SGD epoch: each row a fresh process per round, {args.rounds} round(s) of "
        f"{args.epochs_per_process} epoch(s); each round's median epoch, then the median over "
        "rounds; 'vs book' is the same round's book loop over the row, its median and range"
    )
    text, epochs, notes = epoch_table(args)
    print(text)
    for note in notes:
        print(f"  {note}")

    def speedup(key):  # the median over rounds of the book's epoch / this row's, same round
        return statistics.median(epochs[key])

    def paired(key, other):  # this row's epoch / the other's, round by round: the median
        return statistics.median(r_other / r for r, r_other in zip(epochs[key], epochs[other]))

    print("\nRatios (the book's per-example loop over each row, paired round by round)")
    # The goals are set for the book's own input, the list of pairs (float64 and float32).
    targets = {
        "net.SGD, list of (x, y) pairs, float64": 8,
        "net.SGD, list of (x, y) pairs, float32": 11,
    }
    for key, target in targets.items():
        low = min(epochs[key])
        print(
            f"  {key}: {speedup(key):.1f}x (target >= {target}x; slowest round {low:.1f}x, "
            f"{sum(r >= target for r in epochs[key])} of {len(epochs[key])} rounds at target)"
        )
    for dtype in ("float64", "float32"):
        key = f"net.SGD, stacked arrays (X, Y), {dtype}"
        print(
            f"  {key}: {speedup(key):.1f}x (each one-epoch call lays X out as rows: a copy of "
            "the whole training set, paid once per call, so once in an SGD of many epochs)"
        )
    plain = "net.SGD, list of (x, y) pairs, float64"
    for key in (
        "net.SGD, pairs, float64, monitor_cost=True",
        "net.SGD, pairs, float64, monitor_cost='epoch_end'",
    ):
        added = 100 * (paired(key, plain) - 1)
        print(f"  {key.split(', ')[-1]} adds {added:+.0f} % to an epoch")
    for key in (
        "PyTorch eager autograd, 1 thread, float64",
        "JAX jit + lax.scan over the epoch, float64",
    ):
        if key in epochs:
            print(
                f"  {key}: {speedup(key):.1f}x the loop; package (pairs) / it: "
                f"{paired(plain, key):.2f}"
            )
    for m in BATCH_SIZES if ratios else ():
        worst = max(r for (s, mm), r in ratios.items() if mm == m)
        each = ", ".join(f"{s} {r:.2f}" for (s, mm), r in ratios.items() if mm == m)
        target = " (target <= 2.5)" if m == 100 else ""
        print(f"  (forward + backward) / forward at m = {m}: {each}; worst {worst:.2f}{target}")
    print(f"\n{load_average()} at the end")


if __name__ == "__main__":
    main()

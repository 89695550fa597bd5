"""Time cnnlab's kernels and a training step against the naive loops and PyTorch on this CPU.

Usage::

    make bench                                    # or:
    python benchmarks/bench_kernels.py [--rounds 9] [--threads 2] [--smoke]

Every ratio compares timings taken in this same run, interleaved (three runs of cnnlab, three of
PyTorch, then PyTorch again, cnnlab, ...: ``--rounds`` rounds), on the same inputs, with the same
thread count (numpy's BLAS and PyTorch both limited to ``--threads``). Each time printed is the
median of all its runs; the ratio is the median of the per-round ratios, and ``q1-q3`` their
interquartile range: a wide range means the machine was not quiet, and the ratio means little.
The load average is printed at the start and the end. ``--smoke`` runs tiny shapes once, to
check the script works.
PyTorch is optional (``make bench`` installs the pinned CPU build into .venv); without it only the
naive loops are compared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import tracemalloc
from functools import partial


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=9, help="rounds of 3 timed runs per library")
    parser.add_argument("--threads", type=int, default=2, help="BLAS / PyTorch threads")
    parser.add_argument("--smoke", action="store_true", help="tiny shapes, one run")
    return parser.parse_args()


ARGS = parse_args()
# Thread counts must be fixed before numpy (OpenBLAS) starts its pool.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import numpy as np  # noqa: E402 - after the thread settings above

import cnnlab  # noqa: E402

try:
    import torch
    import torch.nn.functional as TF

    torch.set_num_threads(ARGS.threads)
except ImportError:
    torch = None

# (name, x shape, w shape, padding)
CONV_CASES = [
    ("64x1x28x28, 8@3x3 pad 1", (64, 1, 28, 28), (8, 1, 3, 3), 1),
    ("64x8x14x14, 16@3x3 pad 1", (64, 8, 14, 14), (16, 8, 3, 3), 1),
    ("32x3x32x32, 32@5x5", (32, 3, 32, 32), (32, 3, 5, 5), 0),
    ("1x1x512x512, 8@7x7", (1, 1, 512, 512), (8, 1, 7, 7), 0),
]
POOL_CASES = [("64x8x28x28, max 2x2", (64, 8, 28, 28), 2, "max"), ("64x8x28x28, avg 2x2", (64, 8, 28, 28), 2, "avg")]
SMOKE_CONV = [("2x2x6x6, 3@3x3 pad 1", (2, 2, 6, 6), (3, 2, 3, 3), 1)]
SMOKE_POOL = [("2x2x6x6, max 2x2", (2, 2, 6, 6), 2, "max")]


def interleaved(fns, rounds, *, per_turn=3, pause=0.25):
    """Time each function in rounds; return ``(medians, ratios)``.

    In every round each function gets one turn: a pause, one untimed run, then ``per_turn``
    timed runs. The pause and the untimed run matter: the thread pools of numpy's BLAS and of
    PyTorch keep spinning for a while after they finish, and on two cores a library timed while
    the other's threads still spin looks up to twice as slow. The order of the turns alternates
    from round to round, so neither library always runs right after the other.

    ``medians`` holds each function's median over all its timed runs; ``ratios`` holds, round
    by round, the first function's median turn divided by the second's (empty for one function).
    A slow phase of the machine hits both turns of a round alike, so the spread of these per-round
    ratios shows how far one run can be trusted.
    """
    turns = [[] for _ in fns]  # per function, one list of timings per round
    for r in range(rounds):
        order = list(range(len(fns)))[:: -1 if r % 2 else 1]
        for i in order:
            time.sleep(pause)
            fns[i]()  # untimed: wakes the threads, warms the caches
            turn = []
            for _ in range(per_turn):
                t0 = time.perf_counter()
                fns[i]()
                turn.append(time.perf_counter() - t0)
            turns[i].append(turn)
    medians = [statistics.median(t for turn in fn_turns for t in turn) for fn_turns in turns]
    ratios = ([statistics.median(a) / statistics.median(b) for a, b in zip(turns[0], turns[1])]
              if len(fns) > 1 else [])
    return medians, ratios


def quartiles(values):
    """``(q1, median, q3)`` of a list (all three the value itself for one value)."""
    if len(values) == 1:
        return values * 3
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def once(fn):
    """Seconds of one run (for the naive loops, too slow to repeat)."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def conv_step_cnnlab(x, w, b, dout, pad, forward=cnnlab.conv2d_forward, backward=cnnlab.conv2d_backward):
    forward(x, w, b, padding=pad)
    return backward(dout, x, w, padding=pad)


def conv_step_torch(x, w, b, dout, pad):
    x.grad = w.grad = b.grad = None
    TF.conv2d(x, w, b, padding=pad).backward(dout)


POOLS = {"max": (cnnlab.max_pool2d_forward, cnnlab.max_pool2d_backward),
         "avg": (cnnlab.avg_pool2d_forward, cnnlab.avg_pool2d_backward)}
NAIVE_POOLS = {"max": (cnnlab.max_pool2d_forward_naive, cnnlab.max_pool2d_backward_naive)}


def pool_step_cnnlab(x, k, dout, mode, kernels=POOLS):
    forward, backward = kernels[mode]
    forward(x, kernel_size=k)
    return backward(dout, x, kernel_size=k)


def pool_step_torch(x, k, dout, mode):
    x.grad = None
    (TF.max_pool2d if mode == "max" else TF.avg_pool2d)(x, k).backward(dout)


# ----------------------------------------------------------------------------- a training step
def nb08_cnn(lib, rng):
    """Notebook 08's CNN on 8x8 digits: conv 1->8 3x3 pad 1, ReLU, pool 2, conv 8->16, ReLU, pool 2, dense 64->10."""
    if lib == "cnnlab":
        return cnnlab.Sequential([cnnlab.Conv2D(1, 8, 3, padding=1, rng=rng), cnnlab.ReLU(), cnnlab.MaxPool2D(2),
                                  cnnlab.Conv2D(8, 16, 3, padding=1, rng=rng), cnnlab.ReLU(), cnnlab.MaxPool2D(2),
                                  cnnlab.Flatten(), cnnlab.Dense(64, 10, rng=rng)])
    nn = torch.nn
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(8, 16, 3, padding=1),
                         nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64, 10)).double()


def lenet(lib, rng):
    """A LeNet-like net on 28x28: conv 1->16 5x5 pad 2, ReLU, pool 2, conv 16->32 5x5, ReLU, pool 2, dense 800->10."""
    if lib == "cnnlab":
        return cnnlab.Sequential([cnnlab.Conv2D(1, 16, 5, padding=2, rng=rng), cnnlab.ReLU(), cnnlab.MaxPool2D(2),
                                  cnnlab.Conv2D(16, 32, 5, rng=rng), cnnlab.ReLU(), cnnlab.MaxPool2D(2),
                                  cnnlab.Flatten(), cnnlab.Dense(800, 10, rng=rng)])
    nn = torch.nn
    return nn.Sequential(nn.Conv2d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(800, 10)).double()


TRAIN_CASES = [("notebook 08 CNN, 64x1x8x8", nb08_cnn, (64, 1, 8, 8), 10),
               ("LeNet-like, 64x1x28x28", lenet, (64, 1, 28, 28), 10)]


def train_step_cnnlab(model, optimizer, loss_fn, x, y):
    loss = loss_fn.forward(model.forward(x), y)
    model.backward(loss_fn.backward())
    optimizer.step()
    return loss


def train_step_torch(model, optimizer, x, y):
    optimizer.zero_grad(set_to_none=True)
    loss = TF.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    return loss


def peak_mib(fn):
    """Peak memory that numpy allocates during ``fn()`` (numpy reports to tracemalloc)."""
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def torch_tensor(a):
    return torch.from_numpy(a.copy()).requires_grad_(True)


def fmt(seconds):
    return f"{seconds * 1e3:9.2f} ms"


def row(name, dtype, timed):
    (ours, *theirs), ratios = timed
    line = f"{name:30s} {dtype:8s} {fmt(ours):>12s}"
    if theirs:
        q1, median, q3 = quartiles(ratios)
        line += f" {fmt(theirs[0]):>12s} {median:8.2f}x  {q1:.2f}-{q3:.2f}"
    print(line)


def load():
    return "load average " + ", ".join(f"{v:.2f}" for v in os.getloadavg()) + " (1, 5, 15 min)"


def main():
    rounds = 1 if ARGS.smoke else ARGS.rounds
    timed = partial(interleaved, rounds=rounds, pause=0.0 if ARGS.smoke else 0.25)
    rng = np.random.default_rng(0)
    print(f"numpy {np.__version__}, cnnlab {cnnlab.__version__}, "
          f"torch {torch.__version__ if torch else 'not installed'}; "
          f"threads {ARGS.threads}; {rounds} interleaved rounds of 3 runs each")
    print(f"at start: {load()}")
    print("time = forward + backward (median); ratio = cnnlab time / torch time, median of the rounds "
          "and q1-q3 (lower is better for cnnlab)\n")
    header = f"{'case':30s} {'dtype':8s} {'cnnlab':>12s} {'torch':>12s} {'ratio':>9s}  q1-q3"
    print(header)
    print("-" * (len(header) + 6))
    conv_cases = SMOKE_CONV if ARGS.smoke else CONV_CASES
    pool_cases = SMOKE_POOL if ARGS.smoke else POOL_CASES
    for dtype in (np.float64, np.float32):
        name_of = np.dtype(dtype).name
        for name, xs, ws, pad in conv_cases:
            # inputs and the upstream gradient (a fixed random one) are made outside the timing
            x = rng.standard_normal(xs).astype(dtype)
            w = rng.standard_normal(ws).astype(dtype)
            b = rng.standard_normal(ws[0]).astype(dtype)
            dout = rng.standard_normal(cnnlab.conv2d_forward(x, w, padding=pad).shape).astype(dtype)
            fns = [partial(conv_step_cnnlab, x, w, b, dout, pad)]
            if torch is not None:
                tx, tw, tb = map(torch_tensor, (x, w, b))
                fns.append(partial(conv_step_torch, tx, tw, tb, torch.from_numpy(dout), pad))
            row(name, name_of, timed(fns))
        for name, xs, k, mode in pool_cases:
            x = rng.standard_normal(xs).astype(dtype)
            dout = rng.standard_normal(cnnlab.max_pool2d_forward(x, kernel_size=k).shape).astype(dtype)
            fns = [partial(pool_step_cnnlab, x, k, dout, mode)]
            if torch is not None:
                fns.append(partial(pool_step_torch, torch_tensor(x), k, torch.from_numpy(dout), mode))
            row(name, name_of, timed(fns))

    print("\none training step (forward, softmax cross-entropy, backward, SGD update), float64, batch 64")
    for name, make, xs, classes in TRAIN_CASES[:1] if ARGS.smoke else TRAIN_CASES:
        x = rng.standard_normal(xs)
        y = rng.integers(0, classes, size=xs[0])
        model = make("cnnlab", np.random.default_rng(1))
        model.layers[0].input_grad = False  # the images need no gradient, as torch's x (requires_grad False)
        fns = [partial(train_step_cnnlab, model, cnnlab.SGD(model.params, lr=1e-3), cnnlab.SoftmaxCrossEntropy(),
                       x, y)]
        if torch is not None:
            tmodel = make("torch", None)
            fns.append(partial(train_step_torch, tmodel, torch.optim.SGD(tmodel.parameters(), lr=1e-3),
                               torch.from_numpy(x), torch.from_numpy(y)))
        row(name, "float64", timed(fns))

    print("\nnaive loops vs cnnlab, float64, one timed run of the naive version")
    name, xs, ws, pad = conv_cases[0]
    x, w, b = rng.standard_normal(xs), rng.standard_normal(ws), rng.standard_normal(ws[0])
    dout = rng.standard_normal(cnnlab.conv2d_forward(x, w, padding=pad).shape)
    ours = timed([partial(conv_step_cnnlab, x, w, b, dout, pad)])[0][0]
    naive = once(partial(conv_step_cnnlab, x, w, b, dout, pad, cnnlab.conv2d_forward_naive,
                         cnnlab.conv2d_backward_naive))
    print(f"{'conv ' + name:36s} naive {fmt(naive)}  cnnlab {fmt(ours)}  speed-up {naive / ours:8.0f}x")
    name, xs, k, _ = pool_cases[0]
    x = rng.standard_normal(xs)
    dout = rng.standard_normal(cnnlab.max_pool2d_forward(x, kernel_size=k).shape)
    ours = timed([partial(pool_step_cnnlab, x, k, dout, "max")])[0][0]
    naive = once(partial(pool_step_cnnlab, x, k, dout, "max", NAIVE_POOLS))
    print(f"{'pool ' + name:36s} naive {fmt(naive)}  cnnlab {fmt(ours)}  speed-up {naive / ours:8.0f}x")

    name, xs, ws, pad = conv_cases[-1]
    x, w, b = rng.standard_normal(xs), rng.standard_normal(ws), rng.standard_normal(ws[0])
    dout = rng.standard_normal(cnnlab.conv2d_forward(x, w, padding=pad).shape)
    inputs = (x.nbytes + w.nbytes + b.nbytes + dout.nbytes) / 2**20
    print(f"\npeak memory allocated by conv forward + backward on {name}, float64: "
          f"{peak_mib(partial(conv_step_cnnlab, x, w, b, dout, pad)):.0f} MiB "
          f"(inputs and dout {inputs:.0f} MiB, not counted)")
    print(f"at end: {load()}")


if __name__ == "__main__":
    main()

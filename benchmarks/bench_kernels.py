"""Time cnnlab's kernels against the naive loops and, when installed, PyTorch on this CPU.

Usage::

    make bench                                    # or:
    python benchmarks/bench_kernels.py [--repeats 7] [--threads 2] [--smoke]

Every number printed is a median over ``--repeats`` runs, and every ratio compares timings
taken in this same run, on the same inputs, with the same thread count (numpy's BLAS and
PyTorch both limited to ``--threads``). Timings on a busy machine mean little: run it on a
quiet one. ``--smoke`` runs tiny shapes once, to check that the script works.
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
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per entry (median)")
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
POOL_CASES = [("64x8x28x28, max 2x2", (64, 8, 28, 28), 2)]
SMOKE_CONV = [("2x2x6x6, 3@3x3 pad 1", (2, 2, 6, 6), (3, 2, 3, 3), 1)]
SMOKE_POOL = [("2x2x6x6, max 2x2", (2, 2, 6, 6), 2)]


def median_time(fn, repeats):
    fn()  # warm-up: caches, thread pools, lazy initialisation
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def conv_step_cnnlab(x, w, b, dout, pad, forward=cnnlab.conv2d_forward,
                     backward=cnnlab.conv2d_backward):
    forward(x, w, b, padding=pad)
    return backward(dout, x, w, padding=pad)


def conv_step_torch(x, w, b, dout, pad):
    x.grad = w.grad = b.grad = None
    TF.conv2d(x, w, b, padding=pad).backward(dout)


def pool_step_cnnlab(x, k, dout, forward=cnnlab.max_pool2d_forward,
                     backward=cnnlab.max_pool2d_backward):
    forward(x, kernel_size=k)
    return backward(dout, x, kernel_size=k)


def pool_step_torch(x, k, dout):
    x.grad = None
    TF.max_pool2d(x, k).backward(dout)


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


def main():
    repeats = 1 if ARGS.smoke else ARGS.repeats
    rng = np.random.default_rng(0)
    print(f"numpy {np.__version__}, cnnlab {cnnlab.__version__}, "
          f"torch {torch.__version__ if torch else 'not installed'}; "
          f"threads {ARGS.threads}; median of {repeats}")
    print("time = forward + backward; ratio = cnnlab time / other time (lower is better for cnnlab)\n")
    header = f"{'case':28s} {'dtype':8s} {'cnnlab':>12s} {'torch':>12s} {'cnnlab/torch':>13s}"
    print(header)
    print("-" * len(header))
    conv_cases = SMOKE_CONV if ARGS.smoke else CONV_CASES
    pool_cases = SMOKE_POOL if ARGS.smoke else POOL_CASES
    for dtype in (np.float64, np.float32):
        for name, xs, ws, pad in conv_cases:
            # inputs and the upstream gradient (a fixed random one) are made outside the timing
            x = rng.standard_normal(xs).astype(dtype)
            w = rng.standard_normal(ws).astype(dtype)
            b = rng.standard_normal(ws[0]).astype(dtype)
            dout = rng.standard_normal(cnnlab.conv2d_forward(x, w, padding=pad).shape).astype(dtype)
            ours = median_time(partial(conv_step_cnnlab, x, w, b, dout, pad), repeats)
            line = f"{name:28s} {np.dtype(dtype).name:8s} {fmt(ours):>12s}"
            if torch is not None:
                tx, tw, tb = map(torch_tensor, (x, w, b))
                theirs = median_time(partial(conv_step_torch, tx, tw, tb, torch.from_numpy(dout), pad),
                                     repeats)
                line += f" {fmt(theirs):>12s} {ours / theirs:12.2f}x"
            print(line)
        for name, xs, k in pool_cases:
            x = rng.standard_normal(xs).astype(dtype)
            dout = rng.standard_normal(cnnlab.max_pool2d_forward(x, kernel_size=k).shape).astype(dtype)
            ours = median_time(partial(pool_step_cnnlab, x, k, dout), repeats)
            line = f"{name:28s} {np.dtype(dtype).name:8s} {fmt(ours):>12s}"
            if torch is not None:
                tx = torch_tensor(x)
                theirs = median_time(partial(pool_step_torch, tx, k, torch.from_numpy(dout)), repeats)
                line += f" {fmt(theirs):>12s} {ours / theirs:12.2f}x"
            print(line)

    print("\nnaive loops vs cnnlab, float64, one timed run of the naive version")
    name, xs, ws, pad = conv_cases[0]
    x, w, b = rng.standard_normal(xs), rng.standard_normal(ws), rng.standard_normal(ws[0])
    dout = rng.standard_normal(cnnlab.conv2d_forward(x, w, padding=pad).shape)
    ours = median_time(partial(conv_step_cnnlab, x, w, b, dout, pad), repeats)
    naive = median_time(partial(conv_step_cnnlab, x, w, b, dout, pad, cnnlab.conv2d_forward_naive,
                                cnnlab.conv2d_backward_naive), 1)
    print(f"{'conv ' + name:34s} naive {fmt(naive)}  cnnlab {fmt(ours)}  speed-up {naive / ours:8.0f}x")
    name, xs, k = pool_cases[0]
    x = rng.standard_normal(xs)
    dout = rng.standard_normal(cnnlab.max_pool2d_forward(x, kernel_size=k).shape)
    ours = median_time(partial(pool_step_cnnlab, x, k, dout), repeats)
    naive = median_time(partial(pool_step_cnnlab, x, k, dout, cnnlab.max_pool2d_forward_naive,
                                cnnlab.max_pool2d_backward_naive), 1)
    print(f"{'pool ' + name:34s} naive {fmt(naive)}  cnnlab {fmt(ours)}  speed-up {naive / ours:8.0f}x")

    name, xs, ws, pad = conv_cases[-1]
    x, w, b = rng.standard_normal(xs), rng.standard_normal(ws), rng.standard_normal(ws[0])
    dout = rng.standard_normal(cnnlab.conv2d_forward(x, w, padding=pad).shape)
    inputs = (x.nbytes + w.nbytes + b.nbytes + dout.nbytes) / 2**20
    print(f"\npeak memory allocated by conv forward + backward on {name}, float64: "
          f"{peak_mib(partial(conv_step_cnnlab, x, w, b, dout, pad)):.0f} MiB "
          f"(inputs and dout {inputs:.0f} MiB, not counted)")


if __name__ == "__main__":
    main()

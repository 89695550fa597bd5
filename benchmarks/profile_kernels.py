"""Where cnnlab's time goes on the benchmark cases, and how close numpy can come to PyTorch.

Usage::

    python benchmarks/profile_kernels.py [--threads 2] [--rounds 7] [--only conv,pool,train] [--smoke]

For every case of ``bench_kernels.py`` it prints

- ``cnnlab`` and ``torch``: the median time of one step (forward + backward, or one training
  step), timed in interleaved rounds as in the benchmark, and their ratio;
- ``gemm``: the part of cnnlab's step spent inside ``np.matmul`` (every call of the kernels is
  timed), its share of the step and its throughput in GFLOP/s;
- ``alone``: the same matrix products (same shapes, dtypes and memory layout) replayed on their
  own, back to back: what the BLAS gives for those shapes on this machine;
- ``copies``: the time in ``np.copyto`` (im2col and the transposes around the products);
- ``torch GF/s``: the convolution's FLOPs divided by PyTorch's whole time;
- ``floor``: the matrix products alone plus the copies alone, divided by torch's time. cnnlab
  cannot go below this ratio without fewer FLOPs, faster products or fewer copies: the other
  work (padding, col2im, sums, Python) only adds to it.

FLOPs count 2 per multiply-add of the products cnnlab calls (a forward, ``dw`` and ``dx`` each
cost ``2*N*F*Ho*Wo*C*KH*KW``); PyTorch is charged the same FLOPs for its convolutions. Dense
layers use ``@`` and are not timed as products (they take well under 1 % of a step). Timings on a
busy machine mean little: the load average is printed at the start and the end.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from functools import partial
from pathlib import Path


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=2, help="BLAS / PyTorch threads")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds of 3 runs per library")
    parser.add_argument("--only", default="conv,pool,train", help="comma-separated: conv, pool, train")
    parser.add_argument("--smoke", action="store_true", help="tiny shapes, one round, to check the script works")
    return parser.parse_args()


ARGS = parse_args()
sys.argv = [sys.argv[0], "--threads", str(ARGS.threads)]  # bench_kernels parses the same flag on import
sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_kernels as bench  # noqa: E402 - sets the thread counts before numpy starts
import numpy as np  # noqa: E402

import cnnlab  # noqa: E402
import cnnlab._im2col  # noqa: E402
import cnnlab.conv  # noqa: E402

torch = bench.torch


class TimedNumpy:
    """``numpy`` for the kernels' modules, with every ``matmul`` and ``copyto`` call timed and recorded."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.gemm = self.copies = 0.0
        self.flops = 0
        self.calls = []  # (a, b, out) shapes, strides and dtype, to replay the products alone
        self.recording = False

    def __getattr__(self, name):
        return getattr(np, name)

    def matmul(self, a, b, out=None):
        t0 = time.perf_counter()
        result = np.matmul(a, b, out=out)
        self.gemm += time.perf_counter() - t0
        batch = int(np.prod(result.shape[:-2])) if result.ndim > 2 else 1
        self.flops += 2 * batch * result.shape[-2] * result.shape[-1] * a.shape[-1]
        if self.recording:
            self.calls.append((layout(a), layout(b), None if out is None else layout(out)))
        return result

    def copyto(self, dst, src, **kwargs):
        t0 = time.perf_counter()
        np.copyto(dst, src, **kwargs)
        self.copies += time.perf_counter() - t0


def layout(a):
    """Shape, strides (in elements) and dtype of ``a``: enough to rebuild an array laid out alike."""
    return a.shape, tuple(s // a.itemsize for s in a.strides), a.dtype


def like(spec, rng):
    """A random array with the shape, strides and dtype of ``spec`` (a view into a fresh buffer)."""
    shape, strides, dtype = spec
    span = 1 + sum((n - 1) * abs(s) for n, s in zip(shape, strides))
    base = rng.standard_normal(span).astype(dtype)
    return np.lib.stride_tricks.as_strided(base, shape, [s * base.itemsize for s in strides])


def replay(calls, rng, repeats=9):
    """Seconds of the recorded products run alone: each one repeated, its median taken, summed.

    Each product runs on warm operands of the recorded layout, so this is the best the BLAS
    gives for those shapes on this machine, with no other work around it.
    """
    total = 0.0
    for a, b, o in calls:
        a, b, o = like(a, rng), like(b, rng), None if o is None else np.empty(o[0], o[2])
        np.matmul(a, b, out=o)
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            np.matmul(a, b, out=o)
            times.append(time.perf_counter() - t0)
        total += statistics.median(times)
    return total


TIMED = TimedNumpy()
for module in (cnnlab._im2col, cnnlab.conv):
    module.np = TIMED


def profile(fn, rounds):
    """Median seconds of ``fn`` and, per run, the seconds in matmul and copyto and the FLOPs."""
    fn()
    TIMED.reset()
    TIMED.recording = True
    fn()  # one run recorded for the replay
    calls = TIMED.calls
    totals, gemms, copies = [], [], []
    for _ in range(rounds * 3):
        TIMED.reset()
        t0 = time.perf_counter()
        fn()
        totals.append(time.perf_counter() - t0)
        gemms.append(TIMED.gemm)
        copies.append(TIMED.copies)
    return statistics.median(totals), statistics.median(gemms), statistics.median(copies), TIMED.flops, calls


def conv_flops(xs, ws, pad, *, input_grad=True):
    N, C, H, W = xs
    F, _, KH, KW = ws
    Ho, Wo = H + 2 * pad - KH + 1, W + 2 * pad - KW + 1
    return 2 * N * F * Ho * Wo * C * KH * KW * (3 if input_grad else 2)


def report(name, dtype, ours, theirs, profiled, torch_flops, rng):
    total, gemm, copies, flops, calls = profiled
    line = f"{name:28s} {dtype:7s} {ours * 1e3:8.2f} {theirs * 1e3:8.2f} {ours / theirs:6.2f}x"
    if calls:  # a convolution or a network: the products
        alone = replay(calls, rng)
        line += (f" {gemm * 1e3:8.2f} {gemm / total:5.0%} {flops / gemm / 1e9:6.1f}"
                 f" {alone * 1e3:8.2f} {flops / alone / 1e9:6.1f} {copies * 1e3:8.2f} {copies / total:5.0%}"
                 f" {torch_flops / theirs / 1e9:6.1f} {(alone + copies) / theirs:6.2f}x")
    print(line)


def main():
    rng = np.random.default_rng(0)
    rounds = 1 if ARGS.smoke else ARGS.rounds
    if torch is None:
        sys.exit("profile_kernels.py compares with PyTorch: install the pinned CPU build (make bench)")
    import numpy

    config = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
    print(f"numpy {np.__version__} ({config['name']} {config['version']}), torch {torch.__version__}, "
          f"threads {ARGS.threads}, {rounds} rounds; {bench.load()}")
    header = (f"{'case':28s} {'dtype':7s} {'cnnlab':>8s} {'torch':>8s} {'ratio':>7s} "
              f"{'gemm ms':>8s} {'share':>5s} {'GF/s':>6s} {'alone ms':>8s} {'GF/s':>6s} "
              f"{'copy ms':>8s} {'share':>5s} {'torch':>6s} {'floor':>7s}")
    print("times in ms, medians; 'torch' GF/s = the convolution FLOPs / torch's time; "
          "floor = (products alone + copies) / torch\n")
    print(header)
    print("-" * len(header))
    only = ARGS.only.split(",")
    timed = partial(bench.interleaved, rounds=rounds, pause=0.0 if ARGS.smoke else 0.25)
    conv_cases = bench.SMOKE_CONV if ARGS.smoke else bench.CONV_CASES
    pool_cases = bench.SMOKE_POOL if ARGS.smoke else bench.POOL_CASES
    train_cases = bench.TRAIN_CASES[:1] if ARGS.smoke else bench.TRAIN_CASES
    for dtype in (np.float64, np.float32):
        name_of = np.dtype(dtype).name
        for name, xs, ws, pad in conv_cases if "conv" in only else []:
            x, w, b = (rng.standard_normal(s).astype(dtype) for s in (xs, ws, ws[:1]))
            dout = rng.standard_normal(cnnlab.conv2d_forward(x, w, padding=pad).shape).astype(dtype)
            ours = partial(bench.conv_step_cnnlab, x, w, b, dout, pad)
            tx, tw, tb = map(bench.torch_tensor, (x, w, b))
            theirs = partial(bench.conv_step_torch, tx, tw, tb, torch.from_numpy(dout), pad)
            (t_ours, t_theirs), _ = timed([ours, theirs])
            report(name, name_of, t_ours, t_theirs, profile(ours, rounds), conv_flops(xs, ws, pad), rng)
        for name, xs, k, mode in pool_cases if "pool" in only else []:
            x = rng.standard_normal(xs).astype(dtype)
            dout = rng.standard_normal(cnnlab.max_pool2d_forward(x, kernel_size=k).shape).astype(dtype)
            ours = partial(bench.pool_step_cnnlab, x, k, dout, mode)
            theirs = partial(bench.pool_step_torch, bench.torch_tensor(x), k, torch.from_numpy(dout), mode)
            (t_ours, t_theirs), _ = timed([ours, theirs])
            report(name, name_of, t_ours, t_theirs, profile(ours, rounds), 0, rng)
    for name, make, xs, classes in train_cases if "train" in only else []:
        x, y = rng.standard_normal(xs), rng.integers(0, classes, size=xs[0])
        model = make("cnnlab", np.random.default_rng(1))
        model.layers[0].input_grad = False
        ours = partial(bench.train_step_cnnlab, model, cnnlab.SGD(model.params, lr=1e-3),
                       cnnlab.SoftmaxCrossEntropy(), x, y)
        tmodel = make("torch", None)
        theirs = partial(bench.train_step_torch, tmodel, torch.optim.SGD(tmodel.parameters(), lr=1e-3),
                         torch.from_numpy(x), torch.from_numpy(y))
        (t_ours, t_theirs), _ = timed([ours, theirs])
        convs = [layer for layer in model.layers if isinstance(layer, cnnlab.Conv2D)]
        flops, shape = 0, xs
        for layer in model.layers:  # walk the shapes to count the convolutions' FLOPs
            out_shape = layer.forward(np.zeros(shape)).shape
            if isinstance(layer, cnnlab.Conv2D):
                flops += conv_flops(shape, layer.w.value.shape, layer.padding, input_grad=layer is not convs[0])
            shape = out_shape
        report(name, "float64", t_ours, t_theirs, profile(ours, rounds), flops, rng)
    print(f"\n{bench.load()}")


if __name__ == "__main__":
    main()

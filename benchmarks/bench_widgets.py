"""Kernel-side time per update of each explorer: move a control, time until the views are new.

Usage: ``python benchmarks/bench_widgets.py`` (or ``make bench``). Prints the median and the
maximum over the moves, per explorer. The browser adds its own time to display the frame (the
browser test records keypress-to-new-text in artifacts/browser/*-timing.txt).
"""

import statistics
import sys
import time

from cnnlab.widgets import (
    explore_convolution,
    explore_fc_params,
    explore_influence,
    explore_pooling,
    explore_receptive_field,
    explore_sharing_locality,
)


def update_times(explorer, control, values):
    """Seconds each move takes in the kernel: set ``explorer.controls[control]`` to each value."""
    times = []
    for value in values:
        t0 = time.perf_counter()
        explorer.controls[control].value = value
        times.append(time.perf_counter() - t0)
    return times


CASES = [
    ("parameters of an FC network", explore_fc_params, "side", list(range(40, 60))),
    ("sharing and locality", explore_sharing_locality, "sharing", [True, False] * 10),
    ("convolution: position", explore_convolution, "position", list(range(1, 25))),
    ("convolution: stride", explore_convolution, "stride", [2, 3, 4, 1] * 5),
    ("convolution: kernel size", explore_convolution, "kernel", [2, 4, 5, 3] * 5),
    ("pooling: position", explore_pooling, "position", list(range(1, 9)) * 2),
    ("pooling: padding (valid, invalid)", explore_pooling, "padding", [1, 2, 0] * 5),
    ("influence: row", explore_influence, "row", [0, 1, 2, 3, 4] * 4),
    ("receptive field: stack", explore_receptive_field, "stack",
     ["conv 3 1 1, pool 2 2 0", "conv 5 1 2, pool 2 2 0, conv 3 1 1", "conv 3"] * 5),
]


def main(smoke=False):
    print(f"{'explorer':36s} {'median':>9s} {'max':>9s}  (kernel-side ms per update)")
    for name, make, control, values in CASES:
        times = update_times(make(), control, values[:2] if smoke else values)
        print(f"{name:36s} {statistics.median(times) * 1e3:9.1f} {max(times) * 1e3:9.1f}")


if __name__ == "__main__":
    main(smoke="--smoke" in sys.argv)

"""Kernel-side time per update of each explorer: move a control, time until the views are new.

Usage: ``python benchmarks/bench_widgets.py`` (or ``make bench``). Prints the median and the
maximum over the moves, per explorer. The browser adds its own time to display the frame
(the browser test records keypress-to-new-text in artifacts/browser/timing.txt).
"""

import statistics

from cnnlab.widgets import (
    explore_convolution,
    explore_fc_params,
    explore_sharing_locality,
    update_times,
)

CASES = [
    ("parameters of an FC network", explore_fc_params, "side", list(range(40, 60))),
    ("sharing and locality", explore_sharing_locality, "sharing", [True, False] * 10),
    ("convolution: position", explore_convolution, "position", list(range(1, 25))),
    ("convolution: stride", explore_convolution, "stride", [2, 3, 4, 1] * 5),
    ("convolution: kernel size", explore_convolution, "kernel", [2, 4, 5, 3] * 5),
]


def main():
    print(f"{'explorer':28s} {'median':>9s} {'max':>9s}  (kernel-side ms per update)")
    for name, make, control, values in CASES:
        times = update_times(make(), control, values)
        print(f"{name:28s} {statistics.median(times) * 1e3:9.1f} {max(times) * 1e3:9.1f}")


if __name__ == "__main__":
    main()

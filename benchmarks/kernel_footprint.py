"""What one student's kernel costs: peak memory and CPU time of running each notebook top to bottom.

For the instructor guide (README, "Teaching with cnnlab"): run every notebook's code cells in a
fresh kernel, the way a student's *Run All* does, and read the kernel process's peak resident
memory (``VmHWM``) and its CPU time (user + system) from ``/proc``. Linux only. Not a test.

Usage: ``python benchmarks/kernel_footprint.py [notebooks/NN-*.ipynb ...]``
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel


def _proc(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    peak_kib = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    return peak_kib / 1024, cpu


def footprint(path):
    """(peak MiB, CPU seconds, wall seconds) of a kernel running the notebook's code cells."""
    nb = nbformat.read(path, as_version=4)
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(Path(path).parent))
    try:
        pid = manager.provisioner.process.pid
        start = time.perf_counter()
        for cell in nb.cells:
            if cell.cell_type == "code":
                reply = client.execute_interactive(cell.source, timeout=600, output_hook=lambda msg: None)
                if reply["content"]["status"] != "ok":
                    raise RuntimeError(f"{path}: a cell failed: {reply['content'].get('ename')}")
        wall = time.perf_counter() - start
        peak, cpu = _proc(pid)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return peak, cpu, wall


def main(paths):
    paths = paths or sorted(str(p) for p in Path("notebooks").glob("[0-9][0-9]-*.ipynb"))
    print(f"{'notebook':<36}{'peak memory':>13}{'CPU time':>10}{'wall time':>11}")
    for path in paths:
        peak, cpu, wall = footprint(path)
        print(f"{Path(path).name:<36}{peak:>9.0f} MiB{cpu:>8.1f} s{wall:>9.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])

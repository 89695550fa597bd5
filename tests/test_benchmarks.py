"""The benchmark scripts still run (tiny shapes): they are how the speed claims are measured."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_kernel_benchmark_smoke_run():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_kernels.py"), "--smoke"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "speed-up" in result.stdout and "peak memory" in result.stdout


def test_widget_benchmark_smoke_run():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_widgets.py"), "--smoke"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "receptive field: stack" in result.stdout and "kernel-side ms per update" in result.stdout

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


def test_kernel_profile_smoke_run():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "profile_kernels.py"), "--smoke"],
                            capture_output=True, text=True, timeout=120)
    if "install the pinned CPU build" in result.stderr:
        return  # PyTorch is optional: the profile compares with it, the tests do not need it
    assert result.returncode == 0, result.stderr
    assert "floor" in result.stdout and "notebook 08 CNN" in result.stdout

"""The pinned environment is written down twice (pip and conda); they must not drift apart."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pins(path, pattern):
    pins = {}
    for line in (ROOT / path).read_text().splitlines():
        match = re.fullmatch(pattern, line.split("#")[0].strip())
        if match:
            pins[match["name"].lower()] = match["version"]
    return pins


def requirements_pins():
    return _pins("requirements.txt", r"(?P<name>[A-Za-z0-9_.\-]+)==(?P<version>\S+)")


def environment_pins():
    pins = _pins("environment.yml", r"- (?P<name>[A-Za-z0-9_.\-]+)=(?P<version>[^=\s]+)")
    pins.pop("python", None)
    return pins


def test_every_requirement_is_pinned_exactly():
    lines = [l.split("#")[0].strip() for l in (ROOT / "requirements.txt").read_text().splitlines()]
    lines = [l for l in lines if l]
    assert lines, "requirements.txt is empty"
    assert len(requirements_pins()) == len(lines), f"not all pinned with ==: {lines}"


def test_conda_environment_matches_requirements():
    pip, conda = requirements_pins(), environment_pins()
    assert {"numpy", "matplotlib", "jupyterlab", "ipywidgets", "scikit-image", "nbval"} <= set(pip)
    only_pip = {n: v for n, v in pip.items() if n not in conda}
    only_conda = {n: v for n, v in conda.items() if n not in pip}
    differ = {n: (pip[n], conda[n]) for n in pip.keys() & conda.keys() if pip[n] != conda[n]}
    assert not (only_pip or only_conda or differ), (
        f"requirements.txt and environment.yml drifted apart: only in requirements.txt {only_pip}, "
        f"only in environment.yml {only_conda}, different versions (pip, conda) {differ}"
    )


def test_installed_versions_are_the_pinned_ones():
    from importlib.metadata import version

    wrong = {n: (v, version(n)) for n, v in requirements_pins().items() if version(n) != v}
    assert not wrong, f"installed versions differ from requirements.txt (pinned, installed): {wrong}"

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
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    lines = [line for line in lines if line]
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


def installed(name):
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def test_installed_versions_are_the_pinned_ones():
    wrong = {n: (v, installed(n)) for n, v in requirements_pins().items() if installed(n) != v}
    assert not wrong, f"installed versions differ from requirements.txt (pinned, installed): {wrong}"


def test_every_dependency_of_the_package_is_pinned():
    """What pyproject.toml asks for (loosely), requirements.txt pins (exactly)."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + [d for group in project["optional-dependencies"].values() for d in group]
    names = {re.match(r"[A-Za-z0-9_.\-]+", d)[0].lower() for d in wanted}
    assert names - set(requirements_pins()) == set(), "unpinned dependencies"

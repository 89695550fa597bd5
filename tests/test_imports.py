"""The package's shape: layered imports, a light ``import cnnlab``, no global state, one export rule.

The checks run in fresh subprocesses, so that what this test session imported before cannot hide
what a module imports (or changes) itself.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import cnnlab

PACKAGE = Path(cnnlab.__file__).parent
NUMERIC = ["_checks", "_grid", "_im2col", "shapes", "conv", "pool", "avgpool", "params", "wiring", "receptive",
           "sliding", "gradcheck", "layers", "training", "data", "exercises", "_exercise_cases", "predictions"]
DRAWINGS = sorted(f"draw.{p.stem}" for p in (PACKAGE / "draw").glob("*.py") if p.stem != "__init__") + ["draw"]
WIDGETS = sorted(f"widgets.{p.stem}" for p in (PACKAGE / "widgets").glob("*.py") if p.stem != "__init__") + [
    "widgets"]


def run(code):
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_module_is_in_a_layer():
    modules = {str(p.relative_to(PACKAGE).with_suffix("")).replace("/", ".").removesuffix(".__init__")
               for p in PACKAGE.rglob("*.py")} - {"__init__"}
    assert modules == set(NUMERIC) | set(DRAWINGS) | set(WIDGETS)


def test_import_cnnlab_loads_neither_matplotlib_nor_ipywidgets():
    code = ("import sys, json, cnnlab; import cnnlab." + ", cnnlab.".join(NUMERIC) +
            "; print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('matplotlib', 'ipywidgets', 'IPython', 'skimage', 'scipy'))))")
    assert run(code) == []


def test_a_lazy_name_loads_its_layer_only_when_asked():
    code = ("import sys, json, cnnlab; a = 'matplotlib' in sys.modules; cnnlab.draw_image; "
            "b = 'matplotlib' in sys.modules, 'ipywidgets' in sys.modules; cnnlab.explore_pooling; "
            "print(json.dumps([a, *b, 'ipywidgets' in sys.modules]))")
    assert run(code) == [False, True, False, True]


def _imports(path):
    """Names of the modules ``path`` imports (relative imports resolved within cnnlab)."""
    tree = ast.parse(path.read_text())
    here = path.relative_to(PACKAGE).with_suffix("").parts[:-1]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(here[: len(here) - node.level + 1])
                module = ".".join(["cnnlab", *base, *([node.module] if node.module else [])])
            else:
                module = node.module
            names.add(module)
    return names


@pytest.mark.parametrize("layer, forbidden", [
    (NUMERIC, ("matplotlib", "ipywidgets", "IPython", "cnnlab.draw", "cnnlab.widgets")),
    (DRAWINGS, ("ipywidgets", "IPython", "cnnlab.widgets")),
])
def test_the_arrows_point_one_way(layer, forbidden):
    """numbers <- drawings <- widgets: no module imports from a layer above its own."""
    for name in layer:
        path = PACKAGE / (name.replace(".", "/") + ".py")
        path = path if path.exists() else PACKAGE / name.replace(".", "/") / "__init__.py"
        bad = sorted(m for m in _imports(path) if m.startswith(forbidden))
        assert not bad, f"cnnlab.{name} imports {bad}"


def test_importing_everything_changes_no_global_state():
    code = """
import json, numpy as np, matplotlib
before = dict(matplotlib.rcParams), np.random.get_state()[1].tolist()
import importlib, cnnlab
for name in cnnlab.__all__:
    getattr(cnnlab, name)
after = dict(matplotlib.rcParams), np.random.get_state()[1].tolist()
print(json.dumps([before[0] == after[0], before[1] == after[1], matplotlib.get_backend() != ""]))
"""
    assert run(code) == [True, True, True]


def test_every_public_name_is_a_name_of_the_package():
    """The export rule: a module's ``__all__`` is re-exported from ``cnnlab``, nothing else is."""
    import importlib

    exported = set()
    for name in [n for n in NUMERIC if not n.startswith("_")] + ["draw", "widgets"]:
        module = importlib.import_module(f"cnnlab.{name}")
        for public in getattr(module, "__all__", []):
            assert getattr(cnnlab, public) is getattr(module, public), f"cnnlab.{public}"
            exported.add(public)
    assert exported == set(cnnlab.__all__)
    with pytest.raises(AttributeError, match="module 'cnnlab' has no attribute 'convolve'"):
        cnnlab.convolve  # noqa: B018


def test_no_module_is_long():
    """One concept per module, each readable in one sitting."""
    lengths = {str(p.relative_to(PACKAGE)): len(p.read_text().splitlines()) for p in PACKAGE.rglob("*.py")}
    assert max(lengths.values()) <= 300, sorted(lengths.items(), key=lambda kv: -kv[1])[:3]


def test_version_is_written_once():
    from importlib.metadata import version

    assert version("cnnlab") == cnnlab.__version__
    assert "version =" not in (PACKAGE.parent / "pyproject.toml").read_text().split("[project]")[1].split("[")[0]

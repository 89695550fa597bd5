"""House pattern of every notebook, and its exercise solutions really pass their checks.

nbval (run by ``make test``) executes the notebooks and compares their outputs; these tests
check what nbval cannot: the structure, and that the hidden solutions are right.
"""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from cnnlab import check

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]-*.ipynb"))
SOLUTION = re.compile(r"<details><summary>Solution</summary>\s*```python\n(.*?)```\s*</details>", re.S)
CHECK = re.compile(r'check\("([a-z0-9-]+)",\s*([A-Za-z_][A-Za-z0-9_]*)\)')


def cells(path):
    return json.loads(path.read_text())["cells"]


def source(cell):
    return "".join(cell["source"])


def test_notebook_names_sort_in_reading_order():
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers == list(range(1, len(NOTEBOOKS) + 1))
    assert all(re.fullmatch(r"\d\d-[a-z0-9-]+\.ipynb", p.name) for p in NOTEBOOKS)


def opening(cs):
    """The text before the first code cell (split into a few cells, one per slide)."""
    text = []
    for c in cs:
        if c["cell_type"] != "markdown":
            break
        text.append(source(c))
    return "\n\n".join(text)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_house_pattern(path):
    cs = cells(path)
    first = opening(cs)
    assert cs[0]["cell_type"] == "markdown" and first.startswith(f"# {path.name[:2]}")
    assert "Learning goals" in first
    markdown = "\n".join(source(c) for c in cs if c["cell_type"] == "markdown")
    assert "## Summary" in markdown and "## Exercises" in markdown
    code = [c for c in cs if c["cell_type"] == "code"]
    counts = [c["execution_count"] for c in code]
    assert counts == list(range(1, len(code) + 1)), "not executed top to bottom in a fresh kernel"
    for c in code:
        for out in c["outputs"]:
            assert out["output_type"] != "error"
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), source(c)
    assert any("assert " in source(c) for c in code), "numbers are printed but never asserted"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercise_solutions_pass_their_checks(path):
    text = [source(c) for c in cells(path)]
    checks = [m for t in text for m in CHECK.findall(t)]
    solutions = [m for t in text for m in SOLUTION.findall(t)]
    assert 2 <= len(checks) <= 4, f"{len(checks)} exercises"
    assert len(solutions) == len(checks), "every exercise needs a revealable solution"
    for (name, fn_name), solution in zip(checks, solutions):
        namespace = {"np": np}
        exec(compile(solution, f"{path.name}:solution:{name}", "exec"), namespace)
        report = check(name, namespace[fn_name])
        assert report.passed, f"{path.name}, exercise {name}: {report.message}"


WIDGET = "application/vnd.jupyter.widget-view+json"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_saved_widget_outputs_read_without_a_kernel(path):
    """Every widget output carries a picture of its state, a text and an alt text; no saved widget
    state (a trusted reader would get controls that move without changing the picture)."""
    nb = json.loads(path.read_text())
    assert "widgets" not in nb["metadata"]
    for c in nb["cells"]:
        for out in c.get("outputs", []):
            data = out.get("data", {})
            if WIDGET not in data:
                continue
            assert data["image/png"] and "".join(data["text/plain"]).strip()
            assert "interactive explorer (run the notebook" not in "".join(data["text/plain"])
            assert out["metadata"]["image/png"]["alt"]


def test_the_training_boards_are_saved_in_their_final_state():
    nb = json.loads((NOTEBOOKS[0].parent / "08-cnn-end-to-end.ipynb").read_text())
    boards = [out for c in nb["cells"] for out in c.get("outputs", [])
              if "Training board" in "".join(out.get("data", {}).get("text/plain", ""))]
    assert len(boards) == 2
    for board in boards:
        alt = board["metadata"]["image/png"]["alt"]
        assert "waiting" not in alt and alt.count("epoch 15/15") in (2, 3), alt


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_second_edition_pattern(path):
    """Prerequisites stated up front, a question to predict before computing, figures with alt text
    that fit a 16:9 slide, and no bare pyplot figure (``plt.show()`` stores no alt text)."""
    import base64
    import struct

    cs = cells(path)
    assert "Prerequisites" in opening(cs)
    code = [source(c) for c in cs if c["cell_type"] == "code"]
    assert any("check_prediction(" in c for c in code), "no predict-then-check question"
    assert not any("plt.show()" in c for c in code), "figures go through cnnlab.show(alt)"
    for c in cs:
        for out in c.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if not png:
                continue
            alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
            assert len(alt) > 20 and "TODO" not in alt, f"{path.name}: a figure without alt text"
            width, height = struct.unpack(">II", base64.b64decode(png)[16:24])
            assert width <= 1000 and height <= 600, f"{path.name}: a {width}x{height} px figure"


def test_the_sources_erratum_on_pixels_is_computed():
    text = "\n".join(source(c) for c in cells(NOTEBOOKS[1]))
    assert "40,000" in text and "120,000" in text and "erratum" in text.lower()


def test_the_readme_names_every_public_name():
    """The README's package table is the map of cnnlab: every public name is in it, in its module's row
    (``max_pool2d_forward/backward`` names both, ``*_naive twins`` the naive ones)."""
    import cnnlab

    readme = (NOTEBOOKS[0].parents[1] / "README.md").read_text()
    rows = {line.split("|")[1].strip().strip("`"): line for line in readme.splitlines()
            if line.startswith("| `") and line.count("|") >= 4}

    def named(name, row):
        base = name.removesuffix("_naive")
        both = base.replace("_forward", "_forward/backward").replace("_backward", "_forward/backward")
        return (f"`{name}`" in row or f"`{name}(" in row or (base != name and "*_naive" in row and
                named(base, row)) or (both != base and f"`{both}`" in row))

    missing = [name for name, module in cnnlab._WHERE.items() if not named(name, rows.get(module, ""))]
    assert not missing, missing

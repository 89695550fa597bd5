"""The student edition (``make student``): no solutions, and every self-check still runs."""

import importlib.util
import json
import re
from pathlib import Path

import numpy as np
import pytest

import cnnlab

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
CHECK = re.compile(r'cnnlab\.check\("([a-z0-9-]+)",\s*([A-Za-z_][A-Za-z0-9_]*)\)')
SOLUTION = re.compile(r"```python\n(.*?)```", re.S)


def _editions():
    spec = importlib.util.spec_from_file_location("student_edition", ROOT / "scripts" / "student_edition.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    target = tmp_path_factory.mktemp("student")
    written = _editions().build(ROOT / "notebooks", target)
    return {p.name: json.loads(p.read_text()) for p in written}


def source(cell):
    return "".join(cell["source"])


def test_every_notebook_has_a_student_edition_without_solutions(student):
    assert sorted(student) == [p.name for p in NOTEBOOKS]
    for name, nb in student.items():
        text = "\n".join(source(c) for c in nb["cells"])
        assert "<summary>Solution" not in text and "</details>" not in text, name
        original = json.loads((ROOT / "notebooks" / name).read_text())
        withheld = [c for c in nb["cells"] if "not part of the student edition" in source(c)]
        solutions = [c for c in original["cells"] if "<summary>Solution" in source(c)]
        assert len(withheld) == len(solutions) >= 2, name
        assert "A solution hides under each exercise" not in text, name  # no promise of what is withheld
        # the rest is untouched (but for that promise): the lecture notes keep their outputs
        kept = [c for c in original["cells"] if "<summary>Solution" not in source(c)]
        for c in kept:
            if "A solution hides under each exercise." in source(c):
                c["source"] = source(c).replace("A solution hides under each exercise.",
                                                "This edition leaves the solutions out.")
        assert [{**c, "source": source(c)} for c in nb["cells"] if c not in withheld] == \
            [{**c, "source": source(c)} for c in kept]


def test_the_self_checks_run_in_the_student_edition(student):
    """Each exercise cell, run as a student receives it, reports "not yet"; with the instructor's
    solution in its place, the same check passes."""
    for name, nb in student.items():
        original = json.loads((ROOT / "notebooks" / name).read_text())
        solutions = [SOLUTION.search(source(c)).group(1) for c in original["cells"]
                     if "<summary>Solution" in source(c)]
        exercises = [c for c in nb["cells"] if c["cell_type"] == "code" and CHECK.search(source(c))]
        assert len(exercises) == len(solutions), name
        for cell, solution in zip(exercises, solutions):
            check_name, fn_name = CHECK.search(source(cell)).groups()
            namespace = {"np": np, "cnnlab": cnnlab}
            exec(compile(source(cell).split("cnnlab.check(")[0], f"{name}:exercise", "exec"), namespace)
            report = cnnlab.check(check_name, namespace[fn_name])
            assert not report.passed and "NotImplementedError" in report.message, (name, check_name)
            exec(compile(solution, f"{name}:solution", "exec"), namespace)
            assert cnnlab.check(check_name, namespace[fn_name]).passed, (name, check_name)


def test_a_solution_that_is_not_alone_in_its_cell_is_an_error():
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "Some text.\n<details><summary>Solution</summary>\n\n```python\nx = 1\n```\n</details>")])
    with pytest.raises(ValueError, match="a solution is not alone in its cell"):
        _editions().student_notebook(nb)

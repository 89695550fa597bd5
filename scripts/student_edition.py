"""The student edition: every notebook without its revealable solutions.

``make student`` writes ``student/NN-topic.ipynb`` from ``notebooks/NN-topic.ipynb``, for
instructors who hand out the exercises. A solution is a markdown cell that is one
``<details><summary>Solution</summary> ... </details>`` block; it is replaced by a line saying that
the solution is withheld. Everything else stays as it is: the lecture notes keep their outputs
(figures, tables, the explorers' saved pictures), so the edition reads without a kernel, and every
exercise cell keeps its self-check (``cnnlab.check``), which runs in the student's kernel.

Usage: ``python scripts/student_edition.py SOURCE_DIR TARGET_DIR``
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

SOLUTION = re.compile(r"^\s*<details><summary>Solution</summary>.*</details>\s*$", re.S)
WITHHELD = ("*The solution is not part of the student edition: run the self-check above until it "
            "says your function passes.*")


def student_notebook(nb):
    """A copy of ``nb`` with each solution cell replaced by a note; raises if a solution is left."""
    out = nbformat.from_dict(nb)
    for cell in out.cells:
        if cell.cell_type == "markdown" and SOLUTION.match(cell.source):
            cell.source = WITHHELD
        elif cell.cell_type == "markdown":  # the exercises' introduction promises solutions
            cell.source = cell.source.replace("A solution hides under each exercise.",
                                              "This edition leaves the solutions out.")
    left = [c.source[:60] for c in out.cells if "<summary>Solution" in c.source]
    if left:
        raise ValueError(f"a solution is not alone in its cell, so it cannot be withheld: {left}")
    return out


def build(source, target):
    """Write the student edition of every ``NN-*.ipynb`` in ``source`` into ``target``."""
    source, target = Path(source), Path(target)
    paths = sorted(source.glob("[0-9][0-9]-*.ipynb"))
    if not paths:
        raise ValueError(f"source must hold the notebooks NN-topic.ipynb, got none in {source}")
    target.mkdir(parents=True, exist_ok=True)
    for path in paths:
        nb = student_notebook(nbformat.read(path, as_version=4))
        nbformat.validate(nb)
        nbformat.write(nb, target / path.name)
    return [target / p.name for p in paths]


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[-1])
    for written in build(sys.argv[1], sys.argv[2]):
        print(f"wrote {written}")

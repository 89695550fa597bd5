"""Give every cell of the notebooks that has none a slide type, by one rule, so one source serves
reading and lecturing.

- a heading ``#`` or ``##`` starts a slide; ``###`` a subslide; other text is a subslide of its own
  (a paragraph per screen keeps the text large);
- a solution (``<details><summary>Solution``) is skipped: the instructor reveals it in the notebook;
- a code cell the text points to (the text cell before it ends with a colon: "as loops:") is shown,
  code and output;
- otherwise a code cell without output is skipped (imports, definitions), as is a block of asserts
  and a predict-then-check cell (``check_prediction``: the question is on the slide before, its
  answer in the speaker notes the slides get at build time);
- a code cell that shows a figure or an explorer is a subslide showing the picture only (its code
  is on the page; tag ``slides-output-only``), as is a long derivation (more than 15 lines of code
  or of printed output) with a result; a short computation shows its code and result.

A slide must fit the projector (``tests/test_site.py`` measures every slide at 1280x720 and
1920x1080 and names the ones that overflow): split a text cell that does not fit at a paragraph or
list break, and a long code cell the text points to at a step of its computation; the page reads
the same.

Cells that already have ``metadata.slideshow`` keep it: hand-made choices win, and rerunning the
rule after editing a notebook only types the new cells. ``--force`` retypes every cell.

Usage: ``python scripts/slide_metadata.py [--force] notebooks/*.ipynb``
"""

from __future__ import annotations

import sys

import nbformat

WIDGET = "application/vnd.jupyter.widget-view+json"
OUTPUT_ONLY = "slides-output-only"
LONG = 15


def _output_lines(cell):
    lines = 0
    for output in cell.outputs:
        if output.output_type == "stream":
            lines += output.text.count("\n") + 1
        elif "text/plain" in output.get("data", {}) and not _is_picture(output):
            lines += output.data["text/plain"].count("\n") + 1
    return lines


def _is_picture(output):
    data = output.get("data", {})
    return "image/png" in data or WIDGET in data


def slide_type(cell, previous=None):
    """The slide type of ``cell`` by the rule above, and whether it shows its output only.

    ``previous`` is the cell before it (a text ending in a colon points to the code after it)."""
    source = cell.source.strip()
    if cell.cell_type == "markdown":
        if source.startswith("<details><summary>Solution"):
            return "skip", False
        first = source.splitlines()[0] if source else ""
        if first.startswith(("# ", "## ")):
            return "slide", False
        return "subslide", False
    if cell.cell_type != "code":
        return "skip", False
    pointed = previous is not None and previous.cell_type == "markdown" and previous.source.rstrip().endswith(":")
    if any(_is_picture(o) for o in cell.get("outputs", [])):
        return "subslide", True
    if pointed:
        return "subslide", False
    code = [line for line in source.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not cell.get("outputs") or "check_prediction(" in source or all(
            line.lstrip().startswith("assert") for line in code):
        return "skip", False
    if len(code) > LONG or _output_lines(cell) > LONG:
        return "subslide", True
    return "subslide", False


def apply(nb, *, force=False):
    """Type the cells of ``nb`` in place; return how many were typed."""
    typed = 0
    for k, cell in enumerate(nb.cells):
        if "slideshow" in cell.metadata and not force:
            continue
        kind, output_only = slide_type(cell, nb.cells[k - 1] if k else None)
        cell.metadata["slideshow"] = {"slide_type": kind}
        tags = [t for t in cell.metadata.get("tags", []) if t != OUTPUT_ONLY]
        if output_only:
            tags.append(OUTPUT_ONLY)
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
        typed += 1
    return typed


if __name__ == "__main__":
    args = sys.argv[1:]
    force = "--force" in args
    for path in [a for a in args if a != "--force"]:
        nb = nbformat.read(path, as_version=4)
        typed = apply(nb, force=force)
        nbformat.write(nb, path)
        print(f"{path}: {typed} cells typed")

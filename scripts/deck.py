"""The deck's copy of a notebook: what a slide shows that the page does not (and the reverse).

The notebook's cells carry their slide types (``scripts/slide_metadata.py``); this module adapts a
copy of the notebook to the projector, without changing the notebook:

- a figure is scaled as large as 1200x520 slide pixels allow (at most twice its size), so that its
  text grows with it;
- a cell whose outputs are printed text and a figure, or several figures, shows each on a sub-slide
  of its own (side by side, each would be drawn at half its size);
- code shown on a slide leaves out its ``assert`` statements (the page keeps them: they are the
  notebook's proof, not the lecture);
- the exercises' code stubs and self-checks stay on the page (hand out the student edition), and the
  slide that introduces them says the solutions are in the notebook;
- the title slide's speaker note says where the deck's screens go, section by section;
- after each predict-then-check cell (skipped on the slides) comes a speaker note with the answer,
  computed by :mod:`cnnlab.predictions`, and the question asks for a guess on paper, not in a cell;
- a cell with ``metadata.cnnlab.speaker_notes`` (the errata: what a source says, what the notebook
  computes instead) is followed by that speaker note; the page does not show it.
"""

from __future__ import annotations

import ast
import base64
import copy
import re
import struct

import nbformat
from slide_metadata import WIDGET, _is_picture

ASK_IN_A_CELL = re.compile(r"\s*Put your answer in `guess` and run the cell \(with\s+`guess = None` it only asks\)\.")
# the decks skip the exercises' code and solutions (hand out the student edition)
SOLUTIONS = ("A solution hides under each exercise.",
             "They are for after the lecture: in the notebook a solution hides under each exercise.")
BEFORE_YOU_RUN = re.compile(r"Before you run the next cells?: (\w)")  # no cells to run on a slide


def _png_size(b64):
    """Width and height of a base64 PNG, from its header."""
    return struct.unpack(">II", base64.b64decode(b64[:64])[16:24])


def _markdown_text(text):
    """``text`` as markdown shows it literally (``2*3 + 1`` is not emphasis)."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


def without_asserts(source):
    """``source`` without its ``assert`` statements (all their lines), or None if it does not parse."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    drop = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            drop.update(range(node.lineno, node.end_lineno + 1))
    lines = [line for k, line in enumerate(source.splitlines(), 1) if k not in drop]
    return "\n".join(lines).strip("\n")


def _scale(output):
    png = output.get("data", {}).get("image/png")
    if png and WIDGET not in output["data"]:
        w, h = _png_size(png)
        output.setdefault("metadata", {}).setdefault("image/png", {})["width"] = int(w * min(2.0, 1200 / w, 520 / h))


def _split_outputs(cell):
    """The cell, then one output-only cell per further figure (printed text first, on its own)."""
    outputs = cell.get("outputs", [])
    texts = [o for o in outputs if not _is_picture(o)]
    pictures = [o for o in outputs if _is_picture(o)]
    if not pictures or (len(pictures) == 1 and not texts) or any(WIDGET in o.get("data", {}) for o in pictures):
        return [cell]
    groups = ([texts] if texts else []) + [[p] for p in pictures]
    cell.outputs = groups[0]
    more = []
    for group in groups[1:]:
        extra = nbformat.v4.new_code_cell("", outputs=group)
        extra.metadata["slideshow"] = {"slide_type": "subslide"}
        extra.metadata["tags"] = ["slides-output-only"]
        more.append(extra)
    return [cell, *more]


def _answer_note(name):
    from cnnlab.predictions import PREDICTIONS, shown

    answer, why = PREDICTIONS[name].answer()
    return _note(f"Answer: **{_markdown_text(shown(answer))}** ({_markdown_text(why)}). "
                 "Collect the room's guesses before the next slide shows it.")


def _note(text):
    note = nbformat.v4.new_markdown_cell(text)
    note.metadata["slideshow"] = {"slide_type": "notes"}
    return note


def for_slides(nb):
    """The deck's copy of ``nb`` (see the module's docstring)."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type")
        if cell.cell_type == "markdown":
            cell.source = ASK_IN_A_CELL.sub(" Write your guess down: the answer comes next.", cell.source)
            cell.source = cell.source.replace(*SOLUTIONS)
            cell.source = BEFORE_YOU_RUN.sub(lambda m: m.group(1).upper(), cell.source)
        elif cell.cell_type == "code" and kind != "skip":
            if "raise NotImplementedError" in cell.source or "cnnlab.check(" in cell.source:
                cell.metadata["slideshow"] = {"slide_type": "skip"}
            else:
                shown = without_asserts(cell.source)
                if shown is not None and shown != cell.source.strip("\n"):
                    cell.source = shown
                    if not shown.strip() or all(line.lstrip().startswith("#") for line in shown.splitlines()):
                        cell.metadata["tags"] = [*cell.metadata.get("tags", []), "slides-output-only"]
        for output in cell.get("outputs", []):
            _scale(output)
        cells += _split_outputs(cell) if cell.cell_type == "code" and kind != "skip" else [cell]
        name = re.search(r'check_prediction\("([^"]+)"', cell.source) if cell.cell_type == "code" else None
        if name:
            cells.append(_answer_note(name.group(1)))
        if text := cell.metadata.get("cnnlab", {}).get("speaker_notes"):
            cells.append(_note(text))
    nb.cells = _with_overview(cells)
    return nb


def sections(cells):
    """The deck's sections: (heading, screens), one per ``slide`` cell, the title's included."""
    found = []
    for cell in cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type")
        if kind == "slide":
            found.append([cell.source.strip().splitlines()[0].lstrip("# ").strip(), 0])
        if kind in ("slide", "subslide") and found:
            found[-1][1] += 1
    return [tuple(f) for f in found]


def _with_overview(cells):
    """``cells`` with a speaker note on the title slide: the screens of each section."""
    found = sections(cells)
    if not found:
        return cells
    total = sum(n for _, n in found)
    asks = sum("check_prediction(" in c.source for c in cells if c.cell_type == "code")
    errata = sum(bool(c.metadata.get("cnnlab", {}).get("speaker_notes")) for c in cells)
    where = "; ".join([f"the opening (title, goals, prerequisites): {found[0][1]}",
                       *(f"{_markdown_text(h)}: {n}" for h, n in found[1:])])
    note = nbformat.v4.new_markdown_cell(
        f"This deck: {total} screens (the down arrow walks a section's screens, the right arrow skips to "
        f"the next section), {asks} predict-then-check questions with their answers in these notes"
        f"{f', and {errata} notes where the notebook corrects a source' if errata else ''}. "
        f"Screens per section: {where}.")
    note.metadata["slideshow"] = {"slide_type": "notes"}
    first = next(k for k, c in enumerate(cells) if c.metadata.get("slideshow", {}).get("slide_type") == "slide")
    return [*cells[:first + 1], note, *cells[first + 1:]]


def screens(nb, *, cut=False):
    """How many screens (slides and sub-slides) the deck of ``nb`` has (``cut``: ``nb`` is the deck,
    as ``for_slides`` made it, already)."""
    kinds = [c.metadata.get("slideshow", {}).get("slide_type") for c in (nb if cut else for_slides(nb)).cells]
    return kinds.count("slide") + kinds.count("subslide")

"""The deck's copy of a notebook (``scripts/deck.py``): what the slides show, without a browser."""

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import deck  # noqa: E402

PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _code(source, outputs=(), kind="subslide"):
    cell = nbformat.v4.new_code_cell(source, outputs=list(outputs))
    cell.metadata["slideshow"] = {"slide_type": kind}
    return cell


def _picture():
    return nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"})


def _text(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def _deck(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return deck.for_slides(nb).cells


def test_asserts_leave_the_code_shown_on_a_slide():
    source = "x = 1 + 1\nassert x == 2, (\n    'two lines'\n)\nprint(x)"
    assert deck.without_asserts(source) == "x = 1 + 1\nprint(x)"
    [cell] = _deck(_code(source, [_text("2\n")]))
    assert cell.source == "x = 1 + 1\nprint(x)" and cell.outputs[0]["text"] == "2\n"
    [only] = _deck(_code("# the sum\nassert 1 + 1 == 2", [_text("checked\n")]))
    assert "slides-output-only" in only.metadata["tags"]
    assert deck.without_asserts("not python (") is None


def test_text_and_each_figure_get_a_screen_of_their_own():
    cells = _deck(_code("show()", [_text("a table\n"), _picture(), _picture()]))
    assert [len(c.outputs) for c in cells] == [1, 1, 1]
    assert cells[0].outputs[0]["output_type"] == "stream"
    assert all(c.metadata["slideshow"]["slide_type"] == "subslide" for c in cells)
    assert all("slides-output-only" in c.metadata["tags"] for c in cells[1:])
    [alone] = _deck(_code("show()", [_picture()]))
    assert alone.outputs[0]["metadata"]["image/png"]["width"] == 2  # a 1x1 figure, at most twice its size
    nb = nbformat.v4.new_notebook()
    nb.cells = [_code("show()", [_text("a table\n"), _picture()]), _code("x", [_text("1\n")], kind="slide")]
    assert deck.screens(nb) == 3


def test_exercise_stubs_and_self_checks_stay_on_the_page():
    cells = _deck(_code("def f(x):\n    raise NotImplementedError", []),
                  _code('cnnlab.check("flat-index", f)', [_text("not yet\n")]))
    assert [c.metadata["slideshow"]["slide_type"] for c in cells] == ["skip", "skip"]


def test_a_prediction_gets_its_answer_in_the_speaker_notes():
    ask = nbformat.v4.new_markdown_cell("Pixel (2, 1) lands where? Put your answer in `guess` and run the cell (with\n"
                                        "`guess = None` it only asks).")
    cells = _deck(ask, _code('guess = None\ncheck_prediction("flat-index-2-1", guess)', [], kind="skip"))
    assert cells[0].source == "Pixel (2, 1) lands where? Write your guess down: the answer comes next."
    note = cells[-1]
    assert note.metadata["slideshow"]["slide_type"] == "notes"
    # the reason's 2*3 is shown as written, not as emphasis
    assert note.source.startswith(r"Answer: **7** (two full rows of 3 pixels come before it, then 1 more: 2\*3 + 1).")


def test_an_erratum_gets_its_speaker_note_right_after_it():
    erratum = nbformat.v4.new_markdown_cell("The notes say -150.")
    erratum.metadata["cnnlab"] = {"speaker_notes": "Source 002 says -150; its formula gives +150."}
    cells = _deck(erratum, nbformat.v4.new_markdown_cell("Next."))
    assert [c.source for c in cells[-3:]] == ["The notes say -150.", "Source 002 says -150; its formula gives +150.",
                                              "Next."]
    assert cells[-2].metadata["slideshow"]["slide_type"] == "notes"


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")), ids=lambda p: p.name[:2])
def test_no_slide_of_the_series_shows_an_assert_or_a_stub(path):
    cells = deck.for_slides(nbformat.read(path, as_version=4)).cells
    shown = [c for c in cells if c.cell_type == "code" and c.metadata.get("slideshow", {}).get("slide_type") != "skip"
             and "slides-output-only" not in c.metadata.get("tags", [])]
    assert not [c.source[:60] for c in shown if re.search(r"^\s*assert\b|NotImplementedError", c.source, re.M)]
    notes = [c.source for c in cells if c.metadata.get("slideshow", {}).get("slide_type") == "notes"]
    asks = sum("check_prediction(" in c.source for c in cells if c.cell_type == "code")
    errata = [c.metadata["cnnlab"]["speaker_notes"] for c in cells if "speaker_notes" in c.metadata.get("cnnlab", {})]
    assert len(notes) == 1 + asks + len(errata) and set(errata) <= set(notes)
    # the title slide's note: the deck's screens, section by section, adding up
    overview = cells[1].source
    assert cells[1].metadata["slideshow"]["slide_type"] == "notes" and overview.startswith("This deck: ")
    total = int(re.search(r"This deck: (\d+) screens", overview).group(1))
    assert total == deck.screens(nbformat.read(path, as_version=4))
    per_section = [int(n) for n in re.findall(r": (\d+)[;.]", overview.split("Screens per section: ")[1])]
    assert sum(per_section) == total
    assert f"{asks} predict-then-check questions" in overview
    assert (f"{len(errata)} notes where the notebook corrects a source" in overview) == bool(errata)


def test_the_exercises_slide_says_where_the_solutions_are():
    intro = nbformat.v4.new_markdown_cell("## Exercises\n\nEach asks for a function. "
                                          "A solution hides under each exercise.")
    intro.metadata["slideshow"] = {"slide_type": "slide"}
    shown = _deck(intro)[0].source
    assert shown.endswith("They are for after the lecture: in the notebook a solution hides under each exercise.")


def test_a_list_split_for_the_slides_is_one_list_on_the_page():
    import build_site

    cells = [nbformat.v4.new_markdown_cell(s) for s in
             ("**Goals**\n\n- one\n- two", "- three,\n  still three", "A paragraph.", "Another paragraph.", "1. first")]
    joined = [c.source for c in build_site.joined_lists(cells)]
    assert joined == ["**Goals**\n\n- one\n- two\n- three,\n  still three", "A paragraph.", "Another paragraph.",
                      "1. first"]

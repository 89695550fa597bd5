"""Explorers: move a control in the kernel, check the numbers and the picture follow, never stale.

Each explorer is also moved into every kind of invalid setting its controls allow and back: the
text must then give the current numbers and the picture must change (and change back). Speed is
measured in benchmarks/bench_widgets.py, not here.
"""

import base64
import io
import re

import numpy as np
import pytest
from matplotlib.image import imread

from cnnlab.widgets import (
    TrainingBoard,
    explore_convolution,
    explore_fc_params,
    explore_influence,
    explore_pooling,
    explore_receptive_field,
    explore_sharing_locality,
)


def png(ex):
    return bytes(ex.views["plot"].value)


def text(ex):
    return "\n".join(v.value for k, v in ex.views.items() if k != "plot")


# ----------------------------------------------------------------------------- FC parameters
def test_fc_explorer_reacts_to_each_control():
    ex = explore_fc_params(side=32, channels=1, hidden="500")
    before = png(ex)
    assert "512,000" in text(ex) and before.startswith(b"\x89PNG")
    ex.controls["side"].value = 200
    assert "20,000,000" in text(ex) and png(ex) != before
    before = png(ex)
    ex.controls["channels"].value = 3
    assert "60,000,000" in text(ex) and png(ex) != before
    ex.controls["hidden"].value = "1000"
    assert "120,000,000" in text(ex) and "480.0 MB" in text(ex)


@pytest.mark.parametrize("typed", ["abc", "0", ""])
def test_fc_explorer_invalid_text_clears_the_count_and_the_picture(typed):
    ex = explore_fc_params(side=32, channels=1, hidden="500")
    good = png(ex)
    ex.controls["hidden"].value = typed
    assert "512,000" not in text(ex) and "no count: hidden must list layer widths" in text(ex)
    assert png(ex) != good and ex.summary == [f"no count: hidden must list layer widths, positive whole numbers "
                                              f"like '90, 50', got {typed!r}"]
    ex.controls["hidden"].value = "500"
    assert "512,000" in text(ex) and png(ex) == good


def test_fc_explorer_frames_are_full_drawings():
    """Its frames redraw only the marker and the legend: each must be the picture a full drawing gives."""
    from cnnlab import draw_fc_param_state, fc_param_state, figure_png
    from cnnlab.widgets.counts import _fc_figure

    ex = explore_fc_params(side=32, channels=1, hidden="500")
    for control, value in [("side", 40), ("side", 200), ("channels", 3), ("side", 7), ("hidden", "abc"),
                           ("hidden", "0"), ("hidden", "90, 50"), ("side", 512), ("channels", 1)]:
        ex.controls[control].value = value
        fig, ax = _fc_figure()
        draw_fc_param_state(fc_param_state(ex.controls["side"].value, ex.controls["channels"].value,
                                           ex.controls["hidden"].value), ax=ax)
        assert png(ex) == figure_png(fig, fast=True), (control, value)


# ----------------------------------------------------------------------------- sharing x locality
def test_sharing_locality_explorer_redraws():
    ex = explore_sharing_locality()
    seen = {png(ex)}
    assert "144 weights" in text(ex)
    ex.controls["sharing"].value = True
    assert "36 weights" in text(ex)
    ex.controls["locality"].value = True
    assert "16 weights" in text(ex) and "88.89 % fewer" in text(ex)
    ex.controls["sharing"].value = False
    assert "64 weights" in text(ex)
    seen.add(png(ex))
    assert len(seen) == 2


# ----------------------------------------------------------------------------- convolution
def test_convolution_explorer_moves_with_its_sliders():
    ex = explore_convolution()
    formula, before = ex.views["formula"].value, png(ex)
    assert "= 5" in formula and ex.controls["position"].max == 24
    ex.controls["stride"].value = 2
    assert ex.views["formula"].value != formula and ex.summary[0].endswith("= 3")
    assert png(ex) != before and ex.controls["position"].max == 8
    before = png(ex)
    ex.controls["position"].value = 4
    assert png(ex) != before
    ex.controls["dilation"].value = 1
    ex.controls["stride"].value = 3
    assert "13 of the 49 pixels are never read" in ex.views["message"].value


def test_convolution_explorer_invalid_setting_and_back():
    ex = explore_convolution()
    good, good_text = png(ex), text(ex)
    ex.controls["kernel"].value = 7
    ex.controls["dilation"].value = 3  # extent 19 > 7
    assert "no output" in ex.views["message"].value and ex.controls["position"].max == 0
    assert "3·(7−1)" in ex.views["formula"].value and ex.summary[0].endswith("< 1: no output")
    assert png(ex) != good
    ex.controls["dilation"].value = 1
    ex.controls["kernel"].value = 3
    assert text(ex) == good_text and png(ex) == good


def test_a_growing_maximum_rebuilds_the_slider():
    """The End key of a rebuilt slider reaches the new maximum: see set_slider_max."""
    ex = explore_convolution(kernel_size=3)  # 25 positions: max 24
    position = ex.controls["position"]
    changes = []
    position.observe(lambda change: changes.append(change["new"]), names="orientation")
    ex.controls["kernel"].value = 5  # 9 positions: a smaller maximum needs no rebuild
    assert position.max == 8 and changes == []
    ex.controls["kernel"].value = 1  # 49 positions, above the 24 it was built with
    assert position.max == 48 and changes == ["vertical", "horizontal"]
    ex.controls["kernel"].value = 2  # 36 positions: below 48, no rebuild
    assert position.max == 35 and changes == ["vertical", "horizontal"]


# ----------------------------------------------------------------------------- pooling
def test_pooling_explorer_reacts():
    ex = explore_pooling()
    before, message = png(ex), ex.views["message"].value
    ex.controls["position"].value = 3
    assert png(ex) != before and ex.views["message"].value != message
    ex.controls["mode"].value = "avg"
    assert "the sum of its window / 4" in ex.views["message"].value


def test_pooling_explorer_invalid_padding_and_back():
    """Padding 2 with a 2x2 window: the formula and the picture follow, and come back."""
    ex = explore_pooling()
    good_formula, good = ex.views["formula"].value, png(ex)
    ex.controls["padding"].value = 2
    assert "2·2" in ex.views["formula"].value and "2·0" not in ex.views["formula"].value
    assert "no output: padding 2 is more than half the window" in ex.views["message"].value
    assert png(ex) != good and ex.controls["position"].max == 0
    ex.controls["padding"].value = 0
    assert ex.views["formula"].value == good_formula and png(ex) == good


# ----------------------------------------------------------------------------- influence
def test_influence_explorer_reacts():
    ex = explore_influence()
    assert "feeds 9 output(s)" in ex.views["text"].value
    before = png(ex)
    ex.controls["stride"].value = 2
    assert "feeds 4 output(s)" in ex.views["text"].value and png(ex) != before
    ex.controls["kernel"].value, ex.controls["stride"].value = 1, 3
    ex.controls["row"].value = 1  # 1x1 kernel, stride 3: row 1 is never read
    assert ("feeds 0 output(s): no window reads it (windows of 1x1 cells, 3 cells apart, skip row 1)"
            in ex.views["text"].value)


# ----------------------------------------------------------------------------- receptive field
@pytest.mark.parametrize("typed", ["conv 3", "conv 30 1 0", ""])
def test_receptive_field_calculator_invalid_and_back(typed):
    ex = explore_receptive_field()
    good, good_table = png(ex), ex.views["table"].value
    assert "<td style='padding:2px 10px; text-align:right'>10x10</td>" in good_table
    ex.controls["stack"].value = typed
    assert ex.views["table"].value == "" and "no picture" in ex.views["message"].value
    assert png(ex) != good
    ex.controls["stack"].value = "conv 3 1 0, pool 2 2 0, conv 3 1 0, pool 2 2 0"
    assert ex.views["table"].value == good_table and png(ex) == good


def test_receptive_field_calculator_draws_on_an_image():
    image = np.linspace(0, 1, 25 * 25).reshape(25, 25)
    blank = explore_receptive_field(stack="conv 5 1 2, pool 2 2 0", input_size=25)
    drawn = explore_receptive_field(stack="conv 5 1 2, pool 2 2 0", input_size=25, image=image)
    assert png(blank) != png(drawn) and "6x6" in drawn.views["table"].value


# ----------------------------------------------------------------------------- what a reader sees
EXPLORERS = [explore_fc_params, explore_sharing_locality, explore_convolution, explore_pooling,
             explore_influence, explore_receptive_field]


@pytest.mark.parametrize("make", EXPLORERS, ids=lambda f: f.__name__)
def test_displayed_explorer_carries_a_static_picture_of_its_state(make):
    ex = make()
    data, metadata = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    picture = imread(io.BytesIO(base64.b64decode(data["image/png"])))
    plot = imread(io.BytesIO(png(ex)))
    # the picture is the explorer's plot, whole and at its own size, with the text above it
    assert picture.shape[1] == plot.shape[1] and picture.shape[0] > plot.shape[0]
    assert np.array_equal(picture[-plot.shape[0]:], plot)
    assert data["text/plain"].splitlines()[0] == ex.title
    assert all(line in data["text/plain"] for line in ex.summary)
    assert not re.search("0x[0-9a-f]{6}", data["text/plain"]) and ex.title in metadata["image/png"]["alt"]
    assert data["text/plain"] == make()._repr_mimebundle_()[0]["text/plain"]  # stable, for nbval


def test_training_board_keeps_its_final_state():
    board = TrainingBoard(["CNN", "FC"], epochs=3, val_label="validation")
    first = board._repr_mimebundle_()[0]
    step = board.callback("CNN")
    for epoch in range(3):
        step(epoch, {"loss": [1.0, 0.5, 0.25][: epoch + 1], "val_acc": [0.5, 0.75, 1.0][: epoch + 1]})
    last = board._repr_mimebundle_()[0]
    assert board.progress.value == 3 and board.lines()[0] == (
        "CNN, epoch 3/3: training loss 0.2500, validation accuracy 1.00")
    assert board.lines()[1] == "FC: waiting"
    assert first["image/png"] != last["image/png"]
    assert first["text/plain"] == last["text/plain"]  # nbval compares it with the saved output
    with pytest.raises(ValueError, match=r"name must be one of \['CNN', 'FC'\], got 'MLP'"):
        board.callback("MLP")


def test_show_displays_the_png_with_its_alt_text_and_closes_the_figure(monkeypatch):
    import IPython.display
    import matplotlib.pyplot as plt

    import cnnlab

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda data, **kw: shown.append((data, kw)))
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.plot([0, 1], [1, 0])
    assert cnnlab.show("a line from top left to bottom right") is None
    (data, kw), = shown
    assert data["text/plain"] == "a line from top left to bottom right"
    assert kw == {"raw": True, "metadata": {"image/png": {"alt": "a line from top left to bottom right"}}}
    assert base64.b64decode(data["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.fignum_exists(fig.number)
    with pytest.raises(TypeError, match="alt must be a str"):
        cnnlab.show(None)
    with pytest.raises(ValueError, match="alt must describe"):
        cnnlab.show("  ")

"""Explorers: move a control in the kernel and check the numbers and the picture change."""

import numpy as np
import pytest

from cnnlab.widgets import (
    explore_convolution,
    explore_fc_params,
    explore_sharing_locality,
    fc_param_report,
    sharing_locality_report,
    update_times,
)


def test_fc_param_report_numbers():
    assert fc_param_report(3, 1, [16])["weights"] == 144
    assert fc_param_report(3, 1, "90, 50")["weights"] == 5310
    assert fc_param_report(32, 1, [500])["weights"] == 512_000
    report = fc_param_report(200, 3, "1000")
    assert report["weights"] == 120_000_000 and report["megabytes"] == 480.0
    assert "<b>120,000,000</b>" in report["text"]
    with pytest.raises(ValueError, match="hidden must list positive layer widths"):
        fc_param_report(3, 1, "ninety")


def test_fc_explorer_reacts_to_each_control():
    ex = explore_fc_params(side=32, channels=1, hidden="500")
    text, png = ex.views["text"].value, ex.views["plot"].value
    assert "512,000" in text and bytes(png).startswith(b"\x89PNG")
    ex.controls["side"].value = 200
    assert "20,000,000" in ex.views["text"].value
    assert ex.views["plot"].value != png
    png = ex.views["plot"].value
    ex.controls["channels"].value = 3
    assert "60,000,000" in ex.views["text"].value and ex.views["plot"].value != png
    ex.controls["hidden"].value = "1000"
    assert "120,000,000" in ex.views["text"].value and "480.0 MB" in ex.views["text"].value
    ex.controls["hidden"].value = "oops"
    assert "hidden must list" in ex.views["text"].value


def test_sharing_locality_report_table():
    table = {(s, l): sharing_locality_report(s, l)["weights"] for s in (False, True) for l in (False, True)}
    assert table == {(False, False): 144, (True, False): 36, (False, True): 64, (True, True): 16}
    assert f"{sharing_locality_report(True, True)['saved_percent']:.2f}" == "88.89"


def test_sharing_locality_explorer_redraws():
    ex = explore_sharing_locality()
    seen = {bytes(ex.views["plot"].value)}
    assert "<b>144</b>" in ex.views["text"].value
    ex.controls["sharing"].value = True
    assert "<b>36</b>" in ex.views["text"].value
    ex.controls["locality"].value = True
    assert "<b>16</b>" in ex.views["text"].value and "88.89 %" in ex.views["text"].value
    ex.controls["sharing"].value = False
    assert "<b>64</b>" in ex.views["text"].value
    seen |= {bytes(ex.views["plot"].value)}
    assert len(seen) == 2


def test_explorer_repr_is_one_stable_line():
    text = repr(explore_sharing_locality())
    assert text == repr(explore_sharing_locality())
    assert "\n" not in text and "0x" not in text


@pytest.mark.parametrize("make, control, values", [
    (explore_fc_params, "side", [40, 41, 42, 43, 44, 45]),
    (explore_sharing_locality, "sharing", [True, False, True, False, True, False]),
    (explore_convolution, "position", [1, 2, 3, 4, 5, 6, 7, 8]),
    (explore_convolution, "stride", [2, 3, 1, 2, 3, 1]),
])
def test_explorers_react_quickly(make, control, values):
    times = update_times(make(), control, values)
    # generous bound for a loaded CI machine; the median is ~0.1 s on a quiet one
    assert np.median(times) < 0.5


# ----------------------------------------------------------------------------- convolution explorer
def test_window_state_examples():
    from cnnlab.sliding import window_state

    assert window_state(6, 3)["output"] == (4, 4)
    assert window_state(7, 3)["output"] == (5, 5)
    state = window_state(7, 3, stride=2, padding=1, position=5)
    assert state["output"] == (4, 4) and state["cell"] == (1, 1)
    assert state["window"][0] == (2, 2) and len(state["window"]) == 9
    assert state["formula"].splitlines()[0].endswith("= 4")
    assert state["message"] == "" and state["unvisited"] == 0
    # position is clipped to the last window
    assert window_state(7, 3, position=99)["position"] == 24


def test_window_state_unvisited_and_invalid():
    from cnnlab.sliding import window_state

    state = window_state(7, 3, stride=3)  # windows at 0 and 3 cover rows 0-5: row and column 6 unread
    assert state["output"] == (2, 2) and state["unvisited"] == 13
    assert state["never"][6].sum() == 7 and state["never"][:, 6].sum() == 7
    dilated = window_state(7, 2, dilation=3, stride=3)  # taps 0 and 3: reads rows 0, 3, 3, 6
    assert dilated["output"] == (2, 2) and dilated["unvisited"] == 49 - 9
    bad = window_state(3, 5)
    assert not bad["valid"] and bad["output"] == (0, 0)
    assert "the kernel spans 5x5 cells but the padded input is only 3x3" in bad["message"]
    with pytest.raises(ValueError, match="stride must be >= 1, got 0"):
        window_state(7, 3, stride=0)


def test_window_state_visited_grows_with_position():
    from cnnlab.sliding import window_state

    counts = [window_state(5, 2, position=k)["visited"].sum() for k in range(16)]
    assert counts[0] == 4 and counts[-1] == 25
    assert all(a <= b for a, b in zip(counts, counts[1:]))


def test_convolution_explorer_moves_with_its_sliders():
    from cnnlab.widgets import explore_convolution

    ex = explore_convolution()
    formula, png = ex.views["formula"].value, bytes(ex.views["plot"].value)
    assert "= 5" in formula and ex.controls["position"].max == 24
    ex.controls["stride"].value = 2
    assert ex.views["formula"].value != formula and ex.views["formula"].value.rstrip("</pre>").endswith("= 3")
    assert bytes(ex.views["plot"].value) != png and ex.controls["position"].max == 8
    png = bytes(ex.views["plot"].value)
    ex.controls["position"].value = 4
    assert bytes(ex.views["plot"].value) != png
    ex.controls["kernel"].value = 7
    ex.controls["dilation"].value = 3
    assert "no output" in ex.views["message"].value and ex.controls["position"].max == 0
    ex.controls["dilation"].value = 1
    ex.controls["kernel"].value = 3
    ex.controls["stride"].value = 3
    assert "13 of the 49 pixels are never read" in ex.views["message"].value


# ----------------------------------------------------------------------------- pooling and influence
def test_pooling_state_takes_the_kernels_choice():
    from cnnlab.sliding import pooling_state

    image = np.array([[1.0, 3.0, 3.0, 0.0], [2.0, 0.0, 1.0, 5.0], [4.0, 4.0, 0.0, 0.0], [4.0, 1.0, 2.0, 2.0]])
    state = pooling_state(image, 2)  # the sources' 4x4, 2x2, stride 2 -> 2x2
    assert state["output"].tolist() == [[3.0, 5.0], [4.0, 2.0]]
    assert state["chosen"] == (0, 1)  # window [[1, 3], [2, 0]]: its 3
    assert pooling_state(image, 2, position=2)["chosen"] == (2, 0)  # ties 4, 4, 4: the first one
    assert pooling_state(image, 2, position=3)["chosen"] == (3, 2)  # tie 2, 2 (and 0, 0): first 2
    avg = pooling_state(image, 3, stride=1, padding=1, mode="avg", position=0)
    assert avg["window"] == [(0, 0), (0, 1), (1, 0), (1, 1)] and avg["chosen"] is None
    assert avg["output"][0, 0] == pytest.approx(6.0 / 9) and "padding counts as 0" in avg["message"]
    with pytest.raises(ValueError, match="mode must be 'max' or 'avg', got 'min'"):
        pooling_state(image, 2, mode="min")


@pytest.mark.parametrize("case", range(20))
def test_influence_is_the_input_gradient(case):
    """dL/dx[cell] = sum over influence pairs of dout[i, j] * w[u, v], by conv2d_backward."""
    from cnnlab import conv2d_backward
    from cnnlab.sliding import influence

    rng = np.random.default_rng(case)
    n, k = int(rng.integers(3, 8)), int(rng.integers(1, 4))
    s, p = int(rng.integers(1, 3)), int(rng.integers(0, 2))
    cell = (int(rng.integers(0, n)), int(rng.integers(0, n)))
    x, w = rng.normal(size=(1, 1, n, n)), rng.normal(size=(1, 1, k, k))
    Ho = (n + 2 * p - k) // s + 1
    dout = rng.normal(size=(1, 1, Ho, Ho))
    dx = conv2d_backward(dout, x, w, stride=s, padding=p)[0]
    pairs = influence(n, k, stride=s, padding=p, cell=cell)
    assert dx[0, 0][cell] == pytest.approx(sum(dout[0, 0, i, j] * w[0, 0, u, v] for (i, j), (u, v) in pairs))


def test_influence_of_the_sources_example():
    from cnnlab.sliding import influence

    # a 2x2 kernel: an interior cell reaches four outputs, through the four kernel entries
    pairs = influence(4, 2, cell=(1, 1))
    assert [ij for ij, _ in pairs] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [uv for _, uv in pairs] == [(1, 1), (1, 0), (0, 1), (0, 0)]
    assert influence(5, 3, stride=2, cell=(1, 1)) == [((0, 0), (1, 1))]
    with pytest.raises(ValueError, match=r"cell \(5, 0\) is outside the 5x5 input"):
        influence(5, 3, cell=(5, 0))


def test_pooling_and_influence_explorers_react():
    from cnnlab.widgets import explore_influence, explore_pooling

    ex = explore_pooling()
    png, message = bytes(ex.views["plot"].value), ex.views["message"].value
    ex.controls["position"].value = 3
    assert bytes(ex.views["plot"].value) != png and ex.views["message"].value != message
    ex.controls["mode"].value = "avg"
    assert "the sum of its window / 4" in ex.views["message"].value
    ex.controls["padding"].value = 2
    assert "more than half the window" in ex.views["message"].value
    ex = explore_influence()
    assert "feeds 9 output(s)" in ex.views["text"].value
    png = bytes(ex.views["plot"].value)
    ex.controls["stride"].value = 2
    assert "feeds 4 output(s)" in ex.views["text"].value and bytes(ex.views["plot"].value) != png


def test_receptive_field_calculator():
    from cnnlab.shapes import receptive_fields
    from cnnlab.widgets import explore_receptive_field

    fields = receptive_fields([("conv", 3, 1, 0), ("pool", 2, 2, 0), ("conv", 3, 1, 0), ("pool", 2, 2, 0)])
    assert [(f["size"], f["jump"]) for f in fields] == [(3, 1), (4, 2), (8, 2), (10, 4)]
    assert receptive_fields([("conv", 3, 1, 1)])[0]["start"] == 0.0  # 'same' padding keeps centres
    assert receptive_fields([("conv", 3, 1, 0)])[0]["start"] == 1.0
    ex = explore_receptive_field()
    png = bytes(ex.views["plot"].value)
    assert "<td>10</td><td>4</td>" in ex.views["table"].value
    ex.controls["stack"].value = "conv 5 1 2, pool 2 2 0"
    assert "<td>6</td><td>2</td>" in ex.views["table"].value and bytes(ex.views["plot"].value) != png
    ex.controls["stack"].value = "conv 3"
    assert "must read 'name kernel stride padding'" in ex.views["table"].value

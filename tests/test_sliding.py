"""The pure states behind the sliding-window explorers: window, pooling, influence.

Each is tested without a widget, including every invalid setting its explorer's controls allow.
"""

import itertools

import numpy as np
import pytest

from cnnlab import conv2d_backward, conv_output_size, influence, influence_state, pooling_state, window_state


# ----------------------------------------------------------------------------- convolution window
def test_window_state_examples():
    assert window_state(6, 3)["output"] == (4, 4)
    assert window_state(7, 3)["output"] == (5, 5)
    state = window_state(7, 3, stride=2, padding=1, position=5)
    assert state["output"] == (4, 4) and state["cell"] == (1, 1)
    assert state["window"][0] == (2, 2) and len(state["window"]) == 9
    assert state["formula"].splitlines() == ["Ho = ⌊(7 + 2·1 − 1·(3−1) − 1) / 2⌋ + 1 = ⌊6 / 2⌋ + 1 = 4",
                                             "Wo = ⌊(7 + 2·1 − 1·(3−1) − 1) / 2⌋ + 1 = ⌊6 / 2⌋ + 1 = 4"]
    assert state["message"] == "" and state["unvisited"] == 0
    assert window_state(7, 3, position=99)["position"] == 24  # clipped to the last window


def test_window_state_unvisited_and_invalid():
    state = window_state(7, 3, stride=3)  # windows at 0 and 3 cover rows 0-5: row and column 6 unread
    assert state["output"] == (2, 2) and state["unvisited"] == 13
    assert state["never"][6].sum() == 7 and state["never"][:, 6].sum() == 7
    dilated = window_state(7, 2, dilation=3, stride=3)  # taps 0 and 3: reads rows 0, 3, 3, 6
    assert dilated["output"] == (2, 2) and dilated["unvisited"] == 49 - 9
    bad = window_state(3, 5)
    assert not bad["valid"] and bad["output"] == (0, 0) and bad["window"] == []
    assert bad["message"] == "no output: the kernel spans 5x5 cells but the padded input is only 3x3"
    assert bad["formula"].splitlines()[0] == "Ho = ⌊(3 + 2·0 − 1·(5−1) − 1) / 1⌋ + 1 = ⌊−2 / 1⌋ + 1 = −1 < 1: no output"
    with pytest.raises(ValueError, match="stride must be >= 1, got 0"):
        window_state(7, 3, stride=0)


def test_window_state_visited_grows_with_position():
    counts = [window_state(5, 2, position=k)["visited"].sum() for k in range(16)]
    assert counts[0] == 4 and counts[-1] == 25
    assert all(a <= b for a, b in zip(counts, counts[1:]))


# every setting the convolution explorer's sliders allow (input 2-12, kernel 1-7, stride 1-4,
# padding 0-3, dilation 1-3): valid exactly when conv_output_size is, with the same size
@pytest.mark.parametrize("n", range(2, 13))
def test_window_state_over_every_explorer_setting(n):
    for k, s, p, d in itertools.product(range(1, 8), range(1, 5), range(4), range(1, 4)):
        state = window_state(n, k, stride=s, padding=p, dilation=d, position=1000)
        try:
            size = conv_output_size(n, k, stride=s, padding=p, dilation=d)
        except ValueError:
            assert not state["valid"] and state["message"].startswith("no output")
            assert state["formula"].count("< 1: no output") == 2
            continue
        assert state["valid"] and state["output"] == (size, size)
        assert state["position"] == size * size - 1 and state["formula"].endswith(f"= {size}")
        assert state["visited"][state["padded"] == 1].sum() + state["unvisited"] == n * n


# ----------------------------------------------------------------------------- pooling window
GRID = np.array([[1.0, 3.0, 3.0, 0.0], [2.0, 0.0, 1.0, 5.0], [4.0, 4.0, 0.0, 0.0], [4.0, 1.0, 2.0, 2.0]])


def test_pooling_state_takes_the_kernels_choice():
    state = pooling_state(GRID, 2)  # the sources' 4x4, 2x2, stride 2 -> 2x2
    assert state["valid"] and state["output"].tolist() == [[3.0, 5.0], [4.0, 2.0]]
    assert state["chosen"] == (0, 1)  # window [[1, 3], [2, 0]]: its 3
    assert np.array_equal(state["image"], GRID)  # the state carries its image
    assert pooling_state(GRID, 2, position=2)["chosen"] == (2, 0)  # ties 4, 4, 4: the first one
    assert pooling_state(GRID, 2, position=3)["chosen"] == (3, 2)  # tie 2, 2 (and 0, 0): first 2
    avg = pooling_state(GRID, 3, stride=1, padding=1, mode="avg", position=0)
    assert avg["window"] == [(0, 0), (0, 1), (1, 0), (1, 1)] and avg["chosen"] is None
    assert avg["output"][0, 0] == pytest.approx(6.0 / 9) and "padding counts as 0" in avg["message"]


def test_pooling_state_invalid_padding_has_its_own_formula_and_message():
    image = np.arange(36.0).reshape(6, 6)
    state = pooling_state(image, 2, padding=2)
    assert not state["valid"] and state["output"].size == 0 and state["window"] == []
    assert state["formula"] == ("Ho = ⌊(6 + 2·2 − 2) / 2⌋ + 1 = 5,  Wo = ⌊(6 + 2·2 − 2) / 2⌋ + 1 = 5  "
                                "(no output: padding 2 > 2 // 2)")
    assert state["message"] == ("no output: padding 2 is more than half the window (2 // 2 = 1), "
                                "so a window could hold only padding")


def test_pooling_state_over_every_explorer_setting():
    """Window 1-4, stride 1-4, padding 0-2, both modes, on the explorer's 6x6 image."""
    image = np.random.default_rng(0).integers(0, 10, size=(6, 6)).astype(float)
    for k, s, p, mode in itertools.product(range(1, 5), range(1, 5), range(3), ("max", "avg")):
        state = pooling_state(image, k, stride=s, padding=p, mode=mode, position=999)
        assert f"(6 + 2·{p} − {k}) / {s}" in state["formula"]
        if p > k // 2:
            assert not state["valid"] and "more than half the window" in state["message"]
            continue
        size = conv_output_size(6, k, stride=s, padding=p)
        assert state["valid"] and state["output"].shape == (size, size)
        assert state["cell"] == (size - 1, size - 1) and state["window"]
        if mode == "max":
            assert image[state["chosen"]] == state["output"][state["cell"]]


def test_pooling_state_rejects_bad_arguments():
    with pytest.raises(ValueError, match="mode must be 'max' or 'avg', got 'min'"):
        pooling_state(GRID, 2, mode="min")
    with pytest.raises(ValueError, match=r"image must be 2-D \(H, W\), got shape \(1, 4, 4\)"):
        pooling_state(GRID[None], 2)
    with pytest.raises(TypeError, match="image must be a 2-D numpy ndarray"):
        pooling_state(GRID.tolist(), 2)


# ----------------------------------------------------------------------------- influence
@pytest.mark.parametrize("case", range(20))
def test_influence_is_the_input_gradient(case):
    """dL/dx[cell] = sum over influence pairs of dout[i, j] * w[u, v], by conv2d_backward."""
    rng = np.random.default_rng(case)
    n, k = int(rng.integers(3, 8)), int(rng.integers(1, 4))
    s, p = int(rng.integers(1, 3)), int(rng.integers(0, 2))
    cell = (int(rng.integers(0, n)), int(rng.integers(0, n)))
    x, w = rng.normal(size=(1, 1, n, n)), rng.normal(size=(1, 1, k, k))
    Ho = conv_output_size(n, k, stride=s, padding=p)
    dout = rng.normal(size=(1, 1, Ho, Ho))
    dx = conv2d_backward(dout, x, w, stride=s, padding=p)[0]
    pairs = influence(n, k, stride=s, padding=p, cell=cell)
    assert dx[0, 0][cell] == pytest.approx(sum(dout[0, 0, i, j] * w[0, 0, u, v] for (i, j), (u, v) in pairs))


def test_influence_of_the_sources_example():
    # a 2x2 kernel: an interior cell reaches four outputs, through the four kernel entries
    pairs = influence(4, 2, cell=(1, 1))
    assert [ij for ij, _ in pairs] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [uv for _, uv in pairs] == [(1, 1), (1, 0), (0, 1), (0, 0)]
    assert influence(5, 3, stride=2, cell=(1, 1)) == [((0, 0), (1, 1))]
    with pytest.raises(ValueError, match=r"cell \(5, 0\) is outside the 5x5 input"):
        influence(5, 3, cell=(5, 0))
    with pytest.raises(ValueError, match="no output: the 6x6 kernel is larger than the padded 5x5 input"):
        influence(5, 6)


def test_influence_state_over_every_explorer_setting():
    """Kernel 1-5, stride 1-3, every cell of the explorer's 5x5 input."""
    for k, s, r, c in itertools.product(range(1, 6), range(1, 4), range(5), range(5)):
        state = influence_state(5, k, stride=s, cell=(r, c))
        assert state["valid"] and state["pairs"] == influence(5, k, stride=s, cell=(r, c))
        assert state["message"].startswith(f"x[{r},{c}] feeds {len(state['pairs'])} output(s)")
        if not state["pairs"]:  # a cell no window reads (stride larger than the kernel)
            assert state["formula"] == f"dL/dx[{r},{c}] = 0" and "gradient is 0" in state["message"]
    assert influence_state(4, 2, cell=(1, 1), label="7")["label"] == "7"
    assert not influence_state(3, 5)["valid"]


@pytest.mark.parametrize("args, reason", [
    ((7, 3, 3, 0, 1), "stride 3 does not fit the last 1 row(s) and 1 column(s)"),
    ((8, 3, 4, 1, 1), "stride 4 does not fit the last 2 row(s) and 2 column(s); stride 4 is larger than the "
                      "window's 3 cells, so neighbouring windows leave gaps"),  # the third last row is padding
    ((9, 1, 2, 0, 1), "stride 2 is larger than the window's 1 cell, so neighbouring windows leave gaps"),
    ((7, 2, 3, 0, 3), "dilation 3 leaves cells between the taps that no window reaches"),
])
def test_window_state_says_why_pixels_are_never_read(args, reason):
    n, k, s, p, d = args
    state = window_state(n, k, stride=s, padding=p, dilation=d)
    assert state["message"] == f"{state['unvisited']} of the {n * n} pixels are never read: {reason}"

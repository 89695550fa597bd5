"""The output-size rule: hand-checked cases, a brute-force count, and the floor behaviour."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlab import conv2d_backward, conv2d_forward, conv_output_shape, conv_output_size, explain_output_size


@pytest.mark.parametrize(
    ("n", "k", "kwargs", "expected"),
    [
        # the sources' worked examples
        (6, 3, {}, 4),
        (7, 3, {}, 5),
        (4, 2, dict(stride=2), 2),
        # "same" padding keeps the size
        (5, 3, dict(padding=1), 5),
        (28, 5, dict(padding=2), 28),
        # the kernel covers the whole input: one position
        (5, 5, {}, 1),
        (1, 1, {}, 1),
        (1, 3, dict(padding=1), 1),
        # stride that does not divide n + 2p - k: floor((7 - 3) / 3) + 1 = 2, not 3
        (7, 3, dict(stride=3), 2),
        (8, 3, dict(stride=3), 2),  # floor(5 / 3) + 1
        (9, 3, dict(stride=3), 3),  # floor(6 / 3) + 1: now it divides
        (7, 3, dict(stride=2, padding=1), 4),  # floor((7 + 2 - 3) / 2) + 1
        # dilation d spreads the taps: extent d*(k-1)+1
        (7, 3, dict(dilation=2), 3),  # extent 5: 7 - 5 + 1
        (10, 3, dict(stride=4, padding=1, dilation=2), 2),  # floor((10 + 2 - 5) / 4) + 1
        (5, 2, dict(dilation=4), 1),  # extent 5
    ],
)
def test_conv_output_size_hand_checked(n, k, kwargs, expected):
    assert conv_output_size(n, k, **kwargs) == expected


def test_conv_output_size_accepts_numpy_integers():
    assert conv_output_size(np.int64(7), np.int32(3), stride=np.uint8(2), padding=np.int16(1)) == 4


@given(
    n=st.integers(1, 40),
    k=st.integers(1, 8),
    s=st.integers(1, 6),
    p=st.integers(0, 4),
    d=st.integers(1, 4),
)
def test_conv_output_size_counts_window_positions(n, k, s, p, d):
    """The formula equals a brute-force count of the window positions that fit."""
    extent = d * (k - 1) + 1
    positions = [t for t in range(0, n + 2 * p, s) if t + extent <= n + 2 * p]
    if not positions:
        with pytest.raises(ValueError, match="larger than the padded input"):
            conv_output_size(n, k, stride=s, padding=p, dilation=d)
    else:
        assert conv_output_size(n, k, stride=s, padding=p, dilation=d) == len(positions)


def test_cells_beyond_the_last_window_are_never_visited():
    """n=7, k=3, s=3: windows start at columns 0 and 3, so column 6 is read by no window.

    Its value cannot change the output and it receives no gradient; columns 0..5 are each read
    exactly once (the windows neither overlap nor leave gaps).
    """
    x = np.zeros((1, 1, 1, 7))
    w = np.ones((1, 1, 1, 3))
    x_changed = x.copy()
    x_changed[..., 6] = 1e6
    out = conv2d_forward(x, w, stride=3)
    assert out.shape == (1, 1, 1, 2)
    np.testing.assert_array_equal(conv2d_forward(x_changed, w, stride=3), out)
    dx, _, _ = conv2d_backward(np.ones((1, 1, 1, 2)), x, w, stride=3)
    np.testing.assert_array_equal(dx[0, 0, 0], [1, 1, 1, 1, 1, 1, 0])


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        (((28, 28), 3), dict(padding=1), (28, 28)),
        (((6, 7), (3, 2)), dict(stride=(1, 2)), (4, 3)),  # (6-3+1, floor((7-2)/2)+1)
        (((5, 9), 3), dict(stride=(2, 3), padding=(1, 0)), (3, 3)),
        ((7, (3, 1)), dict(dilation=(2, 1)), (3, 7)),
    ],
)
def test_conv_output_shape_hand_checked(args, kwargs, expected):
    assert conv_output_shape(*args, **kwargs) == expected


@given(
    h=st.integers(1, 20),
    w=st.integers(1, 20),
    kh=st.integers(1, 4),
    kw=st.integers(1, 4),
    sh=st.integers(1, 3),
    sw=st.integers(1, 3),
    ph=st.integers(0, 2),
    pw=st.integers(0, 2),
)
def test_conv_output_shape_is_conv_output_size_per_axis(h, w, kh, kw, sh, sw, ph, pw):
    """Each axis of the shape follows the one-axis rule with that axis' own parameters."""
    try:
        expected = (
            conv_output_size(h, kh, stride=sh, padding=ph),
            conv_output_size(w, kw, stride=sw, padding=pw),
        )
    except ValueError:
        with pytest.raises(ValueError, match="larger than the padded input along the"):
            conv_output_shape((h, w), (kh, kw), stride=(sh, sw), padding=(ph, pw))
        return
    assert conv_output_shape((h, w), (kh, kw), stride=(sh, sw), padding=(ph, pw)) == expected


@given(n=st.integers(1, 20), k=st.integers(1, 8), s=st.integers(1, 4), p=st.integers(0, 3), d=st.integers(1, 3))
def test_explained_formula_gives_the_same_size(n, k, s, p, d):
    """The explorers' text ends in the number conv_output_size computes (or says there is none)."""
    text, size = explain_output_size(n, k, stride=s, padding=p, dilation=d, name="Ho")
    assert text.startswith(f"Ho = ⌊({n} + 2·{p} − {d}·({k}−1) − 1) / {s}⌋ + 1 = ")
    try:
        expected = conv_output_size(n, k, stride=s, padding=p, dilation=d)
    except ValueError:
        assert size < 1 and text.endswith(" < 1: no output")
        return
    assert size == expected and text.endswith(f" = {expected}")


def test_explained_pooling_formula_has_no_dilation_term():
    assert explain_output_size(4, 2, stride=2, name="Ho") == ("Ho = ⌊(4 + 2·0 − 2) / 2⌋ + 1 = 2", 2)
    assert explain_output_size(2, 5, name="Wo") == ("Wo = ⌊(2 + 2·0 − 5) / 1⌋ + 1 = −2 < 1: no output", -2)
    with pytest.raises(ValueError, match="stride must be >= 1, got 0"):
        explain_output_size(4, 2, stride=0)

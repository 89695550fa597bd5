"""Parameter counts: the sources' numbers, the four steps from fully connected to convolution,
and the counts read off the dense matrix of a real convolution."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlab import (
    conv2d_as_dense,
    count_conv_params,
    count_fc_params,
    count_layer_params,
    count_multiply_adds,
    fc_param_state,
    sharing_locality_state,
)


@pytest.mark.parametrize(
    ("sizes", "bias", "expected"),
    [
        ([9, 16], False, 144),  # 3x3 image, 16 hidden neurons
        ([9, 16], True, 160),
        ([9, 90, 50], False, 810 + 4500),
        ([9, 90, 50], True, 5310 + 90 + 50),
        ([32 * 32, 500], False, 512_000),  # a 32x32 grey image into 500 neurons
        ([200 * 200 * 3, 1000], False, 120_000_000),  # a 200x200 colour image into 1000
        ((4, 3, 2, 1), False, 12 + 6 + 2),  # any sequence of ints
        (np.array([5, 7]), True, 35 + 7),  # numpy integers too
    ],
)
def test_count_fc_params(sizes, bias, expected):
    assert count_fc_params(sizes, bias=bias) == expected
    assert type(count_fc_params(sizes, bias=bias)) is int


def test_count_fc_params_counts_bias_by_default():
    assert count_fc_params([9, 90, 50]) == 5450


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((3, 8, 3), {}, 8 * 3 * 3 * 3 + 8),  # 224
        ((3, 8, 3), dict(bias=False), 216),
        ((1, 4, 2), dict(bias=False), 16),  # the 3x3 example's convolution
        ((16, 32, (3, 1)), dict(bias=False), 1536),
        ((np.int64(2), np.int32(5), (np.int8(1), 4)), {}, 5 * 2 * 4 + 5),
    ],
)
def test_count_conv_params(args, kwargs, expected):
    assert count_conv_params(*args, **kwargs) == expected


@pytest.mark.parametrize(
    ("sharing", "locality", "weights", "biases"),
    [
        (False, False, 144, 16),  # fully connected: 16 neurons x 9 pixels, one bias each
        (True, False, 36, 4),  # 4 groups share 9 weights each, one bias per group
        (False, True, 64, 16),  # 16 neurons x their 2x2 window
        (True, True, 16, 4),  # a convolution: 4 filters of 2x2
    ],
)
def test_count_layer_params_on_the_3x3_example(sharing, locality, weights, biases):
    """The article's 3x3 image, 4 groups of 2x2 neurons, 2x2 windows: 144 / 36 / 64 / 16."""
    layer = dict(input_size=3, sharing=sharing, locality=locality)
    assert count_layer_params(1, 4, 2, **layer, bias=False) == weights
    assert count_layer_params(1, 4, 2, **layer) == weights + biases  # bias=True is the default


def test_count_layer_params_follows_stride_padding_and_dilation():
    """5x5 image, 3x3 windows, stride 2, padding 1: Ho = Wo = floor((5 + 2 - 3) / 2) + 1 = 3,
    so 2 groups have 18 neurons of 2 channels * 9 weights (locality only). Dilation 2 makes
    the extent 5: Ho = Wo = floor((5 + 2 - 5) / 2) + 1 = 2, 8 neurons."""
    layer = dict(input_size=5, stride=2, padding=1, bias=False)
    assert count_layer_params(2, 2, 3, **layer, sharing=False) == 18 * 18
    assert count_layer_params(2, 2, 3, **layer, dilation=2, sharing=False) == 8 * 18
    # the sharing count does not depend on where the windows are
    assert count_layer_params(2, 2, 3, **layer) == 36


@st.composite
def layers(draw, padding=True):
    """A random valid layer: image, kernel, channels, stride, padding, dilation."""
    d = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    k = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    p = (draw(st.integers(0, 2)), draw(st.integers(0, 2))) if padding else (0, 0)
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    hw = tuple(draw(st.integers(max(1, di * (ki - 1) + 1 - 2 * pi), 7)) for di, ki, pi in zip(d, k, p))
    C, F = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    return dict(input_size=hw, kernel_size=k, out_channels=F, in_channels=C, stride=s,
                padding=p, dilation=d)


@given(layers(), st.booleans())
def test_sharing_and_locality_is_a_convolution(layer, bias):
    assert count_layer_params(**layer, bias=bias) == count_conv_params(
        layer["in_channels"], layer["out_channels"], layer["kernel_size"], bias=bias)


@given(layers(), st.booleans())
def test_no_sharing_no_locality_is_fully_connected(layer, bias):
    """One dense layer from C*H*W inputs to F*Ho*Wo neurons, which is also the size of the
    convolution's dense matrix."""
    H, W = layer["input_size"]
    w = np.ones((layer["out_channels"], layer["in_channels"]) + layer["kernel_size"])
    M = conv2d_as_dense(w, layer["input_size"], stride=layer["stride"], padding=layer["padding"],
                        dilation=layer["dilation"])
    rows, cols = M.shape
    assert cols == layer["in_channels"] * H * W
    expected = count_fc_params([cols, rows], bias=bias)
    assert count_layer_params(**layer, sharing=False, locality=False, bias=bias) == expected


@given(layers(padding=False))
def test_dense_matrix_of_a_convolution_shows_locality_and_sharing(layer):
    """Without padding, every window tap reads a real pixel, so the conv's dense matrix M built
    from a kernel with distinct nonzero entries has
    - exactly count_layer_params(sharing=False, locality=True) nonzero entries (locality:
      each neuron is connected to C*KH*KW pixels), and
    - exactly count_conv_params(bias=False) distinct nonzero values (sharing: the neurons of a
      filter repeat the same weights)."""
    F, C, (KH, KW) = layer["out_channels"], layer["in_channels"], layer["kernel_size"]
    w = np.random.default_rng(0).permutation(F * C * KH * KW).reshape(F, C, KH, KW) + 1.0
    M = conv2d_as_dense(w, layer["input_size"], stride=layer["stride"], dilation=layer["dilation"])
    assert np.count_nonzero(M) == count_layer_params(**layer, sharing=False, locality=True, bias=False)
    assert len(np.unique(M[M != 0])) == count_conv_params(C, F, (KH, KW), bias=False)


def test_padding_removes_connections_not_weights():
    """With padding, taps that fall on padded cells connect to nothing: fewer nonzero entries
    in M than the locality count, though every shared weight is still in use.
    2x2 image, 2x2 kernel, padding 1: 9 neurons x 4 taps = 36 by the count, but the four corner
    neurons have one real tap, the four edge neurons two and the centre four: 4 + 8 + 4 = 16."""
    M = conv2d_as_dense(np.array([[[[1.0, 2.0], [3.0, 4.0]]]]), (2, 2), padding=1)
    assert count_layer_params(1, 1, 2, input_size=2, padding=1, sharing=False, bias=False) == 36
    assert np.count_nonzero(M) == 16
    assert set(np.unique(M[M != 0])) == {1.0, 2.0, 3.0, 4.0}


def test_numpy_bools_and_integers_are_accepted():
    assert count_fc_params(np.array([9, 16]), bias=np.False_) == 144
    assert count_conv_params(np.int64(3), np.int32(8), 3, bias=np.True_) == 224


# ----------------------------------------------------------------------------- explorer states
def test_fc_param_state_counts_the_sources_networks():
    assert fc_param_state(3, 1, [16])["weights"] == 144
    assert fc_param_state(3, 1, "90, 50")["weights"] == 5_310
    two = fc_param_state(3, 1, "90, 50")
    assert (two["first_layer"], two["later_layers"], round(two["first_percent"], 2)) == (810, 4_500, 15.25)
    assert two["text"].endswith("the first layer holds 15.3 %")
    assert fc_param_state(32, 1, "500")["weights"] == 512_000
    state = fc_param_state(200, 3, "1000")
    assert state["valid"] and state["weights"] == 120_000_000 and state["megabytes"] == 480.0
    assert state["text"] == ("200x200x3 image = 120,000 inputs; weights 120,000x1,000 = 120,000,000, "
                             "480.0 MB in float32")


def test_fc_param_state_curve_is_the_whole_network():
    """The curve counts every layer: s^2 * C * h1 for the first, the rest does not grow."""
    state = fc_param_state(10, 3, "90, 50", max_side=40)
    assert state["sides"][0] == 2 and state["sides"][-1] == 40
    for s, weights in zip(state["sides"], state["fc_weights"]):
        assert weights == count_fc_params([s * s * 3, 90, 50], bias=False)
    assert state["conv_weights"] == count_conv_params(3, 16, 3, bias=False) == 432
    assert state["weights"] == state["fc_weights"][state["sides"].tolist().index(10)]


@pytest.mark.parametrize("typed", ["abc", "0", "", "  ", "90, -5", "9.5", "1e3"])
def test_fc_param_state_says_what_is_wrong_with_the_text(typed):
    state = fc_param_state(32, 1, typed)
    assert not state["valid"] and state["weights"] is None and state["fc_weights"].size == 0
    assert state["message"] == f"hidden must list layer widths, positive whole numbers like '90, 50', got {typed!r}"
    assert state["text"] == "no count: " + state["message"]


def test_sharing_locality_state_table():
    table = {(s, loc): sharing_locality_state(s, loc)["weights"] for s in (False, True) for loc in (False, True)}
    assert table == {(False, False): 144, (True, False): 36, (False, True): 64, (True, True): 16}
    assert sharing_locality_state(False, False)["text"] == (
        "sharing off, locality off: 144 weights (fully connected: one weight per pixel and neuron)")
    big = fc_param_state(2048, 3, "100000")["text"]
    assert big.endswith("12,582,912x100,000 = 1,258,291,200,000, 5.0 TB in float32")
    state = sharing_locality_state(True, True)
    assert f"{state['saved_percent']:.2f}" == "88.89"
    assert state["text"] == "sharing on, locality on: 16 weights (128 fewer than 144, 88.89 % fewer)"
    assert np.unique(state["ids"][state["ids"] >= 0]).size == 16
    with pytest.raises(TypeError, match="sharing must be True or False, got int 1"):
        sharing_locality_state(1, True)


def test_multiply_adds_are_the_connections():
    """Sharing saves no work: the FC and the grouped (sharing only) layers cost the same 144
    multiply-adds, the local layers 64. cs231n's AlexNet conv1 (227x227x3, 96 filters 11x11,
    stride 4: 55x55 outputs) makes 105,415,200 of them."""
    layer = dict(input_size=3)
    assert count_multiply_adds(1, 4, 2, **layer, locality=False) == 144
    assert count_multiply_adds(1, 4, 2, **layer) == 64
    alexnet = dict(input_size=227, stride=4)
    assert count_multiply_adds(3, 96, 11, **alexnet) == 55 * 55 * 96 * 11 * 11 * 3 == 105_415_200
    x = np.random.default_rng(0).standard_normal((1, 2, 7, 6))
    w = np.ones((3, 2, 3, 2))
    M = conv2d_as_dense(w, (7, 6), stride=2)  # without padding every tap reads a real pixel
    assert np.count_nonzero(M) == count_multiply_adds(2, 3, (3, 2), input_size=(7, 6), stride=2)
    assert x.size * M.shape[0] == count_multiply_adds(2, 3, (3, 2), input_size=(7, 6), stride=2, locality=False)

"""Receptive fields: the recurrence, the typed stacks, and the calculator's state."""

import numpy as np
import pytest

from cnnlab import parse_layer_stack, receptive_field_state, receptive_fields


def test_receptive_fields_of_the_series_cnn():
    fields = receptive_fields([("conv", 3, 1, 0), ("pool", 2, 2, 0), ("conv", 3, 1, 0), ("pool", 2, 2, 0)])
    assert [(f["size"], f["jump"]) for f in fields] == [(3, 1), (4, 2), (8, 2), (10, 4)]
    assert receptive_fields([("conv", 3, 1, 1)])[0]["start"] == 0.0  # 'same' padding keeps centres
    assert receptive_fields([("conv", 3, 1, 0)])[0]["start"] == 1.0


def test_receptive_field_is_the_set_of_pixels_an_output_depends_on():
    """Brute force: an output of a stack of max-free linear layers depends exactly on its field.

    Convolutions with all-ones kernels and average pools are linear with positive weights, so
    the input pixels with a nonzero gradient for one output are exactly its receptive field."""
    from cnnlab import avg_pool2d_backward, avg_pool2d_forward, conv2d_backward, conv2d_forward

    stack = [("conv", 3, 1, 0), ("pool", 2, 2, 0), ("conv", 3, 1, 0)]
    x = np.ones((1, 1, 20, 20))
    outs = [x]
    for _, k, s, _ in stack:
        outs.append(conv2d_forward(outs[-1], np.ones((1, 1, k, k))) if s == 1
                    else avg_pool2d_forward(outs[-1], kernel_size=k, stride=s))
    dout = np.zeros_like(outs[-1])
    dout[0, 0, 2, 3] = 1.0
    for (_, k, s, _), inp in zip(reversed(stack), reversed(outs[:-1])):
        dout = (conv2d_backward(dout, inp, np.ones((1, 1, k, k)))[0] if s == 1
                else avg_pool2d_backward(dout, inp, kernel_size=k, stride=s))
    rows, cols = np.nonzero(dout[0, 0])
    field = receptive_fields(stack)[-1]
    assert np.ptp(rows) + 1 == np.ptp(cols) + 1 == field["size"] == 8
    assert (rows.min() + rows.max()) / 2 == field["start"] + 2 * field["jump"]
    assert (cols.min() + cols.max()) / 2 == field["start"] + 3 * field["jump"]


def test_parse_layer_stack():
    assert parse_layer_stack("conv 3 1 1, pool 2 2 0,") == [("conv", 3, 1, 1), ("pool", 2, 2, 0)]
    for bad, message in [("conv 3", "layer 1 must read 'name kernel stride padding'"),
                         ("conv 3 1 0, pool two 2 0", "layer 2: kernel, stride and padding must be whole numbers"),
                         ("conv 3 1.5 0", "layer 1: kernel, stride and padding must be whole numbers"),
                         ("conv 0 1 0", "kernel and stride must be at least 1 and padding at least 0, got kernel 0"),
                         ("conv 3 1 -1", "padding at least 0, got kernel 3, stride 1, padding -1"),
                         ("", "list at least one layer"), (" , ", "list at least one layer")]:
        with pytest.raises(ValueError, match=message):
            parse_layer_stack(bad)
    with pytest.raises(TypeError, match="the stack must be a str"):
        parse_layer_stack(3)


def test_state_centres_one_output_of_each_layer():
    state = receptive_field_state("conv1 3 1 1, pool1 2 2 0, conv2 3 1 1, pool2 2 2 0", input_size=25)
    assert state["valid"]
    rows = state["rows"]
    assert [r["output"] for r in rows] == [25, 12, 12, 6] and [r["size"] for r in rows] == [3, 4, 8, 10]
    for r in rows:  # every box is as large as its field, and near the middle of the 25x25 image
        low, high = r["box"]
        assert high - low == r["size"] and abs((low + high) / 2 - 12) <= r["jump"]
        assert -0.5 <= low and high <= 24.5  # these fields fit: no box is clipped or outside
    assert state["message"] == ("one output of the last layer sees 10x10 of the 25x25 input; "
                                "neighbouring outputs are 4 pixels apart")
    assert state["text"][0].split() == ["layer", "output", "field", "jump"]


def test_state_says_when_a_field_is_larger_than_the_input():
    state = receptive_field_state("conv 3 1 1, pool 2 2 0, conv 3 1 1, pool 2 2 0, pool 6 6 0", input_size=25)
    assert state["valid"] and state["rows"][-1]["size"] == 30
    assert "larger than the 25x25 input" in state["message"]


@pytest.mark.parametrize("stack, words", [
    ("conv 3", "no picture: layer 1 must read"),
    ("", "no picture: list at least one layer"),
    ("conv 30 1 0", "no picture: layer 1 (conv 30 1 0) gets a 25x25 input: kernel_size 30 is larger"),
    ("conv 5 1 0, pool 2 2 0, conv 12 1 0", "no picture: layer 3 (conv 12 1 0) gets a 10x10 input"),
])
def test_invalid_stacks_have_no_picture_and_say_why(stack, words):
    state = receptive_field_state(stack, input_size=25)
    assert not state["valid"] and state["rows"] == [] and state["message"].startswith(words)
    assert state["text"] == [state["message"]]


def test_state_checks_its_image():
    with pytest.raises(ValueError, match=r"image must be an ndarray of shape \(8, 8\), got \(8, 9\)"):
        receptive_field_state("conv 3 1 0", input_size=8, image=np.zeros((8, 9)))

"""Predict, then check: a question in the notebook, your guess, and the answer cnnlab computes.

A notebook asks a question before the cell that answers it ("how many weights will the layer
have?"). You write your guess and call :func:`check_prediction`: it says whether you were right
and why, from a computation, never from a number typed into the text. Without a guess it keeps
the answer to itself, so a notebook saved with its outputs does not give it away::

    guess = None  # your prediction
    check_prediction("grouped-distinct-values", guess)
    # Write your prediction in `guess` first (a whole number), then run the cell again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .avgpool import avg_pool2d_backward
from .params import count_conv_params, count_fc_params, count_layer_params, count_multiply_adds
from .receptive import receptive_fields
from .shapes import conv_output_size
from .sliding import influence
from .wiring import layer_wiring

__all__ = ["Prediction", "PREDICTIONS", "check_prediction"]


@dataclass(frozen=True)
class Prediction:
    """A question and how to work out its answer.

    Attributes
    ----------
    name : str
        Key in :data:`PREDICTIONS`.
    question : str
    answer : callable
        ``answer() -> (value, reason)``: the computed answer and a sentence that explains it.
    kind : str
        What a guess is: ``"whole number"``, ``"number"`` or ``"shape"`` (a tuple of ints).
    """

    name: str
    question: str
    answer: Callable
    kind: str = "whole number"


def _grouped_distinct():
    # 4 groups, each with one shared row of 9 weights: every neuron of a group computes the same sum
    ids = count_layer_params(1, 4, 2, input_size=3, sharing=True, locality=False, bias=False) // 9
    return ids, "each group shares one row of 9 weights, so its 4 neurons compute one value: 4 groups, 4 values"


def _two_local_layers():
    size = receptive_fields([("local", 2, 1, 0), ("local", 2, 1, 0)])[-1]["size"]
    return size * size, f"the second layer sees 2x2 outputs of the first, each 2x2 pixels, overlapping: {size}x{size}"


def _avg_centre():
    dx = avg_pool2d_backward(np.ones((1, 1, 3, 3)), np.zeros((1, 1, 5, 5)), kernel_size=3, stride=1)
    return round(float(dx[0, 0, 2, 2]), 12), "the centre lies in all 9 windows, and each sends it 1/9 of its gradient"


def _twin_ratio():
    # connections to real pixels of the two convolutions of notebook 08 (padding 1), with and without sharing
    layers = [(1, 8, 8), (8, 16, 4)]
    shared, twin = (sum(int((layer_wiring(c, f, 3, input_size=n, padding=1, sharing=s) >= 0).sum())
                        for c, f, n in layers) for s in (True, False))
    return twin / shared, "a connection per tap on a real pixel, shared weight or not: sharing changes no connection"


PREDICTIONS = {p.name: p for p in [
    Prediction("flat-index-2-1", "Pixel (2, 1) of the 3x3 image lands at which entry of the flattened vector?",
               lambda: (2 * 3 + 1, "two full rows of 3 pixels come before it, then 1 more: 2*3 + 1")),
    Prediction("fc-parameters-9-16", "A fully connected layer from 9 inputs to 16 neurons, one bias each: "
               "how many parameters?",
               lambda: (count_fc_params([9, 16]), "9 x 16 = 144 weights, plus 16 biases")),
    Prediction("doubling-the-side", "Double the side of the image: the first layer's weights are multiplied by?",
               lambda: (count_fc_params([64 * 64, 10], bias=False) // count_fc_params([32 * 32, 10], bias=False),
                        "the inputs are side^2: twice the side is four times the pixels")),
    Prediction("pixels-of-a-photo", "A 200x200 colour photo (3 channels): how many pixels does it have?",
               lambda: (200 * 200, "a pixel is one position; its 3 colour values are 3 inputs, not 3 pixels")),
    Prediction("alexnet-conv1-shared", "AlexNet's first layer: 96 filters of 11x11 on 3 channels, with biases. "
               "How many parameters, with sharing?",
               lambda: (count_conv_params(3, 96, 11), "96 x (11 x 11 x 3 + 1), whatever the image size")),
    Prediction("grouped-distinct-values", "With grouping alone (4 groups of 4, sharing but no locality), how many "
               "different values can the 16 neurons compute for one image?", _grouped_distinct),
    Prediction("grouping-multiply-adds", "How many multiply-adds does the grouped layer (sharing, no locality) "
               "need per image, against 144 for the fully connected one?",
               lambda: (count_multiply_adds(1, 4, 2, input_size=3, locality=False),
                        "every neuron still multiplies all 9 pixels by a weight: sharing saves weights, not work")),
    Prediction("locality-alone", "Locality without sharing (16 neurons, each with its own 2x2 window): how many "
               "weights?",
               lambda: (count_layer_params(1, 4, 2, input_size=3, sharing=False, bias=False),
                        "16 neurons x 4 weights each")),
    Prediction("two-local-layers", "Two 2x2 local layers, one after the other: how many pixels of the image does "
               "one output of the second layer depend on?", _two_local_layers),
    Prediction("output-size-7-3-2-1", "A 7x7 input, a 3x3 kernel, stride 2, padding 1: how many outputs along "
               "each side?",
               lambda: (conv_output_size(7, 3, stride=2, padding=1), "floor((7 + 2*1 - 3) / 2) + 1 = floor(6/2) + 1")),
    Prediction("conv-parameters-3-16", "A convolution from 3 input channels to 16 filters of 3x3, with biases: "
               "how many parameters?",
               lambda: (count_conv_params(3, 16, 3), "each filter has 3 x 3 x 3 = 27 weights and 1 bias: 16 x 28")),
    Prediction("one-by-one", "A 1x1 convolution from 64 channels to 32 (no biases): how many weights?",
               lambda: (count_conv_params(64, 32, 1, bias=False), "each output pixel mixes the 64 input values "
                        "of its own pixel: 32 x 64")),
    Prediction("pool-output-9-3-2", "Max pooling with 3x3 windows and stride 2 on a 9x9 map: output size?",
               lambda: (conv_output_size(9, 3, stride=2), "floor((9 - 3) / 2) + 1: the convolution's formula")),
    Prediction("pool-parameters", "How many parameters does a max-pooling layer have?",
               lambda: (0, "it computes a maximum of its window: nothing to learn")),
    Prediction("corner-feeds", "A 5x5 input and a 3x3 kernel (stride 1, no padding): how many outputs does the "
               "top-left pixel feed?",
               lambda: (len(influence(5, 3, cell=(0, 0))), "only the first window covers the corner")),
    Prediction("avg-pool-centre-gradient", "3x3 average pooling with stride 1 on a 5x5 map, and a gradient of 1 on "
               "every output: what gradient does the centre cell get?", _avg_centre, kind="number"),
    Prediction("dw-shape", "The filters of a layer are w of shape (8, 3, 5, 5). What is the shape of dL/dw?",
               lambda: ((8, 3, 5, 5), "one gradient per weight: the shape of w itself"), kind="shape"),
    Prediction("digits-cnn-parameters", "The CNN for 8x8 digits: conv 1 -> 8 filters of 3x3, conv 8 -> 16 filters "
               "of 3x3, then a dense layer from 16 x 2 x 2 = 64 values to 10 scores, all with biases. How many "
               "parameters?",
               lambda: (count_conv_params(1, 8, 3) + count_conv_params(8, 16, 3) + count_fc_params([64, 10]),
                        "(1*3*3 + 1)*8 = 80, (8*3*3 + 1)*16 = 1,168, (64 + 1)*10 = 650")),
    Prediction("twin-multiply-adds", "The CNN's locally connected twin has the same windows but a weight of its "
               "own for every connection (no sharing). It has how many times the CNN's connections (multiply-adds)?",
               _twin_ratio, "number"),
    Prediction("receptive-field-cnn", "conv 3x3, pool 2x2, conv 3x3, pool 2x2 (strides 1, 2, 1, 2): how many "
               "pixels wide is the patch one output of the last layer sees?",
               lambda: (receptive_fields([("c", 3, 1, 0), ("p", 2, 2, 0), ("c", 3, 1, 0), ("p", 2, 2, 0)])[-1]["size"],
                        "size += (k - 1) * jump, jump *= s: 3, 4, 8, 10")),
]}


def _parse(guess, kind):
    if kind == "shape":
        if isinstance(guess, (tuple, list)) and all(isinstance(g, (int, np.integer)) for g in guess):
            return tuple(int(g) for g in guess)
        raise TypeError(f"the guess must be a shape, a tuple of whole numbers like (8, 3), got {guess!r}")
    if isinstance(guess, bool) or not isinstance(guess, (int, float, np.number)):
        raise TypeError(f"the guess must be a {kind}, got {type(guess).__name__} {guess!r}")
    if kind == "whole number" and float(guess) != int(guess):
        raise TypeError(f"the guess must be a whole number, got {guess!r}")
    return guess


def check_prediction(name, guess):
    """Your guess against the answer: right, or the answer and its reason.

    Parameters
    ----------
    name : str
        The question, a key of :data:`PREDICTIONS`.
    guess : number, tuple or None
        ``None`` until you have made up your mind: the answer stays hidden.

    Returns
    -------
    str
        A sentence, which the notebook shows as the cell's output.

    Examples
    --------
    >>> check_prediction("pool-parameters", None)
    Write your prediction in `guess` first (a whole number), then run the cell again.
    >>> check_prediction("pool-parameters", 0)
    Right: 0. It computes a maximum of its window: nothing to learn.
    >>> check_prediction("flat-index-2-1", 6)
    Not quite: you said 6, the answer is 7. Two full rows of 3 pixels come before it, then 1 more: 2*3 + 1.
    """
    if name not in PREDICTIONS:
        raise ValueError(f"no prediction named {name!r}; known: {', '.join(sorted(PREDICTIONS))}")
    p = PREDICTIONS[name]
    if guess is None:
        return _Sentence(f"Write your prediction in `guess` first (a {p.kind}), then run the cell again.")
    guess = _parse(guess, p.kind)
    value, reason = p.answer()
    reason = reason[0].upper() + reason[1:] + "."
    right = guess == value if p.kind != "number" else bool(np.isclose(guess, value, rtol=1e-6, atol=1e-9))
    if right:
        return _Sentence(f"Right: {shown(value)}. {reason}")
    return _Sentence(f"Not quite: you said {shown(guess)}, the answer is {shown(value)}. {reason}")


def shown(value):
    """A value as the notebooks write it: 40,000 with its thousands separator, 0.5, (8, 8)."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, (float, np.floating)):
        return f"{value:,.6g}"
    return str(value)


class _Sentence(str):
    """A ``str`` that shows as itself, without quotes, as a cell's output."""

    def __repr__(self):
        return str(self)

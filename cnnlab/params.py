"""Counting parameters: fully connected layers, convolutions, and the steps in between.

The series goes from a fully connected layer to a convolution in two moves, and each move
is visible in the count:

- *weight sharing*: the hidden neurons form ``out_channels`` groups, one per output map; the
  neurons of a group share their weights, so a group needs one weight per input value.
- *locality*: each neuron sees only the ``KH x KW`` window in front of it, in every channel.

Both moves together give a convolution. On the article's 3x3 image with 16 hidden neurons
(4 groups of 2x2, 2x2 windows) the four combinations count 144 / 36 / 64 / 16 weights.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_bool, as_int, as_pair
from .shapes import conv_output_shape

__all__ = ["count_fc_params", "count_conv_params", "count_layer_params"]


def count_fc_params(sizes, *, bias=True):
    """Parameters of a stack of fully connected layers.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths from input to output, at least two: ``[9, 16]`` is one layer with 9
        inputs and 16 neurons.
    bias : bool, optional
        Count one bias per neuron (default) or weights only.

    Returns
    -------
    int
        ``sum(a * b for consecutive widths a, b)``, plus ``sum(sizes[1:])`` with bias.

    Examples
    --------
    >>> count_fc_params([9, 16], bias=False)
    144
    >>> count_fc_params([9, 90, 50], bias=False)
    5310
    >>> count_fc_params([9, 90, 50])
    5450
    """
    if not isinstance(sizes, (list, tuple, np.ndarray)):
        raise TypeError(f"sizes must be a list of layer widths, got {type(sizes).__name__}")
    if len(sizes) < 2:
        raise ValueError(
            f"sizes must list at least two widths (inputs and one layer), got {len(sizes)}: {list(sizes)}"
        )
    widths = [as_int(n, f"sizes[{i}]", minimum=1) for i, n in enumerate(sizes)]
    bias = as_bool(bias, "bias")
    weights = sum(a * b for a, b in zip(widths[:-1], widths[1:]))
    return weights + (sum(widths[1:]) if bias else 0)


def count_conv_params(in_channels, out_channels, kernel_size, *, bias=True):
    """Parameters of a convolution layer: ``out * in * KH * KW`` weights (+ ``out`` biases).

    The count does not depend on the image size: that is the point of the convolution.

    Examples
    --------
    >>> count_conv_params(3, 8, 3)
    224
    >>> count_conv_params(1, 4, 2, bias=False)
    16
    >>> count_conv_params(16, 32, (3, 1), bias=False)
    1536
    """
    c = as_int(in_channels, "in_channels", minimum=1)
    f = as_int(out_channels, "out_channels", minimum=1)
    kh, kw = as_pair(kernel_size, "kernel_size", minimum=1)
    return f * c * kh * kw + (f if as_bool(bias, "bias") else 0)


def count_layer_params(input_hw, kernel_size, out_channels, *, in_channels=1, stride=1,
                       padding=0, dilation=1, sharing=True, locality=True, bias=False):
    """Parameters of the layer between fully connected and convolution.

    The layer has ``out_channels * Ho * Wo`` neurons, laid out as the output of a
    convolution with the given kernel, stride, padding and dilation.

    Parameters
    ----------
    input_hw : int or (int, int)
        Image height and width.
    kernel_size : int or (int, int)
        The window a neuron sees when ``locality`` is on.
    out_channels : int
        Number of groups of neurons (output maps).
    in_channels : int, optional
        Channels of the image.
    stride, padding, dilation : int or (int, int), optional
        Where the windows lie, as in :func:`cnnlab.conv2d_forward`.
    sharing : bool, optional
        The neurons of a group share their weights.
    locality : bool, optional
        A neuron is connected only to its window.
    bias : bool, optional
        Count biases: one per neuron, or one per group when ``sharing``.

    Returns
    -------
    int
        ====================  =====================================
        sharing  locality     weights
        ====================  =====================================
        no       no           ``F*Ho*Wo * C*H*W`` (fully connected)
        yes      no           ``F * C*H*W``
        no       yes          ``F*Ho*Wo * C*KH*KW``
        yes      yes          ``F * C*KH*KW`` (a convolution)
        ====================  =====================================

    Examples
    --------
    The article's 3x3 image, 4 groups of 2x2 neurons, 2x2 windows:

    >>> [count_layer_params(3, 2, 4, sharing=s, locality=l)
    ...  for s, l in [(False, False), (True, False), (False, True), (True, True)]]
    [144, 36, 64, 16]
    """
    H, W = as_pair(input_hw, "input_hw", minimum=1)
    kh, kw = as_pair(kernel_size, "kernel_size", minimum=1)
    f = as_int(out_channels, "out_channels", minimum=1)
    c = as_int(in_channels, "in_channels", minimum=1)
    sharing, locality, bias = (as_bool(v, n) for v, n in
                               ((sharing, "sharing"), (locality, "locality"), (bias, "bias")))
    Ho, Wo = conv_output_shape((H, W), (kh, kw), stride=stride, padding=padding, dilation=dilation)
    neurons = f * Ho * Wo
    inputs_per_neuron = c * kh * kw if locality else c * H * W
    weight_sets = f if sharing else neurons
    return weight_sets * inputs_per_neuron + (weight_sets if bias else 0)

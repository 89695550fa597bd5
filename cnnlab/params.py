"""Counting parameters: fully connected layers, convolutions, and the steps in between.

The series goes from a fully connected layer to a convolution in two moves, and each move
is visible in the count:

- *weight sharing*: the hidden neurons form ``out_channels`` groups, one per output map; the
  neurons of a group share their weights, so a group needs one weight per input value.
- *locality*: each neuron sees only the ``KH x KW`` window in front of it, in every channel.

Both moves together give a convolution. On the article's 3x3 image with 16 hidden neurons
(4 groups of 2x2, 2x2 windows) the four combinations count 144 / 36 / 64 / 16 weights.

Every count takes ``bias=True`` by default, as the frameworks' layers do; pass ``bias=False`` to
count weights only, as the article does. Positional arguments follow PyTorch's ``Conv2d``:
``(in_channels, out_channels, kernel_size)``; everything else is keyword-only.

The explorer states of notebooks 02 and 04 (:func:`fc_param_state`,
:func:`sharing_locality_state`) live here too: they are counts with words around them.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_bool, as_int, as_pair
from .shapes import conv_output_shape
from .wiring import layer_wiring

__all__ = ["count_fc_params", "count_conv_params", "count_layer_params", "count_multiply_adds",
           "fc_param_state", "sharing_locality_state"]


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


def count_layer_params(in_channels, out_channels, kernel_size, *, input_size, stride=1, padding=0,
                       dilation=1, sharing=True, locality=True, bias=True):
    """Parameters of the layer between fully connected and convolution.

    The layer has ``out_channels * Ho * Wo`` neurons, laid out as the output of a
    convolution with the given kernel, stride, padding and dilation: ``out_channels`` groups
    of ``Ho x Wo`` neurons.

    Parameters
    ----------
    in_channels : int
        Channels ``C`` of the image.
    out_channels : int
        Number ``F`` of groups of neurons (output maps).
    kernel_size : int or (int, int)
        The window ``(KH, KW)`` a neuron sees when ``locality`` is on.
    input_size : int or (int, int)
        Image height and width ``(H, W)``.
    stride, padding, dilation : int or (int, int), optional
        Where the windows lie, as in :func:`cnnlab.conv2d_forward`.
    sharing : bool, optional
        The neurons of a group share their weights.
    locality : bool, optional
        A neuron is connected only to its window.
    bias : bool, optional
        Count biases too (default, as :func:`count_conv_params`): one per neuron, or one per
        group when ``sharing``.

    Notes
    -----
    With padding, the count gives a neuron a weight for every tap of its window, also for the taps
    that fall on the padding, as a layer that pads its input stores them. Without sharing, such a
    weight only ever multiplies zeros and never learns; the weights that touch a pixel are the
    distinct ids of :func:`cnnlab.layer_wiring`, fewer than this count.

    Returns
    -------
    int
        ====================  =====================================
        sharing  locality     weights
        ====================  =====================================
        no       no           ``F*Ho*Wo * C*H*W`` (fully connected)
        yes      no           ``F * C*H*W``
        no       yes          ``F*Ho*Wo * C*KH*KW`` (locally connected)
        yes      yes          ``F * C*KH*KW`` (a convolution)
        ====================  =====================================

    Examples
    --------
    The article's 3x3 image, 4 groups of 2x2 neurons, 2x2 windows, weights only:

    >>> [count_layer_params(1, 4, 2, input_size=3, sharing=s, locality=l, bias=False)
    ...  for s, l in [(False, False), (True, False), (False, True), (True, True)]]
    [144, 36, 64, 16]
    """
    c = as_int(in_channels, "in_channels", minimum=1)
    f = as_int(out_channels, "out_channels", minimum=1)
    kh, kw = as_pair(kernel_size, "kernel_size", minimum=1)
    H, W = as_pair(input_size, "input_size", minimum=1)
    sharing, locality, bias = (as_bool(v, n) for v, n in
                               ((sharing, "sharing"), (locality, "locality"), (bias, "bias")))
    Ho, Wo = conv_output_shape((H, W), (kh, kw), stride=stride, padding=padding, dilation=dilation)
    neurons = f * Ho * Wo
    inputs_per_neuron = c * kh * kw if locality else c * H * W
    weight_sets = f if sharing else neurons
    return weight_sets * inputs_per_neuron + (weight_sets if bias else 0)


def count_multiply_adds(in_channels, out_channels, kernel_size, *, input_size, stride=1, padding=0, dilation=1,
                        locality=True):
    """Multiply-adds one image costs in the layer between fully connected and convolution.

    Every connection of every neuron is one multiplication and one addition, whether its weight
    is shared or not: **sharing saves weights, not work**; locality saves both. The count is the
    products a kernel computes when it pads the image and multiplies every tap of every window,
    ``count_layer_params(..., sharing=False, bias=False)``. Without padding that is the number of
    connections. With padding it is more: the taps that fall on the padding multiply zeros and
    connect to no pixel (:func:`cnnlab.layer_wiring` gives them no id, so ``(ids >= 0).sum()``
    counts the connections to real pixels).

    Parameters
    ----------
    in_channels, out_channels, kernel_size, input_size, stride, padding, dilation
        As in :func:`count_layer_params`.
    locality : bool, optional
        A neuron reads only its window (default) or the whole image.

    Returns
    -------
    int
        ``F*Ho*Wo * C*KH*KW`` with locality, ``F*Ho*Wo * C*H*W`` without.

    Examples
    --------
    The article's 3x3 layer: 16 neurons reading 9 pixels, or 4 pixels each.

    >>> count_multiply_adds(1, 4, 2, input_size=3, locality=False), count_multiply_adds(1, 4, 2, input_size=3)
    (144, 64)
    """
    return count_layer_params(in_channels, out_channels, kernel_size, input_size=input_size, stride=stride,
                              padding=padding, dilation=dilation, sharing=False, locality=locality, bias=False)


# ----------------------------------------------------------------------------- explorer states
def _parse_widths(hidden):
    """``"90, 50"`` or ``[90, 50]`` -> ``[90, 50]``; a ``ValueError`` that quotes what arrived."""
    if isinstance(hidden, str):
        parts = [p for p in hidden.replace(",", " ").split() if p]
        if not parts or not all(p.isdigit() and int(p) > 0 for p in parts):
            raise ValueError(f"hidden must list layer widths, positive whole numbers like '90, 50', got {hidden!r}")
        return [int(p) for p in parts]
    if not isinstance(hidden, (list, tuple)):
        raise TypeError(f"hidden must be a str like '90, 50' or a list of ints, got {type(hidden).__name__}")
    return [as_int(h, f"hidden[{i}]", minimum=1) for i, h in enumerate(hidden)]


def fc_param_state(side, channels, hidden, *, filters=16, kernel_size=3, max_side=512):
    """The fully connected explorer's state: the weights of an MLP on a ``side x side`` image.

    Parameters
    ----------
    side : int
        Image height and width.
    channels : int
        1 for gray, 3 for colour.
    hidden : str or list of int
        Hidden layer widths, e.g. ``[90, 50]`` or the text ``"90, 50"`` a learner typed.
    filters, kernel_size : int, optional
        The convolution drawn for comparison: ``filters`` kernels of ``kernel_size`` squared on
        the same channels.
    max_side : int, optional
        The curves run over image sides ``2 .. max_side``.

    Returns
    -------
    dict
        ``valid``; ``message`` (why the text is not a list of widths, or ``""``); ``side``,
        ``channels``, ``hidden``; ``sizes`` (input, then the widths); ``weights`` (all layers, no
        biases, as the article counts); ``first_layer`` and ``later_layers`` (the weights of the
        first layer, which grow with the image, and of the layers after it, which do not);
        ``first_percent``; ``megabytes`` (float32); ``text`` (the count in words); ``sides``,
        ``fc_weights`` (the network's weights for each side), ``conv_weights`` (the
        convolution's, the same for every side); ``filters``, ``kernel_size``. When invalid, the
        numbers are ``None`` and the curves empty.

    Examples
    --------
    >>> fc_param_state(200, 3, [1000])["weights"]
    120000000
    >>> fc_param_state(3, 1, "0")["message"]
    "hidden must list layer widths, positive whole numbers like '90, 50', got '0'"
    """
    side = as_int(side, "side", minimum=1)
    channels = as_int(channels, "channels", minimum=1)
    state = {"valid": False, "side": side, "channels": channels, "hidden": None, "sizes": None,
             "weights": None, "first_layer": None, "later_layers": None, "first_percent": None,
             "megabytes": None, "text": "",
             "sides": np.zeros(0, dtype=np.int64), "fc_weights": np.zeros(0, dtype=np.int64),
             "conv_weights": count_conv_params(channels, filters, kernel_size, bias=False),
             "filters": filters, "kernel_size": kernel_size, "message": ""}
    try:
        widths = _parse_widths(hidden)
    except ValueError as error:
        state["message"] = str(error)
        state["text"] = f"no count: {error}"
        return state
    sizes = [side * side * channels, *widths]
    weights = count_fc_params(sizes, bias=False)
    first = sizes[0] * sizes[1]
    megabytes = weights * 4 / 1e6
    layers = " + ".join(f"{a:,}x{b:,}" for a, b in zip(sizes[:-1], sizes[1:]))
    size, unit = next((weights * 4 / 10**e, u) for e, u in ((12, "TB"), (9, "GB"), (6, "MB"), (3, "kB"), (0, "B"))
                      if weights * 4 >= 10**e or e == 0)
    memory = f"{size:,.1f} {unit}"
    sides = np.arange(2, as_int(max_side, "max_side", minimum=3) + 1, dtype=np.int64)
    percent = 100 * first / weights
    digits = 1 if percent < 99.95 else 2  # 99.98 % is not 100.0 %: the later layers hold weights too
    share = f"; the first layer holds {percent:.{digits}f} %" if len(widths) > 1 else ""
    state.update(valid=True, hidden=widths, sizes=sizes, weights=weights, first_layer=first,
                 later_layers=weights - first, first_percent=percent, megabytes=megabytes, sides=sides,
                 fc_weights=sides**2 * channels * widths[0] + (weights - first),
                 text=(f"{side}x{side}x{channels} image = {sizes[0]:,} inputs; weights {layers} = "
                       f"{weights:,}, {memory} in float32{share}"))
    return state


def sharing_locality_state(sharing, locality):
    """The article's 3x3 layer (16 neurons in 4 groups, 2x2 windows) with the chosen steps.

    Returns
    -------
    dict
        ``sharing``, ``locality``; ``ids`` (the layer's weight ids, :func:`cnnlab.layer_wiring`);
        ``weights`` (no biases, as the article counts); ``full`` (the fully connected count);
        ``saved_percent``; ``text``.

    >>> sharing_locality_state(True, False)["weights"]
    36
    """
    sharing, locality = as_bool(sharing, "sharing"), as_bool(locality, "locality")
    layer = dict(input_size=3, bias=False)
    full = count_layer_params(1, 4, 2, sharing=False, locality=False, **layer)
    weights = count_layer_params(1, 4, 2, sharing=sharing, locality=locality, **layer)
    saved = 100 * (full - weights) / full
    on = {True: "on", False: "off"}
    what = ("fully connected: one weight per pixel and neuron" if weights == full
            else f"{full - weights} fewer than {full}, {saved:.2f} % fewer")
    return {"sharing": sharing, "locality": locality, "weights": weights, "full": full,
            "saved_percent": saved,
            "ids": layer_wiring(1, 4, 2, input_size=3, sharing=sharing, locality=locality),
            "text": f"sharing {on[sharing]}, locality {on[locality]}: {weights} weights ({what})"}

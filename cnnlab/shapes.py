"""The output-size arithmetic of convolution and pooling, in one place.

Every kernel, drawing, widget and parameter count in cnnlab asks this module how big an
output is, so the rule is written down exactly once:

.. math:: n_{out} = \\left\\lfloor \\frac{n + 2p - d(k - 1) - 1}{s} \\right\\rfloor + 1

with input size ``n``, kernel size ``k``, stride ``s``, padding ``p`` and dilation ``d``.
With ``d = 1`` this is the sources' ``floor((N + 2P - F) / S) + 1``.
"""

from __future__ import annotations

from ._checks import as_int, as_pair

__all__ = ["conv_output_size", "conv_output_shape", "receptive_fields"]


def conv_output_size(n, kernel_size, *, stride=1, padding=0, dilation=1):
    """Number of positions a kernel takes along one axis of length ``n``.

    Parameters
    ----------
    n : int
        Input length (height or width), >= 1.
    kernel_size : int
        Kernel length, >= 1.
    stride : int, optional
        Step between two windows, >= 1.
    padding : int, optional
        Zeros (or minus infinity, for max pooling) added on *each* side, >= 0.
    dilation : int, optional
        Spacing between kernel taps, >= 1; the kernel then spans
        ``dilation * (kernel_size - 1) + 1`` input cells.

    Returns
    -------
    int
        ``floor((n + 2*padding - dilation*(kernel_size - 1) - 1) / stride) + 1``.

    Raises
    ------
    ValueError
        If the kernel does not fit in the padded input (the output would be < 1); the
        message shows the arithmetic.

    Notes
    -----
    The floor means that when the stride does not divide ``n + 2p - extent``, the last
    ``(n + 2p - extent) % stride`` cells of the padded input are never visited, as in
    PyTorch and TensorFlow's "VALID" mode.

    Examples
    --------
    The sources' worked examples: 6x6 with 3x3 gives 4x4, 7x7 with 3x3 gives 5x5.

    >>> conv_output_size(6, 3), conv_output_size(7, 3)
    (4, 5)
    >>> conv_output_size(7, 3, stride=2, padding=1)
    4
    >>> conv_output_size(4, 2, stride=2)
    2
    """
    n = as_int(n, "n", minimum=1)
    k = as_int(kernel_size, "kernel_size", minimum=1)
    s = as_int(stride, "stride", minimum=1)
    p = as_int(padding, "padding", minimum=0)
    d = as_int(dilation, "dilation", minimum=1)
    return output_size(n, k, s, p, d)


def output_size(n, k, s, p, d, *, axis=""):
    """The formula on validated ints; ``axis`` (e.g. ``"height"``) goes into the message."""
    extent = d * (k - 1) + 1
    if extent > n + 2 * p:
        where = f" along the {axis}" if axis else ""
        kernel = f"kernel_size {k}" if d == 1 else f"kernel_size {k} with dilation {d} (extent {d}*({k}-1)+1 = {extent})"
        raise ValueError(
            f"{kernel} is larger than the padded input{where}, {n} + 2*{p} = {n + 2 * p}: "
            f"output size would be floor(({n} + 2*{p} - {extent}) / {s}) + 1 = "
            f"{(n + 2 * p - extent) // s + 1} < 1"
        )
    return (n + 2 * p - extent) // s + 1


def conv_output_shape(input_hw, kernel_size, *, stride=1, padding=0, dilation=1):
    """``conv_output_size`` on both axes: ``(Ho, Wo)`` from ``(H, W)``.

    Every argument is an int or an ``(h, w)`` pair.

    >>> conv_output_shape((28, 28), 3, padding=1)
    (28, 28)
    >>> conv_output_shape((6, 7), (3, 2), stride=(1, 2))
    (4, 3)
    """
    hw = as_pair(input_hw, "input_hw", minimum=1)
    k = as_pair(kernel_size, "kernel_size", minimum=1)
    s = as_pair(stride, "stride", minimum=1)
    p = as_pair(padding, "padding", minimum=0)
    d = as_pair(dilation, "dilation", minimum=1)
    return tuple(
        output_size(hw[i], k[i], s[i], p[i], d[i], axis=axis)
        for i, axis in enumerate(("height", "width"))
    )


def receptive_fields(layers):
    """Receptive field of every layer of a stack of convolutions and poolings.

    Parameters
    ----------
    layers : list of (name, kernel_size, stride, padding)
        From the input outwards; square kernels.

    Returns
    -------
    list of dict
        Per layer: ``name``; ``size``, the side of the input patch one output sees; ``jump``,
        the input distance between neighbouring outputs; ``start``, the input coordinate of
        the centre of the first output's patch. The recurrence: ``size += (k - 1) * jump``,
        ``start += ((k - 1) / 2 - p) * jump``, then ``jump *= s``.

    >>> [f["size"] for f in receptive_fields([("conv", 3, 1, 0), ("pool", 2, 2, 0),
    ...                                       ("conv", 3, 1, 0), ("pool", 2, 2, 0)])]
    [3, 4, 8, 10]
    """
    size, jump, start = 1, 1, 0.5 - 0.5  # a pixel sees itself; centres at integer coordinates
    fields = []
    for i, layer in enumerate(layers):
        if not isinstance(layer, (tuple, list)) or len(layer) != 4:
            raise ValueError(f"layers[{i}] must be (name, kernel_size, stride, padding), got {layer!r}")
        name, k, s, p = layer
        k = as_int(k, f"layers[{i}] kernel_size", minimum=1)
        s = as_int(s, f"layers[{i}] stride", minimum=1)
        p = as_int(p, f"layers[{i}] padding", minimum=0)
        size += (k - 1) * jump
        start += ((k - 1) / 2 - p) * jump
        jump *= s
        fields.append({"name": str(name), "size": size, "jump": jump, "start": start})
    return fields

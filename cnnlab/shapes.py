"""The output-size arithmetic of convolution and pooling, in one place.

Every kernel, drawing, explorer and parameter count in cnnlab asks this module how big an
output is, so the rule is written down exactly once:

.. math:: n_{out} = \\left\\lfloor \\frac{n + 2p - d(k - 1) - 1}{s} \\right\\rfloor + 1

with input size ``n``, kernel size ``k``, stride ``s``, padding ``p`` and dilation ``d``.
With ``d = 1`` this is the sources' ``floor((N + 2P - F) / S) + 1``.
"""

from __future__ import annotations

from ._checks import as_int, as_pair

__all__ = ["conv_output_size", "conv_output_shape", "explain_output_size"]


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
    n, k, s, p, d = _validated(n, kernel_size, stride, padding, dilation)
    return _output_size(n, k, s, p, d)


def conv_output_shape(input_size, kernel_size, *, stride=1, padding=0, dilation=1):
    """``conv_output_size`` on both axes: ``(Ho, Wo)`` from ``(H, W)``.

    Every argument is an int or an ``(h, w)`` pair.

    >>> conv_output_shape((28, 28), 3, padding=1)
    (28, 28)
    >>> conv_output_shape((6, 7), (3, 2), stride=(1, 2))
    (4, 3)
    """
    hw = as_pair(input_size, "input_size", minimum=1)
    k = as_pair(kernel_size, "kernel_size", minimum=1)
    s = as_pair(stride, "stride", minimum=1)
    p = as_pair(padding, "padding", minimum=0)
    d = as_pair(dilation, "dilation", minimum=1)
    return tuple(_output_size(hw[i], k[i], s[i], p[i], d[i], axis=axis)
                 for i, axis in enumerate(("height", "width")))


def explain_output_size(n, kernel_size, *, stride=1, padding=0, dilation=None, name="n_out"):
    """The output-size formula written out with the numbers, for explorers and notebooks.

    Parameters
    ----------
    n, kernel_size, stride, padding
        As in :func:`conv_output_size`.
    dilation : int or None, optional
        ``None`` (pooling, which has no dilation) leaves the dilation term out of the text;
        an int writes it in, as the convolution explorer does.
    name : str, optional
        What the left-hand side is called, e.g. ``"Ho"``.

    Returns
    -------
    text : str
        The arithmetic, ending in the output size; when the kernel does not fit, the value
        the formula gives, followed by ``< 1: no output``.
    size : int
        That value (``< 1`` when there is no output; no error is raised).

    Examples
    --------
    >>> explain_output_size(7, 3, stride=2, padding=1, dilation=1, name="Ho")[0]
    'Ho = ⌊(7 + 2·1 − 1·(3−1) − 1) / 2⌋ + 1 = ⌊6 / 2⌋ + 1 = 4'
    >>> explain_output_size(6, 3, stride=2, padding=1, name="Ho")[0]
    'Ho = ⌊(6 + 2·1 − 3) / 2⌋ + 1 = 3'
    >>> explain_output_size(3, 5, dilation=1, name="Ho")
    ('Ho = ⌊(3 + 2·0 − 1·(5−1) − 1) / 1⌋ + 1 = ⌊−2 / 1⌋ + 1 = −1 < 1: no output', -1)
    """
    n, k, s, p, d = _validated(n, kernel_size, stride, padding, 1 if dilation is None else dilation)
    extent = d * (k - 1) + 1
    size = (n + 2 * p - extent) // s + 1
    if dilation is None:
        text = f"{name} = ⌊({n} + 2·{p} − {k}) / {s}⌋ + 1 = {_signed(size)}"
    else:
        text = (f"{name} = ⌊({n} + 2·{p} − {d}·({k}−1) − 1) / {s}⌋ + 1 = "
                f"⌊{_signed(n + 2 * p - extent)} / {s}⌋ + 1 = {_signed(size)}")
    if size < 1:
        text += " < 1: no output"
    return text, size


def _signed(value):
    """A typeset minus sign (−), as in the rest of the formula."""
    return f"−{-value}" if value < 0 else str(value)


def _validated(n, kernel_size, stride, padding, dilation):
    return (as_int(n, "n", minimum=1), as_int(kernel_size, "kernel_size", minimum=1),
            as_int(stride, "stride", minimum=1), as_int(padding, "padding", minimum=0),
            as_int(dilation, "dilation", minimum=1))


def _output_size(n, k, s, p, d, *, axis=""):
    """The formula on validated ints, for cnnlab's own modules; ``axis`` goes into the message."""
    extent = d * (k - 1) + 1
    if extent > n + 2 * p:
        where = f" along the {axis}" if axis else ""
        kernel = (f"kernel_size {k}" if d == 1
                  else f"kernel_size {k} with dilation {d} (extent {d}*({k}-1)+1 = {extent})")
        raise ValueError(
            f"{kernel} is larger than the padded input{where}, {n} + 2*{p} = {n + 2 * p}: "
            f"output size would be floor(({n} + 2*{p} - {extent}) / {s}) + 1 = "
            f"{(n + 2 * p - extent) // s + 1} < 1"
        )
    return (n + 2 * p - extent) // s + 1

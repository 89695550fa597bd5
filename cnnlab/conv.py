"""2-D convolution (cross-correlation, as in every deep-learning framework), forward and backward.

Layout: ``x (N, C, H, W)``, ``w (F, C, KH, KW)``, ``b (F,)``, ``out (N, F, Ho, Wo)``.

.. math:: out[n, f, i, j] = b[f] + \\sum_{c, u, v} w[f, c, u, v]\\,
          x_{pad}[n, c, i s_h + u d_h, j s_w + v d_w]

The kernel is *not* flipped: this is a cross-correlation, the operation that PyTorch's
``conv2d`` and TensorFlow's ``conv2d`` compute and call convolution. Rotating the kernel by
180 degrees turns one into the other.

Each fast kernel has a naive twin (``*_naive``) with the same signature, written as plain
loops over the formula above: it is the test oracle and the version the notebooks show first.
NaN and infinity propagate through every output they touch, as in the frameworks.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import as_array, as_pair, check_dout, common_float_dtype
from ._grid import pad
from ._im2col import conv_batch_dw, conv_batch_forward, conv_tiles_backward, conv_tiles_forward, dx_by_taps
from .shapes import _output_size

__all__ = [
    "conv2d_forward",
    "conv2d_backward",
    "conv2d_forward_naive",
    "conv2d_backward_naive",
    "conv2d_as_dense",
]


# ----------------------------------------------------------------------------- validation
def _check_kernel(w):
    F, C, KH, KW = w.shape
    if min(F, C, KH, KW) < 1:
        raise ValueError(
            f"w must have at least one filter, one channel and a 1x1 kernel, got shape {w.shape}"
        )


def _hyper(stride, padding, dilation):
    return (
        as_pair(stride, "stride", minimum=1),
        as_pair(padding, "padding", minimum=0),
        as_pair(dilation, "dilation", minimum=1),
    )


def _out_hw(H, W, KH, KW, s, p, d):
    return (
        _output_size(H, KH, s[0], p[0], d[0], axis="height"),
        _output_size(W, KW, s[1], p[1], d[1], axis="width"),
    )


def _check_conv(x, w, b, stride, padding, dilation):
    """Validate the forward arguments; return them as arrays and pairs plus ``(Ho, Wo)``."""
    given = {"x": x, "w": w, "b": b}
    x = as_array(x, "x", ndim=4, axes="(N, C, H, W)")
    w = as_array(w, "w", ndim=4, axes="(F, C, KH, KW)")
    if b is not None:
        b = as_array(b, "b", ndim=1, axes="(F,)")
    common_float_dtype(**given)
    s, p, d = _hyper(stride, padding, dilation)
    _check_kernel(w)
    N, C, H, W = x.shape
    F, Cw, KH, KW = w.shape
    if Cw != C:
        raise ValueError(
            f"w expects {Cw} input channels (w.shape[1]) but x has {C} (x.shape[1])"
        )
    if H < 1 or W < 1:
        raise ValueError(f"x must have a height and width of at least 1, got shape {x.shape}")
    if b is not None and b.shape[0] != F:
        raise ValueError(f"b must have one entry per filter: w has {F} filters, b has {b.shape[0]}")
    return x, w, b, s, p, d, _out_hw(H, W, KH, KW, s, p, d)


def _windows(xp, KH, KW, s, d, Ho, Wo):
    """Read-only view of every window: ``(N, C, Ho, Wo, KH, KW)``, no copy."""
    extent = (d[0] * (KH - 1) + 1, d[1] * (KW - 1) + 1)
    win = sliding_window_view(xp, extent, axis=(2, 3))  # (N, C, Hp-eh+1, Wp-ew+1, eh, ew)
    return win[:, :, : (Ho - 1) * s[0] + 1 : s[0], : (Wo - 1) * s[1] + 1 : s[1], :: d[0], :: d[1]]


# ----------------------------------------------------------------------------- fast kernels
def conv2d_forward(x, w, b=None, *, stride=1, padding=0, dilation=1):
    """Forward pass of a 2-D convolution layer (cross-correlation, zero padding).

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
        Input batch, float32 or float64 (integer arrays are taken as float64).
    w : ndarray, shape (F, C, KH, KW)
        Filters, same dtype as ``x``.
    b : ndarray, shape (F,), optional
        One bias per filter; ``None`` for no bias.
    stride, padding, dilation : int or (int, int)
        Step between windows (>= 1), zeros added on each side (>= 0) and spacing between
        kernel taps (>= 1), each for both axes or as ``(h, w)``.

    Returns
    -------
    out : ndarray, shape (N, F, Ho, Wo)
        ``Ho = floor((H + 2*ph - dh*(KH-1) - 1) / sh) + 1``, likewise ``Wo``; dtype of ``x``.

    Notes
    -----
    im2col: the windows are copied into a ``(C*KH*KW, Ho*Wo)`` matrix per image and the layer
    becomes a matrix product with ``w`` seen as ``(F, C*KH*KW)``, written straight into the
    output. The copies are made tile by tile, a tile holding about 2 MiB of window elements
    (2**18 in float64; several small images, or a band of output rows of a large one), in a
    reused scratch buffer: the extra memory is one tile, whatever the size of the batch or image.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> conv2d_forward(x, np.ones((1, 1, 2, 2)), stride=2)
    array([[[[10., 18.],
             [42., 50.]]]])
    """
    return _forward(x, w, b, stride, padding, dilation)[0]


def _forward(x, w, b, stride, padding, dilation, *, keep=False, reuse=None):
    """:func:`conv2d_forward`, and with ``keep`` the im2col matrix (or ``None``), see ``conv_batch_forward``."""
    x, w, b, s, p, d, (Ho, Wo) = _check_conv(x, w, b, stride, padding, dilation)
    win = _windows(pad(x, p), *w.shape[2:], s, d, Ho, Wo)  # (N, C, Ho, Wo, KH, KW), a view
    out, kept = conv_batch_forward(win, w, reuse) if keep else (None, None)
    if kept is None:  # not kept: tile by tile
        out = np.empty((x.shape[0], w.shape[0], Ho, Wo), dtype=x.dtype)
        conv_tiles_forward(win, w, out)
    if b is not None:
        out += b.reshape(-1, 1, 1)
    return out, kept


def conv2d_backward(dout, x, w, *, stride=1, padding=0, dilation=1):
    """Backward pass of :func:`conv2d_forward`: gradients of the loss w.r.t. x, w and b.

    Parameters
    ----------
    dout : ndarray, shape (N, F, Ho, Wo)
        Upstream gradient, dL/dout.
    x : ndarray, shape (N, C, H, W)
        The forward input.
    w : ndarray, shape (F, C, KH, KW)
        The forward filters.
    stride, padding, dilation : int or (int, int)
        As in the forward pass.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
    dw : ndarray, shape (F, C, KH, KW)
    db : ndarray, shape (F,)
        ``dout.sum(axis=(0, 2, 3))``; the gradient for a bias, whether or not one was used.

    Notes
    -----
    Tile by tile, as in the forward pass, with the im2col matrices ``cols`` of ``x`` rebuilt
    here (the function keeps no cache): per image, ``dw += dout @ cols^T``. For ``dx`` with few
    channels (``C < TAPS_FROM_CHANNELS``), ``w^T @ dout`` gives each window's gradient (written
    over the im2col tile) and col2im adds it back one kernel tap at a time: tap ``(u, v)`` adds
    to the strided slice of ``x`` it read (padding cells are skipped), so overlapping windows,
    also across tiles, add up and no scatter (``np.add.at``) is needed. With more channels, one
    small product per tap, ``dout @ w[:, :, u, v]``, is added to that slice in an ``(H, W, N, C)``
    layout, where it is contiguous ("shift-add"). Extra memory: ``dx`` and one tile; with the
    taps, also a transposed copy of ``dout``, a padded ``dx`` and one tap's product.
    """
    return _backward(dout, x, w, stride, padding, dilation)


# From this many input channels on, dx is one small product per kernel tap (``dx_by_taps``), else col2im.
TAPS_FROM_CHANNELS = 8


def _backward(dout, x, w, stride, padding, dilation, *, kept=None, input_grad=True):
    """:func:`conv2d_backward`, ``dw`` from ``_forward``'s ``kept`` matrix if any; ``dx`` only if ``input_grad``."""
    x, w, _, s, p, d, (Ho, Wo) = _check_conv(x, w, None, stride, padding, dilation)
    N, C, H, W = x.shape
    dout = check_dout(dout, (N, w.shape[0], Ho, Wo), x.dtype)
    db = dout.sum(axis=(0, 2, 3))
    by_taps = input_grad and C >= TAPS_FROM_CHANNELS
    if kept is not None and (by_taps or not input_grad):
        dw = conv_batch_dw(dout, kept, w)
        dx = None
    else:
        dx = np.zeros(x.shape, dtype=x.dtype) if input_grad and not by_taps else None
        dw = conv_tiles_backward(dout, _windows(pad(x, p), *w.shape[2:], s, d, Ho, Wo), w, dx, (H, W, s, p, d))
    return (dx_by_taps(dout, w, (H, W, s, p, d)) if by_taps else dx), dw, db


# ----------------------------------------------------------------------------- naive twins
def conv2d_forward_naive(x, w, b=None, *, stride=1, padding=0, dilation=1):
    """Loop version of :func:`conv2d_forward`: same arguments, same result.

    One output value at a time: the window of the padded input under the kernel, multiplied
    by the kernel and summed.
    """
    x, w, b, s, p, d, (Ho, Wo) = _check_conv(x, w, b, stride, padding, dilation)
    N, F = x.shape[0], w.shape[0]
    KH, KW = w.shape[2:]
    xp = pad(x, p)
    out = np.zeros((N, F, Ho, Wo), dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    top, left = i * s[0], j * s[1]
                    window = xp[n, :, top : top + d[0] * (KH - 1) + 1 : d[0],
                                left : left + d[1] * (KW - 1) + 1 : d[1]]  # (C, KH, KW)
                    out[n, f, i, j] = np.sum(window * w[f]) + (0 if b is None else b[f])
    return out


def conv2d_backward_naive(dout, x, w, *, stride=1, padding=0, dilation=1):
    """Loop version of :func:`conv2d_backward`: same arguments, same result.

    Walk the forward loops again; each output ``out[n, f, i, j]`` sends ``dout[n, f, i, j]``
    back to the window it read (times ``w[f]``) and to the filter (times that window).
    """
    x, w, _, s, p, d, (Ho, Wo) = _check_conv(x, w, None, stride, padding, dilation)
    N, C, H, W = x.shape
    F, _, KH, KW = w.shape
    dout = check_dout(dout, (N, F, Ho, Wo), x.dtype)
    xp = pad(x, p)
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    db = np.zeros(F, dtype=x.dtype)
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    top, left = i * s[0], j * s[1]
                    rows = slice(top, top + d[0] * (KH - 1) + 1, d[0])
                    cols = slice(left, left + d[1] * (KW - 1) + 1, d[1])
                    g = dout[n, f, i, j]
                    dxp[n, :, rows, cols] += g * w[f]
                    dw[f] += g * xp[n, :, rows, cols]
                    db[f] += g
    return dxp[:, :, p[0] : p[0] + H, p[1] : p[1] + W].copy(), dw, db


# ----------------------------------------------------------------------------- as a dense layer
def conv2d_as_dense(w, input_size, *, stride=1, padding=0, dilation=1):
    """The convolution as a fully connected layer: the matrix ``M`` it multiplies by.

    Parameters
    ----------
    w : ndarray, shape (F, C, KH, KW)
        Filters.
    input_size : int or (int, int)
        Height and width ``(H, W)`` of the input image.
    stride, padding, dilation : int or (int, int)
        As in :func:`conv2d_forward`.

    Returns
    -------
    M : ndarray, shape (F*Ho*Wo, C*H*W)
        ``M @ x[n].ravel() == conv2d_forward(x, w)[n].ravel()`` for every image ``x[n]``.
        Row ``(f, i, j)`` is output neuron ``f, i, j``; it holds the filter ``w[f]`` at the
        pixels its window covers (weight sharing: the same values in every row of a filter)
        and zeros elsewhere (locality). Padding adds no column: padded cells are zeros.

    Examples
    --------
    A 2x2 kernel on a 3x3 image: 4 neurons, each seeing 4 of the 9 pixels.

    >>> conv2d_as_dense(np.arange(1.0, 5.0).reshape(1, 1, 2, 2), (3, 3))
    array([[1., 2., 0., 3., 4., 0., 0., 0., 0.],
           [0., 1., 2., 0., 3., 4., 0., 0., 0.],
           [0., 0., 0., 1., 2., 0., 3., 4., 0.],
           [0., 0., 0., 0., 1., 2., 0., 3., 4.]])
    """
    w = as_array(w, "w", ndim=4, axes="(F, C, KH, KW)")
    _check_kernel(w)
    H, W = as_pair(input_size, "input_size", minimum=1)
    s, p, d = _hyper(stride, padding, dilation)
    F, C, KH, KW = w.shape
    Ho, Wo = _out_hw(H, W, KH, KW, s, p, d)
    # index grids, all broadcast to (F, Ho, Wo, C, KH, KW)
    f, i, j, c, u, v = np.ix_(range(F), range(Ho), range(Wo), range(C), range(KH), range(KW))
    rows_in = i * s[0] + u * d[0] - p[0]
    cols_in = j * s[1] + v * d[1] - p[1]
    row = (f * Ho + i) * Wo + j
    col = (c * H + rows_in) * W + cols_in
    inside = (rows_in >= 0) & (rows_in < H) & (cols_in >= 0) & (cols_in < W)
    shape = (F, Ho, Wo, C, KH, KW)
    inside = np.broadcast_to(inside, shape)
    values = np.broadcast_to(w[:, None, None], shape)  # (F, 1, 1, C, KH, KW) -> shape
    M = np.zeros((F * Ho * Wo, C * H * W), dtype=w.dtype)
    # every (row, col) pair occurs once: distinct taps of one window read distinct pixels
    M[np.broadcast_to(row, shape)[inside], np.broadcast_to(col, shape)[inside]] = values[inside]
    return M

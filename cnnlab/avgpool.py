"""2-D average pooling, forward and backward: the mean of each window.

Layout and window rules as in :mod:`cnnlab.pool` (``stride`` defaults to ``kernel_size``,
``padding <= kernel_size // 2``, floor rounding). Padding holds zeros. Two rules for the
windows that hang over the border, as in PyTorch's ``avg_pool2d``:

- ``count_include_pad=True`` (default): every window divides by ``KH*KW``, padded cells
  included, so every cell of a window gets ``dout / (KH*KW)`` (the share of a padded cell is
  lost: it has no input to go to);
- ``count_include_pad=False``: a window divides by the number of its *real* cells, so a border
  window is the mean of what it really covers.

Overlapping windows *accumulate* their gradients into the cells they share. Pooling has no
parameters.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_bool, check_dout
from ._grid import crop, pad, tap_slices
from .pool import check_pool

__all__ = ["avg_pool2d_forward", "avg_pool2d_backward", "avg_pool2d_forward_naive", "avg_pool2d_backward_naive"]


def _divisors(x, k, s, p, Ho, Wo, include_pad):
    """What each window divides by: ``KH*KW``, or an ``(Ho, Wo)`` array of its real cells."""
    if include_pad:
        return k[0] * k[1]
    H, W = x.shape[2:]
    real = [[min(i * st - pa + kk, n) - max(i * st - pa, 0) for i in range(no)]
            for kk, st, pa, n, no in zip(k, s, p, (H, W), (Ho, Wo))]
    return np.outer(*real).astype(x.dtype)  # rows x cols of real cells, window by window


def avg_pool2d_forward(x, *, kernel_size, stride=None, padding=0, count_include_pad=True):
    """Average pooling: the mean of each window.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
        Input batch, float32 or float64 (integer arrays are taken as float64).
    kernel_size : int or (int, int)
        Window size, >= 1.
    stride : int or (int, int), optional
        Step between windows; ``None`` (default) means ``kernel_size``.
    padding : int or (int, int), optional
        Zeros added on each side, at most ``kernel_size // 2``.
    count_include_pad : bool, optional
        Divide by the window's area, padding included (default), or by its real cells.

    Returns
    -------
    out : ndarray, shape (N, C, Ho, Wo)
        The window sums divided by ``KH*KW`` (or by the real cells); dtype of ``x``.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> avg_pool2d_forward(x, kernel_size=2)
    array([[[[ 2.5,  4.5],
             [10.5, 12.5]]]])
    >>> ones = np.ones((1, 1, 2, 2))
    >>> avg_pool2d_forward(ones, kernel_size=3, stride=1, padding=1)[0, 0, 0, 0]  # 4 real cells of 9
    np.float64(0.4444444444444444)
    >>> avg_pool2d_forward(ones, kernel_size=3, stride=1, padding=1, count_include_pad=False)[0, 0, 0, 0]
    np.float64(1.0)
    """
    x, k, s, p, (Ho, Wo) = check_pool(x, kernel_size, stride, padding)
    include = as_bool(count_include_pad, "count_include_pad")
    xp = pad(x, p, 0.0)
    out = np.zeros(x.shape[:2] + (Ho, Wo), dtype=x.dtype)
    for t in range(k[0] * k[1]):
        rows, cols = tap_slices(t // k[1], t % k[1], s, (1, 1), Ho, Wo)
        out += xp[:, :, rows, cols]
    out /= _divisors(x, k, s, p, Ho, Wo, include)
    return out


def avg_pool2d_backward(dout, x, *, kernel_size, stride=None, padding=0, count_include_pad=True):
    """Backward pass of :func:`avg_pool2d_forward`: dL/dx.

    Parameters
    ----------
    dout : ndarray, shape (N, C, Ho, Wo)
        Upstream gradient.
    x : ndarray, shape (N, C, H, W)
        The forward input (only its shape and dtype are used).
    kernel_size, stride, padding, count_include_pad
        As in the forward pass.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
        Every cell of a window receives the window's ``dout`` divided as in the forward pass;
        overlapping windows add up, and the share of padded cells is dropped.
    """
    x, k, s, p, (Ho, Wo) = check_pool(x, kernel_size, stride, padding)
    include = as_bool(count_include_pad, "count_include_pad")
    dout = check_dout(dout, x.shape[:2] + (Ho, Wo), x.dtype, axes="(N, C, Ho, Wo)")
    N, C, H, W = x.shape
    share = dout / _divisors(x, k, s, p, Ho, Wo, include)
    dxp = np.zeros((N, C, H + 2 * p[0], W + 2 * p[1]), dtype=x.dtype)
    for t in range(k[0] * k[1]):
        rows, cols = tap_slices(t // k[1], t % k[1], s, (1, 1), Ho, Wo)
        dxp[:, :, rows, cols] += share
    return crop(dxp, p, H, W)


def _forward_keeping(x, kernel_size, stride):
    """For :class:`cnnlab.AvgPool2D`: the forward pass and what ``_backward_kept`` needs (``x``)."""
    return avg_pool2d_forward(x, kernel_size=kernel_size, stride=stride), (x, kernel_size, stride)


def _backward_kept(dout, kept):
    x, kernel_size, stride = kept
    return avg_pool2d_backward(dout, x, kernel_size=kernel_size, stride=stride)


# ----------------------------------------------------------------------------- naive twins
def _window(i, j, k, s, p, H, W):
    """The real rows and columns of window ``(i, j)``, as slices of the unpadded input."""
    top, left = i * s[0] - p[0], j * s[1] - p[1]
    return slice(max(top, 0), min(top + k[0], H)), slice(max(left, 0), min(left + k[1], W))


def avg_pool2d_forward_naive(x, *, kernel_size, stride=None, padding=0, count_include_pad=True):
    """Loop version of :func:`avg_pool2d_forward`: same arguments, same result."""
    x, k, s, p, (Ho, Wo) = check_pool(x, kernel_size, stride, padding)
    include = as_bool(count_include_pad, "count_include_pad")
    N, C, H, W = x.shape
    out = np.zeros((N, C, Ho, Wo), dtype=x.dtype)
    for n, c, i, j in np.ndindex(N, C, Ho, Wo):
        cells = x[n, c][_window(i, j, k, s, p, H, W)]  # the padded zeros add nothing to the sum
        out[n, c, i, j] = cells.sum() / (k[0] * k[1] if include else cells.size)
    return out


def avg_pool2d_backward_naive(dout, x, *, kernel_size, stride=None, padding=0, count_include_pad=True):
    """Loop version of :func:`avg_pool2d_backward`: same arguments, same result."""
    x, k, s, p, (Ho, Wo) = check_pool(x, kernel_size, stride, padding)
    include = as_bool(count_include_pad, "count_include_pad")
    dout = check_dout(dout, x.shape[:2] + (Ho, Wo), x.dtype, axes="(N, C, Ho, Wo)")
    N, C, H, W = x.shape
    dx = np.zeros_like(x)
    for n, c, i, j in np.ndindex(N, C, Ho, Wo):
        window = _window(i, j, k, s, p, H, W)
        size = k[0] * k[1] if include else dx[n, c][window].size
        dx[n, c][window] += dout[n, c, i, j] / size
    return dx

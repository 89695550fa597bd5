"""2-D max pooling, forward and backward, and what every pooling shares (average pooling: ``avgpool``).

Layout: ``x (N, C, H, W)`` -> ``out (N, C, Ho, Wo)``, one window per output cell, each
channel on its own. Semantics follow PyTorch's ``max_pool2d`` / ``avg_pool2d``:

- ``stride`` defaults to ``kernel_size`` (windows side by side); a smaller stride overlaps them.
- Output size: :func:`cnnlab.conv_output_size` (floor rounding).
- ``padding`` may be at most half the kernel on each axis (``p <= k // 2``), so every
  window holds at least one real input cell.
- Max pooling pads with minus infinity: a padded cell is never the maximum. Ties go to the
  *first* maximum in row-major order, which is the one cell that receives the gradient; a NaN
  in a window wins over numbers (the output is NaN, as in the frameworks) and, as in PyTorch's
  CPU kernel, the last NaN of a window receives the gradient.
- Average pooling (:mod:`cnnlab.avgpool`) pads with zeros; by default it divides by ``KH*KW``
  (``count_include_pad=True``).
- Overlapping windows *accumulate* their gradients into the cells they share.

Pooling has no parameters.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, as_pair, check_dout
from ._grid import crop, pad, tap_slices
from .shapes import _output_size

__all__ = ["max_pool2d_forward", "max_pool2d_backward", "max_pool2d_forward_naive", "max_pool2d_backward_naive"]


def check_pool(x, kernel_size, stride, padding):
    """Validate the arguments; return ``x``, the pairs ``k, s, p`` and ``(Ho, Wo)``."""
    x = as_array(x, "x", ndim=4, axes="(N, C, H, W)")
    if kernel_size is None:
        raise TypeError("kernel_size is required: an int or a pair (h, w)")
    k = as_pair(kernel_size, "kernel_size", minimum=1)
    s = k if stride is None else as_pair(stride, "stride", minimum=1)
    p = as_pair(padding, "padding", minimum=0)
    for axis, ki, pi in (("height", k[0], p[0]), ("width", k[1], p[1])):
        if pi > ki // 2:
            raise ValueError(
                f"padding must be at most half of kernel_size, but along the {axis} "
                f"padding {pi} > {ki} // 2 = {ki // 2}"
            )
    N, C, H, W = x.shape
    if H < 1 or W < 1:
        raise ValueError(f"x must have a height and width of at least 1, got shape {x.shape}")
    Ho = _output_size(H, k[0], s[0], p[0], 1, axis="height")
    Wo = _output_size(W, k[1], s[1], p[1], 1, axis="width")
    return x, k, s, p, (Ho, Wo)


def _max_over_taps(xp, k, s, Ho, Wo):
    """``np.maximum`` of the ``KH*KW`` strided slices of the padded input (NaN propagates)."""
    taps = [xp[:, :, r, c] for r, c in
            (tap_slices(t // k[1], t % k[1], s, (1, 1), Ho, Wo) for t in range(k[0] * k[1]))]
    if len(taps) == 1:
        return taps[0].copy()
    out = np.maximum(taps[0], taps[1])
    for tap in taps[2:]:
        np.maximum(out, tap, out=out)
    return out


def max_pool2d_forward(x, *, kernel_size, stride=None, padding=0):
    """Max pooling: the largest value of each window.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
        Input batch, float32 or float64 (integer arrays are taken as float64).
    kernel_size : int or (int, int)
        Window size, >= 1.
    stride : int or (int, int), optional
        Step between windows; ``None`` (default) means ``kernel_size``.
    padding : int or (int, int), optional
        Cells added on each side, at most ``kernel_size // 2``.

    Returns
    -------
    out : ndarray, shape (N, C, Ho, Wo)
        ``Ho = floor((H + 2*ph - KH) / sh) + 1``, likewise ``Wo``; dtype of ``x``.

    Notes
    -----
    ``np.maximum`` over the ``KH*KW`` strided slices of the padded input, one per window
    tap: no window is copied. Extra memory: the output, ``N*C*Ho*Wo`` values, plus, when
    ``padding > 0``, a padded copy of the input, ``N*C*(H + 2*ph)*(W + 2*pw)`` values.

    Examples
    --------
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> max_pool2d_forward(x, kernel_size=2)
    array([[[[ 5.,  7.],
             [13., 15.]]]])
    """
    x, k, s, p, (Ho, Wo) = check_pool(x, kernel_size, stride, padding)
    return _max_over_taps(pad(x, p, -np.inf), k, s, Ho, Wo)


def max_pool2d_backward(dout, x, *, kernel_size, stride=None, padding=0):
    """Backward pass of :func:`max_pool2d_forward`: dL/dx.

    Parameters
    ----------
    dout : ndarray, shape (N, C, Ho, Wo)
        Upstream gradient.
    x : ndarray, shape (N, C, H, W)
        The forward input (the switches are recomputed from it).
    kernel_size, stride, padding
        As in the forward pass.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)
        Each window sends its ``dout`` to exactly one cell, its first maximum (row-major;
        if the window holds NaNs, its last NaN, as PyTorch's CPU kernel); a cell that is
        the maximum of several overlapping windows receives their sum.
    """
    x, k, s, p, (Ho, Wo) = check_pool(x, kernel_size, stride, padding)
    dout = check_dout(dout, x.shape[:2] + (Ho, Wo), x.dtype, axes="(N, C, Ho, Wo)")
    xp = pad(x, p, -np.inf)
    return _route_to_max(dout, xp, _max_over_taps(xp, k, s, Ho, Wo), k, s, p, x.shape[2:])


def _forward_keeping(x, kernel_size, stride):
    """For :class:`cnnlab.MaxPool2D`: the forward pass (no padding) and what ``_backward_kept`` needs."""
    x, k, s, p, (Ho, Wo) = check_pool(x, kernel_size, stride, 0)
    best = _max_over_taps(x, k, s, Ho, Wo)
    return best, (x, best, k, s)


def _backward_kept(dout, kept):
    """:func:`max_pool2d_backward` from what :func:`_forward_keeping` kept: no second search for the maxima."""
    x, best, k, s = kept
    dout = check_dout(dout, best.shape, x.dtype, axes="(N, C, Ho, Wo)")
    return _route_to_max(dout, x, best, k, s, (0, 0), x.shape[2:])


def _route_to_max(dout, xp, best, k, s, p, hw):
    """dL/dx of an ``(H, W) = hw`` input from its padded copy ``xp`` and window maxima ``best``."""
    H, W = hw
    Ho, Wo = best.shape[2:]
    if p != (0, 0):  # padded cells may tie with a window whose real cells are all -inf: never pick them
        real = np.zeros(xp.shape[2:], dtype=bool)  # (Hp, Wp)
        real[p[0] : p[0] + H, p[1] : p[1] + W] = True
    unclaimed = np.ones(best.shape, dtype=bool)  # windows still looking for their maximum
    hit = np.empty(best.shape, dtype=bool)
    dxp = np.zeros(xp.shape, dtype=xp.dtype)
    taps = [tap_slices(t // k[1], t % k[1], s, (1, 1), Ho, Wo) for t in range(k[0] * k[1])]
    overlap = s[0] < k[0] or s[1] < k[1]
    # dout * hit is the fast way to route, but inf * 0 is NaN: mask instead when dout is not finite
    finite = bool(np.isfinite(dout).all())
    share = np.empty(best.shape, dtype=xp.dtype)

    def route(rows, cols, accumulate):
        """Claim the windows in ``hit`` and send their ``dout`` to this tap's cells."""
        if p != (0, 0):
            hit[...] &= real[rows, cols]
        hit[...] &= unclaimed
        unclaimed[...] ^= hit  # = unclaimed & ~hit, as hit is within unclaimed now
        cells = dxp[:, :, rows, cols]  # a view into dx
        if accumulate:  # a cell can be the max of several windows, or was written before: add
            if finite:
                cells += np.multiply(dout, hit, out=share)
            else:
                np.add(cells, dout, out=cells, where=hit)
        elif finite:  # each cell belongs to one window at most: write, don't read-modify-write
            np.multiply(dout, hit, out=cells)
        else:
            np.copyto(cells, dout, where=hit)

    for rows, cols in taps:  # row-major order: the first cell equal to the max wins
        np.equal(xp[:, :, rows, cols], best, out=hit)
        route(rows, cols, overlap)
    if unclaimed.any():  # windows whose max is NaN (NaN != NaN): PyTorch picks the last NaN
        for rows, cols in reversed(taps):
            np.isnan(xp[:, :, rows, cols], out=hit)
            route(rows, cols, True)  # add: the other windows' cells on this tap are already set
    return crop(dxp, p, H, W)


# ----------------------------------------------------------------------------- naive twins
def _max_cell(x_nc, top, left, k):
    """(row, col) in ``x_nc`` of the first maximum (row-major) of a window at ``(top, left)``.

    The window is clipped to the real cells, so padding never wins. The rule is PyTorch's:
    a value replaces the best so far if it is greater or if it is NaN, so ties keep the first
    maximum and a window with NaNs picks its last NaN.
    """
    H, W = x_nc.shape
    best, cell = -np.inf, (max(top, 0), max(left, 0))
    for r in range(max(top, 0), min(top + k[0], H)):
        for c in range(max(left, 0), min(left + k[1], W)):
            v = x_nc[r, c]
            if v > best or np.isnan(v):
                best, cell = v, (r, c)
    return cell


def max_pool2d_forward_naive(x, *, kernel_size, stride=None, padding=0):
    """Loop version of :func:`max_pool2d_forward`: same arguments, same result."""
    x, k, s, p, (Ho, Wo) = check_pool(x, kernel_size, stride, padding)
    N, C = x.shape[:2]
    out = np.zeros((N, C, Ho, Wo), dtype=x.dtype)
    for n, c, i, j in np.ndindex(N, C, Ho, Wo):
        out[n, c, i, j] = x[n, c][_max_cell(x[n, c], i * s[0] - p[0], j * s[1] - p[1], k)]
    return out


def max_pool2d_backward_naive(dout, x, *, kernel_size, stride=None, padding=0):
    """Loop version of :func:`max_pool2d_backward`: same arguments, same result."""
    x, k, s, p, (Ho, Wo) = check_pool(x, kernel_size, stride, padding)
    dout = check_dout(dout, x.shape[:2] + (Ho, Wo), x.dtype, axes="(N, C, Ho, Wo)")
    N, C = x.shape[:2]
    dx = np.zeros_like(x)
    for n, c, i, j in np.ndindex(N, C, Ho, Wo):
        r, col = _max_cell(x[n, c], i * s[0] - p[0], j * s[1] - p[1], k)
        dx[n, c, r, col] += dout[n, c, i, j]
    return dx

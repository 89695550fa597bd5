"""Index arithmetic shared by the convolution and pooling kernels: padding and kernel taps.

A *tap* is one position ``(u, v)`` inside the kernel window. Looping over taps instead of over
output cells turns every kernel into ``KH*KW`` whole-array operations on strided slices.
"""

from __future__ import annotations

import numpy as np


def pad(x, p, value=0.0):
    """``x (N, C, H, W)`` with ``p = (ph, pw)`` cells of ``value`` on each side (``x`` if none).

    Same result as ``np.pad(..., constant_values=value)``, without its per-call overhead.
    """
    if p == (0, 0):
        return x
    N, C, H, W = x.shape
    xp = np.full((N, C, H + 2 * p[0], W + 2 * p[1]), value, dtype=x.dtype)
    xp[:, :, p[0] : p[0] + H, p[1] : p[1] + W] = x
    return xp


def crop(xp, p, H, W):
    """The real cells of a padded ``(N, C, Hp, Wp)`` array (a copy, so the padding is freed)."""
    if p == (0, 0):
        return xp
    return xp[:, :, p[0] : p[0] + H, p[1] : p[1] + W].copy()


def tap_slices(u, v, s, d, Ho, Wo):
    """Where kernel tap ``(u, v)`` lands in the padded input, for every output position."""
    h0, w0 = u * d[0], v * d[1]
    return (
        slice(h0, h0 + (Ho - 1) * s[0] + 1, s[0]),
        slice(w0, w0 + (Wo - 1) * s[1] + 1, s[1]),
    )


def tap_cells(offset, pad, stride, n_in, lo, hi):
    """Which of the outputs ``lo <= i < hi`` a kernel tap at ``offset`` (``u * dilation``) reads
    from real input cells.

    Output ``i`` reads input ``i*stride + offset - pad``; keep the ``i`` for which that lies
    in ``[0, n_in)``. Returns ``(input_slice, output_slice)``, the outputs counted from ``lo``,
    or ``None`` if the tap only sees padding there.
    """
    first = max(lo, -((offset - pad) // stride))  # ceil((pad - offset) / stride)
    last = min(hi - 1, (n_in - 1 + pad - offset) // stride)
    if last < first:
        return None
    start = first * stride + offset - pad
    return slice(start, start + (last - first) * stride + 1, stride), slice(first - lo, last - lo + 1)

"""im2col: the windows of a batch copied into matrices, so that a convolution is a matrix product.

Used by :mod:`cnnlab.conv` (whose docstrings explain the method) and :class:`cnnlab.Conv2D`. The
copies go into a per-thread scratch buffer that is reused from call to call, and batches are
processed in blocks small enough to stay in cache.
"""

from __future__ import annotations

import threading

import numpy as np

from ._grid import tap_cells, tap_slices

# Bytes of one block of the im2col matrix (2**18 values in float64, 2**19 in float32): small
# enough to stay in cache, large enough for an efficient matrix product.
_BLOCK_BYTES = 1 << 21
# Blocks up to this size are built in a per-thread scratch buffer that is reused from call to
# call, as the frameworks do with their workspaces: allocating (and page-faulting) a fresh
# block on every call cost more than the arithmetic on a 2-core VM. Larger blocks (one big
# image) are allocated afresh and freed.
_SCRATCH_MAX_BYTES = 1 << 23
_scratch = threading.local()
# A layer keeps the im2col matrix of a batch up to this size; beyond, its backward pass copies again.
_KEEP_MAX_BYTES = 1 << 26


def tiles(N, Ho, per_row, itemsize=8):
    """``(images, rows)`` slices whose im2col matrices hold about ``_BLOCK_BYTES`` bytes.

    ``per_row`` is the number of window elements of one row of outputs (``C*KH*KW*Wo``). Small
    images come several to a tile, all rows; a large image is cut into bands of output rows, so
    that the extra memory stays one tile whatever the image size.
    """
    block = _BLOCK_BYTES // itemsize  # elements
    per_image = max(per_row * Ho, 1)
    if per_image <= block:
        step = block // per_image
        return [(slice(n, min(n + step, N)), slice(0, Ho)) for n in range(0, N, step)]
    rows = max(1, block // max(per_row, 1))
    return [(slice(n, n + 1), slice(i, min(i + rows, Ho))) for n in range(N) for i in range(0, Ho, rows)]


def _buffer(shape, dtype, slot=0):
    """An uninitialised array of ``shape``: a view of the thread's scratch buffer ``slot`` if small.

    Two arrays in use at the same time need two slots.
    """
    size = int(np.prod(shape))
    dtype = np.dtype(dtype)
    if size * dtype.itemsize > _SCRATCH_MAX_BYTES:
        return np.empty(shape, dtype=dtype)
    buffers = _scratch.__dict__.setdefault("buffers", {})
    buf = buffers.get((dtype, slot))
    if buf is None or buf.size < size:
        buf = buffers[dtype, slot] = np.empty(max(size, 1 << 16), dtype=dtype)
    return buf[:size].reshape(shape)


def im2col(win):
    """Copy windows ``(nb, C, Ho, Wo, KH, KW)`` into ``nb`` matrices ``(C*KH*KW, Ho*Wo)``.

    The result lives in the scratch buffer: use it before the next call.
    """
    nb, C, Ho, Wo, KH, KW = win.shape
    cols = _buffer((nb, C, KH, KW, Ho, Wo), win.dtype)
    np.copyto(cols, win.transpose(0, 1, 4, 5, 2, 3))
    return cols.reshape(nb, C * KH * KW, Ho * Wo)


def conv_tiles_forward(win, w, out):
    """Fill ``out (N, F, Ho, Wo)`` with the products of ``w`` and the windows ``win``, tile by tile."""
    F = w.shape[0]
    w2 = w.reshape(F, -1)  # (F, C*KH*KW)
    N, C, Ho, Wo, KH, KW = win.shape
    for images, rows in tiles(N, Ho, C * KH * KW * Wo, w.itemsize):
        cols = im2col(win[images, :, rows])  # (nb, CKK, r*Wo)
        target = out[images, :, rows].reshape(cols.shape[0], F, cols.shape[2])  # a view: rows are contiguous
        np.matmul(w2, cols, out=target)  # (F, CKK) @ (nb, CKK, r*Wo)


def conv_batch_forward(win, w, reuse=None):
    """The forward pass of a whole batch as one matrix product, for a layer that keeps the matrix.

    The windows go into one ``(C*KH*KW, N*Ho*Wo)`` im2col matrix (``reuse`` if it has that shape
    and dtype: no fresh pages to fault in); one product gives ``(F, N*Ho*Wo)``, transposed into
    ``out``. Larger products than tile by tile, which the BLAS threads share better. Returns
    ``(out, cols)``, or ``(None, None)`` if the matrix would take more than ``_KEEP_MAX_BYTES``.
    """
    N, C, Ho, Wo, KH, KW = win.shape
    F = w.shape[0]
    shape = (C * KH * KW, N * Ho * Wo)
    if shape[0] * shape[1] * w.itemsize > _KEEP_MAX_BYTES:
        return None, None
    fits = reuse is not None and reuse.shape == shape and reuse.dtype == w.dtype
    cols = reuse if fits else np.empty(shape, dtype=w.dtype)
    np.copyto(cols.reshape(C, KH, KW, N, Ho, Wo), win.transpose(1, 4, 5, 0, 2, 3))
    out = np.matmul(w.reshape(F, -1), cols, out=_buffer((F, N * Ho * Wo), w.dtype))  # (F, CKK) @ (CKK, N*Ho*Wo)
    return out.reshape(F, N, Ho, Wo).transpose(1, 0, 2, 3).copy(), cols  # a copy, never the scratch buffer


def conv_batch_dw(dout, cols, w):
    """dL/dw from the kept im2col matrix of :func:`conv_batch_forward`: one product."""
    F = w.shape[0]
    dout_f = _buffer((F,) + dout.shape[:1] + dout.shape[2:], dout.dtype)  # (F, N, Ho, Wo)
    np.copyto(dout_f, dout.transpose(1, 0, 2, 3))
    return np.matmul(dout_f.reshape(F, -1), cols.T).reshape(w.shape)  # (F, N*Ho*Wo) @ (N*Ho*Wo, CKK)


def conv_tiles_backward(dout, win, w, dx, geometry):
    """``dw`` (returned) and, if ``dx`` is an array, dL/dx added into it, tile by tile.

    ``geometry`` is ``(H, W, s, p, d)``.
    """
    H, W, s, p, d = geometry
    N, F, Ho, Wo = dout.shape
    C, KH, KW = w.shape[1:]
    w2t = w.reshape(F, C * KH * KW).T  # (CKK, F)
    dw = np.zeros((F, C * KH * KW), dtype=w.dtype)
    for images, rows in tiles(N, Ho, C * KH * KW * Wo, w.itemsize):
        nb, r = images.stop - images.start, rows.stop - rows.start
        dout_t = dout[images, :, rows].reshape(nb, F, r * Wo)  # a view when the tile has every row
        cols = im2col(win[images, :, rows])  # (nb, CKK, r*Wo)
        dw += np.matmul(dout_t, cols.transpose(0, 2, 1)).sum(axis=0)  # one (F, CKK) per image, summed
        if dx is None:
            continue
        # the window gradients overwrite the im2col tile, which is no longer needed
        dcols = np.matmul(w2t, dout_t, out=cols)  # (CKK, F) @ (nb, F, r*Wo)
        dcols = dcols.reshape(nb, C, KH, KW, r, Wo)
        for u in range(KH):  # col2im, one tap at a time: the input cells each tap read in this tile
            in_r = tap_cells(u * d[0], p[0], s[0], H, rows.start, rows.stop)
            for v in range(KW):
                in_c = tap_cells(v * d[1], p[1], s[1], W, 0, Wo)
                if in_r and in_c:
                    dx[images, :, in_r[0], in_c[0]] += dcols[:, :, u, v, in_r[1], in_c[1]]
    return dw.reshape(w.shape)


def dx_by_taps(dout, w, geometry):
    """dL/dx ``(N, C, H, W)`` with one small matrix product per kernel tap ("shift-add").

    Tap ``(u, v)`` of every window sends ``dout @ w[:, :, u, v]`` to the input cells it read. With
    the batch and the channels as the last axes, ``(H, W, N, C)``, those cells are ``Ho`` runs of
    ``Wo*N*C`` contiguous values (runs of ``N*C`` with a stride), so each addition runs at memory speed.
    """
    H, W, s, p, d = geometry
    N, F, Ho, Wo = dout.shape
    C, KH, KW = w.shape[1:]
    dout_t = _buffer((Ho, Wo, N, F), dout.dtype, slot=1)
    np.copyto(dout_t, dout.transpose(2, 3, 0, 1))
    dout_t = dout_t.reshape(Ho * Wo * N, F)
    dxp = np.zeros((H + 2 * p[0], W + 2 * p[1], N, C), dtype=dout.dtype)  # (Hp, Wp, N, C)
    share = _buffer((Ho, Wo, N, C), dout.dtype)
    for u in range(KH):
        for v in range(KW):
            np.matmul(dout_t, w[:, :, u, v], out=share.reshape(Ho * Wo * N, C))  # (Ho*Wo*N, F) @ (F, C)
            rows, cols = tap_slices(u, v, s, d, Ho, Wo)
            dxp[rows, cols] += share
    return np.ascontiguousarray(dxp[p[0] : p[0] + H, p[1] : p[1] + W].transpose(2, 3, 0, 1))

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


def _buffer(shape, dtype):
    """An uninitialised array of ``shape``: a view of the thread's scratch buffer if small."""
    size = int(np.prod(shape))
    dtype = np.dtype(dtype)
    if size * dtype.itemsize > _SCRATCH_MAX_BYTES:
        return np.empty(shape, dtype=dtype)
    buffers = _scratch.__dict__.setdefault("buffers", {})
    buf = buffers.get(dtype)
    if buf is None or buf.size < size:
        buf = buffers[dtype] = np.empty(max(size, 1 << 16), dtype=dtype)
    return buf[:size].reshape(shape)


def im2col(win, out=None):
    """Copy windows ``(nb, C, Ho, Wo, KH, KW)`` into ``nb`` matrices ``(C*KH*KW, Ho*Wo)``.

    Into ``out`` if given, else into the scratch buffer (then use the result before the next call).
    """
    nb, C, Ho, Wo, KH, KW = win.shape
    cols = _buffer((nb, C, KH, KW, Ho, Wo), win.dtype) if out is None else out.reshape(nb, C, KH, KW, Ho, Wo)
    np.copyto(cols, win.transpose(0, 1, 4, 5, 2, 3))
    return cols.reshape(nb, C * KH * KW, Ho * Wo)


def conv_tiles_forward(win, w, out, *, keep=False, reuse=None):
    """Fill ``out (N, F, Ho, Wo)`` with the products of ``w`` and the windows ``win``, tile by tile.

    With ``keep``, and if every tile holds whole images, the im2col matrices are built in one
    array ``(N, C*KH*KW, Ho*Wo)`` (``reuse``, if it has that shape and dtype) and returned, for the
    backward pass; otherwise the result is ``None``.
    """
    F = w.shape[0]
    w2 = w.reshape(F, -1)  # (F, C*KH*KW)
    N, C, Ho, Wo, KH, KW = win.shape
    blocks = tiles(N, Ho, C * KH * KW * Wo, w.itemsize)
    kept = None
    if keep and blocks[0][1].stop == Ho:
        shape = (N, C * KH * KW, Ho * Wo)
        fits = reuse is not None and reuse.shape == shape and reuse.dtype == w.dtype
        kept = reuse if fits else np.empty(shape, dtype=w.dtype)  # reused: no fresh pages to fault in
    for images, rows in blocks:
        cols = im2col(win[images, :, rows], None if kept is None else kept[images])  # (nb, CKK, r*Wo)
        target = out[images, :, rows].reshape(cols.shape[0], F, cols.shape[2])  # a view: rows are contiguous
        np.matmul(w2, cols, out=target)  # (F, CKK) @ (nb, CKK, r*Wo)
    return kept


def conv_tiles_backward(dout, win, w, dx, geometry, kept=None):
    """``dw`` (returned) and, if ``dx`` is an array, dL/dx added into it, tile by tile.

    ``geometry`` is ``(H, W, s, p, d)``. ``kept``: the im2col matrices that
    :func:`conv_tiles_forward` kept (then ``win`` is not read), or ``None`` to copy them again from ``win``.
    """
    H, W, s, p, d = geometry
    N, F, Ho, Wo = dout.shape
    C, KH, KW = w.shape[1:]
    w2t = w.reshape(F, C * KH * KW).T  # (CKK, F)
    dw = np.zeros((F, C * KH * KW), dtype=w.dtype)
    for images, rows in tiles(N, Ho, C * KH * KW * Wo, w.itemsize):
        nb, r = images.stop - images.start, rows.stop - rows.start
        dout_t = dout[images, :, rows].reshape(nb, F, r * Wo)  # a view when the tile has every row
        cols = im2col(win[images, :, rows]) if kept is None else kept[images]  # (nb, CKK, r*Wo)
        dw += np.matmul(dout_t, cols.transpose(0, 2, 1)).sum(axis=0)  # one (F, CKK) per image, summed
        if dx is None:
            continue
        # the window gradients overwrite the im2col tile, which is no longer needed (never a cache)
        scratch = cols if kept is None else _buffer(cols.shape, w.dtype)
        dcols = np.matmul(w2t, dout_t, out=scratch)  # (CKK, F) @ (nb, F, r*Wo)
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
    ``Wo*N*C`` contiguous values, so each addition runs at memory speed.
    """
    H, W, s, p, d = geometry
    N, F, Ho, Wo = dout.shape
    C, KH, KW = w.shape[1:]
    dout_t = np.ascontiguousarray(dout.transpose(2, 3, 0, 1)).reshape(Ho * Wo * N, F)  # (Ho*Wo*N, F)
    dxp = np.zeros((H + 2 * p[0], W + 2 * p[1], N, C), dtype=dout.dtype)  # (Hp, Wp, N, C)
    share = _buffer((Ho, Wo, N, C), dout.dtype)
    for u in range(KH):
        for v in range(KW):
            np.matmul(dout_t, w[:, :, u, v], out=share.reshape(Ho * Wo * N, C))  # (Ho*Wo*N, F) @ (F, C)
            rows, cols = tap_slices(u, v, s, d, Ho, Wo)
            dxp[rows, cols] += share
    return np.ascontiguousarray(dxp[p[0] : p[0] + H, p[1] : p[1] + W].transpose(2, 3, 0, 1))

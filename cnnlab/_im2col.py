"""im2col: the windows of a batch copied into matrices, so that a convolution is a matrix product.

Used by :mod:`cnnlab.conv`. The copies go into a per-thread scratch buffer that is reused from
call to call, and batches are processed in blocks small enough to stay in cache.
"""

from __future__ import annotations

import threading

import numpy as np

# Elements of one block of the im2col matrix (2 MiB in float64): small enough to stay in
# cache, large enough for an efficient matrix product.
_BLOCK_ELEMENTS = 1 << 18
# Blocks up to this size are built in a per-thread scratch buffer that is reused from call to
# call, as the frameworks do with their workspaces: allocating (and page-faulting) a fresh
# block on every call cost more than the arithmetic on a 2-core VM. Larger blocks (one big
# image) are allocated afresh and freed.
_SCRATCH_MAX_BYTES = 1 << 23
_scratch = threading.local()


def tiles(N, Ho, per_row):
    """``(images, rows)`` slices whose im2col matrices hold about ``_BLOCK_ELEMENTS`` elements.

    ``per_row`` is the number of window elements of one row of outputs (``C*KH*KW*Wo``). Small
    images come several to a tile, all rows; a large image is cut into bands of output rows, so
    that the extra memory stays one tile whatever the image size.
    """
    per_image = max(per_row * Ho, 1)
    if per_image <= _BLOCK_ELEMENTS:
        step = _BLOCK_ELEMENTS // per_image
        return [(slice(n, min(n + step, N)), slice(0, Ho)) for n in range(0, N, step)]
    rows = max(1, _BLOCK_ELEMENTS // max(per_row, 1))
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


def im2col(win):
    """Copy windows ``(nb, C, Ho, Wo, KH, KW)`` into ``nb`` matrices ``(C*KH*KW, Ho*Wo)``.

    The result lives in the scratch buffer: use it before the next call.
    """
    nb, C, Ho, Wo, KH, KW = win.shape
    cols = _buffer((nb, C, KH, KW, Ho, Wo), win.dtype)
    np.copyto(cols, win.transpose(0, 1, 4, 5, 2, 3))
    return cols.reshape(nb, C * KH * KW, Ho * Wo)


def im2col_flat(win):
    """Copy windows ``(nb, C, Ho, Wo, KH, KW)`` into one ``(C*KH*KW, nb*Ho*Wo)`` matrix.

    The result lives in the scratch buffer: use it before the next call.
    """
    nb, C, Ho, Wo, KH, KW = win.shape
    cols = _buffer((C, KH, KW, nb, Ho, Wo), win.dtype)
    np.copyto(cols, win.transpose(1, 4, 5, 0, 2, 3))
    return cols.reshape(C * KH * KW, nb * Ho * Wo)

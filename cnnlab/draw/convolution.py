"""Pictures of how a convolution is computed (as one dense matrix, as im2col's matrix of windows),
and named boxes to point at regions of a map.

Pure drawings (see :mod:`cnnlab.draw`): each draws on the Axes it is given, or on a new pyplot
figure when ``axes`` is ``None``, and returns them. Every value is written in its cell, so that
no meaning rests on colour alone; the frames that tie a window to its column are lines.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from ._style import BLUE, FONT, SMALL, text_color
from .arrays import draw_matrix
from .images import draw_image

__all__ = ["draw_boxes", "draw_dense_conv", "draw_im2col"]

BOX_STYLES = ("-", "--", ":", "-.")  # one line style per box: boxes differ without colour


def _write_values(ax, values, lo, hi, cmap, *, skip_zeros):
    """Write each value in its ``imshow`` cell (row r, column c at ``(c, r)``), black or white."""
    for (r, c), v in np.ndenumerate(values):
        if skip_zeros and v == 0:
            continue
        ax.text(c, r, f"{v:g}", ha="center", va="center", fontsize=FONT, color=text_color(v, lo, hi, cmap))


def draw_dense_conv(w_dense, w, *, axes=None):
    """The dense matrix of a one-channel convolution beside its kernels, on one colour scale.

    The matrix has one row per neuron (output value) and one column per pixel of the flattened
    image; its non-zero entries are written in their cells, its zeros left blank. Thick lines
    separate the groups of rows that belong to one filter. The kernels are drawn on the same
    colour scale, with their values; one colourbar serves all.

    Parameters
    ----------
    w_dense : ndarray, shape (F * Ho * Wo, H * W)
        The fully connected matrix the convolution equals (:func:`cnnlab.conv2d_as_dense`).
    w : ndarray, shape (F, 1, KH, KW)
        The kernels, one input channel.
    axes : sequence of 1 + F Axes, optional
        The matrix's Axes, then one per kernel. ``None``: a new figure, 8.5 x 5.2 inches.

    Returns
    -------
    axes : ndarray of Axes, shape (1 + F,)
    """
    w_dense, w = np.asarray(w_dense, dtype=float), np.asarray(w, dtype=float)
    if w.ndim != 4 or w.shape[1] != 1:
        raise ValueError(f"w must have shape (F, 1, KH, KW), one input channel, got {w.shape}")
    if w_dense.ndim != 2 or w_dense.shape[0] % w.shape[0]:
        raise ValueError(f"w_dense must be 2-D with a multiple of F = {w.shape[0]} rows, got shape {w_dense.shape}")
    F = w.shape[0]
    m, n = w_dense.shape
    per_filter = m // F
    if axes is None:
        import matplotlib.pyplot as plt

        columns = -(-F // 2)
        names = [f"k{f}" for f in range(F)] + ["."] * (2 * columns - F)
        mosaic = [["M"] + names[:columns], ["M"] + names[columns:]]
        fig, grid = plt.subplot_mosaic(mosaic, figsize=(8.5, 5.2), layout="constrained",
                                       width_ratios=[3.4] + [1] * columns)
        axes = [grid["M"]] + [grid[f"k{f}"] for f in range(F)]
    axes = np.asarray(axes, dtype=object).ravel()
    if axes.size != 1 + F:
        raise ValueError(f"axes must hold 1 + F = {1 + F} Axes, got {axes.size}")
    limit = float(max(np.abs(w_dense).max(), np.abs(w).max())) or 1.0
    style = dict(cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
    ax = axes[0]
    image = ax.imshow(w_dense, aspect="auto", **style)
    _write_values(ax, w_dense, -limit, limit, "RdBu_r", skip_zeros=True)
    ax.set_xticks(range(n), [f"x{j}" for j in range(n)], fontsize=SMALL)
    ax.set_yticks(range(m), [f"h{i}" for i in range(m)], fontsize=SMALL)
    ax.set_xticks(np.arange(-0.5, n), minor=True)
    ax.set_yticks(np.arange(-0.5, m), minor=True)
    ax.grid(which="minor", color="0.7", linewidth=0.6)
    ax.tick_params(which="both", length=0)
    for f in range(1, F):  # the rows of filter f start here
        ax.axhline(f * per_filter - 0.5, color="black", linewidth=2.5)
    ax.set_title(f"w_dense: {m} neurons x {n} pixels", fontsize=FONT)
    for f, kernel_ax in enumerate(axes[1:]):
        kernel_ax.imshow(w[f, 0], **style)
        _write_values(kernel_ax, w[f, 0], -limit, limit, "RdBu_r", skip_zeros=False)
        kernel_ax.set_xticks([])
        kernel_ax.set_yticks([])
        kernel_ax.set_title(f"kernel {f}\nrows h{f * per_filter}-h{(f + 1) * per_filter - 1}", fontsize=FONT)
    bar = ax.figure.colorbar(image, ax=list(axes), shrink=0.8, pad=0.02)
    bar.ax.tick_params(labelsize=SMALL)
    bar.set_label("weight (blank cell: 0)", fontsize=SMALL)
    return axes


def draw_im2col(image, cols, kernel_size, *, column=0, axes=None):
    """An image and its im2col matrix: every window (stride 1) flattened into one column.

    On the left the image with the window of ``column`` framed; on the right the matrix
    ``cols`` with that column framed. Both are on the image's gray scale and carry their values.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    cols : ndarray, shape (KH * KW, Ho * Wo)
        ``Ho = H - KH + 1``, ``Wo = W - KW + 1``; column ``i * Wo + j`` holds the window whose
        top-left pixel is ``(i, j)``, in row-major order.
    kernel_size : int or (int, int)
        ``K`` or ``(KH, KW)``.
    column : int, optional
        The window to frame.
    axes : pair of Axes, optional
        ``None``: a new figure, 8.5 inches wide.

    Returns
    -------
    axes : (Axes, Axes)
    """
    image, cols = np.asarray(image, dtype=float), np.asarray(cols, dtype=float)
    KH, KW = (kernel_size, kernel_size) if np.ndim(kernel_size) == 0 else tuple(kernel_size)
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D (H, W), got shape {image.shape}")
    H, W = image.shape
    Ho, Wo = H - KH + 1, W - KW + 1
    if cols.shape != (KH * KW, Ho * Wo):
        raise ValueError(f"cols must have shape (KH*KW, Ho*Wo) = ({KH * KW}, {Ho * Wo}) for a {H}x{W} image "
                         f"and a {KH}x{KW} kernel, got {cols.shape}")
    if not 0 <= column < Ho * Wo:
        raise ValueError(f"column must be between 0 and {Ho * Wo - 1}, got {column}")
    if axes is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(8.5, 3.4), layout="constrained")
        axes = fig.subplots(1, 2, width_ratios=[W, Ho * Wo * H / (KH * KW)])
    i, j = divmod(column, Wo)
    lo, hi = float(image.min()), float(image.max())
    draw_image(image, ax=axes[0], index=None, cmap="gray", vmin=lo, vmax=hi)
    axes[0].add_patch(Rectangle((j, H - i - KH), KW, KH, fill=False, edgecolor=BLUE, linewidth=3.5, zorder=4))
    axes[0].set_title(f"image {H}x{W}: window ({i}, {j})", fontsize=FONT)
    taps = [f"({u},{v})" for u in range(KH) for v in range(KW)]
    draw_matrix(cols, ax=axes[1], cmap="gray", vmin=lo, vmax=hi, fmt="{:g}", row_labels=taps,
                col_labels=[str(k) for k in range(Ho * Wo)])
    axes[1].set_aspect("equal")  # square cells, as in the image
    axes[1].add_patch(Rectangle((column - 0.5, -0.5), 1, KH * KW, fill=False, edgecolor=BLUE, linewidth=3.5,
                                zorder=4))
    axes[1].set_xlabel("column = window i*Wo + j", fontsize=SMALL)
    axes[1].set_ylabel("tap (u,v)", fontsize=SMALL)
    axes[1].set_title(f"cols: {KH * KW} x {Ho * Wo}, column {column} = window ({i}, {j})", fontsize=FONT)
    return axes


def draw_boxes(ax, boxes, *, origin=(0, 0), color="black", side="right"):
    """Frame named boxes of pixels on a map drawn with ``imshow``, each with its name beside it.

    The boxes get the line styles solid, dashed, dotted, dash-dotted in turn, so that they differ
    without colour; each name is written in black on a white patch, 5 points beside the box's top corner.

    Parameters
    ----------
    ax : matplotlib Axes
        Holding the map, drawn with ``imshow`` (pixel ``(r, c)`` centred at ``x = c, y = r``).
    boxes : dict of str to (slice, slice)
        Name -> ``(rows, cols)``, slices with a start and a stop, in the coordinates of the full
        array (for instance ``np.s_[240:316, 286:306]``).
    origin : (int, int), optional
        Row and column, in those coordinates, of the shown map's top-left pixel: the start of the
        crop when a crop is shown.
    color : str, optional
        The frames' colour.
    side : {"right", "left"}, optional
        Where the names go: right of the box's top edge, or left of it.

    Returns
    -------
    ax : matplotlib Axes
    """
    if side not in ("right", "left"):
        raise ValueError(f"side must be 'right' or 'left', got {side!r}")
    r0, c0 = origin
    for k, (name, box) in enumerate(boxes.items()):
        if len(box) != 2 or any(not isinstance(b, slice) or b.start is None or b.stop is None for b in box):
            raise ValueError(f"box {name!r} must be (rows, cols), two slices with a start and a stop, got {box!r}")
        rows, cols = box
        top, left, width = rows.start - r0 - 0.5, cols.start - c0 - 0.5, cols.stop - cols.start
        ax.add_patch(Rectangle((left, top), width, rows.stop - rows.start, fill=False, edgecolor=color,
                               linewidth=2, linestyle=BOX_STYLES[k % len(BOX_STYLES)], zorder=4))
        x, ha, gap = (left + width, "left", 5) if side == "right" else (left, "right", -5)
        ax.annotate(name, (x, top), xytext=(gap, 0), textcoords="offset points", fontsize=FONT, ha=ha, va="top",
                    color="black", zorder=5, bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1.5))
    return ax

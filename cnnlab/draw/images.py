"""Pictures of images as grids of numbers, and of the flattening that turns them into vectors.

Pure drawings: each draws on ``ax`` (a new pyplot figure when ``ax is None``, see
:mod:`cnnlab.draw`), returns that Axes and changes no global state.
"""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle

from .._checks import as_int
from ._style import BLUE, FONT, HIGHLIGHT, SMALL, as_image, new_axes, text_color

__all__ = ["draw_image", "draw_flatten"]


def _pixel_grid(ax, image, x0, *, values, index, fmt, vmin, vmax, cmap, highlight=()):
    """Draw ``image`` as squares with their lower-left corner at ``(x0 + c, H - 1 - r)``."""
    H, W = image.shape
    norm = Normalize(vmin, vmax)
    colormap = matplotlib.colormaps[cmap]
    for r in range(H):
        for c in range(W):
            v = image[r, c]
            y = H - 1 - r
            ax.add_patch(Rectangle((x0 + c, y), 1, 1, facecolor=colormap(norm(v)),
                                   edgecolor="0.5", linewidth=0.8))
            color = text_color(v, vmin, vmax, cmap)
            if values:
                ax.text(x0 + c + 0.5, y + 0.5, fmt.format(v), ha="center", va="center",
                        color=color, fontsize=FONT)
            if index == "rc":
                label = f"({r},{c})"
            elif index == "flat":
                label = f"{r * W + c}"
            else:
                label = None
            if label is not None:
                ax.text(x0 + c + 0.06, y + 0.94, label, ha="left", va="top", color=color,
                        fontsize=SMALL)
    for r, c in highlight:
        ax.add_patch(Rectangle((x0 + c, H - 1 - r), 1, 1, fill=False, edgecolor=HIGHLIGHT,
                               linewidth=3, zorder=3))


def _cells(highlight, shape):
    """Accept flat indices or (row, col) pairs; return (row, col) pairs."""
    H, W = shape
    cells = []
    for h in highlight:
        if isinstance(h, (tuple, list)):
            r, c = (as_int(v, "highlight cell") for v in h)
        else:
            r, c = divmod(as_int(h, "highlight index"), W)
        if not (0 <= r < H and 0 <= c < W):
            raise ValueError(f"highlight cell ({r}, {c}) is outside the {H}x{W} image")
        cells.append((r, c))
    return cells


def draw_image(image, *, ax=None, values=True, index="rc", fmt="{:g}", cmap="gray",
               vmin=None, vmax=None, highlight=()):
    """An image as a grid of pixels, each with its value and its position.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        Gray values.
    ax : matplotlib Axes, optional
        Where to draw; a new figure if ``None``.
    values : bool
        Write each pixel's value in it.
    index : {"rc", "flat", None}
        Label each pixel with its ``(row, col)``, its flat index ``row*W + col``, or nothing.
    fmt : str
        Format of the values.
    cmap, vmin, vmax
        Colours, as in ``imshow`` (default range: the image's min and max).
    highlight : iterable of int or (int, int)
        Pixels to outline, as flat indices or ``(row, col)``.

    Returns
    -------
    ax : matplotlib Axes
    """
    image = as_image(image)
    H, W = image.shape
    ax = new_axes(ax, (0.9 * W + 0.5, 0.9 * H + 0.5))
    vmin = float(np.min(image)) if vmin is None else vmin
    vmax = float(np.max(image)) if vmax is None else vmax
    if vmax == vmin:
        vmax = vmin + 1
    _pixel_grid(ax, image, 0, values=values, index=index, fmt=fmt, vmin=vmin, vmax=vmax,
                cmap=cmap, highlight=_cells(highlight, image.shape))
    ax.set_xlim(-0.05, W + 0.05)
    ax.set_ylim(-0.05, H + 0.05)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def draw_flatten(image, *, ax=None, fmt="{:g}", cmap="gray"):
    """An image and the column vector it becomes, with a line from each pixel to its entry.

    Pixel ``(r, c)`` of an ``H x W`` image becomes entry ``r*W + c`` (row-major order, as
    ``image.ravel()``). The vector is drawn top to bottom, entry 0 at the top; each entry is
    labelled ``x[k] = (r,c)``, so the mapping is read from the text, and the lines (one colour,
    drawn over the grid) run from the centre of each pixel to its entry.

    Returns
    -------
    ax : matplotlib Axes
        Holds ``2*H*W`` squares (``Rectangle`` patches) and one ``LineCollection`` with
        ``H*W`` lines.
    """
    image = as_image(image)
    H, W = image.shape
    n = H * W
    ax = new_axes(ax, (0.75 * W + 5, 0.5 * n + 0.6))
    vmin, vmax = float(np.min(image)), float(np.max(image))
    if vmax == vmin:
        vmax = vmin + 1
    y_img = (n - H) / 2  # the image, centred vertically beside the vector
    x_vec = W + 3
    norm = Normalize(vmin, vmax)
    colormap = matplotlib.colormaps[cmap]
    segments = []
    for k, v in enumerate(image.ravel()):
        r, c = divmod(k, W)
        y_pix = y_img + H - 1 - r
        y_vec = n - 1 - k
        ink = text_color(v, vmin, vmax, cmap)
        # in a pixel: the value above the centre, the position below it, the line between them
        for x0, y0, y_value in ((c, y_pix, 0.74), (x_vec, y_vec, 0.5)):
            ax.add_patch(Rectangle((x0, y0), 1, 1, facecolor=colormap(norm(v)), edgecolor="0.5", zorder=1))
            ax.text(x0 + 0.5, y0 + y_value, fmt.format(v), ha="center", va="center", color=ink,
                    fontsize=FONT, zorder=4)
        ax.text(c + 0.5, y_pix + 0.24, f"({r},{c})", ha="center", va="center", color=ink,
                fontsize=SMALL, zorder=4)
        ax.text(x_vec + 1.15, y_vec + 0.5, f"x[{k}] = ({r},{c})", ha="left", va="center", fontsize=FONT)
        segments.append([(c + 0.5, y_pix + 0.5), (x_vec, y_vec + 0.5)])
    ax.add_collection(LineCollection(segments, colors=BLUE, linewidths=1.3, alpha=0.75, zorder=3))
    ax.plot([c + 0.5 for c in range(W) for _ in range(H)],
            [y_img + H - 1 - r + 0.5 for _ in range(W) for r in range(H)], "o", color=BLUE,
            markersize=3.5, zorder=3)
    ax.set_xlim(-0.1, x_vec + 4.6)
    ax.set_ylim(-0.1, n + 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax

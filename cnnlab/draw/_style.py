"""What every drawing shares: text sizes, a colour-blind-safe palette, cell styles, new figures.

The meaning of ``ax=None`` (and ``axes=None``), for every drawing in cnnlab: the drawing makes a
new figure with pyplot, sized for the notebook column, so that Jupyter shows it inline. Pass
Axes to draw somewhere else; the explorers pass the Axes of a bare ``matplotlib.figure.Figure``,
so they never touch pyplot's state. pyplot is imported only when a new figure is needed.

Sizes are for figures saved or shown at 100 dpi: 12 pt is 17 px, 10 pt (the smallest text in
any drawing) is 14 px, readable from the back of a room when projected.
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import Normalize

FONT = 12  # labels, values in cells, legends
SMALL = 10  # the smallest text: indices in a corner of a cell
TITLE = 13
DPI = 100

# Okabe & Ito's colour-blind-safe palette; every meaning also has a second cue (hatch, line
# style, text), so nothing is told by colour alone
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
HIGHLIGHT = VERMILLION
# cell kinds of the sliding-window pictures: (face colour, hatch)
CELL = {
    "padding": ((0.86, 0.86, 0.86), "///"),
    "pixel": ((1.0, 1.0, 1.0), ""),
    "visited": ((0.74, 0.87, 0.96), ""),  # a light sky blue
    "window": ((0.96, 0.72, 0.30), ""),  # a light orange
    "never": ((0.96, 0.62, 0.52), "xx"),  # a light vermillion, crossed
}


def new_axes(ax, figsize):
    """``ax`` itself, or the Axes of a new pyplot figure of ``figsize`` inches."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # only here: drawing on given Axes never needs pyplot

    return plt.subplots(figsize=figsize, layout="constrained")[1]


def new_axes_row(axes, figsize, n, *, width_ratios=None):
    """``axes`` itself, or a row of ``n`` Axes in a new pyplot figure."""
    if axes is not None:
        if len(axes) != n:
            raise ValueError(f"axes must hold {n} Axes, got {len(axes)}")
        return axes
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=figsize, layout="constrained")
    return fig.subplots(1, n, width_ratios=width_ratios)


def text_color(value, vmin, vmax, cmap="gray"):
    """Black on light cells, white on dark ones, judged by the cell colour's luminance."""
    r, g, b, _ = matplotlib.colormaps[cmap](Normalize(vmin, vmax)(value))
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b >= 0.5 else "white"


def say_no_output(ax, message):
    """Clear ``ax`` and write ``message`` in a dashed frame: the picture of a setting with no output."""
    from matplotlib.patches import Rectangle

    ax.clear()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_aspect("auto")
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.add_patch(Rectangle((0.005, 0.005), 0.99, 0.99, fill=False, linestyle=(0, (4, 3)), edgecolor="0.3",
                           transform=ax.transAxes))
    ax.text(0.5, 0.5, wrap_to_axes(ax, message), ha="center", va="center", fontsize=FONT, transform=ax.transAxes)
    return ax


def wrap_to_axes(ax, message):
    """``message`` broken into lines that fit the width of ``ax`` at ``FONT`` size (long words too)."""
    import textwrap

    chars = max(12, int(ax.get_position().width * ax.figure.get_figwidth() * 72 / (0.6 * FONT)) - 2)
    return "\n".join(part for line in message.splitlines() for part in (textwrap.wrap(line, chars) or [""]))


def clear(ax):
    """Remove what a drawing put on ``ax`` (cheaper than ``ax.clear()``, which rebuilds the axes);
    show the spines ``say_no_output`` hid."""
    for artist in [*ax.images, *ax.collections, *ax.patches, *ax.texts, *ax.lines]:
        artist.remove()
    if ax.get_legend():
        ax.get_legend().remove()
    for spine in ax.spines.values():
        spine.set_visible(True)
    ax.set_title("")
    return ax


def figure_png(fig, *, dpi=DPI, fast=False):
    """Render a ``matplotlib.figure.Figure`` to PNG bytes, off-screen (Agg, no pyplot).

    ``fast=True`` (a frame of an explorer) draws at the figure's own dpi and compresses less:
    encoded in a third of the time, the file about twice as large.
    """
    if not isinstance(fig.canvas, FigureCanvasAgg):  # a canvas of its own, kept from call to call
        FigureCanvasAgg(fig)
    if fast:
        fig.canvas.draw()
        return canvas_png(fig.canvas)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def canvas_png(canvas):
    """The pixels an Agg canvas holds now, as PNG bytes (fast compression)."""
    from PIL import Image  # matplotlib's own dependency

    buffer = io.BytesIO()
    Image.fromarray(np.asarray(canvas.buffer_rgba())).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def as_image(image):
    """``image`` if it is a 2-D ndarray; a clear error otherwise."""
    if not isinstance(image, np.ndarray):
        raise TypeError(f"image must be a 2-D numpy ndarray, got {type(image).__name__}")
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D (H, W), got shape {image.shape}")
    return image

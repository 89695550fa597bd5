"""Pictures of images, flattening and small networks, drawn with matplotlib.

Every function is pure: it draws on ``ax`` (a new figure's Axes when ``ax is None``), returns
that Axes and changes no global state. Nothing here calls ``plt.show()``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import FancyBboxPatch, Rectangle

from ._checks import as_int

__all__ = ["draw_image", "draw_flatten", "draw_network", "weight_colors"]

HIGHLIGHT = "#d62728"


def _axes(ax, size):
    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax


def _as_image(image):
    if not isinstance(image, np.ndarray):
        raise TypeError(f"image must be a 2-D numpy ndarray, got {type(image).__name__}")
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D (H, W), got shape {image.shape}")
    return image


def _text_color(value, vmin, vmax, cmap="gray"):
    """Black on light cells, white on dark ones, judged by the cell colour's luminance."""
    r, g, b, _ = plt.get_cmap(cmap)(plt.Normalize(vmin, vmax)(value))
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b >= 0.5 else "white"


def _pixel_grid(ax, image, x0, *, values, index, fmt, vmin, vmax, cmap, highlight=()):
    """Draw ``image`` as squares with their lower-left corner at ``(x0 + c, H - 1 - r)``."""
    H, W = image.shape
    norm = plt.Normalize(vmin, vmax)
    colormap = plt.get_cmap(cmap)
    for r in range(H):
        for c in range(W):
            v = image[r, c]
            y = H - 1 - r
            ax.add_patch(Rectangle((x0 + c, y), 1, 1, facecolor=colormap(norm(v)),
                                   edgecolor="0.5", linewidth=0.8))
            color = _text_color(v, vmin, vmax, cmap)
            if values:
                ax.text(x0 + c + 0.5, y + 0.5, fmt.format(v), ha="center", va="center",
                        color=color, fontsize=11)
            if index == "rc":
                label = f"({r},{c})"
            elif index == "flat":
                label = f"{r * W + c}"
            else:
                label = None
            if label is not None:
                ax.text(x0 + c + 0.06, y + 0.94, label, ha="left", va="top", color=color,
                        fontsize=7)
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
    image = _as_image(image)
    H, W = image.shape
    ax = _axes(ax, (0.9 * W + 0.5, 0.9 * H + 0.5))
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
    ``image.ravel()``). The vector is drawn top to bottom, entry 0 at the top.

    Returns
    -------
    ax : matplotlib Axes
        Holds ``2*H*W`` squares (``Rectangle`` patches) and one ``LineCollection`` with
        ``H*W`` lines.
    """
    image = _as_image(image)
    H, W = image.shape
    n = H * W
    ax = _axes(ax, (0.6 * W + 4, 0.45 * n + 0.5))
    vmin, vmax = float(np.min(image)), float(np.max(image))
    if vmax == vmin:
        vmax = vmin + 1
    # the image, centred vertically beside the vector
    y_img = (n - H) / 2
    x_vec = W + 3
    norm = plt.Normalize(vmin, vmax)
    colormap = plt.get_cmap(cmap)
    segments = []
    for k, v in enumerate(image.ravel()):
        r, c = divmod(k, W)
        y_pix = y_img + H - 1 - r
        ax.add_patch(Rectangle((c, y_pix), 1, 1, facecolor=colormap(norm(v)), edgecolor="0.5"))
        ax.text(c + 0.5, y_pix + 0.5, fmt.format(v), ha="center", va="center",
                color=_text_color(v, vmin, vmax, cmap), fontsize=10)
        ax.text(c + 0.06, y_pix + 0.94, f"({r},{c})", ha="left", va="top", fontsize=6,
                color=_text_color(v, vmin, vmax, cmap))
        y_vec = n - 1 - k
        ax.add_patch(Rectangle((x_vec, y_vec), 1, 1, facecolor=colormap(norm(v)), edgecolor="0.5"))
        ax.text(x_vec + 0.5, y_vec + 0.5, fmt.format(v), ha="center", va="center",
                color=_text_color(v, vmin, vmax, cmap), fontsize=10)
        ax.text(x_vec + 1.15, y_vec + 0.5, f"x[{k}]", ha="left", va="center", fontsize=9)
        segments.append([(c + 0.5, y_pix + 0.5), (x_vec, y_vec + 0.5)])
    colors = plt.get_cmap("viridis")(np.linspace(0, 0.9, n))
    ax.add_collection(LineCollection(segments, colors=colors, linewidths=1.0, alpha=0.8, zorder=0))
    ax.set_xlim(-0.1, x_vec + 2.2)
    ax.set_ylim(-0.1, n + 0.1)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def weight_colors(ids):
    """One colour per weight id (``-1``, no connection, gets transparent black).

    Ids are mapped onto a 60-colour qualitative palette (tab20's ten dark hues, its ten light
    ones, then tab20b and tab20c), cycling if there are more weights; equal ids always get
    equal colours, consecutive ids different hues.

    Returns
    -------
    colors : ndarray, shape ids.shape + (4,)
        RGBA.
    """
    tab20 = np.asarray(plt.get_cmap("tab20").colors)
    # tab20 pairs a dark and a light shade of each hue: take the dark ones first, so that
    # consecutive ids (the taps of one kernel) get different hues
    palette = np.concatenate([tab20[0::2], tab20[1::2], plt.get_cmap("tab20b").colors,
                              plt.get_cmap("tab20c").colors])
    ids = np.asarray(ids)
    rgba = np.zeros(ids.shape + (4,))
    rgba[ids >= 0, :3] = palette[ids[ids >= 0] % len(palette)]
    rgba[ids >= 0, 3] = 1.0
    return rgba


def draw_network(ids, *, ax=None, neurons=None, group_size=None, color_by_weight=False,
                 highlight_inputs=None, input_labels=None, hidden_labels=None):
    """A two-layer network: input neurons on the left, hidden neurons on the right.

    Parameters
    ----------
    ids : ndarray of int, shape (n_hidden, n_in)
        Weight id of each connection, ``-1`` for none (see :func:`cnnlab.layer_wiring`);
        a fully connected layer is ``np.arange(n_hidden * n_in).reshape(n_hidden, n_in)``.
    ax : matplotlib Axes, optional
    neurons : iterable of int, optional
        Draw only these hidden neurons' connections (default: all).
    group_size : int, optional
        Outline groups of this many consecutive hidden neurons.
    color_by_weight : bool
        Colour each connection by its weight id, so shared weights share a colour;
        otherwise all connections are gray.
    highlight_inputs : iterable of int, optional
        Input neurons to fill in red; by default, when ``neurons`` is given, the inputs
        those neurons are connected to (the pixels they see).
    input_labels, hidden_labels : list of str, optional
        Text beside each neuron (default ``x0, x1, ...`` and ``h0, h1, ...``).

    Returns
    -------
    ax : matplotlib Axes
        Holds one ``LineCollection`` (a segment per drawn connection), two ``PathCollection``
        scatters (inputs, then hidden neurons) and one ``FancyBboxPatch`` per group.
    """
    if not isinstance(ids, np.ndarray) or ids.ndim != 2 or not np.issubdtype(ids.dtype, np.integer):
        raise TypeError("ids must be a 2-D integer ndarray (n_hidden, n_in), "
                        f"got {type(ids).__name__} {getattr(ids, 'shape', '')}")
    n_hidden, n_in = ids.shape
    ax = _axes(ax, (5, max(3.0, 0.32 * max(n_hidden, n_in))))
    height = max(n_hidden, n_in)
    y_in = (height - 1) / 2 + (n_in - 1) / 2 - np.arange(n_in)
    y_hid = (height - 1) / 2 + (n_hidden - 1) / 2 - np.arange(n_hidden)
    shown = np.arange(n_hidden) if neurons is None else np.array(
        [as_int(n, "neurons") for n in neurons], dtype=int)
    if shown.size and (shown.min() < 0 or shown.max() >= n_hidden):
        raise ValueError(f"neurons must lie in 0..{n_hidden - 1}, got {shown.tolist()}")
    hid, inp = np.nonzero(ids[shown] >= 0)
    hid = shown[hid]
    segments = np.stack([np.stack([np.zeros(hid.size), y_in[inp]], 1),
                         np.stack([np.ones(hid.size), y_hid[hid]], 1)], 1)
    if color_by_weight:
        colors = weight_colors(ids[hid, inp])
    else:
        colors = np.tile([0.35, 0.35, 0.35, 1.0], (hid.size, 1))
    crowded = hid.size > 60
    alpha = (0.8 if color_by_weight else 0.55) if crowded else 0.9
    ax.add_collection(LineCollection(segments, colors=colors, alpha=alpha,
                                     linewidths=0.7 if crowded else 1.4, zorder=1))
    if highlight_inputs is None:
        highlight_inputs = np.unique(inp) if neurons is not None else []
    lit = np.zeros(n_in, dtype=bool)
    lit[np.asarray(list(highlight_inputs), dtype=int)] = True
    ax.scatter(np.zeros(n_in), y_in, s=160, c=np.where(lit, HIGHLIGHT, "white"),
               edgecolors="black", zorder=2)
    ax.scatter(np.ones(n_hidden), y_hid, s=160, c="white", edgecolors="black", zorder=2)
    input_labels = input_labels or [f"x{k}" for k in range(n_in)]
    hidden_labels = hidden_labels or [f"h{k}" for k in range(n_hidden)]
    for k, label in enumerate(input_labels):
        ax.text(-0.07, y_in[k], label, ha="right", va="center", fontsize=8)
    for k, label in enumerate(hidden_labels):
        ax.text(1.07, y_hid[k], label, ha="left", va="center", fontsize=8)
    if group_size:
        g = as_int(group_size, "group_size", minimum=1)
        for start in range(0, n_hidden, g):
            top, bottom = y_hid[start], y_hid[min(start + g, n_hidden) - 1]
            ax.add_patch(FancyBboxPatch((0.955, bottom - 0.4), 0.09, top - bottom + 0.8,
                                        boxstyle="round,pad=0.02", fill=False,
                                        edgecolor="tab:blue", linewidth=1.5, zorder=3))
    ax.set_xlim(-0.35, 1.35)
    ax.set_ylim(-1, height)
    ax.axis("off")
    return ax

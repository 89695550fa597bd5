"""How near pixels relate (notebook 04): a photo zoomed in step by step, correlation against
distance, and the correlation of a pixel with each of its neighbours.

Pure drawings: each draws on the Axes it is given (a new pyplot figure when ``ax``/``axes`` is
``None``, see :mod:`cnnlab.draw`) and returns them. Every meaning has a cue besides colour:
text in the cells, outlines, line styles and markers.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import ConnectionPatch, Rectangle

from .._checks import as_int
from ._style import BLUE, FONT, GREEN, ORANGE, PURPLE, SMALL, VERMILLION, as_image, new_axes, new_axes_row

__all__ = ["draw_zoom", "draw_correlation_curves", "draw_offset_map"]

_CURVES = [(BLUE, "-", "o"), (ORANGE, "--", "s"), (GREEN, "-.", "^"), (VERMILLION, ":", "D"), (PURPLE, "-", "v")]


def _block(centre, size, shape):
    """``(top, left)`` of the ``size x size`` block with ``centre`` at index ``size // 2``."""
    r, c = centre
    top, left = r - size // 2, c - size // 2
    if top < 0 or left < 0 or top + size > shape[0] or left + size > shape[1]:
        raise ValueError(f"the {size}x{size} block around {centre} leaves the {shape[0]}x{shape[1]} image")
    return top, left


def draw_zoom(image, centre, *, sizes=(48, 7), marks=None, fmt="{:.2f}", axes=None):
    """A photo zoomed in twice around one pixel: every frame is exactly the next panel.

    Panel 1 is the whole image with a frame of ``sizes[0]`` pixels around ``centre``; panel 2
    is that block, with a frame of ``sizes[1]``; panel 3 is the small block as a grid of
    values, the centre pixel outlined. Lines join each frame to the panel it becomes.

    Parameters
    ----------
    image : ndarray, shape (H, W)
        Gray values in [0, 1].
    centre : (int, int)
        The pixel ``(row, col)``; it sits at index ``size // 2`` of each block.
    sizes : (int, int), optional
        Sides of the two blocks, the second smaller than the first.
    marks : dict of str -> (int, int), optional
        Pixels to point out on the whole image, each with a circle and its name.
    fmt : str, optional
        Format of the values in panel 3.
    axes : three Axes, optional

    Returns
    -------
    axes : (Axes, Axes, Axes)
    """
    from .images import draw_image

    image = as_image(image)
    big, small = (as_int(s, "sizes", minimum=1) for s in sizes)
    if small >= big:
        raise ValueError(f"sizes must shrink, got {big} then {small}")
    axes = new_axes_row(axes, (9.6, 4.3), 3, width_ratios=[1, 1, 1.45])
    top, left = _block(centre, big, image.shape)
    crop = image[top : top + big, left : left + big]
    inner_top, inner_left = _block((big // 2, big // 2), small, crop.shape)
    block = crop[inner_top : inner_top + small, inner_left : inner_left + small]
    H, W = image.shape
    axes[0].imshow(image, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    axes[0].set_title(f"the photo, {H}x{W}", fontsize=FONT)
    axes[1].imshow(crop, cmap="gray", vmin=0, vmax=1, interpolation="nearest",
                   extent=(-0.5, big - 0.5, big - 0.5, -0.5))
    axes[1].set_title(f"the {big}x{big} block", fontsize=FONT)
    draw_image(block, ax=axes[2], fmt=fmt, index=None, vmin=0, vmax=1, highlight=[(small // 2, small // 2)])
    axes[2].set_title(f"the {small}x{small} block: values", fontsize=FONT)
    # each frame's right corners (top, bottom) join the left corners of the panel it becomes;
    # panels 1 and 2 are images (y down), panel 3 a grid of cells (y up)
    joins = [(axes[0], left - 0.5, top - 0.5, big, axes[1], [(-0.5, -0.5), (-0.5, big - 0.5)]),
             (axes[1], inner_left - 0.5, inner_top - 0.5, small, axes[2], [(0, small), (0, 0)])]
    for ax, x0, y0, side, target, corners in joins:
        ax.add_patch(Rectangle((x0, y0), side, side, fill=False, edgecolor=VERMILLION, linewidth=2.5, zorder=3))
        for y, corner in zip((y0, y0 + side), corners):
            ax.add_artist(ConnectionPatch(xyA=(x0 + side, y), coordsA=ax.transData, xyB=corner,
                                          coordsB=target.transData, color=VERMILLION, linewidth=1.2,
                                          linestyle="--"))
    for name, (r, c) in (marks or {}).items():
        axes[0].plot(c, r, "o", markersize=10, markerfacecolor="none", markeredgecolor=ORANGE, markeredgewidth=2.5)
        axes[0].annotate(name, (c, r), xytext=(7, -7), textcoords="offset points", fontsize=FONT, va="top",
                         bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.85))
    for ax in axes[:2]:
        ax.set_xticks([])
        ax.set_yticks([])
    return axes


def draw_correlation_curves(distances, curves, *, ax=None, ylim=(0, 1)):
    """Correlation against distance: one line per curve, each with its own style and marker.

    Parameters
    ----------
    distances : ndarray, shape (n,)
    curves : dict of str -> ndarray, shape (n,)
        Label -> correlation at each distance.
    ax : matplotlib Axes, optional
    ylim : (float, float), optional

    Returns
    -------
    ax : matplotlib Axes
        One line per curve, told apart by colour, line style and marker, named in the legend.
    """
    distances = np.asarray(distances)
    ax = new_axes(ax, (8.0, 4.0))
    every = max(1, len(distances) // 10)
    for (label, values), (color, style, marker) in zip(curves.items(), _CURVES * len(curves)):
        values = np.asarray(values)
        if values.shape != distances.shape:
            raise ValueError(f"curve {label!r} has shape {values.shape}, distances {distances.shape}")
        ax.plot(distances, values, color=color, linestyle=style, marker=marker, markevery=every, linewidth=2,
                markersize=6, label=label)
    ax.set_xlabel("distance d between the two pixels (pixels)", fontsize=FONT)
    ax.set_ylabel("correlation", fontsize=FONT)
    ax.tick_params(labelsize=SMALL)
    ax.set_ylim(*ylim)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=SMALL)
    return ax


def draw_offset_map(corr_map, *, highlight=(), ax=None):
    """Correlation of a pixel with the pixel ``(dr, dc)`` away, as a grid of values.

    Parameters
    ----------
    corr_map : ndarray, shape (2m + 1, 2m + 1)
        Entry ``(m + dr, m + dc)`` for offsets ``dr, dc`` in ``-m..m``; the centre is the pixel
        itself.
    highlight : iterable of (int, int), optional
        Offsets ``(dr, dc)`` to outline.
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes
        The grid of :func:`cnnlab.draw_image`, with tick labels ``dr`` and ``dc``.
    """
    from .images import draw_image

    corr_map = as_image(corr_map)
    side = corr_map.shape[0]
    if corr_map.shape != (side, side) or side % 2 == 0:
        raise ValueError(f"corr_map must be square with an odd side, got shape {corr_map.shape}")
    m = side // 2
    ax = new_axes(ax, (5.0, 4.6))
    draw_image(corr_map, ax=ax, fmt="{:.3f}", index=None, vmin=float(corr_map.min()), vmax=1.0,
               highlight=[(m + dr, m + dc) for dr, dc in highlight])
    ax.axis("on")  # draw_image hides the axes: here the ticks name the offsets
    ax.spines[:].set_visible(False)
    offsets = [str(d) for d in range(-m, m + 1)]
    ax.set_xticks(np.arange(side) + 0.5, offsets, fontsize=FONT)  # column j is dc = j - m
    ax.set_yticks(np.arange(side) + 0.5, offsets[::-1], fontsize=FONT)  # row 0 (dr = -m) on top
    ax.tick_params(length=0)
    ax.set_xlabel("dc: columns to the right", fontsize=FONT)
    ax.set_ylabel("dr: rows down", fontsize=FONT)
    return ax

"""Pictures of arrays: feature maps side by side on one colour scale, matrices with their values.

Pure drawings: each draws on the Axes it is given (a new pyplot figure when ``ax``/``axes`` is
``None``, see :mod:`cnnlab.draw`) and returns them. Maps compared with each other share one
colour scale and one colourbar, so that an empty map looks empty and a strong one strong.
"""

from __future__ import annotations

import numpy as np

from ._style import FONT, SMALL, new_axes, text_color

__all__ = ["draw_maps", "draw_matrix", "draw_matrix_product"]

_SIGNED = ("RdBu_r", "RdBu", "coolwarm", "bwr", "seismic", "PuOr", "PiYG")


def _range(values, vmin, vmax, cmap):
    """One colour range for all ``values``: symmetric around 0 for a diverging colour map."""
    flat = np.concatenate([np.ravel(v) for v in values])
    if cmap in _SIGNED and vmin is None and vmax is None:
        limit = float(np.max(np.abs(flat))) or 1.0
        return -limit, limit
    lo = float(np.min(flat)) if vmin is None else vmin
    hi = float(np.max(flat)) if vmax is None else vmax
    return lo, (hi if hi > lo else lo + 1.0)


def draw_maps(maps, *, titles=None, columns=None, cmap="gray", vmin=None, vmax=None, colorbar=True,
              label=None, axes=None, panel=None):
    """Several 2-D maps side by side, on one colour scale with one colourbar.

    Parameters
    ----------
    maps : sequence of ndarray, each (h, w)
        The maps (for instance the channels of one layer's output).
    titles : sequence of str, optional
        One per map.
    columns : int, optional
        Maps per row (default: all in one row, at most 8).
    cmap, vmin, vmax
        The colours; the range defaults to all maps' min and max (symmetric around 0 for a
        diverging colour map such as ``"RdBu_r"``).
    colorbar : bool, optional
        One colourbar for all maps.
    label : str, optional
        The colourbar's label (what the colours mean, in words).
    axes : array of Axes, optional
        At least ``len(maps)`` Axes; extra ones are hidden.
    panel : float, optional
        Side of one map in inches, for a new figure (default: at most 1.8, and the figure at
        most 10 inches wide).

    Returns
    -------
    axes : ndarray of Axes
    """
    maps = [np.asarray(m) for m in maps]
    if not maps or any(m.ndim != 2 for m in maps):
        raise ValueError(f"maps must be a non-empty sequence of 2-D arrays, got shapes {[m.shape for m in maps]}")
    columns = min(len(maps), 8) if columns is None else columns
    rows = -(-len(maps) // columns)
    panel = min(1.8, 9.0 / columns) if panel is None else panel
    if axes is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(panel * columns + (1.0 if colorbar else 0.2), panel * rows + 0.5),
                         layout="constrained")
        axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False)).ravel()
    axes = np.atleast_1d(axes).ravel()
    lo, hi = _range(maps, vmin, vmax, cmap)
    image = None
    for k, ax in enumerate(axes):
        ax.set_xticks([])
        ax.set_yticks([])
        if k >= len(maps):
            ax.set_visible(False)
            continue
        image = ax.imshow(maps[k], cmap=cmap, vmin=lo, vmax=hi, interpolation="nearest")
        if titles is not None:
            ax.set_title(titles[k], fontsize=SMALL)
    if colorbar:
        bar = axes[0].figure.colorbar(image, ax=list(axes[: len(maps)]), shrink=0.9, pad=0.02)
        bar.ax.tick_params(labelsize=SMALL)
        if label:
            bar.set_label(label, fontsize=SMALL)
    return axes


def draw_matrix(values, *, ax=None, cmap="RdBu_r", vmin=None, vmax=None, fmt="{:.2f}", row_labels=None,
                col_labels=None, colorbar=False, label=None, outline_row=None):
    """A matrix as a grid of coloured cells with its values written in.

    Parameters
    ----------
    values : ndarray, shape (m, n)
    ax : matplotlib Axes, optional
    cmap, vmin, vmax
        The colours (symmetric around 0 for a diverging colour map, unless given).
    fmt : str or None, optional
        Format of the values written in the cells; ``None`` for no text.
    row_labels, col_labels : sequence of str, optional
    colorbar : bool, optional
    label : str, optional
        The colourbar's label.
    outline_row : int, optional
        A row to frame (e.g. the weights of one neuron).

    Returns
    -------
    ax : matplotlib Axes
    """
    values = np.atleast_2d(np.asarray(values, dtype=float))
    m, n = values.shape
    ax = new_axes(ax, (0.55 * n + 1.5, 0.4 * m + 1.0))
    lo, hi = _range([values], vmin, vmax, cmap)
    image = ax.imshow(values, cmap=cmap, vmin=lo, vmax=hi, aspect="auto", interpolation="nearest")
    if fmt is not None:
        for (r, c), v in np.ndenumerate(values):
            text = fmt.format(v)
            text = text[1:] if text.startswith("-") and float(text) == 0 else text  # no "-0.0"
            ax.text(c, r, text, ha="center", va="center", fontsize=SMALL, color=text_color(v, lo, hi, cmap))
    ax.set_xticks(range(n), col_labels if col_labels is not None else [""] * n, fontsize=SMALL)
    ax.set_yticks(range(m), row_labels if row_labels is not None else [""] * m, fontsize=SMALL)
    ax.tick_params(length=0)
    if outline_row is not None:
        ax.add_patch(_frame(-0.5, outline_row - 0.5, n, 1))
    if colorbar:
        bar = ax.figure.colorbar(image, ax=ax, shrink=0.8, pad=0.02)
        bar.ax.tick_params(labelsize=SMALL)
        if label:
            bar.set_label(label, fontsize=SMALL)
    return ax


def _frame(x, y, w, h):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, fill=False, edgecolor="black", linewidth=3, zorder=4)


def draw_matrix_product(weights, x, bias, out, *, row=0, axes=None):
    """``out = weights @ x + bias`` as four panels: w, x (as a column), b and the result.

    ``w``, ``b`` and ``out`` share one diverging colour scale (with a colourbar); ``x`` has its
    own gray scale. Row ``row`` of ``w``, its bias and its output are framed: the numbers that
    make ``out[row]``.

    Parameters
    ----------
    weights : ndarray, shape (m, n)
    x : ndarray, shape (n,)
    bias, out : ndarray, shape (m,)
    row : int, optional
    axes : four Axes, optional

    Returns
    -------
    axes : (Axes, Axes, Axes, Axes)
    """
    weights, x, bias, out = (np.asarray(a, dtype=float) for a in (weights, x, bias, out))
    m, n = weights.shape
    if x.shape != (n,) or bias.shape != (m,) or out.shape != (m,):
        raise ValueError(f"shapes do not fit W @ x + b: W {weights.shape}, x {x.shape}, b {bias.shape}, "
                         f"out {out.shape}")
    if axes is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(9.6, 5.4), layout="constrained")
        axes = fig.subplots(1, 4, width_ratios=[n, 1.6, 1.6, 1.6])
    lo, hi = _range([weights, bias, out], None, None, "RdBu_r")
    norm = dict(cmap="RdBu_r", vmin=lo, vmax=hi)
    rows = [f"h{i}" for i in range(m)]
    draw_matrix(weights, ax=axes[0], fmt="{:.1f}", row_labels=rows, col_labels=[f"x{j}" for j in range(n)],
                outline_row=row, **norm)
    axes[0].set_title(f"w ({m} x {n})", fontsize=FONT)
    draw_matrix(x[:, None], ax=axes[1], cmap="gray", vmin=0, vmax=max(1.0, float(x.max())), fmt="{:.2f}",
                row_labels=[f"x{j}" for j in range(n)])
    axes[1].set_title(f"x ({n})", fontsize=FONT)
    for ax, values, name in ((axes[2], bias, "b"), (axes[3], out, "h")):
        draw_matrix(values[:, None], ax=ax, fmt="{:.2f}", row_labels=rows, outline_row=row, **norm)
        ax.set_title(f"{name} ({m})", fontsize=FONT)
    bar = axes[0].figure.colorbar(axes[3].images[0], ax=list(axes), shrink=0.7, pad=0.02)
    bar.ax.tick_params(labelsize=SMALL)
    bar.set_label("value (w, b, h): blue < 0 < red", fontsize=SMALL)
    return axes

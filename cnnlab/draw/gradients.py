"""Pictures for backpropagation: small arrays of numbers on one colour scale, and loss curves.

Pure drawings: each draws on the Axes it is given (a new pyplot figure when ``axes``/``ax`` is
``None``, see :mod:`cnnlab.draw`) and returns them; no global state is changed.
"""

from __future__ import annotations

import numpy as np
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize

from ._style import BLUE, FONT, ORANGE, VERMILLION, new_axes, new_axes_row
from .arrays import _range
from .images import draw_image

__all__ = ["draw_value_maps", "draw_loss_curves"]

# one curve per entry: colour, line style and marker, so that no curve is told by colour alone
_GAP = 1.2  # cells of blank space beside each map
_CURVES = ((BLUE, "-", "o"), (VERMILLION, "--", "s"), (ORANGE, ":", "^"))


def draw_value_maps(maps, *, titles=None, highlights=None, cmap="gray", vmin=None, vmax=None, label=None,
                    fmt="{:g}", axes=None):
    """Small 2-D arrays side by side, each cell with its value, all on one colour scale.

    Parameters
    ----------
    maps : sequence of ndarray, each (h, w)
        The arrays, for instance an input, its gradient and the upstream gradient.
    titles : sequence of str, optional
        One per map.
    highlights : sequence of iterables of (int, int), optional
        One per map: the cells to outline (an empty list for none).
    cmap, vmin, vmax
        The colours; the range defaults to all maps' min and max (symmetric around 0 for a
        diverging colour map such as ``"RdBu_r"``), so the same value has the same colour in
        every panel.
    label : str, optional
        The colourbar's label.
    fmt : str, optional
        Format of the values written in the cells.
    axes : sequence of Axes, optional
        One per map; a new figure (at most 9.6 x 4.8 inches) if ``None``.

    Returns
    -------
    axes : ndarray of Axes
        One per map; the figure also holds one colourbar for all of them.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> axes = draw_value_maps([np.eye(2), 2 * np.eye(3)], titles=["I", "2 I"])
    >>> len(axes), len(axes[0].figure.axes)  # two maps and their colourbar
    (2, 3)
    """
    maps = [np.asarray(m, dtype=float) for m in maps]
    if not maps or any(m.ndim != 2 for m in maps):
        raise ValueError(f"maps must be a non-empty sequence of 2-D arrays, got shapes {[m.shape for m in maps]}")
    for name, extra in (("titles", titles), ("highlights", highlights)):
        if extra is not None and len(extra) != len(maps):
            raise ValueError(f"{name} must hold one entry per map: {len(maps)} maps, got {len(extra)} {name}")
    widths = [m.shape[1] + _GAP for m in maps]  # each panel a little wider than its map: room for titles
    height = max(m.shape[0] for m in maps)
    units = sum(widths) + 1.5  # + the colourbar
    cell = min(0.62, 8.8 / units, 3.9 / height)
    axes = np.atleast_1d(new_axes_row(axes, (cell * units, cell * height + 0.9), len(maps), width_ratios=widths))
    lo, hi = _range(maps, vmin, vmax, cmap)
    for k, (ax, values) in enumerate(zip(axes, maps)):
        draw_image(values, ax=ax, index=None, fmt=fmt, cmap=cmap, vmin=lo, vmax=hi,
                   highlight=() if highlights is None else highlights[k])
        if titles is not None:
            ax.set_title(titles[k], fontsize=FONT)
    bar = axes[0].figure.colorbar(ScalarMappable(Normalize(lo, hi), cmap=cmap), ax=list(axes), shrink=0.85, pad=0.03)
    bar.ax.tick_params(labelsize=FONT)
    if label:
        bar.set_label(label, fontsize=FONT)
    return axes


def draw_loss_curves(curves, *, ax=None, xlabel="step", ylabel="loss", title=None):
    """Loss against step on a logarithmic axis, one line per run.

    Parameters
    ----------
    curves : dict of str -> sequence of float
        Label -> the loss at each step (all > 0); at most 3 runs.
    ax : matplotlib Axes, optional
        A new 8 x 4.2 inch figure if ``None``.
    xlabel, ylabel, title : str, optional

    Returns
    -------
    ax : matplotlib Axes
        Each run is one line, told apart by colour, line style and marker (about 12 markers
        per line), and named in the legend.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = draw_loss_curves({"slow": [1.0, 0.5, 0.25], "fast": [1.0, 0.1, 0.01]})
    >>> [line.get_label() for line in ax.get_lines()]
    ['slow', 'fast']
    """
    if not curves or len(curves) > len(_CURVES):
        raise ValueError(f"curves must hold 1 to {len(_CURVES)} runs, got {len(curves)}")
    for name, losses in curves.items():
        losses = np.asarray(losses, dtype=float)
        if losses.ndim != 1 or losses.size == 0 or np.any(losses <= 0):
            raise ValueError(f"the losses of {name!r} must be a non-empty 1-D sequence of positive numbers "
                             f"(a logarithmic axis), got shape {losses.shape}, minimum {losses.min(initial=np.inf)}")
    ax = new_axes(ax, (8.0, 4.2))
    for (name, losses), (color, style, marker) in zip(curves.items(), _CURVES):
        ax.semilogy(np.arange(len(losses)), losses, color=color, linestyle=style, linewidth=2.2, marker=marker,
                    markevery=max(1, len(losses) // 12), markersize=6, label=name)
    ax.set_xlabel(xlabel, fontsize=FONT)
    ax.set_ylabel(ylabel, fontsize=FONT)
    ax.tick_params(labelsize=FONT)
    if title:
        ax.set_title(title, fontsize=FONT)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=FONT)
    return ax

"""Pictures of small networks: neurons, their connections, and the weights they share.

Pure drawings: each draws on ``ax`` (a new pyplot figure when ``ax is None``, see
:mod:`cnnlab.draw`), returns that Axes and changes no global state.
"""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import FancyBboxPatch

from .._checks import as_int
from ._style import HIGHLIGHT, SMALL, new_axes

__all__ = ["weight_colors", "draw_network", "draw_sharing_locality_state"]


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
    tab20 = np.asarray(matplotlib.colormaps["tab20"].colors)
    # tab20 pairs a dark and a light shade of each hue: take the dark ones first, so that
    # consecutive ids (the taps of one kernel) get different hues
    palette = np.concatenate([tab20[0::2], tab20[1::2], matplotlib.colormaps["tab20b"].colors,
                              matplotlib.colormaps["tab20c"].colors])
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
    ax = new_axes(ax, (5, max(3.0, 0.32 * max(n_hidden, n_in))))
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
    for k in highlight_inputs:
        k = as_int(k, "highlight_inputs")
        if not 0 <= k < n_in:
            raise ValueError(f"highlight_inputs must lie in 0..{n_in - 1}, got {k}")
        lit[k] = True
    ax.scatter(np.zeros(n_in), y_in, s=160, c=np.where(lit, HIGHLIGHT, "white"),
               edgecolors="black", zorder=2)
    ax.scatter(np.ones(n_hidden), y_hid, s=160, c="white", edgecolors="black", zorder=2)
    input_labels = input_labels or [f"x{k}" for k in range(n_in)]
    hidden_labels = hidden_labels or [f"h{k}" for k in range(n_hidden)]
    for k, label in enumerate(input_labels):
        ax.text(-0.07, y_in[k], label, ha="right", va="center", fontsize=SMALL)
    for k, label in enumerate(hidden_labels):
        ax.text(1.07, y_hid[k], label, ha="left", va="center", fontsize=SMALL)
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


def draw_sharing_locality_state(state, *, ax=None):
    """The article's 9 -> 16 layer with the steps of ``state``: groups outlined, shared weights coloured.

    Parameters
    ----------
    state : dict
        From :func:`cnnlab.sharing_locality_state`.
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    return draw_network(state["ids"], ax=ax, group_size=4 if state["sharing"] else None,
                        color_by_weight=state["sharing"])

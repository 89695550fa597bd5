"""Pictures of small networks: neurons, their connections, and the weights they share.

Pure drawings: each draws on ``ax`` (a new pyplot figure when ``ax is None``, see
:mod:`cnnlab.draw`), returns that Axes and changes no global state. Which connections share a
weight is told by text and line style (``mark_weights``, ``label_weights``), never by colour
alone.
"""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib import transforms
from matplotlib.collections import LineCollection
from matplotlib.patches import FancyBboxPatch

from .._checks import as_int
from ._style import BLUE, FONT, GREEN, HIGHLIGHT, PURPLE, SMALL, VERMILLION, new_axes

__all__ = ["weight_colors", "draw_network", "draw_sharing_locality_state"]

# the weights a drawing follows: a colour *and* a line style each
MARK_STYLES = [(BLUE, "-"), (VERMILLION, "--"), (GREEN, ":"), (PURPLE, "-.")]
# room beside the two columns of neurons, in inches: circle, gap, label (and the group's name)
_LEFT_IN, _RIGHT_IN, _GROUP_IN = 0.5, 0.5, 0.3


def weight_colors(ids):
    """One colour per weight id (``-1``, no connection, gets transparent black).

    Ids are mapped onto a 60-colour qualitative palette (tab20's ten dark hues, its ten light
    ones, then tab20b and tab20c), cycling if there are more weights; equal ids always get
    equal colours, consecutive ids different hues. Beyond a handful of ids the hues cannot be
    told apart: use them beside a cue that does not need colour (see :func:`draw_network`).

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
                 highlight_inputs=None, input_labels=None, hidden_labels=None,
                 mark_weights=None, label_weights=False, faint_rest=False):
    """A two-layer network: input neurons on the left, hidden neurons on the right.

    Which connections share a weight is never told by colour alone: follow a few weights
    with ``mark_weights`` (each in a colour *and* a line style of its own, named in a legend
    or on its lines), or write the weight ids on the lines with ``label_weights``.

    Parameters
    ----------
    ids : ndarray of int, shape (n_hidden, n_in)
        Weight id of each connection, ``-1`` for none (see :func:`cnnlab.layer_wiring`);
        a fully connected layer is ``np.arange(n_hidden * n_in).reshape(n_hidden, n_in)``.
    ax : matplotlib Axes, optional
    neurons : iterable of int, optional
        Draw only these hidden neurons' connections (default: all).
    group_size : int, optional
        Frame groups of this many consecutive hidden neurons, each named ``group g`` beside
        its frame.
    color_by_weight : bool
        Colour each connection by its weight id (:func:`weight_colors`), so shared weights
        share a colour; otherwise all connections are gray. A second cue only: with many
        weights the hues repeat and cannot be told apart.
    highlight_inputs : iterable of int, optional
        Input neurons to fill in vermillion; by default, when ``neurons`` is given, the inputs
        those neurons are connected to (the pixels they see).
    input_labels, hidden_labels : list of str, optional
        Text beside each neuron (default ``x0, x1, ...`` and ``h0, h1, ...``).
    mark_weights : iterable of int, optional
        Weight ids to follow: every drawn connection that carries one of them is drawn thick,
        over the others (which turn light gray), in one of four colour and line-style pairs
        (solid, dashed, dotted, dash-dot; cycling after four ids). A legend under the network
        names them (``w7`` is the weight with id 7), unless ``label_weights``.
    label_weights : bool
        Write ``w<id>`` on each marked connection (on every drawn connection when nothing is
        marked), near the end of the line where the labelled lines crowd less. Meant for up
        to a few dozen connections.
    faint_rest : bool
        With ``neurons``, draw the other neurons' connections too, thin and light: the whole
        network stays in view, the chosen neurons in focus.

    Returns
    -------
    ax : matplotlib Axes
        Holds a ``LineCollection`` with gid ``"connections"`` (a segment per drawn, unmarked
        connection), one per marked weight (gid ``"weight <id>"``) and, with ``faint_rest``,
        one with gid ``"rest"``; two ``PathCollection`` scatters (inputs, then hidden
        neurons); per group a ``FancyBboxPatch`` and its name; with ``label_weights`` one
        text per labelled connection, with gid ``"label <hidden> <input>"``.
    """
    if not isinstance(ids, np.ndarray) or ids.ndim != 2 or not np.issubdtype(ids.dtype, np.integer):
        raise TypeError("ids must be a 2-D integer ndarray (n_hidden, n_in), "
                        f"got {type(ids).__name__} {getattr(ids, 'shape', '')}")
    n_hidden, n_in = ids.shape
    height = max(n_hidden, n_in)
    ax = new_axes(ax, (5, min(5.4, max(3.0, 0.32 * height))))
    y_in = (height - 1) / 2 + (n_in - 1) / 2 - np.arange(n_in)
    y_hid = (height - 1) / 2 + (n_hidden - 1) / 2 - np.arange(n_hidden)
    shown = np.arange(n_hidden) if neurons is None else np.array(
        [as_int(n, "neurons") for n in neurons], dtype=int)
    if shown.size and (shown.min() < 0 or shown.max() >= n_hidden):
        raise ValueError(f"neurons must lie in 0..{n_hidden - 1}, got {shown.tolist()}")
    marks = [] if mark_weights is None else [as_int(m, "mark_weights") for m in mark_weights]
    fig = ax.get_figure()
    ax.axis("off")
    if fig.get_layout_engine() is not None:  # place the Axes now, to measure them
        fig.get_layout_engine().execute(fig)
    width_in, height_in = fig.get_size_inches() * ax.get_position().size
    right_in = _RIGHT_IN + (_GROUP_IN if group_size else 0)
    per_x = 1 / max(width_in - _LEFT_IN - right_in, 0.5)  # data units per inch, about
    radius_in = min(0.085, 0.36 * max(height_in, 0.5) / (height + 1))  # circles stay apart
    frame_in = radius_in + 0.04  # half the width of a group frame
    # circles, frames and labels are placed in inches from the two columns of neurons, so
    # they fit a narrow panel as well as a wide one
    at_hidden = transforms.blended_transform_factory(
        fig.dpi_scale_trans + transforms.ScaledTranslation(1, 0, ax.transData), ax.transData)

    def segments(hid, inp):
        return np.stack([np.stack([np.zeros(hid.size), y_in[inp]], 1),
                         np.stack([np.ones(hid.size), y_hid[hid]], 1)], 1)

    if faint_rest and neurons is not None:
        rest = np.setdiff1d(np.arange(n_hidden), shown)
        rest_hid, rest_inp = np.nonzero(ids[rest] >= 0)
        ax.add_collection(LineCollection(segments(rest[rest_hid], rest_inp), colors="0.82", linewidths=0.6,
                                         zorder=0, gid="rest"))
    hid, inp = np.nonzero(ids[shown] >= 0)
    hid = shown[hid]
    marked = np.isin(ids[hid, inp], marks)
    crowded = hid.size > 60
    if marks:  # what is not followed steps back
        colors, alpha = np.tile([0.6, 0.6, 0.6, 1.0], ((~marked).sum(), 1)), 0.6
    elif color_by_weight:
        colors, alpha = weight_colors(ids[hid, inp]), 0.8 if crowded else 0.9
    else:
        colors, alpha = np.tile([0.35, 0.35, 0.35, 1.0], (hid.size, 1)), 0.55 if crowded else 0.9
    ax.add_collection(LineCollection(segments(hid[~marked], inp[~marked]), colors=colors, alpha=alpha,
                                     linewidths=0.7 if crowded else 1.4, zorder=1, gid="connections"))
    for k, weight in enumerate(marks):
        color, style = MARK_STYLES[k % len(MARK_STYLES)]
        on = ids[hid, inp] == weight
        ax.add_collection(LineCollection(segments(hid[on], inp[on]), colors=color, linestyles=style,
                                         linewidths=2.6, zorder=2, gid=f"weight {weight}", label=f"w{weight}"))
    if label_weights:
        labelled = marked if marks else np.ones(hid.size, dtype=bool)
        # a label is about 0.35 in wide: keep it off the circles and the frames
        ends = (min(0.35, (radius_in + 0.25) * per_x), max(0.6, 1 - (frame_in + 0.27) * per_x))
        # neighbouring labels are a fraction of a neuron's spacing apart: smaller text if tight
        spacing_pt = min(ends[1], 1 - ends[0]) * 72 * height_in / (height + 1)
        size = FONT if spacing_pt >= 1.4 * FONT else SMALL
        _label_connections(ax, ids, hid[labelled], inp[labelled], y_in, y_hid, ends, size)
    elif marks:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=min(4, len(marks)), fontsize=SMALL,
                  frameon=False, handlelength=3.2, borderaxespad=0.1, columnspacing=1.5)
    if highlight_inputs is None:
        highlight_inputs = np.unique(inp) if neurons is not None else []
    lit = np.zeros(n_in, dtype=bool)
    for k in highlight_inputs:
        k = as_int(k, "highlight_inputs")
        if not 0 <= k < n_in:
            raise ValueError(f"highlight_inputs must lie in 0..{n_in - 1}, got {k}")
        lit[k] = True
    area = (2 * radius_in * 72) ** 2  # scatter sizes are areas in points squared
    ax.scatter(np.zeros(n_in), y_in, s=area, c=np.where(lit, HIGHLIGHT, "white"), edgecolors="black", zorder=4)
    ax.scatter(np.ones(n_hidden), y_hid, s=area, c="white", edgecolors="black", zorder=4)
    gap_in = frame_in + 0.05  # labels clear of the circles and of the group frames
    left = transforms.offset_copy(ax.transData, fig, x=-gap_in, units="inches")
    for k, label in enumerate(input_labels or [f"x{k}" for k in range(n_in)]):
        ax.text(0, y_in[k], label, ha="right", va="center", fontsize=SMALL, transform=left)
    right = transforms.offset_copy(ax.transData, fig, x=gap_in, units="inches")
    for k, label in enumerate(hidden_labels or [f"h{k}" for k in range(n_hidden)]):
        ax.text(1, y_hid[k], label, ha="left", va="center", fontsize=SMALL, transform=right)
    if group_size:
        g = as_int(group_size, "group_size", minimum=1)
        for start in range(0, n_hidden, g):
            top, bottom = y_hid[start], y_hid[min(start + g, n_hidden) - 1]
            ax.add_patch(FancyBboxPatch((-frame_in, bottom - 0.42), 2 * frame_in, top - bottom + 0.84,
                                        boxstyle="square,pad=0", fill=False, edgecolor=BLUE, linewidth=1.5,
                                        zorder=3, transform=at_hidden))
            ax.text(gap_in + _RIGHT_IN, (top + bottom) / 2, f"group {start // g}", rotation=90,
                    ha="center", va="center", fontsize=SMALL, transform=at_hidden)
    ax.set_xlim(-_LEFT_IN * per_x, 1 + right_in * per_x)
    ax.set_ylim(-1, height)
    return ax


def _label_connections(ax, ids, hid, inp, y_in, y_hid, ends, size):
    """``w<id>`` on each connection: near its input (at x = ``ends[0]``) where the labelled
    lines converge on a hidden neuron, near its hidden neuron (``ends[1]``) where they fan out
    of an input; ``size`` in points."""
    per_hidden = np.bincount(hid, minlength=len(y_hid))
    per_input = np.bincount(inp, minlength=len(y_in))
    for k, p in zip(hid, inp):
        t = ends[0] if per_hidden[k] > per_input[p] else ends[1]
        ax.text(t, y_in[p] + t * (y_hid[k] - y_in[p]), f"w{ids[k, p]}", ha="center", va="center",
                fontsize=size, zorder=5, gid=f"label {k} {p}",
                bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none", alpha=0.9))


def draw_sharing_locality_state(state, *, ax=None):
    """The article's 9 -> 16 layer with the steps of ``state``: groups framed, weight ``w0`` followed.

    Every connection is drawn in gray; those that carry the weight with id 0 are drawn thick
    and labelled ``w0``: one connection without sharing, four with it (the four neurons of
    group 0), on pixel 0 alone without locality, on four different pixels with it.

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
                        mark_weights=[0], label_weights=True)

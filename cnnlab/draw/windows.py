"""Pictures of a window sliding over an input: convolution, pooling, and one cell's influence.

Each function draws exactly the state it is given (from :mod:`cnnlab.sliding`) on a pair of
Axes, input and output, and returns them; ``axes=None`` makes a new pyplot figure (see
:mod:`cnnlab.draw`). A state with ``valid=False`` is drawn with its message in place of the
output. Every meaning has a second cue besides colour: hatching, outlines or text.

Drawn again on the same Axes (as the explorers do on every move), a picture keeps the artists
that the new state does not change (the grid, the values in the cells, the hatching) and only
recolours the cells and moves the frames: the result is the picture a fresh drawing of the new
state gives (tested), at a fraction of the cost.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.colors import to_rgb
from matplotlib.patches import Patch, Rectangle
from matplotlib.path import Path
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

from ._style import BLUE, CELL, FONT, SMALL, VERMILLION, clear, new_axes_row, say_no_output

__all__ = ["draw_window_state", "draw_pooling_state", "draw_influence_state"]


# ----------------------------------------------------------------------------- a grid of cells
_GLYPHS = {}  # (text, size) -> its outline, centred on (0, 0), in points: built once, reused


def _glyph(text, size=FONT):
    if not text:
        return Path(np.zeros((1, 2)), [Path.MOVETO])  # nothing to draw
    if (text, size) not in _GLYPHS:
        path = TextPath((0, 0), text, size=size)
        box = path.get_extents()
        _GLYPHS[text, size] = Path(path.vertices - [(box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2], path.codes)
    return _GLYPHS[text, size]


class CellTexts(PathCollection):
    """The text of many cells as one collection of outlines: drawn in one pass, ~20x faster than
    one ``Text`` per cell. ``texts`` holds the strings, in the order of ``cells``."""

    def __init__(self, ax, cells, texts, size=FONT):
        self.cells, self.texts, self.size = list(cells), list(texts), size
        super().__init__([_glyph(t, size) for t in self.texts], offsets=[(c, r) for r, c in self.cells],
                         offset_transform=ax.transData, transform=Affine2D().scale(1 / 72) + ax.figure.dpi_scale_trans,
                         facecolors="black", edgecolors="none", zorder=5)

    def set_texts(self, texts):
        self.texts = list(texts)
        self.set_paths([_glyph(t, self.size) for t in self.texts])


def _grid(ax, key, kinds):
    """The grid artists of ``ax`` for ``key``, rebuilt when the key changed; recoloured by ``kinds``.

    ``kinds`` is an ``(h, w)`` array of ``CELL`` names. Returns the panel's store: a dict of its
    artists, where the caller keeps whatever else it made for this key.
    """
    h, w = kinds.shape
    store = getattr(ax, "_cnnlab_grid", None)
    if store is None or store["key"] != key:
        clear(ax)
        ax.set_xlim(-0.5, w - 0.5)
        ax.set_ylim(h - 0.5, -0.5)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        squares = [[(c - 0.5, r - 0.5), (c + 0.5, r - 0.5), (c + 0.5, r + 0.5), (c - 0.5, r + 0.5)]
                   for r in range(h) for c in range(w)]
        cells = ax.add_collection(PolyCollection(squares, edgecolors="0.45", linewidths=0.6, zorder=1))
        store = {"key": key, "cells": cells, "outlines": []}
        ax._cnnlab_grid = store
    colours = {kind: to_rgb(CELL[kind][0]) for kind in CELL}
    store["cells"].set_facecolor([colours[k] for k in kinds.ravel()])
    return store


def _hatch(ax, cells, kind):
    """The hatching of ``kind`` (thin diagonal lines over the cell's colour) on ``cells``."""
    segments = []
    for r, c in cells:
        x, y = c - 0.5, r + 0.5  # the cell's lower-left corner (rows grow downwards on screen)
        if "/" in CELL[kind][1]:  # three lines from lower left to upper right
            segments += [[(x, y - t), (x + 1 - t, y - 1)] for t in (0, 1 / 3, 2 / 3)]
            segments += [[(x + t, y), (x + 1, y - 1 + t)] for t in (1 / 3, 2 / 3)]
        if "x" in CELL[kind][1]:
            segments += [[(x, y), (x + 1, y - 1)], [(x, y - 1), (x + 1, y)]]
    if segments:
        ax.add_collection(LineCollection(segments, colors="0.55", linewidths=0.7, zorder=3, gid=f"hatch {kind}"))


def _frames(ax, store, boxes, *, color=BLUE, width=3.0):
    """One frame per box ``(rows, cols)`` of cells, reusing the frames of the previous drawing."""
    frames = store["outlines"]
    while len(frames) < len(boxes):
        frames.append(ax.add_patch(Rectangle((0, 0), 1, 1, fill=False, linewidth=width, zorder=4)))
    for frame, cells in zip(frames, boxes):
        rows, cols = [r for r, _ in cells], [c for _, c in cells]
        frame.set_bounds(min(cols) - 0.5, min(rows) - 0.5, max(cols) - min(cols) + 1, max(rows) - min(rows) + 1)
        frame.set_edgecolor(color)
        frame.set_visible(True)
    for frame in frames[len(boxes):]:
        frame.set_visible(False)


def _values(ax, values, fmt, *, short=None):
    """The value of every cell written in it (cells holding ``None`` stay empty): a ``CellTexts``.

    The text is 12 pt if the longest value fits its cell, else 10 pt; if even that does not fit,
    the values are written with ``short`` (fewer digits), when given.
    """
    cells = [rc for rc, _ in np.ndenumerate(values)]
    texts = ["" if values[rc] is None else fmt(values[rc]) for rc in cells]
    fig = ax.figure
    cell = ax.get_position().width * fig.get_figwidth() * 72 / max(values.shape[1], 1)  # points
    fits = lambda size, strings: 0.62 * size * max(map(len, strings), default=0) <= 0.9 * cell  # noqa: E731
    size = FONT if fits(FONT, texts) else SMALL
    if short is not None and not fits(SMALL, texts):
        texts = ["" if values[rc] is None else short(values[rc]) for rc in cells]
    return ax.add_collection(CellTexts(ax, cells, texts, size))


def _legend(ax, kinds):
    handles = [Patch(facecolor=CELL[kind][0], hatch=CELL[kind][1] or None, edgecolor="0.45", label=label)
               for kind, label in kinds]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=3, fontsize=SMALL,
              frameon=False, handlelength=1.4, columnspacing=1.0, handletextpad=0.5)


def _no_output(ax, message):
    say_no_output(ax, message)
    ax._cnnlab_grid = None  # its artists are gone: the next drawing rebuilds them
    ax.set_title("output", fontsize=FONT)


# ----------------------------------------------------------------------------- convolution
def draw_window_state(state, *, axes=None):
    """The padded input with the kernel's window, and the output map filling in.

    Padding is gray and hatched all the time (a padding cell that a window has read stays
    gray, so the ring looks the same on every side); the window is orange (its taps) with a
    blue frame, the pixels read so far light blue, pixels that no window ever reads crossed;
    a legend names each.

    Parameters
    ----------
    state : dict
        From :func:`cnnlab.window_state`.
    axes : pair of matplotlib Axes, optional
        Where to draw (input, output).

    Returns
    -------
    axes : (Axes, Axes)
    """
    axes = new_axes_row(axes, (8.6, 4.4), 2, width_ratios=[3, 2])
    padded, (ph, pw), never = state["padded"], state["padding"], state["never"]
    Hp, Wp = padded.shape
    kinds = np.where(padded == 1, "pixel", "padding").astype(object)
    kinds[state["visited"] & (padded == 1)] = "visited"  # padding stays gray and hatched, read or not
    kinds[never] = "never"
    for rc in state["window"]:
        kinds[rc] = "window"
    legend = [("pixel", "pixel")] + [("padding", "padding (0)")] * bool(ph or pw)
    legend += [("visited", "read so far")] * state["valid"] + [("never", "never read")] * bool(never.any())
    legend += [("window", "the window's taps")] * bool(state["window"])
    key = (padded.tobytes(), padded.shape, never.tobytes(), tuple(legend))
    store = _grid(axes[0], key, kinds)
    if "legend" not in store:
        _hatch(axes[0], [tuple(rc) for rc in np.argwhere(padded == 0)], "padding")
        _hatch(axes[0], [tuple(rc) for rc in np.argwhere(never)], "never")
        _legend(axes[0], legend)
        store["legend"] = True
    _frames(axes[0], store, [state["window"]] if state["window"] else [])
    H, W = Hp - 2 * ph, Wp - 2 * pw
    pad_text = f" + padding {ph}" if ph == pw else f" + padding ({ph}, {pw})"
    axes[0].set_title(f"input {H}x{W}" + (pad_text if (ph, pw) != (0, 0) else ""), fontsize=FONT)
    if not state["valid"]:
        _no_output(axes[1], "no output:\nthe kernel does not fit")
        return axes
    Ho, Wo = state["output"]
    out = np.full((Ho, Wo), "pixel", dtype=object)
    out.ravel()[: state["position"]] = "visited"
    out[state["cell"]] = "window"
    store = _grid(axes[1], (Ho, Wo), out)
    _frames(axes[1], store, [[state["cell"]]])
    i, j = state["cell"]
    axes[1].set_title(f"output {Ho}x{Wo}, cell ({i}, {j})", fontsize=FONT)
    return axes


# ----------------------------------------------------------------------------- pooling
def draw_pooling_state(state, *, axes=None):
    """The image with its padding ring, the current window (blue frame) and the cell it took.

    For max pooling the cell the maximum came from is orange (and the only one that will get
    the gradient); for average pooling all cells of the window are light blue. Padding is
    hatched and shows what it holds (``−∞`` for max, ``0`` for average). On the right, the
    pooled map with the current output framed.

    Parameters
    ----------
    state : dict
        From :func:`cnnlab.pooling_state`; it carries its image.
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    axes : (Axes, Axes)
    """
    image, (ph, pw) = state["image"], state["padding"]
    H, W = image.shape
    out = state["output"]
    axes = new_axes_row(axes, (8.6, 4.4), 2, width_ratios=[W + 2 * ph, max(out.shape[1], 3) + 1])
    values = np.full((H + 2 * ph, W + 2 * pw), "−∞" if state["mode"] == "max" else "0", dtype=object)
    values[ph : ph + H, pw : pw + W] = image
    kinds = np.full(values.shape, "padding", dtype=object)
    kinds[ph : ph + H, pw : pw + W] = "pixel"
    padding = [tuple(rc) for rc in np.argwhere(kinds == "padding")]
    if state["valid"]:
        if state["chosen"] is not None:
            kinds[state["chosen"][0] + ph, state["chosen"][1] + pw] = "window"
        else:
            for r, c in state["window"]:
                kinds[r + ph, c + pw] = "visited"
    store = _grid(axes[0], (image.tobytes(), image.shape, (ph, pw), state["mode"]), kinds)
    if "values" not in store:
        _hatch(axes[0], padding, "padding")
        store["values"] = _values(axes[0], values, lambda v: v if isinstance(v, str) else f"{v:g}")
    if state["valid"]:
        top, left = state["cell"][0] * state["stride"][0], state["cell"][1] * state["stride"][1]
        k = state["kernel_size"]
        _frames(axes[0], store, [[(top, left), (top + k[0] - 1, left + k[1] - 1)]])
    else:
        _frames(axes[0], store, [])
    what = "its max (orange)" if state["mode"] == "max" else "the cells it averages (blue)"
    pad_text = f", padding {ph} (hatched)" if (ph, pw) != (0, 0) else ""
    window_text = f"window (blue frame), {what}" if state["valid"] else "not a valid setting"
    axes[0].set_title(f"input {H}x{W}{pad_text}:\n{window_text}", fontsize=FONT)
    if not state["valid"]:
        _no_output(axes[1], "no output:\n" + state["message"].split(": ", 1)[1].split(", so")[0])
        return axes
    store = _grid(axes[1], (out.tobytes(), out.shape), np.full(out.shape, "pixel", dtype=object))
    if "values" not in store:
        store["values"] = _values(axes[1], out.astype(object), lambda v: f"{v:.3g}", short=lambda v: f"{v:.2g}")
    _frames(axes[1], store, [[state["cell"]]])
    k = state["kernel_size"]
    axes[1].set_title(f"{state['mode']} pooling, {k[0]}x{k[1]} window:\noutput {out.shape[0]}x{out.shape[1]}",
                      fontsize=FONT)
    return axes


# ----------------------------------------------------------------------------- influence
def draw_influence_state(state, *, axes=None):
    """The chosen input cell and the outputs it feeds, each labelled with the kernel entry.

    Parameters
    ----------
    state : dict
        From :func:`cnnlab.influence_state`.
    axes : pair of matplotlib Axes, optional

    Returns
    -------
    axes : (Axes, Axes)
    """
    (H, W), (Ho, Wo) = state["input"], state["output"]
    axes = new_axes_row(axes, (8.6, 4.4), 2, width_ratios=[W, max(Wo, 2) + 1])
    r, c = state["cell"]
    kinds = np.full((H, W), "pixel", dtype=object)
    kinds[r, c] = "window"
    store = _grid(axes[0], (H, W), kinds)
    if "values" not in store:
        store["values"] = _values(axes[0], np.full((H, W), None, dtype=object), str)
    values = store["values"]
    values.set_texts([state["label"] if rc == (r, c) else "" for rc in values.cells])
    _frames(axes[0], store, [[(r, c)]], color=VERMILLION)
    axes[0].set_title(f"input {H}x{W}: cell ({r}, {c})", fontsize=FONT)
    if not state["valid"]:
        _no_output(axes[1], "no output:\nthe kernel does not fit")
        return axes
    kinds = np.full((Ho, Wo), "pixel", dtype=object)
    labels = {}
    for (i, j), (u, v) in state["pairs"]:
        kinds[i, j] = "visited"
        labels[i, j] = f"w[{u},{v}]"
    store = _grid(axes[1], (Ho, Wo), kinds)
    if "values" not in store:
        store["values"] = _values(axes[1], np.full((Ho, Wo), None, dtype=object), str)
    store["values"].set_texts([labels.get(ij, "") for ij in store["values"].cells])
    _frames(axes[1], store, [[ij] for ij, _ in state["pairs"]], width=2.0)
    axes[1].set_title(f"output {Ho}x{Wo}: {len(state['pairs'])} read it\n(through the kernel entry shown)",
                      fontsize=FONT)
    return axes

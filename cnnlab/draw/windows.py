"""Pictures of a window sliding over an input: convolution, pooling, and one cell's influence.

Each function draws exactly the state it is given (from :mod:`cnnlab.sliding`) on a pair of
Axes, input and output, and returns them; ``axes=None`` makes a new pyplot figure (see
:mod:`cnnlab.draw`). A state with ``valid=False`` is drawn with its message in place of the
output. Every meaning has a second cue besides colour: hatching, outlines or text.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.patches import Patch, Rectangle

from ._style import BLUE, CELL, FONT, SMALL, VERMILLION, clear, new_axes_row, say_no_output

__all__ = ["draw_window_state", "draw_pooling_state", "draw_influence_state"]


def _grid_axes(ax, h, w):
    """A clean Axes showing an ``h x w`` grid of unit cells, row 0 at the top."""
    clear(ax)
    ax.set_xlim(-0.5, w - 0.5)
    ax.set_ylim(h - 0.5, -0.5)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


def _cells(ax, cells, kind, **kwargs):
    """One collection of unit squares of ``kind`` (a key of ``CELL``) at ``(row, col)`` cells."""
    if not cells:
        return
    color, hatch = CELL[kind]
    squares = [Rectangle((c - 0.5, r - 0.5), 1, 1) for r, c in cells]
    ax.add_collection(PatchCollection(squares, facecolor=color, hatch=hatch or None,
                                      edgecolor="0.45", linewidth=0.6, **kwargs))


def _outline(ax, cells, *, color=BLUE, width=3.0, style="-"):
    """One rectangle around the bounding box of ``cells``."""
    rows, cols = [r for r, _ in cells], [c for _, c in cells]
    ax.add_patch(Rectangle((min(cols) - 0.5, min(rows) - 0.5), max(cols) - min(cols) + 1,
                           max(rows) - min(rows) + 1, fill=False, edgecolor=color, linewidth=width,
                           linestyle=style, zorder=4))


def _legend(ax, kinds, *, loc="upper center"):
    handles = [Patch(facecolor=CELL[kind][0], hatch=CELL[kind][1] or None, edgecolor="0.45", label=label)
               for kind, label in kinds]
    ax.legend(handles=handles, loc=loc, bbox_to_anchor=(0.5, -0.02), ncol=2, fontsize=SMALL,
              frameon=False, handlelength=1.6, columnspacing=1.2)


def draw_window_state(state, *, axes=None):
    """The padded input with the kernel's window, and the output map filling in.

    Padding is hatched, the window orange (its taps) with a blue frame, the cells read so far
    light blue, pixels that no window ever reads crossed; a legend names each.

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
    padded, (ph, pw) = state["padded"], state["padding"]
    Hp, Wp = padded.shape
    ax = axes[0]
    _grid_axes(ax, Hp, Wp)
    kinds = [("pixel", "pixel")]
    _cells(ax, [tuple(rc) for rc in np.argwhere(padded == 1)], "pixel")
    if (ph, pw) != (0, 0):
        _cells(ax, [tuple(rc) for rc in np.argwhere(padded == 0)], "padding")
        kinds.append(("padding", "padding (zeros)"))
    visited = [tuple(rc) for rc in np.argwhere(state["visited"] & (padded == 1))]
    _cells(ax, visited, "visited")
    visited_pad = [tuple(rc) for rc in np.argwhere(state["visited"] & (padded == 0))]
    if visited_pad:  # padding that was read stays hatched
        color, _ = CELL["visited"]
        ax.add_collection(PatchCollection([Rectangle((c - 0.5, r - 0.5), 1, 1) for r, c in visited_pad],
                                          facecolor=color, hatch="///", edgecolor="0.45", linewidth=0.6))
    if state["valid"]:
        kinds.append(("visited", "read by the windows so far"))
    never = [tuple(rc) for rc in np.argwhere(state["never"])]
    if never:
        _cells(ax, never, "never")
        kinds.append(("never", "never read"))
    if state["window"]:
        _cells(ax, state["window"], "window", zorder=3)
        _outline(ax, state["window"])
        kinds.append(("window", "the window's taps"))
    H, W = Hp - 2 * ph, Wp - 2 * pw
    pad_text = f" + padding {ph}" if ph == pw else f" + padding ({ph}, {pw})"
    ax.set_title(f"input {H}x{W}" + (pad_text if (ph, pw) != (0, 0) else ""), fontsize=FONT)
    _legend(ax, kinds)
    out = axes[1]
    if not state["valid"]:
        say_no_output(out, "no output:\nthe kernel does not fit")
        out.set_title("output", fontsize=FONT)
        return axes
    Ho, Wo = state["output"]
    _grid_axes(out, Ho, Wo)
    done = [divmod(k, Wo) for k in range(state["position"])]
    _cells(out, [(r, c) for r in range(Ho) for c in range(Wo)], "pixel")
    _cells(out, done, "visited")
    _cells(out, [state["cell"]], "window", zorder=3)
    _outline(out, [state["cell"]])
    i, j = state["cell"]
    out.set_title(f"output {Ho}x{Wo}, cell ({i}, {j})", fontsize=FONT)
    return axes


def _value_grid(ax, values, fmt, *, kinds=None):
    """Cells with their values written in; ``kinds[r, c]`` picks each cell's style."""
    h, w = values.shape
    _grid_axes(ax, h, w)
    groups = {}
    for (r, c), kind in np.ndenumerate(kinds if kinds is not None else np.full((h, w), "pixel")):
        groups.setdefault(kind, []).append((r, c))
    for kind, cells in groups.items():
        _cells(ax, cells, kind)
    for (r, c), v in np.ndenumerate(values):
        if v is not None:
            ax.text(c, r, fmt(v), ha="center", va="center", fontsize=FONT, zorder=5)


def draw_pooling_state(state, *, axes=None):
    """The image with its padding ring, the current window (blue frame) and the cell it took.

    For max pooling the cell the maximum came from is orange (and the only one that will get
    the gradient); for average pooling all cells of the window are light blue. Padding is
    hatched and shows what it holds (``-inf`` for max, ``0`` for average). On the right, the
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
    kinds = np.full(values.shape, "padding", dtype=object)
    values[ph : ph + H, pw : pw + W] = image
    kinds[ph : ph + H, pw : pw + W] = "pixel"
    shift = lambda cells: [(r + ph, c + pw) for r, c in cells]  # noqa: E731 - image -> padded coordinates
    if state["valid"]:
        top, left = state["cell"][0] * state["stride"][0], state["cell"][1] * state["stride"][1]
        window = [(r, c) for r in range(top, top + state["kernel_size"][0])
                  for c in range(left, left + state["kernel_size"][1])]
        if state["chosen"] is not None:
            kinds[shift([state["chosen"]])[0]] = "window"
        else:
            for rc in shift(state["window"]):
                kinds[rc] = "visited"
    _value_grid(axes[0], values, lambda v: v if isinstance(v, str) else f"{v:g}", kinds=kinds)
    if state["valid"]:
        _outline(axes[0], window)
    what = "its max (orange)" if state["mode"] == "max" else "the cells it averages (blue)"
    padding = f", padding {ph} (hatched)" if (ph, pw) != (0, 0) else ""
    window_text = f"window (blue frame), {what}" if state["valid"] else "not a valid setting"
    axes[0].set_title(f"input {H}x{W}{padding}:\n{window_text}", fontsize=FONT)
    if not state["valid"]:
        say_no_output(axes[1], "no output:\n" + state["message"].split(": ", 1)[1].split(", so")[0])
        axes[1].set_title("output", fontsize=FONT)
        return axes
    _value_grid(axes[1], out.astype(object), lambda v: f"{v:.3g}")
    _outline(axes[1], [state["cell"]])
    k = state["kernel_size"]
    axes[1].set_title(f"{state['mode']} pooling, {k[0]}x{k[1]} window:\noutput {out.shape[0]}x{out.shape[1]}",
                      fontsize=FONT)
    return axes


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
    labels = np.full((H, W), None, dtype=object)
    labels[r, c] = state["label"]
    kinds = np.full((H, W), "pixel", dtype=object)
    kinds[r, c] = "window"
    _value_grid(axes[0], labels, str, kinds=kinds)
    _outline(axes[0], [(r, c)], color=VERMILLION)
    axes[0].set_title(f"input {H}x{W}: cell ({r}, {c})", fontsize=FONT)
    if not state["valid"]:
        say_no_output(axes[1], "no output:\nthe kernel does not fit")
        axes[1].set_title("output", fontsize=FONT)
        return axes
    entries = np.full((Ho, Wo), None, dtype=object)
    kinds = np.full((Ho, Wo), "pixel", dtype=object)
    for (i, j), (u, v) in state["pairs"]:
        entries[i, j] = f"w[{u},{v}]"
        kinds[i, j] = "visited"
    _value_grid(axes[1], entries, str, kinds=kinds)
    for ij, _ in state["pairs"]:
        _outline(axes[1], [ij], width=2.0)
    axes[1].set_title(f"output {Ho}x{Wo}: {len(state['pairs'])} read it\n(through the kernel entry shown)",
                      fontsize=FONT)
    return axes

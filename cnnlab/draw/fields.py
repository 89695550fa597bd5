"""The picture of receptive fields: the patch of the input that one output of each layer sees.

A pure drawing of the state from :func:`cnnlab.receptive_field_state`; ``ax=None`` makes a new
pyplot figure (see :mod:`cnnlab.draw`).
"""

from __future__ import annotations

from matplotlib.patches import Rectangle

from ._style import BLUE, FONT, GREEN, ORANGE, PURPLE, SMALL, VERMILLION, clear, new_axes, say_no_output

__all__ = ["draw_receptive_field_state"]

# a colour and a line style per layer: the boxes are told apart by both
_STYLES = [(ORANGE, "-"), (BLUE, "--"), (GREEN, "-."), (VERMILLION, ":"), (PURPLE, "-"), ("black", "--")]


def draw_receptive_field_state(state, *, ax=None):
    """Every layer's receptive field as a box on the input, for an output near the centre.

    Boxes are drawn whole, also where they reach past the image into the padding (the
    hatched frame); the view grows to hold the largest box. Each box is labelled in the legend
    with its layer's number, name and size.

    Parameters
    ----------
    state : dict
        From :func:`cnnlab.receptive_field_state`.
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes
    """
    ax = new_axes(ax, (8.0, 4.6))
    if not state["valid"]:
        say_no_output(ax, state["message"].replace(": ", ":\n", 1))
        return ax
    clear(ax)
    n = state["input_size"]
    rows = state["rows"]
    low = min([-0.5] + [r["box"][0] for r in rows]) - 0.5
    high = max([n - 0.5] + [r["box"][1] for r in rows]) + 0.5
    if min(r["box"][0] for r in rows) < -0.5 or max(r["box"][1] for r in rows) > n - 0.5:
        # some box reaches past the image: show the padding around it
        ax.add_patch(Rectangle((low, low), high - low, high - low, facecolor=(0.93, 0.93, 0.93),
                               hatch="///", edgecolor="0.7", linewidth=0, zorder=0))
    if state["image"] is not None:
        ax.imshow(state["image"], cmap="gray", zorder=1, extent=(-0.5, n - 0.5, n - 0.5, -0.5))
    else:
        ax.add_patch(Rectangle((-0.5, -0.5), n, n, facecolor="white", edgecolor="none", zorder=1))
        for k in range(n + 1):
            ax.plot([k - 0.5, k - 0.5], [-0.5, n - 0.5], color="0.85", linewidth=0.5, zorder=1)
            ax.plot([-0.5, n - 0.5], [k - 0.5, k - 0.5], color="0.85", linewidth=0.5, zorder=1)
    ax.add_patch(Rectangle((-0.5, -0.5), n, n, fill=False, edgecolor="black", linewidth=1.5, zorder=2))
    for row, (color, style) in zip(rows, _STYLES * (len(rows) // len(_STYLES) + 1)):
        a, b = row["box"]
        ax.add_patch(Rectangle((a, a), b - a, b - a, fill=False, edgecolor=color, linestyle=style,
                               linewidth=3, zorder=3,
                               label=f"{row['index']} {row['name']}: {row['size']}x{row['size']}"))
        # the layer's number inside a corner of its box (top left for odd layers, bottom right for
        # even ones, so that nested boxes do not hide each other's): styles repeat, numbers do not
        odd = row["index"] % 2 == 1
        ax.text(a + 0.15 if odd else b - 0.15, a + 0.15 if odd else b - 0.15, str(row["index"]),
                ha="left" if odd else "right", va="top" if odd else "bottom", fontsize=SMALL, color="black",
                zorder=4, gid=f"box {row['index']}",
                bbox=dict(boxstyle="square,pad=0.1", facecolor="white", edgecolor=color, linewidth=1))
    ax.set_xlim(low, high)
    ax.set_ylim(high, low)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=SMALL, frameon=False,
              title="layer: field", title_fontsize=SMALL, handlelength=2.4)
    ax.set_title(f"what an output near the centre of each layer\nsees of the {n}x{n} input (boxes numbered)",
                 fontsize=FONT)
    return ax

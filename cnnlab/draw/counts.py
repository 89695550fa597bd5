"""Pictures of parameter counts: how a fully connected network grows with the image.

Pure drawings: each draws the state it is given on ``ax`` (a new pyplot figure when ``ax is
None``, see :mod:`cnnlab.draw`) and returns that Axes.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import FuncFormatter

from ._style import BLUE, FONT, GREEN, ORANGE, SMALL, VERMILLION, new_axes, wrap_to_axes

__all__ = ["draw_fc_param_state"]


def _power_of_ten(value, _pos):
    exponent = int(round(np.log10(value))) if value > 0 else 0
    return "10" + str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _setup(ax):
    """The artists of the picture, made once per Axes (the explorer then only updates them)."""
    ax.set_xscale("log")
    ax.set_yscale("log")
    fc_line, = ax.plot([], [], color=BLUE, linewidth=2.5)
    conv_line, = ax.plot([], [], color=ORANGE, linewidth=2.5, linestyle="--")
    marker, = ax.plot([], [], "o", color=VERMILLION, markersize=9)
    later_line, = ax.plot([], [], color=GREEN, linewidth=2.5, linestyle=":")
    note = ax.text(0.5, 0.5, "", ha="center", va="center", fontsize=FONT, transform=ax.transAxes)
    # plain-text tick labels: mathtext (matplotlib's default on log axes) costs ~0.2 s a frame
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
    ax.minorticks_off()  # dozens of minor ticks per frame cost more than the lines
    ax.tick_params(labelsize=SMALL)
    ax.set_xlabel("image side (pixels)", fontsize=FONT)
    ax.set_ylabel("weights", fontsize=FONT)
    ax.grid(True, which="major", alpha=0.3)
    ax._cnnlab_fc_growth = (fc_line, conv_line, marker, later_line, note)
    return ax._cnnlab_fc_growth


def draw_fc_param_state(state, *, ax=None):
    """Weights of the fully connected network of ``state`` as the image grows, against a convolution.

    The fully connected line (solid) is the network's total weight count on an ``s x s`` image
    with the state's channels and hidden widths; with more than one hidden layer, a dotted line
    shows the weights of the layers after the first, the same on every image (where it meets the
    solid line, the first layer takes over); the convolution (dashed) has the same count on every
    image; the dot marks the state's image side. Both axes are logarithmic, so the ``s^2`` growth
    of the first layer is a straight line of slope 2.

    Parameters
    ----------
    state : dict
        From :func:`cnnlab.fc_param_state`.
    ax : matplotlib Axes, optional
        Drawn again with the same Axes, the picture is updated in place.

    Returns
    -------
    ax : matplotlib Axes
        Its first four lines are the FC curve, the convolution line, the marker and the later
        layers' line (empty with one hidden layer).
    """
    ax = new_axes(ax, (8.0, 4.4))
    artists = getattr(ax, "_cnnlab_fc_growth", None) or _setup(ax)
    fc_line, conv_line, marker, later_line, note = artists
    legend = ax.get_legend()
    if legend is not None and len(legend.get_texts()) != 3 + (len(state["hidden"] or ()) > 1):
        legend.remove()  # a stack of another depth: another set of entries
        legend = None
    if not state["valid"]:
        for line in (fc_line, conv_line, marker, later_line):
            line.set_data([], [])
        note.set_text(wrap_to_axes(ax, "no picture: " + state["message"]))  # the message names what was typed
        if legend:
            legend.set_visible(False)
        ax.set_xlim(2 / 1.2, 512 * 1.2)  # the same empty axes, whatever was drawn before
        ax.set_ylim(1, 1e10)
        return ax
    note.set_text("")
    sides = state["sides"]
    hidden = ", ".join(f"{h:,}" for h in state["hidden"])
    labels = [f"fully connected, hidden {hidden}, {state['channels']} channel(s)",
              f"convolution, {state['filters']} filters {state['kernel_size']}x{state['kernel_size']}: "
              f"{state['conv_weights']:,}",
              f"{state['side']}x{state['side']}x{state['channels']} image: {state['weights']:,}"]
    fc_line.set_data(sides, state["fc_weights"])
    conv_line.set_data(sides, np.full(sides.shape, state["conv_weights"]))
    marker.set_data([state["side"]], [state["weights"]])
    shown = [fc_line, conv_line, marker]
    if len(state["hidden"]) > 1:
        later_line.set_data(sides, np.full(sides.shape, state["later_layers"]))
        labels.insert(1, f"layers after the first: {state['later_layers']:,}")
        shown.insert(1, later_line)
    else:
        later_line.set_data([], [])
    for line, label in zip(shown, labels):
        line.set_label(label)
    limits = ((sides[0] / 1.2, sides[-1] * 1.2),
              (min(state["conv_weights"], state["fc_weights"][0]) / 3, state["fc_weights"][-1] * 3))
    if (ax.get_xlim(), ax.get_ylim()) != limits:
        ax.set_xlim(*limits[0])
        ax.set_ylim(*limits[1])
    if legend is None:
        legend = ax.legend(handles=shown, loc="upper left", fontsize=FONT)
    for text, label in zip(legend.get_texts(), labels):  # the same legend, new words: cheaper than a new one
        text.set_text(label)
    legend.set_visible(True)
    return ax

"""Explorers of parameter counts (notebooks 02 and 04): thin wrappers around pure functions.

Each maps its controls to a state (:func:`cnnlab.fc_param_state`,
:func:`cnnlab.sharing_locality_state`) and draws it with :mod:`cnnlab.draw` into its views.
"""

from __future__ import annotations

import functools

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..draw import draw_fc_param_state, draw_sharing_locality_state, figure_png
from ..params import fc_param_state, sharing_locality_state
from ._explorer import BlitFrames, Explorer, html_text, image_view

__all__ = ["explore_fc_params", "explore_sharing_locality"]


def _fc_figure():
    fig = Figure(figsize=(8.6, 4.4), dpi=100)
    fig.subplots_adjust(left=0.11, bottom=0.14, right=0.98, top=0.96)
    return fig, fig.add_subplot()


def explore_fc_params(*, side=32, channels=1, hidden="500"):
    """Image side, channels and hidden widths of a fully connected network: its weights and growth.

    Shows the weight count and its float32 size, and the count of the whole network against the
    image side (log-log), next to a convolution's. Typing something that is not a list of
    positive widths shows the reason and an empty picture, never the previous count.
    """
    controls = {
        "side": widgets.IntSlider(value=side, min=2, max=512, description="image side",
                                  style={"description_width": "initial"},
                                  layout=widgets.Layout(width="340px")),
        "channels": widgets.ToggleButtons(options=[1, 3], value=channels, description="channels",
                                          style={"description_width": "initial", "button_width": "44px"},
                                          layout=widgets.Layout(width="210px")),  # label and buttons on one line
        "hidden": widgets.Text(value=hidden, description="hidden widths", continuous_update=False,
                               style={"description_width": "initial"}, layout=widgets.Layout(width="260px")),
    }
    fig, ax = _fc_figure()
    frames = BlitFrames(fig)
    views = {"text": widgets.HTML(), "plot": image_view(860)}

    def update():
        state = fc_param_state(controls["side"].value, controls["channels"].value, controls["hidden"].value)
        views["text"].value = html_text(state["text"], error=not state["valid"])
        draw_fc_param_state(state, ax=ax)
        # moving the image side moves only the marker and its line in the legend
        key = (state["channels"], tuple(state["hidden"] or ()), state["message"])
        legend = [ax.get_legend()] if ax.get_legend() else []
        views["plot"].value = frames.png(key, [ax.lines[2], *legend])
        return [state["text"]]

    return Explorer("Parameters of a fully connected network", controls, views, update,
                    spec={"explorer": "explore_fc_params", "kwargs": dict(side=side, channels=channels, hidden=hidden)})


@functools.lru_cache(maxsize=4)
def _sharing_locality_png(sharing, locality):
    """Four settings, four pictures: draw each once."""
    fig = Figure(figsize=(6.4, 4.4), dpi=100, layout="tight")
    draw_sharing_locality_state(sharing_locality_state(sharing, locality), ax=fig.add_subplot())
    return figure_png(fig, fast=True)


def explore_sharing_locality(*, sharing=False, locality=False):
    """Two switches, weight sharing and locality, on the article's 3x3 layer: the network and its count."""
    controls = {
        "sharing": widgets.Checkbox(value=sharing, description="weight sharing", indent=False),
        "locality": widgets.Checkbox(value=locality, description="locality", indent=False),
    }
    views = {"text": widgets.HTML(), "plot": image_view(640)}

    def update():
        state = sharing_locality_state(controls["sharing"].value, controls["locality"].value)
        views["text"].value = html_text(state["text"])
        views["plot"].value = _sharing_locality_png(state["sharing"], state["locality"])
        return [state["text"]]

    return Explorer("Sharing and locality on the 3x3 example", controls, views, update,
                    spec={"explorer": "explore_sharing_locality",
                          "kwargs": dict(sharing=sharing, locality=locality)})

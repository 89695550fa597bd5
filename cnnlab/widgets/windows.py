"""Explorers of a window sliding over an input (notebooks 05-07): thin wrappers around pure functions.

Each maps its sliders to a state from :mod:`cnnlab.sliding`, draws it with
:mod:`cnnlab.draw.windows` into one figure updated in place, and writes the state's formula and
message into HTML views. An invalid setting shows its own formula and message and a picture
that says "no output": never the previous state.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from ..draw import draw_influence_state, draw_pooling_state, draw_window_state, figure_png
from ..sliding import influence_state, pooling_state, window_state
from ._explorer import Explorer, html_text, image_view, set_slider_max

__all__ = ["explore_convolution", "explore_pooling", "explore_influence"]

# one label width for every slider, so that the tracks line up and have the same length
_SLIDER = dict(continuous_update=True, style={"description_width": "80px"}, layout=widgets.Layout(width="300px"))


def _figure(width_ratios):
    """A bare figure of two panels with fixed margins: a layout engine would move the panels by a
    pixel or two from one frame to the next, so the same state would not give the same picture."""
    fig = Figure(figsize=(8.6, 4.4), dpi=100)
    grid = dict(left=0.02, right=0.98, bottom=0.13, top=0.86, wspace=0.15)
    return fig, fig.subplots(1, 2, width_ratios=width_ratios, gridspec_kw=grid)


def explore_convolution(*, input_size=7, kernel_size=3, stride=1, padding=0, dilation=1):
    """Sliders for a convolution's hyperparameters, and its window stepping over the input.

    Shows the padded input with the kernel's window, the output map filling in, the
    output-size formula with the current numbers, and a message when the setting has no
    output or leaves pixels unread. The ``position`` slider (or the Play button) steps the
    window.
    """
    controls = {
        "input": widgets.IntSlider(value=input_size, min=2, max=12, description="input size", **_SLIDER),
        "kernel": widgets.IntSlider(value=kernel_size, min=1, max=7, description="kernel size", **_SLIDER),
        "stride": widgets.IntSlider(value=stride, min=1, max=4, description="stride", **_SLIDER),
        "padding": widgets.IntSlider(value=padding, min=0, max=3, description="padding", **_SLIDER),
        "dilation": widgets.IntSlider(value=dilation, min=1, max=3, description="dilation", **_SLIDER),
        "position": widgets.IntSlider(value=0, min=0, max=0, description="position", continuous_update=True,
                                      style={"description_width": "80px"}, layout=widgets.Layout(width="600px")),
    }
    play = widgets.Play(value=0, min=0, max=0, interval=500, description="step the window")
    widgets.jslink((play, "value"), (controls["position"], "value"))
    views = {"formula": widgets.HTML(), "message": widgets.HTML(), "plot": image_view(860)}
    fig, axes = _figure([3, 2])

    def update():
        state = window_state(controls["input"].value, controls["kernel"].value,
                             stride=controls["stride"].value, padding=controls["padding"].value,
                             dilation=controls["dilation"].value, position=controls["position"].value)
        last = max(state["output"][0] * state["output"][1] - 1, 0)
        play.max = last
        set_slider_max(controls["position"], last)  # may clip the position: no recursion
        message = state["message"] or "every pixel is read by some window"
        views["formula"].value = html_text(state["formula"], pre=True)
        views["message"].value = html_text(message, error=not state["valid"])
        draw_window_state(state, axes=axes)
        views["plot"].value = figure_png(fig, fast=True)
        return [*state["formula"].splitlines(), message]

    return Explorer("Convolution explorer", controls, views, update,
                    rows=[["input", "kernel", "stride"], ["padding", "dilation"], ["position"]], extra=[play],
                    spec={"explorer": "explore_convolution", "kwargs": dict(
                        input_size=input_size, kernel_size=kernel_size, stride=stride, padding=padding,
                        dilation=dilation)})


def explore_pooling(*, size=6, kernel_size=2, stride=2, padding=0, mode="max", seed=0):
    """Window, stride, padding and mode of a pooling layer on a small image of random digits.

    Shows which cell each output took (max) or which cells it averaged; the ``output`` slider
    picks the output. A padding of more than half the window has no output, and says so.
    """
    image = np.random.default_rng(seed).integers(0, 10, size=(size, size)).astype(float)
    controls = {
        "kernel": widgets.IntSlider(value=kernel_size, min=1, max=4, description="window", **_SLIDER),
        "stride": widgets.IntSlider(value=stride, min=1, max=4, description="stride", **_SLIDER),
        "padding": widgets.IntSlider(value=padding, min=0, max=2, description="padding", **_SLIDER),
        "mode": widgets.ToggleButtons(options=["max", "avg"], value=mode, description="mode",
                                      style={"description_width": "80px", "button_width": "56px"},
                                      layout=widgets.Layout(width="300px")),  # label and buttons on one line
        "position": widgets.IntSlider(value=0, min=0, max=0, description="output", continuous_update=True,
                                      style={"description_width": "80px"}, layout=widgets.Layout(width="600px")),
    }
    views = {"formula": widgets.HTML(), "message": widgets.HTML(), "plot": image_view(860)}
    fig, axes = _figure([1, 1])

    def update():
        state = pooling_state(image, controls["kernel"].value, stride=controls["stride"].value,
                              padding=controls["padding"].value, mode=controls["mode"].value,
                              position=controls["position"].value)
        set_slider_max(controls["position"], max(state["output"].size - 1, 0))
        views["formula"].value = html_text(state["formula"], pre=True)
        views["message"].value = html_text(state["message"], error=not state["valid"])
        draw_pooling_state(state, axes=axes)
        views["plot"].value = figure_png(fig, fast=True)
        return [state["formula"], state["message"]]

    return Explorer("Pooling explorer", controls, views, update,
                    rows=[["kernel", "stride", "padding"], ["mode"], ["position"]],
                    spec={"explorer": "explore_pooling", "kwargs": dict(
                        size=size, kernel_size=kernel_size, stride=stride, padding=padding, mode=mode, seed=seed)})


def explore_influence(*, input_size=5, kernel_size=3, stride=1):
    """Pick an input cell: which outputs it feeds, and through which kernel entries."""
    controls = {
        "kernel": widgets.IntSlider(value=kernel_size, min=1, max=input_size, description="kernel size",
                                    **_SLIDER),
        "stride": widgets.IntSlider(value=stride, min=1, max=3, description="stride", **_SLIDER),
        "row": widgets.IntSlider(value=input_size // 2, min=0, max=input_size - 1, description="row",
                                 **_SLIDER),
        "col": widgets.IntSlider(value=input_size // 2, min=0, max=input_size - 1, description="col",
                                 **_SLIDER),
    }
    views = {"text": widgets.HTML(), "plot": image_view(860)}
    fig, axes = _figure([input_size, input_size + 1])

    def update():
        state = influence_state(input_size, controls["kernel"].value, stride=controls["stride"].value,
                                cell=(controls["row"].value, controls["col"].value))
        text = f"{state['message']}: {state['formula']}" if state["pairs"] else state["message"]
        views["text"].value = html_text(text, error=not state["valid"])
        draw_influence_state(state, axes=axes)
        views["plot"].value = figure_png(fig, fast=True)
        return [text]

    return Explorer("Influence of one input cell", controls, views, update,
                    rows=[["kernel", "stride"], ["row", "col"]],
                    spec={"explorer": "explore_influence",
                          "kwargs": dict(input_size=input_size, kernel_size=kernel_size, stride=stride)})

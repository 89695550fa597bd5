"""The receptive-field calculator (notebook 08): a thin wrapper around :func:`cnnlab.receptive_field_state`."""

from __future__ import annotations

import html

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..draw import draw_receptive_field_state, figure_png
from ..receptive import receptive_field_state
from ._explorer import Explorer, html_text, image_view

__all__ = ["explore_receptive_field"]


def _table(state):
    head = "".join(f"<th style='padding:2px 10px'>{h}</th>"
                   for h in ("layer", "name", "kernel", "stride", "padding", "output", "receptive field", "jump"))
    rows = "".join(
        "<tr>" + "".join(f"<td style='padding:2px 10px; text-align:right'>{html.escape(str(v))}</td>" for v in (
            r["index"], r["name"], r["kernel"], r["stride"], r["padding"], f"{r['output']}x{r['output']}",
            f"{r['size']}x{r['size']}", r["jump"])) + "</tr>"
        for r in state["rows"])
    return f"<table style='font-size:15px; border-collapse:collapse'><tr>{head}</tr>{rows}</table>"


def explore_receptive_field(*, stack="conv 3 1 0, pool 2 2 0, conv 3 1 0, pool 2 2 0", input_size=24, image=None):
    """A calculator: type a stack of layers, see each layer's receptive field on the input.

    Each layer is ``name kernel stride padding``, layers separated by commas. The table gives
    every layer's output size, receptive field and jump; the picture draws, for one output near
    the centre of each layer, the patch of the input it sees, on ``image`` (a 2-D array of
    ``input_size x input_size``) or on a blank grid. Text that is not a stack, or a kernel that
    does not fit, shows the reason and no picture.
    """
    controls = {"stack": widgets.Text(value=stack, description="layers", continuous_update=False,
                                      style={"description_width": "initial"},
                                      layout=widgets.Layout(width="640px"))}
    views = {"table": widgets.HTML(), "message": widgets.HTML(), "plot": image_view(700)}
    fig = Figure(figsize=(7.0, 3.6), dpi=100)  # fixed margins: the same state, the same picture
    ax = fig.add_subplot()
    fig.subplots_adjust(left=0.02, right=0.66, bottom=0.02, top=0.88)

    def update():
        state = receptive_field_state(controls["stack"].value, input_size=input_size, image=image)
        views["table"].value = _table(state) if state["valid"] else ""
        views["message"].value = html_text(state["message"], error=not state["valid"])
        draw_receptive_field_state(state, ax=ax)
        views["plot"].value = figure_png(fig, fast=True)
        return state["text"]

    kwargs = dict(stack=stack, input_size=input_size, image=image.tolist() if hasattr(image, "tolist") else image)
    return Explorer("Receptive field calculator", controls, views, update,
                    spec={"explorer": "explore_receptive_field", "kwargs": kwargs})


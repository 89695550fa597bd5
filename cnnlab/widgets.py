"""Interactive explorers for the notebooks: thin ipywidgets wrappers around pure functions.

Each explorer is a box of controls and views. On every change it calls a pure function
(testable without a browser) and writes the result into the views in place: an ``HTML``
widget for the numbers and an ``Image`` widget for the picture, rendered off-screen with
matplotlib's Agg canvas (no pyplot state, no figure left open). Writing into widgets from
Python keeps the notebook outputs identical under nbval and in JupyterLab.
"""

from __future__ import annotations

import functools
import io
import time

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter

from .draw import draw_network
from .params import count_conv_params, count_fc_params, count_layer_params
from .shapes import receptive_fields
from .sliding import (
    draw_influence,
    draw_pooling_state,
    draw_window_state,
    influence,
    pooling_state,
    window_state,
)
from .wiring import layer_wiring

__all__ = [
    "Explorer",
    "figure_png",
    "update_times",
    "fc_param_report",
    "draw_param_growth",
    "explore_fc_params",
    "sharing_locality_report",
    "draw_sharing_locality",
    "explore_sharing_locality",
    "explore_convolution",
    "explore_pooling",
    "explore_influence",
    "explore_receptive_field",
]


class Explorer(widgets.VBox):
    """A ``VBox`` whose text form is one stable line (what nbval and plain consoles show).

    ``controls`` and ``views`` are dicts of the widgets, so tests (and curious learners) can
    move a control and look at the result: ``ex.controls["side"].value = 64``. ``rows`` lists
    the control names row by row (default: all in one row); ``extra`` widgets (a Play button)
    go after the controls and are not observed.
    """

    def __init__(self, title, controls, views, update, *, rows=None, extra=()):
        self.title, self.controls, self.views = title, controls, views
        rows = rows or [list(controls)]
        boxes = [widgets.HBox([controls[name] for name in row]) for row in rows]
        super().__init__([widgets.HTML(f"<b>{title}</b>"), *boxes, *extra, *views.values()])
        self._busy = False

        def on_change(_change):
            if self._busy:  # an update that moves a control itself must not recurse
                return
            self._busy = True
            try:
                update()
            finally:
                self._busy = False

        for control in controls.values():
            control.observe(on_change, names="value")
        update()

    def __repr__(self):
        return f"{self.title}: an interactive explorer (run the notebook in JupyterLab to use it)"


def update_times(explorer, control, values):
    """Kernel-side seconds each move takes: set ``explorer.controls[control]`` to each value."""
    times = []
    for value in values:
        t0 = time.perf_counter()
        explorer.controls[control].value = value
        times.append(time.perf_counter() - t0)
    return times


def figure_png(fig, *, dpi=80):
    """Render a ``matplotlib.figure.Figure`` to PNG bytes, off-screen."""
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


# ----------------------------------------------------------------------------- FC parameter count
def _parse_hidden(hidden):
    if isinstance(hidden, str):
        parts = [p for p in hidden.replace(",", " ").split() if p]
        if not parts or not all(p.isdigit() and int(p) > 0 for p in parts):
            raise ValueError(f"hidden must list positive layer widths like '90, 50', got {hidden!r}")
        return [int(p) for p in parts]
    return list(hidden)


def fc_param_report(side, channels, hidden):
    """Weights of a fully connected network on a ``side x side x channels`` image.

    Parameters
    ----------
    side : int
        Image height and width.
    channels : int
        1 for gray, 3 for colour.
    hidden : str or list of int
        Hidden layer widths, e.g. ``[90, 50]`` or ``"90, 50"``.

    Returns
    -------
    dict
        ``inputs``, ``weights`` (no biases, as the article counts), ``megabytes`` in float32
        and ``text``, an HTML summary.

    >>> fc_param_report(200, 3, [1000])["weights"]
    120000000
    """
    sizes = [side * side * channels, *_parse_hidden(hidden)]
    weights = count_fc_params(sizes, bias=False)
    megabytes = weights * 4 / 1e6
    layers = " + ".join(f"{a:,}x{b:,}" for a, b in zip(sizes[:-1], sizes[1:]))
    memory = f"{megabytes:,.1f} MB" if megabytes >= 1 else f"{weights * 4 / 1e3:,.1f} kB"
    text = (f"{side}x{side}x{channels} image = {sizes[0]:,} inputs; weights {layers} = "
            f"<b>{weights:,}</b>, {memory} in float32")
    return {"inputs": sizes[0], "weights": weights, "megabytes": megabytes, "text": text}


def _power_of_ten(value, _pos):
    exponent = int(round(np.log10(value))) if value > 0 else 0
    return "10" + str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def draw_param_growth(hidden, channels=1, *, side=None, filters=16, kernel=3, ax=None):
    """FC vs convolution: weights of the first layer as the image grows (log scale).

    The fully connected layer has ``side**2 * channels * hidden`` weights; a convolution with
    ``filters`` kernels of ``kernel x kernel`` has ``channels * filters * kernel**2``, whatever
    the image size. ``side`` marks the current image.

    Returns
    -------
    ax : matplotlib Axes
        With three lines: the FC count, the convolution count, the marker at ``side``.
    """
    if ax is None:
        ax = Figure(figsize=(6, 3.4)).add_subplot()
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.plot([], [])
    ax.plot([], [])
    ax.plot([], [], "o", color="tab:red")
    # plain-text tick labels: mathtext (matplotlib's default on log axes) costs ~0.2 s a frame
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten))
    ax.minorticks_off()  # dozens of minor ticks per frame cost more than the lines
    ax.set_xlabel("image side (pixels)")
    ax.set_ylabel("weights in the first layer")
    ax.grid(True, which="major", alpha=0.3)
    _set_param_growth(ax, hidden, channels, side=side, filters=filters, kernel=kernel)
    return ax


def _set_param_growth(ax, hidden, channels, *, side, filters=16, kernel=3):
    """Update the lines drawn by :func:`draw_param_growth` in place (no new artists)."""
    fc_line, conv_line, marker = ax.lines[:3]
    sides = np.arange(2, 513)
    fc_line.set_data(sides, sides**2 * channels * hidden)
    fc_line.set_label(f"fully connected, {hidden:,} neurons")
    conv = count_conv_params(channels, filters, kernel, bias=False)
    conv_line.set_data(sides, np.full(sides.shape, conv))
    conv_line.set_label(f"convolution, {filters} filters {kernel}x{kernel}")
    marker.set_data([side] if side else [], [side**2 * channels * hidden] if side else [])
    ax.relim()
    ax.autoscale_view()
    ax.legend(handles=[fc_line, conv_line], loc="upper left", fontsize=8)


def explore_fc_params(side=32, channels=1, hidden="500"):
    """Sliders for image side and channels, a box for hidden widths; shows count and growth."""
    controls = {
        "side": widgets.IntSlider(value=side, min=2, max=512, description="image side"),
        "channels": widgets.ToggleButtons(options=[1, 3], value=channels, description="channels"),
        "hidden": widgets.Text(value=hidden, description="hidden", continuous_update=False),
    }
    views = {"text": widgets.HTML(), "plot": widgets.Image(format="png", layout=widgets.Layout(width="480px"))}
    fig = Figure(figsize=(6, 3.4))
    fig.subplots_adjust(left=0.13, bottom=0.15, right=0.97, top=0.95)
    ax = fig.add_subplot()

    def update():
        try:
            report = fc_param_report(controls["side"].value, controls["channels"].value,
                                     controls["hidden"].value)
        except ValueError as error:
            views["text"].value = f"<span style='color:#b00'>{error}</span>"
            return
        views["text"].value = report["text"]
        first = _parse_hidden(controls["hidden"].value)[0]
        if ax.lines:
            _set_param_growth(ax, first, controls["channels"].value, side=controls["side"].value)
        else:
            draw_param_growth(first, controls["channels"].value, side=controls["side"].value, ax=ax)
        views["plot"].value = figure_png(fig)

    return Explorer("Parameters of a fully connected network", controls, views, update)


# ----------------------------------------------------------------------------- sharing x locality
def sharing_locality_report(sharing, locality):
    """Weights of the article's 3x3 layer (16 neurons in 4 groups, 2x2 windows).

    >>> sharing_locality_report(True, False)["weights"]
    36
    """
    full = count_layer_params(3, 2, 4, sharing=False, locality=False)
    weights = count_layer_params(3, 2, 4, sharing=sharing, locality=locality)
    saved = 100 * (full - weights) / full
    on = {True: "on", False: "off"}
    text = (f"sharing {on[sharing]}, locality {on[locality]}: <b>{weights}</b> weights "
            f"({full - weights} fewer than {full}, {saved:.2f} % fewer)")
    return {"weights": weights, "saved_percent": saved, "text": text}


def draw_sharing_locality(sharing, locality, *, ax=None):
    """The 9 -> 16 layer with the chosen steps; shared weights share a colour, groups outlined."""
    ids = layer_wiring(3, 2, 4, sharing=sharing, locality=locality)
    return draw_network(ids, ax=ax, group_size=4 if sharing else None, color_by_weight=sharing)


@functools.lru_cache(maxsize=4)
def _sharing_locality_png(sharing, locality):
    """Four settings, four pictures: draw each once."""
    fig = Figure(figsize=(4.2, 5.2), layout="tight")
    draw_sharing_locality(sharing, locality, ax=fig.add_subplot())
    return figure_png(fig)


def explore_sharing_locality(sharing=False, locality=False):
    """Two switches, sharing and locality; redraws the network and the count."""
    controls = {
        "sharing": widgets.Checkbox(value=sharing, description="weight sharing"),
        "locality": widgets.Checkbox(value=locality, description="locality"),
    }
    views = {"text": widgets.HTML(), "plot": widgets.Image(format="png", layout=widgets.Layout(width="336px"))}

    def update():
        s, loc = controls["sharing"].value, controls["locality"].value
        views["text"].value = sharing_locality_report(s, loc)["text"]
        views["plot"].value = _sharing_locality_png(s, loc)

    return Explorer("Sharing and locality on the 3x3 example", controls, views, update)


# ----------------------------------------------------------------------------- convolution
def explore_convolution(input_size=7, kernel_size=3, stride=1, padding=0, dilation=1):
    """Sliders for the convolution's hyperparameters and a window stepping over the input.

    Shows the padded input with the kernel's window, the output map filling in, the
    output-size formula with the current numbers, and a message when the setting has no
    output or leaves pixels unread. The ``position`` slider (or the Play button) steps the
    window; every change redraws one figure in place.
    """
    slider = dict(continuous_update=True, style={"description_width": "initial"},
                  layout=widgets.Layout(width="220px"))
    controls = {
        "input": widgets.IntSlider(value=input_size, min=2, max=12, description="input size", **slider),
        "kernel": widgets.IntSlider(value=kernel_size, min=1, max=7, description="kernel size", **slider),
        "stride": widgets.IntSlider(value=stride, min=1, max=4, description="stride", **slider),
        "padding": widgets.IntSlider(value=padding, min=0, max=3, description="padding", **slider),
        "dilation": widgets.IntSlider(value=dilation, min=1, max=3, description="dilation", **slider),
        "position": widgets.IntSlider(value=0, min=0, max=0, description="position", **slider),
    }
    play = widgets.Play(value=0, min=0, max=0, interval=500, description="step the window")
    widgets.jslink((play, "value"), (controls["position"], "value"))
    views = {"formula": widgets.HTML(), "message": widgets.HTML(),
             "plot": widgets.Image(format="png", layout=widgets.Layout(width="461px"))}
    fig = Figure(figsize=(6.4, 3.2))
    axes = fig.subplots(1, 2)

    def update():
        state = window_state(controls["input"].value, controls["kernel"].value,
                             stride=controls["stride"].value, padding=controls["padding"].value,
                             dilation=controls["dilation"].value, position=controls["position"].value)
        last = max(state["output"][0] * state["output"][1] - 1, 0)
        play.max = controls["position"].max = last  # may clip the position: no recursion
        views["formula"].value = "<pre style='margin:0'>" + state["formula"] + "</pre>"
        color = "#b00" if not state["valid"] else "#a15c00"
        views["message"].value = (f"<span style='color:{color}'>{state['message']}</span>"
                                  if state["message"] else "every pixel is read by some window")
        draw_window_state(state, axes=axes)
        views["plot"].value = figure_png(fig, dpi=72)

    return Explorer("Convolution explorer", controls, views, update,
                    rows=[["input", "kernel", "stride"], ["padding", "dilation", "position"]],
                    extra=[play])


# ----------------------------------------------------------------------------- pooling
def explore_pooling(size=6, kernel_size=2, stride=2, padding=0, mode="max", seed=0):
    """Window, stride, padding and mode of a pooling layer on a small integer image.

    Shows which cell each output took (max) or which cells it averaged; the position slider
    picks the output.
    """
    image = np.random.default_rng(seed).integers(0, 10, size=(size, size)).astype(float)
    slider = dict(style={"description_width": "initial"}, layout=widgets.Layout(width="220px"))
    controls = {
        "kernel": widgets.IntSlider(value=kernel_size, min=1, max=4, description="window", **slider),
        "stride": widgets.IntSlider(value=stride, min=1, max=4, description="stride", **slider),
        "padding": widgets.IntSlider(value=padding, min=0, max=2, description="padding", **slider),
        "mode": widgets.ToggleButtons(options=["max", "avg"], value=mode, description="mode"),
        "position": widgets.IntSlider(value=0, min=0, max=0, description="output", **slider),
    }
    views = {"formula": widgets.HTML(), "message": widgets.HTML(),
             "plot": widgets.Image(format="png", layout=widgets.Layout(width="504px"))}
    fig = Figure(figsize=(7.0, 3.4))
    axes = fig.subplots(1, 2)

    def update():
        k, p = controls["kernel"].value, controls["padding"].value
        if p > k // 2:
            views["message"].value = (f"<span style='color:#b00'>padding {p} is more than half the "
                                      f"window ({k} // 2 = {k // 2}): a window could hold only padding</span>")
            return
        state = pooling_state(image, k, stride=controls["stride"].value, padding=p,
                              mode=controls["mode"].value, position=controls["position"].value)
        controls["position"].max = state["output"].size - 1
        views["formula"].value = f"<pre style='margin:0'>{state['formula']}</pre>"
        views["message"].value = state["message"]
        draw_pooling_state(state, image=image, axes=axes)
        views["plot"].value = figure_png(fig, dpi=72)

    return Explorer("Pooling explorer", controls, views, update,
                    rows=[["kernel", "stride", "padding"], ["mode", "position"]])


# ----------------------------------------------------------------------------- influence
def explore_influence(input_size=5, kernel_size=3, stride=1):
    """Pick an input cell: which outputs it feeds, and through which kernel entries."""
    slider = dict(style={"description_width": "initial"}, layout=widgets.Layout(width="220px"))
    controls = {
        "kernel": widgets.IntSlider(value=kernel_size, min=1, max=input_size, description="kernel size", **slider),
        "stride": widgets.IntSlider(value=stride, min=1, max=3, description="stride", **slider),
        "row": widgets.IntSlider(value=input_size // 2, min=0, max=input_size - 1, description="row", **slider),
        "col": widgets.IntSlider(value=input_size // 2, min=0, max=input_size - 1, description="col", **slider),
    }
    views = {"text": widgets.HTML(),
             "plot": widgets.Image(format="png", layout=widgets.Layout(width="504px"))}
    fig = Figure(figsize=(7.0, 3.4))
    axes = fig.subplots(1, 2)

    def update():
        args = dict(stride=controls["stride"].value, cell=(controls["row"].value, controls["col"].value))
        pairs = influence(input_size, controls["kernel"].value, **args)
        terms = " + ".join(f"dout[{i},{j}]·w[{u},{v}]" for (i, j), (u, v) in pairs) or "0"
        views["text"].value = (f"x[{args['cell'][0]},{args['cell'][1]}] feeds {len(pairs)} output(s): "
                               f"<code>dL/dx = {terms}</code>")
        draw_influence(input_size, controls["kernel"].value, axes=axes, **args)
        views["plot"].value = figure_png(fig, dpi=72)

    return Explorer("Influence of one input cell", controls, views, update,
                    rows=[["kernel", "stride"], ["row", "col"]])


# ----------------------------------------------------------------------------- receptive field
def _parse_stack(text):
    """``"conv 3 1 0, pool 2 2 0"`` -> ``[("conv", 3, 1, 0), ("pool", 2, 2, 0)]``."""
    layers = []
    for i, part in enumerate(p for p in text.split(",") if p.strip()):
        words = part.split()
        if len(words) != 4 or not all(v.isdigit() for v in words[1:]):
            raise ValueError(f"layer {i + 1} must read 'name kernel stride padding', got {part.strip()!r}")
        layers.append((words[0], int(words[1]), int(words[2]), int(words[3])))
    if not layers:
        raise ValueError("list at least one layer, e.g. 'conv 3 1 0, pool 2 2 0'")
    return layers


def explore_receptive_field(stack="conv 3 1 0, pool 2 2 0, conv 3 1 0, pool 2 2 0", input_size=24):
    """A calculator: type a stack of layers, see each layer's receptive field.

    Each layer is ``name kernel stride padding``; the table gives the receptive field, the jump
    between neighbouring outputs, and the picture shows the input patch the first and last
    layers' first output sees.
    """
    controls = {"stack": widgets.Text(value=stack, description="layers", continuous_update=False,
                                      layout=widgets.Layout(width="520px"))}
    views = {"table": widgets.HTML(),
             "plot": widgets.Image(format="png", layout=widgets.Layout(width="288px"))}
    fig = Figure(figsize=(4.0, 4.0))
    ax = fig.add_subplot()

    def update():
        try:
            fields = receptive_fields(_parse_stack(controls["stack"].value))
        except ValueError as error:
            views["table"].value = f"<span style='color:#b00'>{error}</span>"
            return
        rows = "".join(f"<tr><td>{i + 1}</td><td>{f['name']}</td><td>{f['size']}</td><td>{f['jump']}</td></tr>"
                       for i, f in enumerate(fields))
        views["table"].value = ("<table><tr><th>layer</th><th>name</th><th>receptive field</th>"
                                f"<th>jump</th></tr>{rows}</table>")
        ax.clear()
        n = max(input_size, fields[-1]["size"] + 2)
        ax.imshow(np.ones((n, n)), cmap="gray", vmin=0, vmax=1)
        for f, color in ((fields[0], "tab:orange"), (fields[-1], "tab:blue")):
            lo = f["start"] - (f["size"] - 1) / 2 - 0.5
            ax.add_patch(Rectangle((lo, lo), f["size"], f["size"], fill=False, edgecolor=color,
                                   linewidth=2.5, label=f"{f['name']}: {f['size']}x{f['size']}"))
        ax.set_xlim(-0.5, n - 0.5)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.legend(loc="lower right", fontsize=8)
        ax.set_title("input patch seen by the first output", fontsize=9)
        views["plot"].value = figure_png(fig, dpi=72)

    return Explorer("Receptive field calculator", controls, views, update)

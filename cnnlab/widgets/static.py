"""An explorer that moves without a kernel: its pictures drawn in advance, picked in the browser.

On a static page (the site, the slides) no kernel runs an explorer's callback: a slider would
move and the picture would stay, disagreeing with it. :func:`static_explorer` builds the
explorer's *static twin*: the same controls (as selection sliders and toggle buttons over a
stated set of values), and every frame the live explorer draws for those values, computed here
by the explorer itself. The frames sit in nested ``Stack`` widgets; each control's ``index`` is
``jslink``-ed to the ``selected_index`` of the stacks of its level, so the browser alone shows the
frame of the current values. A control whose range depends on the others (the window position)
is a slider of its own inside each frame group.

Where the product of all values is too large, the twin keeps a subset (:data:`GRIDS`) and says in
words which controls stay fixed, and at what.
"""

from __future__ import annotations

import base64
import html
import io
import re

import ipywidgets as widgets

from .. import widgets as _explorers

__all__ = ["GRIDS", "frame_png", "static_explorer"]


def _with(value, values):
    """``values`` with ``value`` in it (the explorer's own starting value is always a frame)."""
    return sorted(set(values) | {value})


# explorer -> kwargs -> (outer grid: control -> values, inner control or None, fixed: control -> words)
GRIDS = {
    "explore_fc_params": lambda kw: (
        {"side": _with(kw["side"], [3, 8, 16, 28, 32, 64, 128, 224, 256, 512]), "channels": [1, 3],
         "hidden": list(dict.fromkeys([kw["hidden"], "500"]))}, None, {}),
    "explore_sharing_locality": lambda kw: ({"sharing": [False, True], "locality": [False, True]}, None, {}),
    "explore_convolution": lambda kw: (
        {"kernel": _with(kw["kernel_size"], [3, 5, 7]), "stride": _with(kw["stride"], [1, 2, 3]),
         "padding": _with(kw["padding"], [0, 1]), "dilation": _with(kw["dilation"], [1, 2])}, "position",
        {"input size": kw["input_size"]}),
    "explore_pooling": lambda kw: (
        {"kernel": _with(kw["kernel_size"], [2, 3, 4]), "stride": _with(kw["stride"], [1, 2, 3]),
         "padding": _with(kw["padding"], [0, 1]), "mode": ["max", "avg"]}, "position",
        {}),
    "explore_influence": lambda kw: (
        {"kernel": _with(kw["kernel_size"], [1, 2, 3]), "stride": _with(kw["stride"], [1, 2]),
         "row": list(range(kw["input_size"])), "col": list(range(kw["input_size"]))}, None, {}),
    "explore_receptive_field": lambda kw: ({"stack": _stacks(kw["stack"])}, None, {}),
}


def _stacks(stack):
    """The calculator's stack and the variations notebook 08 asks to try: a global pooling at the end,
    stride-2 convolutions instead of the poolings, and 7 or 8 plain 3x3 convolutions (fields 15 and 17)."""
    strided = re.sub(r"pool(\d*) 2 2 0", r"down\1 3 2 1", stack)
    return list(dict.fromkeys([stack, f"{stack}, pool 4 4 0", strided,
                               ", ".join(["conv 3 1 1"] * 7), ", ".join(["conv 3 1 1"] * 8)]))


def frame_png(png, *, colors=32):
    """An explorer's picture as a small PNG for a page: ``colors`` colours, best compression.

    The frames of a static page are many: a palette of 32 colours keeps text and lines crisp
    and makes a frame about a quarter of the explorer's own PNG.
    """
    from PIL import Image  # matplotlib's own dependency

    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=colors, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _label(value):
    return {False: "off", True: "on"}.get(value, str(value)) if isinstance(value, bool) else str(value)


def _control(original, values):
    """A control over ``values`` with the original's description, whose ``index`` picks a frame."""
    description = original.description
    if isinstance(original, widgets.IntSlider):
        return widgets.SelectionSlider(options=[(_label(v), v) for v in values], value=original.value
                                       if original.value in values else values[0], description=description,
                                       continuous_update=True, style={"description_width": "80px"},
                                       layout=widgets.Layout(width="360px"))
    value = original.value if original.value in values else values[0]
    return widgets.ToggleButtons(options=[(_label(v), v) for v in values], value=value, description=description,
                                 style={"description_width": "initial", "button_width": "auto"},
                                 layout=widgets.Layout(margin="2px 28px 2px 0"))  # apart from the next control


def _formula_breaks(line):
    """A formula line that may wrap only after an ``=`` or between formulas, never inside a term."""
    if "⌊" not in line:
        return line
    parts = re.split(r"(?<== )|(?<=,  )", line)
    return "".join(part[:-1].replace(" ", "\u00a0") + part[-1:] for part in parts)


def _frame(explorer):
    """The explorer's current state as one HTML view: its lines of text above its picture (with alt)."""
    lines = explorer.summary
    png = base64.b64encode(frame_png(bytes(explorer.views["plot"].value))).decode("ascii")
    values = [(c.description, _label(c.value)) for c in explorer.controls.values() if hasattr(c, "description")]
    # the alt names the controls' values too: a screen reader hears the position move
    alt = html.escape(f"{explorer.title} ({', '.join(f'{d} {v}' for d, v in values)}): " + "; ".join(lines), quote=True)
    text = "<br>".join(html.escape(_formula_breaks(line)) for line in lines)
    state = html.escape("; ".join(f"{d}={v}" for d, v in values), quote=True)
    return widgets.HTML(f"<div class='cnnlab-frame' data-state=\"{state}\">"
                        "<div style='font-size:15px; line-height:1.4; font-family:monospace; white-space:pre-wrap'>"
                        f"{text}</div>"
                        f"<img src='data:image/png;base64,{png}' alt=\"{alt}\" style='max-width:100%'></div>")


def static_explorer(spec):
    """The static twin of the explorer that ``spec`` names, and the list of every widget it needs.

    Parameters
    ----------
    spec : dict
        ``{"explorer": name, "kwargs": {...}}``, as an explorer stores it in its saved output's
        metadata (``metadata["cnnlab"]``).

    Returns
    -------
    twin : ipywidgets.VBox
        Title, a note on what was drawn in advance, the controls, and the nested stacks of frames.
    links : list of ipywidgets.Link
        The browser-side links from the controls to the stacks (their state belongs in the page).
    frames : int
        How many frames were drawn.
    """
    if not isinstance(spec, dict) or spec.get("explorer") not in GRIDS:
        raise ValueError(f"spec must name one of the explorers {sorted(GRIDS)}, got {spec!r}")
    kwargs = dict(spec.get("kwargs", {}))
    if spec["explorer"] == "explore_receptive_field" and kwargs.get("image") is not None:
        import numpy as np

        kwargs["image"] = np.asarray(kwargs["image"], dtype=float)
    explorer = getattr(_explorers, spec["explorer"])(**kwargs)
    grid, inner, fixed = GRIDS[spec["explorer"]](spec.get("kwargs", {}))
    names = list(grid)
    controls = {name: _control(explorer.controls[name], grid[name]) for name in names}
    links, count = [], 0

    def group(prefix):
        """The stack (or frame group) for the values ``prefix`` of the first controls."""
        nonlocal count
        if len(prefix) < len(names):
            level = names[len(prefix)]
            stack = widgets.Stack([group(prefix + (v,)) for v in grid[level]],
                                  selected_index=grid[level].index(controls[level].value))
            links.append(widgets.jslink((controls[level], "index"), (stack, "selected_index")))
            return stack
        for name, value in zip(names, prefix):
            if explorer.controls[name].value != value:  # each change redraws
                explorer.controls[name].value = value
        if inner is None:
            count += 1
            return _frame(explorer)
        slider = explorer.controls[inner]
        values = list(range(slider.min, slider.max + 1))
        frames = []
        for value in values:
            slider.value = value
            frames.append(_frame(explorer))
        count += len(frames)
        stack = widgets.Stack(frames, selected_index=0)
        slider.value = values[0]
        if len(values) == 1:  # a slider of one value does not render: say it in words
            return widgets.VBox([widgets.HTML(f"<span style='font-size:15px'>{html.escape(slider.description)}: "
                                              f"{values[0]} (the only one)</span>"), stack])
        own = _control(slider, values)
        own.value = values[0]
        links.append(widgets.jslink((own, "index"), (stack, "selected_index")))
        return widgets.VBox([own, stack])

    start = {name: controls[name].value for name in names}
    tree = group(())
    for name, value in start.items():  # leave the live explorer as it started
        explorer.controls[name].value = value
    note = "Pictures drawn in advance for the values on the controls (no kernel runs on this page)"
    if fixed:
        note += "; fixed here: " + ", ".join(f"{k} = {v}" for k, v in fixed.items())
    note += ". Run the notebook to try any value."
    rows = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
    twin = widgets.VBox([widgets.HTML(f"<b style='font-size:16px'>{html.escape(explorer.title)}</b>"),
                         widgets.HTML(f"<div style='font-size:14px'>{html.escape(note)}</div>"), rows, tree])
    twin.add_class("cnnlab-explorer")
    twin.add_class(f"cnnlab-{spec['explorer'].replace('_', '-')}")  # e.g. cnnlab-explore-pooling
    explorer.close()
    return twin, links, count

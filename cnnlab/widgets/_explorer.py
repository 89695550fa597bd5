"""The frame every explorer shares: controls, views, one update, and a static picture of the state.

An explorer is a ``VBox`` of controls and views. On every change it calls ``update()``, which
computes a pure state (``cnnlab.sliding``, ``cnnlab.params``, ``cnnlab.receptive``), writes it
into ``HTML`` and ``Image`` views in place (pictures rendered off-screen with Agg, no pyplot)
and returns the state as plain lines of text. Writing into widgets from Python keeps the
notebook outputs identical under nbval and in JupyterLab.

When displayed, an explorer's output carries, besides the widget view, an ``image/png`` of its
state with the text above the picture, and that text as ``text/plain``: a notebook opened
without a kernel (or untrusted, as a fresh clone is) shows the explorer's picture instead of a
hole.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import imread

from ..draw._style import DPI, FONT, TITLE, canvas_png, figure_png

STATIC_NOTE = "(the explorer as saved; run the notebook to move its controls)"
ERROR_COLOR = "#b00020"  # the messages also say "no output" in words: colour is never the only cue


def static_picture(title, lines, png, *, dpi=DPI):
    """One PNG: ``title`` and the text ``lines`` above the picture ``png`` (bytes)."""
    picture = imread(io.BytesIO(png))
    h, w = picture.shape[:2]
    chars = max(40, int(w / (0.61 * FONT * dpi / 72)))  # a monospace character is 0.6 em wide
    wrapped = [part for line in lines for part in (textwrap.wrap(line, chars) or [""])]
    step = 1.45 * FONT * dpi / 72
    header = int(10 + step * (len(wrapped) + 1.3))
    fig = Figure(figsize=(w / dpi, (h + header) / dpi), dpi=dpi)
    fig.figimage(picture, xo=0, yo=0, origin="upper")
    height = h + header
    fig.text(8 / w, 1 - (6 + step) / height, title, fontsize=TITLE, fontweight="bold")
    for k, line in enumerate(wrapped):
        fig.text(8 / w, 1 - (6 + step * (k + 2.1)) / height, line, fontsize=FONT, family="DejaVu Sans Mono")
    return figure_png(fig, dpi=dpi)


def html_text(text, *, error=False, pre=False):
    """``text`` escaped for an ``HTML`` view; errors in a colour *and* marked by their words."""
    body = html.escape(text)
    if pre:
        body = f"<pre style='margin:0; font-size:14px'>{body}</pre>"
    style = f"color:{ERROR_COLOR}; " if error else ""
    return f"<div style='{style}font-size:15px; line-height:1.4'>{body}</div>"


def image_view(width_px):
    """An ``Image`` view shown at the picture's own size (text stays >= 12 px), never wider than the page."""
    return widgets.Image(format="png", layout=widgets.Layout(width=f"{width_px}px", max_width="100%"))


class BlitFrames:
    """PNG frames of a figure in which, from one frame to the next, only a few artists change.

    The rest (axes, ticks, labels, grid, lines) is drawn once per ``key`` and kept as pixels;
    a frame restores them and draws the changing artists on top. The changing artists must be
    the top-most of what they overlap, so that a frame is the picture a full drawing gives
    (tested): 60 ms become about 25 ms for the parameter plot.
    """

    def __init__(self, fig):
        FigureCanvasAgg(fig)
        self.fig, self.key, self.background = fig, None, None

    def png(self, key, changing):
        canvas = self.fig.canvas
        for artist in changing:
            artist.set_animated(True)
        if key != self.key or self.background is None:
            canvas.draw()
            self.background, self.key = canvas.copy_from_bbox(self.fig.bbox), key
        else:
            canvas.restore_region(self.background)
        renderer = canvas.get_renderer()
        for artist in sorted(changing, key=lambda a: a.get_zorder()):
            if artist.get_visible():
                artist.draw(renderer)
        return canvas_png(canvas)


def set_slider_max(slider, maximum):
    """Set an ``IntSlider``'s ``max`` so that its End key reaches it too.

    noUiSlider, which draws ipywidgets' sliders, refreshes on ``updateOptions`` the range the
    mouse and the arrow keys use, but not the copy its End and Home keys read (they stay at
    the maximum the slider was built with). ipywidgets rebuilds the slider when its
    orientation changes, so a maximum above the one it was built with is followed by two
    orientation changes, which rebuild it with the new range.
    """
    if slider.max == maximum:
        return
    slider.max = maximum
    built = getattr(slider, "_cnnlab_built_max", None)
    if built is not None and maximum > built:
        slider.orientation = "vertical"
        slider.orientation = "horizontal"
        slider._cnnlab_built_max = maximum


class Explorer(widgets.VBox):
    """A ``VBox`` of controls and views around one ``update``; shows a static picture when saved.

    ``controls`` and ``views`` are dicts of the widgets, so tests (and curious learners) can
    move a control and look at the result: ``ex.controls["side"].value = 64``. ``rows`` lists
    the control names row by row (default: all in one row); ``extra`` widgets (a Play button)
    go after the controls and are not observed. ``update()`` returns the state in words, a
    list of lines, kept in ``ex.summary``. ``spec`` (the explorer's function and its keyword
    arguments, JSON) goes into the saved output's metadata, so that an edition built from the saved
    notebook can draw the explorer's frames in advance (:mod:`cnnlab.widgets.static`).
    """

    def __init__(self, title, controls, views, update, *, rows=None, extra=(), spec=None):
        self.title, self.controls, self.views, self.spec = title, controls, views, spec
        rows = rows or [list(controls)]
        boxes = [widgets.HBox([controls[name] for name in row],
                              layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
                 for row in rows]
        super().__init__([widgets.HTML(f"<b style='font-size:16px'>{html.escape(title)}</b>"), *boxes,
                          *extra, *views.values()])
        self._busy = False
        self._update = update

        def on_change(_change):
            if self._busy:  # an update that moves a control itself must not recurse
                return
            self._busy = True
            try:
                self.summary = list(update())
            finally:
                self._busy = False

        for control in controls.values():
            control.observe(on_change, names="value")
        self.summary = list(update())
        for control in controls.values():  # what the sliders' views will be built with
            if isinstance(control, widgets.IntSlider):
                control._cnnlab_built_max = control.max

    def __repr__(self):
        return f"{self.title}: " + "; ".join(self.summary)

    def static_png(self):
        """The picture of the current state: the text above the explorer's picture, as PNG bytes."""
        return static_picture(self.title, self.summary + [STATIC_NOTE], bytes(self.views["plot"].value))

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = "\n".join([self.title, *self.summary, STATIC_NOTE])
        data["image/png"] = base64.b64encode(self.static_png()).decode("ascii")
        alt = f"{self.title}, as saved: " + "; ".join(self.summary)
        metadata = {"image/png": {"alt": alt}}
        if self.spec is not None:
            metadata["cnnlab"] = self.spec
        return data, metadata

"""A training board (notebook 08): learning curves drawn while networks train, kept as a picture.

The board is a widget that :func:`cnnlab.fit` updates through ``on_epoch``. Shown with
:meth:`TrainingBoard.show` and closed with :meth:`TrainingBoard.finish`, its saved output holds
the *final* curves as an ``image/png``: a reader who opens the notebook without a kernel sees
the results of the training, not a placeholder.
"""

from __future__ import annotations

import base64

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..draw import draw_training_curves, figure_png
from ._explorer import html_text, image_view, static_picture

__all__ = ["TrainingBoard"]


class TrainingBoard(widgets.VBox):
    """Live learning curves of several networks, one epoch at a time.

    Parameters
    ----------
    names : list of str
        The networks, in the order they train.
    epochs : int
        Epochs per network (the length of the curves' x axis).
    val_label : str, optional
        What the images measured after each epoch are called ("validation", "test", ...).

    Examples
    --------
    ::

        board = TrainingBoard(["CNN", "FC"], epochs=15)
        board.show()
        for name, model in models.items():
            fit(model, ..., on_epoch=board.callback(name))
        board.finish()
    """

    def __init__(self, names, *, epochs, val_label="validation"):
        self.names, self.epochs, self.val_label = list(names), epochs, val_label
        self.histories = {name: {"loss": [], "val_acc": []} for name in self.names}
        self.progress = widgets.IntProgress(value=0, min=0, max=epochs * len(self.names),
                                            description="epochs", style={"description_width": "initial"})
        self.text = widgets.HTML()
        self.plot = image_view(960)
        self._figure = Figure(figsize=(9.6, 3.8), dpi=100)
        self._axes = self._figure.subplots(1, 2, gridspec_kw=dict(left=0.08, right=0.98, bottom=0.14,
                                                                  top=0.91, wspace=0.25))
        self._handle = None
        super().__init__([widgets.HTML("<b style='font-size:16px'>Training board</b>"), self.progress,
                          self.text, self.plot])
        self._draw()

    def lines(self):
        """The latest numbers of every network, one line each."""
        out = []
        for name, h in self.histories.items():
            if h["loss"]:
                acc = f", {self.val_label} accuracy {h['val_acc'][-1]:.2f}" if h["val_acc"] else ""
                out.append(f"{name}, epoch {len(h['loss'])}/{self.epochs}: training loss {h['loss'][-1]:.4f}{acc}")
            else:
                out.append(f"{name}: waiting")
        return out

    def _draw(self):
        self.text.value = html_text("\n".join(self.lines()), pre=True)
        draw_training_curves(self.histories, epochs=self.epochs, axes=self._axes, val_label=self.val_label)
        self.plot.value = figure_png(self._figure, fast=True)

    def callback(self, name):
        """An ``on_epoch`` for :func:`cnnlab.fit` that records network ``name`` and redraws."""
        if name not in self.histories:
            raise ValueError(f"name must be one of {self.names}, got {name!r}")

        def on_epoch(epoch, history):
            self.histories[name] = {"loss": list(history["loss"]), "val_acc": list(history["val_acc"])}
            self.progress.value = min(self.progress.value + 1, self.progress.max)
            self._draw()

        return on_epoch

    def show(self):
        """Display the board (as the output of the current cell), to be updated while training."""
        from IPython.display import display

        self._handle = display(self, display_id=True)

    def finish(self):
        """Replace the board's saved output with its final state (picture and numbers)."""
        if self._handle is not None:
            self._handle.update(self)

    def __repr__(self):
        # the same text before and after training (nbval compares it with the saved output)
        return (f"Training board: {', '.join(self.names)}, {self.epochs} epochs each "
                "(the picture shows the saved curves; run the notebook to train again)")

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        data["text/plain"] = repr(self)
        png = static_picture("Training board", self.lines(), bytes(self.plot.value))
        data["image/png"] = base64.b64encode(png).decode("ascii")
        trends = [f"{name}: training loss from {h['loss'][0]:.2f} to {h['loss'][-1]:.2f}"
                  + (f", {self.val_label} accuracy from {h['val_acc'][0]:.2f} to {h['val_acc'][-1]:.2f}"
                     if h["val_acc"] else "")
                  for name, h in self.histories.items() if h["loss"]]
        alt = (f"Learning curves, one line per network: the training loss (left) and the {self.val_label} "
               f"accuracy (right) against the epoch. " + "; ".join(trends + self.lines()))
        return data, {"image/png": {"alt": alt}}

"""Learning curves: the training loss and the monitored accuracy, epoch by epoch.

A pure drawing of training histories (from :func:`cnnlab.fit`); ``axes=None`` makes a new pyplot
figure (see :mod:`cnnlab.draw`).
"""

from __future__ import annotations

import numpy as np

from ._style import BLUE, FONT, GREEN, ORANGE, PURPLE, SMALL, VERMILLION, new_axes_row

__all__ = ["draw_training_curves"]

_STYLES = [(BLUE, "o", "-"), (ORANGE, "s", "--"), (GREEN, "^", "-."), (VERMILLION, "D", ":"), (PURPLE, "v", "-")]


def draw_training_curves(histories, *, epochs=None, axes=None, val_label="validation"):
    """The training loss (left) and the accuracy on the monitored images (right) of each network.

    Parameters
    ----------
    histories : dict of str -> dict
        Network name -> the history :func:`cnnlab.fit` returns (``loss``, ``val_acc``); a
        history may be shorter than ``epochs`` while training is under way.
    epochs : int, optional
        Length of the x axis (default: the longest history).
    axes : pair of matplotlib Axes, optional
    val_label : str, optional
        What the monitored images are called in the labels.

    Returns
    -------
    axes : (Axes, Axes)
        Each network is one line in each, told apart by colour, marker and line style.
    """
    axes = new_axes_row(axes, (9.6, 3.8), 2)
    longest = max([len(h["loss"]) for h in histories.values()] + [1])
    epochs = longest if epochs is None else epochs
    ax_loss, ax_acc = axes
    for ax in axes:
        ax.clear()
    top = 0.0
    for (name, history), (color, marker, style) in zip(histories.items(), _STYLES * 4):
        x = np.arange(1, len(history["loss"]) + 1)
        style = dict(color=color, marker=marker, linestyle=style, linewidth=2, markersize=5, label=name)
        ax_loss.plot(x, history["loss"], **style)
        ax_acc.plot(x[: len(history.get("val_acc", []))], history.get("val_acc", []), **style)
        top = max([top] + list(history["loss"]))
    ax_loss.set(xlim=(0.5, epochs + 0.5), ylim=(0, max(top * 1.1, 1e-9)))
    ax_acc.set(xlim=(0.5, epochs + 0.5), ylim=(0, 1.05))
    ax_loss.set_xlabel("epoch", fontsize=FONT)
    ax_acc.set_xlabel("epoch", fontsize=FONT)
    ax_loss.set_ylabel("training loss", fontsize=FONT)
    ax_acc.set_ylabel(f"{val_label} accuracy", fontsize=FONT)
    ax_loss.set_title("loss (cross-entropy)", fontsize=FONT)
    ax_acc.set_title(f"accuracy on the {val_label} images", fontsize=FONT)
    for ax in axes:
        ax.tick_params(labelsize=SMALL)
        ax.grid(True, alpha=0.3)
    if histories:
        ax_acc.legend(loc="lower right", fontsize=SMALL)
    return axes

"""Learning curves (the training loss and the monitored accuracy, epoch by epoch) and accuracy
against where the object is.

Pure drawings of training results (from :func:`cnnlab.fit`); ``ax=None``/``axes=None`` makes a
new pyplot figure (see :mod:`cnnlab.draw`).
"""

from __future__ import annotations

import numpy as np

from ._style import BLUE, FONT, GREEN, ORANGE, PURPLE, SMALL, VERMILLION, new_axes, new_axes_row

__all__ = ["draw_training_curves", "draw_accuracy_by_position"]

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


def draw_accuracy_by_position(positions, curves, *, trained=None, chance=None, ax=None,
                              xlabel="left column of the digit on the canvas"):
    """Accuracy of each network against the position of the object in the test images.

    Parameters
    ----------
    positions : sequence of int
        The positions tested (x axis).
    curves : dict of str -> sequence of float
        Network name -> its accuracy at each position.
    trained : (int, int), optional
        First and last position seen in training: shaded and named in the legend.
    chance : float, optional
        The accuracy of guessing: a dotted line, named in the legend.
    ax : matplotlib Axes, optional
    xlabel : str, optional

    Returns
    -------
    ax : matplotlib Axes
        One line per network, told apart by colour, marker and line style.
    """
    ax = new_axes(ax, (9.6, 4.2))
    x = np.asarray(positions)
    if trained is not None:
        ax.axvspan(trained[0] - 0.5, trained[1] + 0.5, facecolor="0.88", hatch="//", edgecolor="0.7",
                   label=f"positions seen in training ({trained[0]}-{trained[1]})")
    for (name, acc), (color, marker, style) in zip(curves.items(), _STYLES * 4):
        if len(acc) != len(x):
            raise ValueError(f"curves[{name!r}] must have one accuracy per position ({len(x)}), "
                             f"got {len(acc)}")
        ax.plot(x, acc, color=color, marker=marker, linestyle=style, linewidth=2, markersize=5, label=name)
    if chance is not None:
        ax.axhline(chance, color="black", linestyle=":", linewidth=1.5, label=f"chance ({chance:g})")
    ax.set(xlim=(x.min() - 0.5, x.max() + 0.5), ylim=(0, 1.05))
    ax.set_xlabel(xlabel, fontsize=FONT)
    ax.set_ylabel("test accuracy", fontsize=FONT)
    ax.tick_params(labelsize=SMALL)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="center right", fontsize=SMALL)
    return ax

"""Pictures for neuron grouping and locality (notebooks 03 and 04): what each neuron sees, the
outputs of groups, and a shifted input's output. (How near pixels relate: :mod:`.correlation`.)

Pure drawings: each draws on the Axes it is given (a new pyplot figure when ``ax``/``axes`` is
``None``, see :mod:`cnnlab.draw`) and returns them. Every meaning has a cue besides colour:
text in the cells, hatching, outlines, line styles and markers.
"""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from .._checks import as_int, as_pair
from ._style import BLUE, FONT, GREEN, ORANGE, PURPLE, SMALL, VERMILLION, as_image, new_axes, new_axes_row

__all__ = ["draw_neuron_inputs", "draw_group_outputs", "draw_shifted_maps"]

_UNSEEN = (0.88, 0.88, 0.88)  # pixels a neuron is not connected to: light gray and hatched
_HATCHES = ["", "//", "..", "xx", "\\\\", "oo"]  # one per group, cycling


def _as_ids(ids):
    if not isinstance(ids, np.ndarray) or ids.ndim != 2 or not np.issubdtype(ids.dtype, np.integer):
        raise TypeError("ids must be a 2-D integer ndarray (n_hidden, n_in), "
                        f"got {type(ids).__name__} {getattr(ids, 'shape', '')}")
    return ids


def draw_neuron_inputs(ids, neurons, *, input_size, image=None, weights=None, outputs=None, axes=None):
    """What each of a few hidden neurons sees of the input, and through which weights.

    One panel per neuron: the ``H x W`` input as a grid, each pixel with its flat index in the
    corner. A pixel the neuron is connected to shows the id of the weight on that connection
    (``w5``), or, with ``image`` and ``weights``, the pixel's value times that weight
    (``220`` over ``x 2``); the pixels it sees are framed. Pixels it is not connected to are
    hatched gray and empty. Equal texts in two panels are one shared weight.

    Parameters
    ----------
    ids : ndarray of int, shape (n_hidden, H*W)
        Weight ids, ``-1`` for no connection (:func:`cnnlab.layer_wiring`).
    neurons : sequence of int
        The hidden neurons to draw, one panel each.
    input_size : int or (int, int)
        ``(H, W)`` of the input.
    image : ndarray, shape (H, W), optional
        Pixel values to write in the cells.
    weights : ndarray, shape (ids.max() + 1,), optional
        The value of each weight id; with ``image``, each seen cell reads ``value`` over
        ``x weight``.
    outputs : sequence of float, optional
        One per neuron, written in its title (``h1 = -390``).
    axes : sequence of Axes, optional
        One per neuron.

    Returns
    -------
    axes : ndarray of Axes
        Each holds one ``Rectangle`` per pixel (gid ``"seen"`` or ``"unseen"``, the unseen ones
        hatched) and one unfilled frame around the pixels the neuron sees (gid ``"window"``).
    """
    ids = _as_ids(ids)
    H, W = as_pair(input_size, "input_size", minimum=1)
    if ids.shape[1] != H * W:
        raise ValueError(f"ids has {ids.shape[1]} columns, the {H}x{W} input has {H * W} pixels")
    neurons = [as_int(k, "neurons") for k in neurons]
    if not neurons or min(neurons) < 0 or max(neurons) >= ids.shape[0]:
        raise ValueError(f"neurons must be a non-empty list in 0..{ids.shape[0] - 1}, got {neurons}")
    if image is not None and as_image(image).shape != (H, W):
        raise ValueError(f"image must have shape ({H}, {W}), got {image.shape}")
    if (image is None) != (weights is None):
        raise ValueError("give image and weights together (cells read 'value x weight'), or neither")
    n = len(neurons)
    axes = np.atleast_1d(new_axes_row(axes, (min(9.6, 2.3 * n + 0.3), 2.9), n))
    for ax, k in zip(axes, neurons):
        row = ids[k].reshape(H, W)
        for r, c in np.ndindex(H, W):
            seen = row[r, c] >= 0
            y = H - 1 - r
            ax.add_patch(Rectangle((c, y), 1, 1, facecolor="white" if seen else _UNSEEN, hatch="" if seen else "//",
                                   edgecolor="0.55", linewidth=0.8, gid="seen" if seen else "unseen"))
            ax.text(c + 0.06, y + 0.94, f"{r * W + c}", ha="left", va="top", fontsize=SMALL, color="0.3")
            if not seen:
                continue
            if image is None:
                ax.text(c + 0.5, y + 0.45, f"w{row[r, c]}", ha="center", va="center", fontsize=FONT)
            else:
                ax.text(c + 0.5, y + 0.55, f"{image[r, c]:g}", ha="center", va="center", fontsize=FONT)
                ax.text(c + 0.5, y + 0.22, f"× {weights[row[r, c]]:g}", ha="center", va="center", fontsize=SMALL)
        rows, cols = np.nonzero(row >= 0)
        if rows.size:
            ax.add_patch(Rectangle((cols.min(), H - 1 - rows.max()), cols.max() - cols.min() + 1,
                                   rows.max() - rows.min() + 1, fill=False, edgecolor="black", linewidth=3,
                                   zorder=3, gid="window"))
        title = f"h{k}" if outputs is None else f"h{k} = {outputs[neurons.index(k)]:g}"
        ax.set_title(title, fontsize=FONT)
        ax.set_xlim(-0.05, W + 0.05)
        ax.set_ylim(-0.05, H + 0.05)
        ax.set_aspect("equal")
        ax.axis("off")
    return axes


def draw_group_outputs(h, group_size, *, ax=None):
    """The outputs of a layer's hidden neurons as bars, group by group.

    Each group of ``group_size`` consecutive neurons has a colour *and* a hatching of its own,
    and its name under its bars; each bar is labelled ``h<k>``.

    Parameters
    ----------
    h : ndarray, shape (n_hidden,)
        The outputs, group 0 first.
    group_size : int
        Neurons per group; must divide ``n_hidden``.
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes
        One ``Rectangle`` bar per neuron (gid ``"group <g>"``), one text per group name.
    """
    h = np.asarray(h, dtype=float)
    g = as_int(group_size, "group_size", minimum=1)
    if h.ndim != 1 or h.size % g:
        raise ValueError(f"h must be 1-D with a multiple of group_size={g} entries, got shape {h.shape}")
    ax = new_axes(ax, (8.0, 3.2))
    palette = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE]
    for k, value in enumerate(h):
        group = k // g
        ax.bar(k, value, color=palette[group % len(palette)], hatch=_HATCHES[group % len(_HATCHES)],
               edgecolor="black", linewidth=0.8, gid=f"group {group}")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(np.arange(h.size), [f"h{k}" for k in range(h.size)], fontsize=SMALL)
    ax.tick_params(axis="y", labelsize=SMALL)
    for group in range(h.size // g):
        ax.text(group * g + (g - 1) / 2, -0.2, f"group {group}", transform=ax.get_xaxis_transform(),
                ha="center", va="top", fontsize=FONT)
        if group:
            ax.axvline(group * g - 0.5, color="0.6", linestyle=":", linewidth=1)
    ax.set_ylabel("output", fontsize=FONT)
    return ax


def draw_shifted_maps(inputs, outputs, *, shift, axes=None):
    """An input and its shifted copy, their output maps, and where a feature goes.

    Panels: the two inputs on one gray scale, the two output maps on one diverging scale with
    a colourbar. The strongest output of the first map (among those that stay in the picture)
    is circled, and so is the place it must move to, ``shift`` further, on the second; the
    rows and columns of the second output that read pixels which entered with the shift are
    hatched.

    Parameters
    ----------
    inputs : (ndarray, ndarray), each (H, W)
        The input and the shifted input.
    outputs : (ndarray, ndarray), each (Ho, Wo)
        The layer's output for each (one filter).
    shift : (int, int)
        ``(dr, dc)``, rows down and columns right, both >= 0.
    axes : four Axes, optional

    Returns
    -------
    axes : ndarray of four Axes
    """
    from .arrays import draw_maps

    dr, dc = (as_int(s, "shift", minimum=0) for s in shift)
    out, moved = (np.asarray(o, dtype=float) for o in outputs)
    if out.shape != moved.shape or out.ndim != 2:
        raise ValueError(f"outputs must be two maps of one shape, got {out.shape} and {moved.shape}")
    if axes is None:
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(9.6, 3.5), layout="constrained")
        axes = fig.subplots(1, 4)
    axes = np.asarray(axes)
    draw_maps(list(inputs), axes=axes[:2], titles=["input", f"shifted: {dr} down, {dc} right"], cmap="gray",
              vmin=0, vmax=1, label="pixel value")
    draw_maps([out, moved], axes=axes[2:], titles=["output", "output, shifted input"], cmap="RdBu_r",
              label="output value")
    Ho, Wo = out.shape
    stays = np.abs(out[: Ho - dr, : Wo - dc])  # the outputs that stay in the picture after the shift
    i, j = np.unravel_index(np.argmax(stays), stays.shape)
    for ax, (r, c) in ((axes[2], (i, j)), (axes[3], (i + dr, j + dc))):
        ax.plot(c, r, "o", markersize=13, markerfacecolor="none", markeredgecolor="black", markeredgewidth=2.5)
        ax.set_xlabel(f"circle at ({r}, {c})", fontsize=SMALL)
    for x0, y0, w, h in ((-0.5, -0.5, Wo, dr), (-0.5, -0.5, dc, Ho)):
        axes[3].add_patch(Rectangle((x0, y0), w, h, facecolor="none", hatch="xx", edgecolor="0.3", linewidth=0))
    for ax in axes:
        ax.title.set_fontsize(FONT)
    for ax in axes[2:]:
        ax.set_xlim(-0.5, Wo - 0.5)
        ax.set_ylim(Ho - 0.5, -0.5)
    return axes

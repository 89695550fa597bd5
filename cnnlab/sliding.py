"""A kernel window sliding over a padded input: where it is, what it covers, what it misses.

The pure functions behind the convolution explorer of notebook 05. Coordinates are those of
the *padded* input: real pixel ``(r, c)`` sits at ``(r + ph, c + pw)``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ._checks import as_int, as_pair
from .pool import avg_pool2d_forward, max_pool2d_backward, max_pool2d_forward

__all__ = ["window_state", "draw_window_state", "pooling_state", "draw_pooling_state", "influence",
           "draw_influence"]

# RGB colours of the cells in the picture
PADDING, PIXEL, VISITED, WINDOW, UNVISITED = (0.82, 0.82, 0.82), (1, 1, 1), (0.80, 0.89, 0.97), \
    (1.0, 0.6, 0.15), (0.95, 0.55, 0.55)


def _formula(n, k, s, p, d, axis):
    extent = d * (k - 1) + 1
    value = (n + 2 * p - extent) // s + 1
    return (f"{axis} = ⌊({n} + 2·{p} − {d}·({k}−1) − 1) / {s}⌋ + 1 = "
            f"⌊{n + 2 * p - extent} / {s}⌋ + 1 = {value}")


def window_state(input_size, kernel_size, *, stride=1, padding=0, dilation=1, position=0):
    """Everything the explorer shows for one setting of the sliders.

    Parameters
    ----------
    input_size, kernel_size, stride, padding, dilation : int or (int, int)
        As in :func:`cnnlab.conv2d_forward`, for one ``H x W`` input channel.
    position : int
        Which window, counted in row-major order over the output; clipped to the last one.

    Returns
    -------
    dict
        ``valid`` (bool), ``output`` ``(Ho, Wo)`` (``(0, 0)`` if invalid), ``formula`` (two
        lines of arithmetic, one per axis), ``message`` (why the setting is invalid, or which
        pixels are never visited, or ``""``), ``position`` (clipped), ``cell`` ``(i, j)``,
        ``window`` (list of padded-input cells under the kernel's taps), ``padded`` (2-D
        array of cell kinds: 0 padding, 1 pixel), ``visited`` (cells read by the windows up to
        and including this one), ``never`` (real pixels that no window ever reads) and
        ``unvisited`` (their number).

    Examples
    --------
    The sources' 7x7 input with a 3x3 kernel gives 5x5 outputs:

    >>> window_state(7, 3)["output"]
    (5, 5)
    >>> window_state(7, 3, stride=3)["message"]
    '13 of the 49 pixels are never read: stride 3 does not fit the last 1 row(s) and 1 column(s)'
    """
    H, W = as_pair(input_size, "input_size", minimum=1)
    k = as_pair(kernel_size, "kernel_size", minimum=1)
    s = as_pair(stride, "stride", minimum=1)
    p = as_pair(padding, "padding", minimum=0)
    d = as_pair(dilation, "dilation", minimum=1)
    position = as_int(position, "position", minimum=0)
    extent = (d[0] * (k[0] - 1) + 1, d[1] * (k[1] - 1) + 1)
    Hp, Wp = H + 2 * p[0], W + 2 * p[1]
    padded = np.zeros((Hp, Wp), dtype=int)
    padded[p[0] : p[0] + H, p[1] : p[1] + W] = 1
    formula = (_formula(H, k[0], s[0], p[0], d[0], "Ho") + "\n" + _formula(W, k[1], s[1], p[1], d[1], "Wo"))
    state = {"formula": formula, "padded": padded, "visited": np.zeros((Hp, Wp), dtype=bool),
             "never": np.zeros((Hp, Wp), dtype=bool), "window": [], "cell": None, "position": 0,
             "unvisited": 0}
    if extent[0] > Hp or extent[1] > Wp:
        state.update(valid=False, output=(0, 0), message=(
            f"no output: the kernel spans {extent[0]}x{extent[1]} cells but the padded input is "
            f"only {Hp}x{Wp}, so the output size would be < 1"))
        return state
    Ho, Wo = (Hp - extent[0]) // s[0] + 1, (Wp - extent[1]) // s[1] + 1
    position = min(position, Ho * Wo - 1)
    i, j = divmod(position, Wo)
    taps_r = np.arange(k[0]) * d[0]
    taps_c = np.arange(k[1]) * d[1]
    rows = (np.arange(Ho)[:, None] * s[0] + taps_r).ravel()
    cols = (np.arange(Wo)[:, None] * s[1] + taps_c).ravel()
    ever = np.zeros((Hp, Wp), dtype=bool)
    ever[np.ix_(np.unique(rows), np.unique(cols))] = True
    never = (padded == 1) & ~ever
    unvisited = int(never.sum())
    # cells read so far: full rows of windows above row i, then windows 0..j of row i
    visited = state["visited"]
    if i > 0:
        visited[np.ix_(np.unique((np.arange(i)[:, None] * s[0] + taps_r).ravel()), np.unique(cols))] = True
    visited[np.ix_(i * s[0] + taps_r, np.unique((np.arange(j + 1)[:, None] * s[1] + taps_c).ravel()))] = True
    message = ""
    if unvisited:
        spare = ((Hp - extent[0]) % s[0], (Wp - extent[1]) % s[1])
        reasons = []
        if spare != (0, 0):
            reasons.append(f"stride {s[0] if spare[0] else s[1]} does not fit the last "
                           f"{spare[0]} row(s) and {spare[1]} column(s)")
        if d != (1, 1) and ((k[0] > 1 and d[0] > s[0]) or (k[1] > 1 and d[1] > s[1])):
            reasons.append(f"dilation {max(d)} skips cells that no stride-{min(s)} step reaches")
        message = f"{unvisited} of the {H * W} pixels are never read"
        if reasons:
            message += ": " + "; ".join(reasons)
    state.update(valid=True, output=(Ho, Wo), message=message, position=position, cell=(i, j),
                 window=[(i * s[0] + a, j * s[1] + b) for a in taps_r for b in taps_c],
                 never=never, unvisited=unvisited)
    return state


def _rgb(state):
    """Colour of every padded-input cell, and of every output cell done so far."""
    padded = state["padded"]
    image = np.empty(padded.shape + (3,))
    image[:] = PADDING
    image[padded == 1] = PIXEL
    image[state["visited"]] = VISITED
    image[state["never"]] = UNVISITED
    for r, c in state["window"]:
        image[r, c] = WINDOW
    Ho, Wo = state["output"]
    out = np.ones((max(Ho, 1), max(Wo, 1), 3))
    if state["valid"]:
        flat = out.reshape(-1, 3)
        flat[: state["position"]] = VISITED
        flat[state["position"]] = WINDOW
    return image, out


def draw_window_state(state, *, axes=None):
    """Draw the padded input with the window, and the output map filling in.

    Parameters
    ----------
    state : dict
        From :func:`window_state`.
    axes : pair of matplotlib Axes, optional
        Where to draw (input, output); a new ``Figure`` (no pyplot) if ``None``.

    Returns
    -------
    axes : (Axes, Axes)
        Each with one image; call again with the same axes to update them in place.
    """
    if axes is None:
        fig = Figure(figsize=(6.4, 3.2))
        axes = fig.subplots(1, 2, width_ratios=[1, 1])
    image, out = _rgb(state)
    for ax, picture, title in ((axes[0], image, "padded input"), (axes[1], out, "output")):
        h, w = picture.shape[:2]
        if not ax.images:
            ax.imshow(picture, interpolation="nearest")
            ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
            ax.grid(True, color="0.35", linewidth=0.8)
        ax.images[0].set_data(picture)
        if getattr(ax, "_cnnlab_grid", None) != (h, w):
            # new size: new extent and grid (ticks are costly, so only when the size changes)
            ax._cnnlab_grid = (h, w)
            ax.images[0].set_extent((-0.5, w - 0.5, h - 0.5, -0.5))
            ax.set_xlim(-0.5, w - 0.5)
            ax.set_ylim(h - 0.5, -0.5)
            ax.set_xticks(np.arange(-0.5, w, 1))
            ax.set_yticks(np.arange(-0.5, h, 1))
        ax.set_title(title, fontsize=10)
    Ho, Wo = state["output"]
    axes[1].set_title(f"output {Ho}x{Wo}" if state["valid"] else "no output", fontsize=10)
    return axes


# ----------------------------------------------------------------------------- pooling
def pooling_state(image, kernel_size, *, stride=None, padding=0, mode="max", position=0):
    """One pooling window over a 2-D image: its cells, the cell it takes, and all outputs.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    kernel_size, stride, padding
        As in :func:`cnnlab.max_pool2d_forward` (``stride=None`` means ``kernel_size``).
    mode : {"max", "avg"}
    position : int
        Which window, row-major over the output; clipped to the last one.

    Returns
    -------
    dict
        ``output`` (the pooled map, by cnnlab's kernels), ``window`` (its real cells, image
        coordinates), ``chosen`` (the cell the max took, ``None`` for ``"avg"``), ``position``,
        ``cell`` ``(i, j)``, ``formula`` (text) and ``message``.

    Examples
    --------
    >>> s = pooling_state(np.arange(16.0).reshape(4, 4), 2)
    >>> s["output"].tolist(), s["window"], s["chosen"]
    ([[5.0, 7.0], [13.0, 15.0]], [(0, 0), (0, 1), (1, 0), (1, 1)], (1, 1))
    """
    if mode not in ("max", "avg"):
        raise ValueError(f"mode must be 'max' or 'avg', got {mode!r}")
    if not isinstance(image, np.ndarray) or image.ndim != 2:
        raise TypeError("image must be a 2-D numpy ndarray (H, W)")
    k = as_pair(kernel_size, "kernel_size", minimum=1)
    s = k if stride is None else as_pair(stride, "stride", minimum=1)
    p = as_pair(padding, "padding", minimum=0)
    x = image.reshape((1, 1) + image.shape).astype(np.float64)
    pool = max_pool2d_forward if mode == "max" else avg_pool2d_forward
    out = pool(x, kernel_size=k, stride=s, padding=p)[0, 0]
    Ho, Wo = out.shape
    position = min(as_int(position, "position", minimum=0), Ho * Wo - 1)
    i, j = divmod(position, Wo)
    H, W = image.shape
    top, left = i * s[0] - p[0], j * s[1] - p[1]
    window = [(r, c) for r in range(top, top + k[0]) for c in range(left, left + k[1])
              if 0 <= r < H and 0 <= c < W]
    chosen = None
    if mode == "max":  # the cell that receives this window's gradient: ask the kernel
        dout = np.zeros((1, 1, Ho, Wo))
        dout[0, 0, i, j] = 1.0
        dx = max_pool2d_backward(dout, x, kernel_size=k, stride=s, padding=p)[0, 0]
        chosen = tuple(int(v) for v in np.argwhere(dx)[0])
    formula = (f"Ho = ⌊({H} + 2·{p[0]} − {k[0]}) / {s[0]}⌋ + 1 = {Ho},  "
               f"Wo = ⌊({W} + 2·{p[1]} − {k[1]}) / {s[1]}⌋ + 1 = {Wo}")
    if mode == "max":
        message = f"output ({i}, {j}) = {out[i, j]:g}: the largest of its window, at {chosen}"
    else:
        message = (f"output ({i}, {j}) = {out[i, j]:.3g}: the sum of its window / {k[0] * k[1]}"
                   + (" (padding counts as 0)" if len(window) < k[0] * k[1] else ""))
    return {"output": out, "window": window, "chosen": chosen, "position": position, "cell": (i, j),
            "formula": formula, "message": message, "padding": p}


def _value_grid(ax, values, fmt, *, outline=(), fill=(), fill_color=WINDOW, offset=(0, 0)):
    """Cells with their values; outlined and filled cells (row, col) shifted by ``offset``."""
    h, w = values.shape
    ax.clear()
    ax.set_xlim(-0.5, w - 0.5)
    ax.set_ylim(h - 0.5, -0.5)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for (r, c) in fill:
        ax.add_patch(Rectangle((c + offset[1] - 0.5, r + offset[0] - 0.5), 1, 1, color=fill_color))
    if outline:  # one frame around the outlined cells (a window is a rectangle)
        rows, cols = [r for r, _ in outline], [c for _, c in outline]
        ax.add_patch(Rectangle((min(cols) + offset[1] - 0.5, min(rows) + offset[0] - 0.5),
                               max(cols) - min(cols) + 1, max(rows) - min(rows) + 1, fill=False,
                               edgecolor="tab:blue", linewidth=2.5, zorder=3))
    for r in range(h):
        for c in range(w):
            ax.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, edgecolor="0.6", linewidth=0.6))
            if values[r, c] is not None and not (isinstance(values[r, c], float) and np.isnan(values[r, c])):
                ax.text(c, r, fmt(values[r, c]), ha="center", va="center", fontsize=8)


def draw_pooling_state(state, *, image, axes=None):
    """The image with the current window (blue) and the cell the max took (orange); the output.

    Returns
    -------
    axes : (Axes, Axes)
    """
    if axes is None:
        fig = Figure(figsize=(7.0, 3.4))
        axes = fig.subplots(1, 2, width_ratios=[image.shape[1], max(state["output"].shape[1], 1) + 1])
    chosen = [state["chosen"]] if state["chosen"] is not None else state["window"]
    _value_grid(axes[0], image, lambda v: f"{v:g}", outline=state["window"], fill=chosen,
                fill_color=WINDOW if state["chosen"] is not None else VISITED)
    axes[0].set_title("input: window (blue), " + ("its max (orange)" if state["chosen"] is not None
                                                   else "averaged cells"), fontsize=9)
    _value_grid(axes[1], state["output"], lambda v: f"{v:.3g}", outline=[state["cell"]],
                fill=[state["cell"]], fill_color=VISITED)
    axes[1].set_title(f"output {state['output'].shape[0]}x{state['output'].shape[1]}", fontsize=9)
    return axes


# ----------------------------------------------------------------------------- influence
def influence(input_size, kernel_size, *, stride=1, padding=0, cell=(0, 0)):
    """Which outputs an input cell feeds, and through which kernel entry.

    With ``out[i, j] = sum_uv w[u, v] * x[i*s + u - p, j*s + v - p]``, input cell ``(r, c)``
    reaches ``out[i, j]`` through ``w[u, v]`` whenever ``i*s + u - p == r`` and
    ``j*s + v - p == c``. Its gradient is the sum of ``dout[i, j] * w[u, v]`` over these pairs.

    Returns
    -------
    list of ((i, j), (u, v))
        In row-major order of the outputs.

    Examples
    --------
    A 3x3 input, a 2x2 kernel: the centre cell feeds all four outputs, each through a
    different kernel entry.

    >>> influence(3, 2, cell=(1, 1))
    [((0, 0), (1, 1)), ((0, 1), (1, 0)), ((1, 0), (0, 1)), ((1, 1), (0, 0))]
    """
    H, W = as_pair(input_size, "input_size", minimum=1)
    k = as_pair(kernel_size, "kernel_size", minimum=1)
    s = as_pair(stride, "stride", minimum=1)
    p = as_pair(padding, "padding", minimum=0)
    r, c = as_pair(cell, "cell", minimum=0)
    if r >= H or c >= W:
        raise ValueError(f"cell ({r}, {c}) is outside the {H}x{W} input")
    Ho = (H + 2 * p[0] - k[0]) // s[0] + 1
    Wo = (W + 2 * p[1] - k[1]) // s[1] + 1
    if Ho < 1 or Wo < 1:
        raise ValueError(f"kernel_size {k} is larger than the padded input {H + 2 * p[0]}x{W + 2 * p[1]}")
    pairs = []
    for i in range(Ho):
        u = r + p[0] - i * s[0]
        if not 0 <= u < k[0]:
            continue
        for j in range(Wo):
            v = c + p[1] - j * s[1]
            if 0 <= v < k[1]:
                pairs.append(((i, j), (u, v)))
    return pairs


def draw_influence(input_size, kernel_size, *, stride=1, padding=0, cell=(0, 0), axes=None):
    """The chosen input cell (orange) and the outputs it feeds, labelled with the kernel entry."""
    H, W = as_pair(input_size, "input_size", minimum=1)
    k = as_pair(kernel_size, "kernel_size", minimum=1)
    s = as_pair(stride, "stride", minimum=1)
    p = as_pair(padding, "padding", minimum=0)
    pairs = influence((H, W), k, stride=s, padding=p, cell=cell)
    Ho = (H + 2 * p[0] - k[0]) // s[0] + 1
    Wo = (W + 2 * p[1] - k[1]) // s[1] + 1
    if axes is None:
        fig = Figure(figsize=(7.0, 3.4))
        axes = fig.subplots(1, 2, width_ratios=[W, Wo + 1])
    cell = as_pair(cell, "cell", minimum=0)
    labels = np.full((H, W), None, dtype=object)
    labels[cell] = "x"
    _value_grid(axes[0], labels, str, fill=[cell])
    axes[0].set_title(f"input {H}x{W}: cell {cell}", fontsize=9)
    entries = np.full((Ho, Wo), None, dtype=object)
    for (i, j), (u, v) in pairs:
        entries[i, j] = f"w[{u},{v}]"
    _value_grid(axes[1], entries, str, fill=[ij for ij, _ in pairs], fill_color=VISITED)
    axes[1].set_title(f"output {Ho}x{Wo}: {len(pairs)} outputs read it", fontsize=9)
    return axes

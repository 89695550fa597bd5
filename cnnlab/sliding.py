"""A window sliding over an input: where it is, what it reads, what it takes, what it feeds.

The pure states behind the explorers of notebooks 05-07, one function each; they import no
drawing or widget code, so tests call them directly:

- :func:`window_state`: a convolution kernel's window over a padded input (notebook 05);
- :func:`pooling_state`: a pooling window over a small image, the cell it takes (notebook 06);
- :func:`influence` and :func:`influence_state`: which outputs one input cell feeds, through
  which kernel entry (notebook 07).

Every state has ``valid`` and ``message``: an invalid setting says so, with the current numbers,
instead of raising. Output sizes come from :mod:`cnnlab.shapes`. Coordinates in
:func:`window_state` are those of the *padded* input (real pixel ``(r, c)`` sits at
``(r + ph, c + pw)``); the other states use image coordinates.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_int, as_pair
from .avgpool import avg_pool2d_forward
from .pool import max_pool2d_backward, max_pool2d_forward
from .shapes import explain_output_size

__all__ = ["window_state", "pooling_state", "influence", "influence_state"]


def window_state(input_size, kernel_size, *, stride=1, padding=0, dilation=1, position=0):
    """Everything the convolution explorer shows for one setting of its sliders.

    Parameters
    ----------
    input_size, kernel_size, stride, padding, dilation : int or (int, int)
        As in :func:`cnnlab.conv2d_forward`, for one ``H x W`` input channel.
    position : int
        Which window, counted in row-major order over the output; clipped to the last one.

    Returns
    -------
    dict
        ``valid`` (bool); ``output`` ``(Ho, Wo)``, ``(0, 0)`` if there is no output; ``formula``
        (two lines of arithmetic with the current numbers, one per axis); ``message`` (why the
        setting has no output, which pixels are never read, or ``""``); ``position`` (clipped);
        ``cell`` ``(i, j)``; ``window`` (padded-input cells under the kernel's taps);
        ``padded`` (2-D array of cell kinds: 0 padding, 1 pixel); ``visited`` (cells read by the
        windows up to and including this one); ``never`` (real pixels that no window reads) and
        ``unvisited`` (their number); ``padding``.

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
    (f_h, Ho), (f_w, Wo) = (explain_output_size(n, k[a], stride=s[a], padding=p[a], dilation=d[a], name=name)
                            for a, (n, name) in enumerate(((H, "Ho"), (W, "Wo"))))
    state = {"formula": f_h + "\n" + f_w, "padded": padded, "visited": np.zeros((Hp, Wp), dtype=bool),
             "never": np.zeros((Hp, Wp), dtype=bool), "window": [], "cell": None, "position": 0,
             "unvisited": 0, "padding": p}
    if Ho < 1 or Wo < 1:
        state.update(valid=False, output=(0, 0), message=(
            f"no output: the kernel spans {extent[0]}x{extent[1]} cells but the padded input is "
            f"only {Hp}x{Wp}"))
        return state
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
    message = f"{unvisited} of the {H * W} pixels are never read" if unvisited else ""
    if unvisited:
        reasons = []
        tails, gaps = [], []
        for a, (n_out, taps, pa, n) in enumerate(((Ho, taps_r, p[0], H), (Wo, taps_c, p[1], W))):
            read = set((np.arange(n_out)[:, None] * s[a] + taps).ravel().tolist())
            unread = set(range(pa, pa + n)) - read  # real cells of this axis that no window reads
            tails.append(sum(1 for j in unread if j > max(read)))
            gaps.append(len(unread) - tails[-1])
        if any(tails):
            a = 0 if tails[0] else 1
            reasons.append(f"stride {s[a]} does not fit the last {tails[0]} row(s) and {tails[1]} column(s)")
        if any(gaps):
            a = 0 if gaps[0] else 1
            reasons.append(f"dilation {d[a]} leaves cells between the taps that no window reaches" if d[a] > 1
                           else f"stride {s[a]} is larger than the window's {extent[a]} cell"
                                f"{'s' if extent[a] > 1 else ''}, so neighbouring windows leave gaps")
        message += ": " + "; ".join(reasons)
    state.update(valid=True, output=(Ho, Wo), message=message, position=position, cell=(i, j),
                 window=[(i * s[0] + a, j * s[1] + b) for a in taps_r for b in taps_c],
                 never=never, unvisited=unvisited)
    return state


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
        ``valid``; ``image`` (float64 copy); ``output`` (the pooled map, by cnnlab's kernels; an
        empty ``(0, 0)`` array when invalid); ``window`` (its real cells, image coordinates);
        ``chosen`` (the cell the max took, ``None`` for ``"avg"``); ``position``; ``cell``
        ``(i, j)``; ``formula`` (the output size with the current numbers); ``message``;
        ``mode``, ``kernel_size``, ``stride``, ``padding`` (as pairs).

    Examples
    --------
    >>> s = pooling_state(np.arange(16.0).reshape(4, 4), 2)
    >>> s["output"].tolist(), s["window"], s["chosen"]
    ([[5.0, 7.0], [13.0, 15.0]], [(0, 0), (0, 1), (1, 0), (1, 1)], (1, 1))
    >>> pooling_state(np.zeros((6, 6)), 2, padding=2)["message"]
    'no output: padding 2 is more than half the window (2 // 2 = 1), so a window could hold only padding'
    """
    if mode not in ("max", "avg"):
        raise ValueError(f"mode must be 'max' or 'avg', got {mode!r}")
    if not isinstance(image, np.ndarray):
        raise TypeError(f"image must be a 2-D numpy ndarray (H, W), got {type(image).__name__}")
    if image.ndim != 2:
        raise ValueError(f"image must be 2-D (H, W), got shape {image.shape}")
    k = as_pair(kernel_size, "kernel_size", minimum=1)
    s = k if stride is None else as_pair(stride, "stride", minimum=1)
    p = as_pair(padding, "padding", minimum=0)
    position = as_int(position, "position", minimum=0)
    H, W = image.shape
    (f_h, Ho), (f_w, Wo) = (explain_output_size(n, k[a], stride=s[a], padding=p[a], name=name)
                            for a, (n, name) in enumerate(((H, "Ho"), (W, "Wo"))))
    state = {"valid": False, "image": image.astype(np.float64), "output": np.zeros((0, 0)), "window": [],
             "chosen": None, "position": 0, "cell": None, "formula": f"{f_h},  {f_w}", "mode": mode,
             "kernel_size": k, "stride": s, "padding": p}
    if p[0] > k[0] // 2 or p[1] > k[1] // 2:
        axis = 0 if p[0] > k[0] // 2 else 1
        state["formula"] += f"  (no output: padding {p[axis]} > {k[axis]} // 2)"
        state["message"] = (f"no output: padding {p[axis]} is more than half the window "
                            f"({k[axis]} // 2 = {k[axis] // 2}), so a window could hold only padding")
        return state
    if Ho < 1 or Wo < 1:
        state["message"] = (f"no output: the {k[0]}x{k[1]} window is larger than the padded "
                            f"{H + 2 * p[0]}x{W + 2 * p[1]} image")
        return state
    x = state["image"][None, None]
    pool = max_pool2d_forward if mode == "max" else avg_pool2d_forward
    out = pool(x, kernel_size=k, stride=s, padding=p)[0, 0]
    position = min(position, Ho * Wo - 1)
    i, j = divmod(position, Wo)
    top, left = i * s[0] - p[0], j * s[1] - p[1]
    window = [(r, c) for r in range(top, top + k[0]) for c in range(left, left + k[1])
              if 0 <= r < H and 0 <= c < W]
    chosen = None
    if mode == "max":  # the cell that receives this window's gradient: ask the kernel
        dout = np.zeros((1, 1, Ho, Wo))
        dout[0, 0, i, j] = 1.0
        dx = max_pool2d_backward(dout, x, kernel_size=k, stride=s, padding=p)[0, 0]
        chosen = tuple(int(v) for v in np.argwhere(dx)[0])
        message = f"output ({i}, {j}) = {out[i, j]:g}: the largest of its window, at {chosen}"
    else:
        message = (f"output ({i}, {j}) = {out[i, j]:.3g}: the sum of its window / {k[0] * k[1]}"
                   + (" (padding counts as 0)" if len(window) < k[0] * k[1] else ""))
    state.update(valid=True, output=out, window=window, chosen=chosen, position=position, cell=(i, j),
                 message=message)
    return state


def influence(input_size, kernel_size, *, stride=1, padding=0, cell=(0, 0)):
    """Which outputs an input cell feeds, and through which kernel entry.

    With ``out[i, j] = sum_uv w[u, v] * x[i*s + u - p, j*s + v - p]``, input cell ``(r, c)``
    reaches ``out[i, j]`` through ``w[u, v]`` whenever ``i*s + u - p == r`` and
    ``j*s + v - p == c``. Its gradient is the sum of ``dout[i, j] * w[u, v]`` over these pairs.

    Returns
    -------
    list of ((i, j), (u, v))
        In row-major order of the outputs.

    Raises
    ------
    ValueError
        If the cell lies outside the input, or the kernel does not fit the padded input.

    Examples
    --------
    A 3x3 input, a 2x2 kernel: the centre cell feeds all four outputs, each through a
    different kernel entry.

    >>> influence(3, 2, cell=(1, 1))
    [((0, 0), (1, 1)), ((0, 1), (1, 0)), ((1, 0), (0, 1)), ((1, 1), (0, 0))]
    """
    state = influence_state(input_size, kernel_size, stride=stride, padding=padding, cell=cell)
    if not state["valid"]:
        raise ValueError(state["message"])
    return state["pairs"]


def influence_state(input_size, kernel_size, *, stride=1, padding=0, cell=(0, 0), label=None):
    """The state of the influence explorer: :func:`influence` and what to show with it.

    Parameters
    ----------
    input_size, kernel_size, stride, padding, cell
        As in :func:`influence`.
    label : str, optional
        What the picture writes in the chosen cell (its value, say); default ``x[r,c]``.

    Returns
    -------
    dict
        ``valid``; ``input`` ``(H, W)``; ``output`` ``(Ho, Wo)`` (``(0, 0)`` if the kernel does
        not fit); ``cell``; ``pairs`` (as :func:`influence`); ``formula`` (the gradient of that
        cell as a sum of ``dout[i,j]·w[u,v]`` terms); ``message``; ``label``; ``kernel_size``,
        ``stride``, ``padding`` (pairs).

    >>> influence_state(5, 3, stride=2, cell=(2, 2))["formula"]
    'dL/dx[2,2] = dout[0,0]·w[2,2] + dout[0,1]·w[2,0] + dout[1,0]·w[0,2] + dout[1,1]·w[0,0]'
    """
    H, W = as_pair(input_size, "input_size", minimum=1)
    k = as_pair(kernel_size, "kernel_size", minimum=1)
    s = as_pair(stride, "stride", minimum=1)
    p = as_pair(padding, "padding", minimum=0)
    r, c = as_pair(cell, "cell", minimum=0)
    if r >= H or c >= W:
        raise ValueError(f"cell ({r}, {c}) is outside the {H}x{W} input")
    Ho = explain_output_size(H, k[0], stride=s[0], padding=p[0])[1]
    Wo = explain_output_size(W, k[1], stride=s[1], padding=p[1])[1]
    state = {"valid": False, "input": (H, W), "output": (0, 0), "cell": (r, c), "pairs": [],
             "formula": "", "kernel_size": k, "stride": s, "padding": p,
             "label": f"x[{r},{c}]" if label is None else str(label)}
    if Ho < 1 or Wo < 1:
        state["message"] = (f"no output: the {k[0]}x{k[1]} kernel is larger than the padded "
                            f"{H + 2 * p[0]}x{W + 2 * p[1]} input")
        return state
    pairs = []
    for i in range(Ho):
        u = r + p[0] - i * s[0]
        if not 0 <= u < k[0]:
            continue
        for j in range(Wo):
            v = c + p[1] - j * s[1]
            if 0 <= v < k[1]:
                pairs.append(((i, j), (u, v)))
    terms = " + ".join(f"dout[{i},{j}]·w[{u},{v}]" for (i, j), (u, v) in pairs) or "0"
    message = f"x[{r},{c}] feeds {len(pairs)} output(s)"
    if not pairs:  # which line of cells the windows step over
        rows = {i * s[0] + u - p[0] for i in range(Ho) for u in range(k[0])}
        line = f"row {r}" if r not in rows else f"column {c}"
        message += (f": no window reads it (windows of {k[0]}x{k[1]} cells, {s[0]} cells apart, skip {line}), "
                    "so its gradient is 0")
    state.update(valid=True, output=(Ho, Wo), pairs=pairs, formula=f"dL/dx[{r},{c}] = {terms}",
                 message=message)
    return state

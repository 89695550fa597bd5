"""Receptive fields of a stack of convolutions and poolings: how much of the input one output sees.

Two numbers per layer are enough: the side ``size`` of the input patch one output sees, and the
``jump``, the input distance between neighbouring outputs. A layer with kernel ``k`` and stride
``s`` combines ``k`` neighbouring outputs of the layer below, ``jump`` pixels apart:
``size += (k - 1) * jump``, then ``jump *= s``. Padding moves the patches but does not change
their size.

:func:`receptive_field_state` is the pure state behind the receptive-field calculator: it parses
the typed stack, follows the output sizes through it, and places one box per layer, the patch
seen by an output near the centre of that layer's map.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_int
from .shapes import conv_output_size

__all__ = ["receptive_fields", "parse_layer_stack", "receptive_field_state"]


def receptive_fields(layers):
    """Receptive field of every layer of a stack of convolutions and poolings.

    Parameters
    ----------
    layers : list of (name, kernel_size, stride, padding)
        From the input outwards; square kernels.

    Returns
    -------
    list of dict
        Per layer: ``name``; ``size``, the side of the input patch one output sees; ``jump``,
        the input distance between neighbouring outputs; ``start``, the input coordinate of
        the centre of the first output's patch (pixel centres are at integers). The recurrence:
        ``size += (k - 1) * jump``, ``start += ((k - 1) / 2 - p) * jump``, then ``jump *= s``.

    Examples
    --------
    >>> [f["size"] for f in receptive_fields([("conv", 3, 1, 0), ("pool", 2, 2, 0),
    ...                                       ("conv", 3, 1, 0), ("pool", 2, 2, 0)])]
    [3, 4, 8, 10]
    """
    if not isinstance(layers, (list, tuple)):
        raise TypeError(f"layers must be a list of (name, kernel_size, stride, padding), "
                        f"got {type(layers).__name__}")
    size, jump, start = 1, 1, 0.0  # a pixel sees itself
    fields = []
    for i, layer in enumerate(layers):
        if not isinstance(layer, (tuple, list)) or len(layer) != 4:
            raise ValueError(f"layers[{i}] must be (name, kernel_size, stride, padding), got {layer!r}")
        name, k, s, p = layer
        k = as_int(k, f"layers[{i}] kernel_size", minimum=1)
        s = as_int(s, f"layers[{i}] stride", minimum=1)
        p = as_int(p, f"layers[{i}] padding", minimum=0)
        size += (k - 1) * jump
        start += ((k - 1) / 2 - p) * jump
        jump *= s
        fields.append({"name": str(name), "size": size, "jump": jump, "start": start})
    return fields


def parse_layer_stack(text):
    """Read a typed stack, ``"conv 3 1 0, pool 2 2 0"``: ``name kernel stride padding`` per layer.

    >>> parse_layer_stack("conv 3 1 1, pool 2 2 0")
    [('conv', 3, 1, 1), ('pool', 2, 2, 0)]
    """
    if not isinstance(text, str):
        raise TypeError(f"the stack must be a str like 'conv 3 1 0, pool 2 2 0', got {type(text).__name__}")
    layers = []
    for i, part in enumerate(p for p in text.split(",") if p.strip()):
        words = part.split()
        if len(words) != 4:
            raise ValueError(f"layer {i + 1} must read 'name kernel stride padding', got {part.strip()!r}")
        try:
            name, k, s, p = words[0], *(int(v) for v in words[1:])
        except ValueError:
            raise ValueError(f"layer {i + 1}: kernel, stride and padding must be whole numbers, "
                             f"got {part.strip()!r}") from None
        if k < 1 or s < 1 or p < 0:
            raise ValueError(f"layer {i + 1} ({part.strip()!r}): kernel and stride must be at least 1 and "
                             f"padding at least 0, got kernel {k}, stride {s}, padding {p}")
        layers.append((name, k, s, p))
    if not layers:
        raise ValueError(f"list at least one layer, e.g. 'conv 3 1 0, pool 2 2 0'; got {text!r}")
    return layers


def receptive_field_state(stack, *, input_size, image=None):
    """Everything the receptive-field calculator shows for one typed stack.

    Parameters
    ----------
    stack : str or list of (name, kernel_size, stride, padding)
        The layers from the input outwards, typed as for :func:`parse_layer_stack` or already
        parsed.
    input_size : int
        Side of the square input image.
    image : ndarray, shape (input_size, input_size), optional
        A picture to draw the patches on (e.g. a test image); ``None`` for a blank grid.

    Returns
    -------
    dict
        ``valid``; ``message`` (why there is no picture, what to notice, or ``""``);
        ``input_size``; ``image``; ``layers`` (parsed); ``rows``, one dict per layer with
        ``index`` (from 1), ``name``, ``kernel``, ``stride``, ``padding``, ``output`` (side of
        the layer's output map), ``size``, ``jump``, ``cell`` (the output chosen, nearest the
        image centre) and ``box`` ``(low, high)`` (the edges of its patch on both axes, in
        pixel coordinates with pixel ``r`` spanning ``r - 0.5`` to ``r + 0.5``; a patch may reach
        past the image, into padding); ``text`` (the table as plain lines).

    Examples
    --------
    >>> s = receptive_field_state("conv 3 1 1, pool 2 2 0", input_size=8)
    >>> [(r["size"], r["output"], r["cell"], r["box"]) for r in s["rows"]]
    [(3, 8, 4, (2.5, 5.5)), (4, 4, 2, (2.5, 6.5))]
    """
    size = as_int(input_size, "input_size", minimum=1)
    if image is not None and (not isinstance(image, np.ndarray) or image.shape != (size, size)):
        got = image.shape if isinstance(image, np.ndarray) else type(image).__name__
        raise ValueError(f"image must be an ndarray of shape ({size}, {size}), got {got}")
    state = {"valid": False, "message": "", "input_size": size, "image": image, "layers": [],
             "rows": [], "text": []}
    try:
        layers = stack if isinstance(stack, (list, tuple)) else parse_layer_stack(stack)
        fields = receptive_fields(layers)
    except ValueError as error:
        state["message"] = f"no picture: {error}"
        state["text"] = [state["message"]]
        return state
    centre = (size - 1) / 2
    n_in, rows = size, []
    for i, ((name, k, s, p), field) in enumerate(zip(layers, fields), start=1):
        try:
            n_out = conv_output_size(n_in, k, stride=s, padding=p)
        except ValueError as error:
            state["message"] = f"no picture: layer {i} ({name} {k} {s} {p}) gets a {n_in}x{n_in} input: {error}"
            state["text"] = [state["message"]]
            return state
        cell = int(np.clip(np.rint((centre - field["start"]) / field["jump"]), 0, n_out - 1))
        middle = field["start"] + cell * field["jump"]
        rows.append({"index": i, "name": name, "kernel": k, "stride": s, "padding": p, "output": n_out,
                     "size": field["size"], "jump": field["jump"], "cell": cell,
                     "box": (middle - field["size"] / 2, middle + field["size"] / 2)})
        n_in = n_out
    text = [f"{'layer':<14}{'output':>9}{'field':>9}{'jump':>6}"]
    text += [f"{str(r['index']) + ' ' + r['name']:<14}{str(r['output']) + 'x' + str(r['output']):>9}"
             f"{str(r['size']) + 'x' + str(r['size']):>9}{r['jump']:>6}" for r in rows]
    last = rows[-1]
    if last["size"] > size:
        message = (f"the last field, {last['size']}x{last['size']}, is larger than the {size}x{size} "
                   f"input: one output sees the whole image, and padding around it")
    else:
        message = (f"one output of the last layer sees {last['size']}x{last['size']} of the "
                   f"{size}x{size} input; neighbouring outputs are {last['jump']} "
                   f"pixel{'s' if last['jump'] != 1 else ''} apart")
    state.update(valid=True, message=message, layers=list(layers), rows=rows, text=text + [message])
    return state

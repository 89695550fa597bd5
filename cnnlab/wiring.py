"""Which input each hidden neuron is wired to, and through which weight.

The series' steps from a fully connected layer to a convolution change only the wiring:

- fully connected: every neuron has its own weight for every input;
- *sharing*: the neurons of a group (one group per output map) use the same weights;
- *locality*: a neuron is wired only to the ``KH x KW`` window in front of it.

:func:`layer_wiring` writes the wiring down as one integer matrix, ``ids[neuron, pixel]``:
the id of the weight on that connection, ``-1`` for no connection. Equal ids are one shared
weight. The drawings colour connections by id, :func:`wiring_matrix` turns ids into the
layer's weight matrix, and without padding the number of distinct ids is the layer's parameter
count (with padding a weight whose taps all fall on the padding touches no pixel and has no
connection, so there are fewer ids than :func:`cnnlab.count_layer_params` counts weights).

Neurons are numbered like the outputs of a convolution, ``neuron = (f*Ho + i)*Wo + j``:
group ``f`` holds ``Ho*Wo`` consecutive neurons. Inputs are numbered like a flattened image,
``pixel = (c*H + r)*W + q``.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_array, as_bool, as_int, as_pair
from .shapes import conv_output_shape

__all__ = ["layer_wiring", "wiring_matrix"]


def layer_wiring(in_channels, out_channels, kernel_size, *, input_size, stride=1, padding=0,
                 dilation=1, sharing=True, locality=True):
    """Weight ids of the layer between fully connected and convolution.

    Parameters
    ----------
    in_channels : int
        Image channels ``C``.
    out_channels : int
        Number of groups ``F``.
    kernel_size : int or (int, int)
        The window ``(KH, KW)`` that fixes the layout of the neurons (``Ho x Wo`` per group)
        and, with ``locality``, what each neuron sees.
    input_size : int or (int, int)
        Image height and width ``(H, W)``.
    stride, padding, dilation : int or (int, int), optional
        Where the windows lie and how far apart their taps are, as in
        :func:`cnnlab.conv2d_forward`.
    sharing, locality : bool, optional
        The two steps; both on (default) is a convolution, both off a fully connected layer.

    Returns
    -------
    ids : ndarray of int, shape (F*Ho*Wo, C*H*W)
        ``ids[neuron, pixel]`` is the weight on that connection, ``-1`` where there is none.
        Ids are taken from ``range(count_layer_params(..., bias=False))`` in the natural order:
        with both steps, id ``(f*C + c)*KH*KW + u*KW + v`` is the convolution weight
        ``w[f, c, u, v]``. Without padding every id occurs; with padding, the id of a weight that
        only ever meets padding does not (it has no connection).

    Examples
    --------
    The article's 3x3 image, 4 groups of 2x2 neurons, 2x2 windows, sharing and locality:
    the first group's 4 neurons use weights 0-3, each on its own 4 pixels.

    >>> layer_wiring(1, 4, 2, input_size=3)[:4]
    array([[ 0,  1, -1,  2,  3, -1, -1, -1, -1],
           [-1,  0,  1, -1,  2,  3, -1, -1, -1],
           [-1, -1, -1,  0,  1, -1,  2,  3, -1],
           [-1, -1, -1, -1,  0,  1, -1,  2,  3]])
    """
    C = as_int(in_channels, "in_channels", minimum=1)
    F = as_int(out_channels, "out_channels", minimum=1)
    KH, KW = as_pair(kernel_size, "kernel_size", minimum=1)
    H, W = as_pair(input_size, "input_size", minimum=1)
    s = as_pair(stride, "stride", minimum=1)
    p = as_pair(padding, "padding", minimum=0)
    d = as_pair(dilation, "dilation", minimum=1)
    sharing, locality = as_bool(sharing, "sharing"), as_bool(locality, "locality")
    Ho, Wo = conv_output_shape((H, W), (KH, KW), stride=s, padding=p, dilation=d)
    # index grids over (F, Ho, Wo, C, H, W): neuron (f, i, j), pixel (c, r, q)
    f, i, j, c, r, q = np.ix_(range(F), range(Ho), range(Wo), range(C), range(H), range(W))
    # the pixel's offset from the neuron's window corner, in taps: an integer tap only if
    # the offset is a multiple of the dilation
    du, dv = r - (i * s[0] - p[0]), q - (j * s[1] - p[1])
    u, v = du // d[0], dv // d[1]
    in_window = ((du >= 0) & (du % d[0] == 0) & (u < KH) & (dv >= 0) & (dv % d[1] == 0) & (v < KW))
    shape = (F, Ho, Wo, C, H, W)
    owner = f if sharing else (f * Ho + i) * Wo + j
    if locality:
        tap = (c * KH + u) * KW + v  # which of the C*KH*KW window weights
        ids = np.where(in_window, owner * (C * KH * KW) + tap, -1)
    else:
        pixel = (c * H + r) * W + q
        ids = owner * (C * H * W) + pixel
    return np.broadcast_to(ids, shape).reshape(F * Ho * Wo, C * H * W).copy()


def wiring_matrix(ids, weights):
    """The weight matrix of a wired layer: ``weights[ids]``, and 0 where ``ids == -1``.

    Parameters
    ----------
    ids : ndarray of int, shape (neurons, inputs)
        From :func:`layer_wiring`.
    weights : ndarray, shape (ids.max() + 1,)
        One value per distinct weight.

    Returns
    -------
    M : ndarray, shape (neurons, inputs)
        ``M @ image.ravel()`` is the layer's output (before bias and activation).

    >>> wiring_matrix(np.array([[0, -1], [1, 0]]), np.array([2.0, 5.0]))
    array([[2., 0.],
           [5., 2.]])
    """
    if not isinstance(ids, np.ndarray) or not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"ids must be an integer ndarray from layer_wiring, got {type(ids).__name__}")
    weights = as_array(weights, "weights", ndim=1, axes="(n_weights,)")
    needed = int(ids.max()) + 1 if ids.size else 0
    if weights.shape[0] != needed:
        raise ValueError(
            f"weights must hold one value per weight id: ids use {needed}, weights has {weights.shape[0]}"
        )
    return np.where(ids >= 0, weights[np.maximum(ids, 0)] if needed else 0.0, 0.0)

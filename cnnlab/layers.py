"""A tiny layer library for CNNs in numpy, built on cnnlab's verified kernels.

Every layer has ``forward(x) -> out`` and ``backward(dout) -> dx``, and a ``params`` attribute:
the list of its :class:`Param` (``value`` and ``grad``), empty for layers without weights.
``backward`` must follow the ``forward`` of the same batch: a layer keeps from its forward pass
what its backward needs (its input, or a mask), as the frameworks do; the stateless kernels
(:func:`cnnlab.conv2d_forward` and friends) remain what the notebooks derive. ``backward``
overwrites the gradients (no accumulation across calls). Layout NCHW; weights follow the
kernels' convention, output first: ``Conv2D.w (F, C, KH, KW)``, ``Dense.w (out, in)``. The loss,
the optimisers and the training loop are in :mod:`cnnlab.training`.

>>> rng = np.random.default_rng(0)
>>> net = Sequential([Conv2D(1, 4, 3, padding=1, rng=rng), ReLU(), MaxPool2D(2), Flatten(),
...                   Dense(4 * 4 * 4, 2, rng=rng)])
>>> net.forward(np.zeros((5, 1, 8, 8))).shape
(5, 2)
>>> net.n_params
170
"""

from __future__ import annotations

import numpy as np

from . import avgpool, conv, pool
from ._checks import as_int
from .params import count_conv_params, count_fc_params

__all__ = ["Param", "Conv2D", "ReLU", "MaxPool2D", "AvgPool2D", "Flatten", "Dense", "Sequential"]


class Param:
    """A trainable array, ``value`` (updated in place by the optimisers), and ``grad``, dL/dvalue."""

    def __init__(self, value):
        self.value = value
        self.grad = np.zeros_like(value)


def _init(rng, shape, fan_in, fan_out, init):
    """He (``std = sqrt(2 / fan_in)``, for ReLU nets) or Glorot (``sqrt(2 / (fan_in + fan_out))``)."""
    if init == "he":
        std = np.sqrt(2.0 / fan_in)
    elif init == "glorot":
        std = np.sqrt(2.0 / (fan_in + fan_out))
    else:
        raise ValueError(f"init must be 'he' or 'glorot', got {init!r}")
    return generator(rng).normal(0.0, std, size=shape)


def generator(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator (np.random.default_rng(seed)), got {type(rng).__name__}")
    return rng


class Conv2D:
    """Convolution layer, :func:`cnnlab.conv2d_forward` with its own weights.

    Parameters
    ----------
    in_channels, out_channels : int
        ``C`` and ``F``.
    kernel_size : int
        Square kernels of ``kernel_size x kernel_size``.
    stride, padding : int, optional
        As in :func:`cnnlab.conv2d_forward`.
    rng : numpy.random.Generator
        Draws the initial weights.
    init : {"he", "glorot"}, optional
        He (default, for ReLU networks) or Glorot normal initialisation; biases start at 0.

    Attributes
    ----------
    w : Param, shape (F, C, K, K)
    b : Param, shape (F,)
    input_grad : bool
        ``True``; ``False`` on a first layer skips ``dx`` (``backward`` returns ``None``), as PyTorch does for images.

    Notes
    -----
    ``forward(x)`` maps ``x (N, C, H, W)`` to ``(N, F, Ho, Wo)``, keeping ``x`` and its im2col matrix
    (``C*K*K*N*Ho*Wo`` values, up to 64 MiB; reused by the next batch of that shape), so the whole batch
    is one product; ``backward(dout)`` returns ``dx`` and fills ``w.grad`` and ``b.grad`` from it.
    """

    input_grad = True
    _cols = None  # the im2col matrix the forward pass keeps for the backward pass

    def __init__(self, in_channels, out_channels, kernel_size, *, stride=1, padding=0, rng, init="he"):
        c, f = as_int(in_channels, "in_channels", minimum=1), as_int(out_channels, "out_channels", minimum=1)
        k = as_int(kernel_size, "kernel_size", minimum=1)
        self.stride, self.padding = stride, padding
        self.w = Param(_init(rng, (f, c, k, k), c * k * k, f * k * k, init))
        self.b = Param(np.zeros(f))
        self.params = [self.w, self.b]

    def forward(self, x):
        self.x, (out, self._cols) = x, conv._forward(x, self.w.value, self.b.value, self.stride, self.padding,
                                                     1, keep=True, reuse=self._cols)
        return out

    def backward(self, dout):
        dx, self.w.grad, self.b.grad = conv._backward(dout, self.x, self.w.value, self.stride, self.padding, 1,
                                                      kept=self._cols, input_grad=self.input_grad)
        return dx

    def __repr__(self):
        f, c, k, _ = self.w.value.shape
        return f"Conv2D({c}, {f}, {k}, stride={self.stride}, padding={self.padding})"


class ReLU:
    """``max(x, 0)``, elementwise; the gradient passes where ``x > 0`` (0 at ``x == 0``).

    Keeps the mask ``x > 0``. Any shape. The numbers of ``np.where(x > 0, x, 0.0)`` (NaN gives 0), 5-10x faster.
    """

    params = []

    def forward(self, x):
        self.mask = x > 0
        return np.add(out := np.fmax(x, 0.0), 0.0, out=out)  # fmax drops a NaN; + 0.0 turns its -0.0 into 0.0

    def backward(self, dout):
        dx = np.multiply(dout, self.mask) if np.isfinite(dout).all() else np.where(self.mask, dout, 0.0)
        return np.add(dx, 0.0, out=dx)  # as np.where: inf * 0 would be NaN, and + 0.0 turns -0.0 into 0.0

    def __repr__(self):
        return "ReLU()"


class _Pool:
    """Pooling, ``MaxPool2D(kernel_size, stride=None)``: ``None`` means ``kernel_size``; no parameters.

    ``forward(x)`` maps ``(N, C, H, W)`` to ``(N, C, Ho, Wo)`` and keeps ``x`` for the backward pass."""

    params = []

    def __init__(self, kernel_size, *, stride=None):
        self.kernel_size, self.stride = kernel_size, stride

    def forward(self, x):
        out, self._kept = self._forward(x, self.kernel_size, self.stride)
        return out

    def backward(self, dout):
        return self._backward(dout, self._kept)

    def __repr__(self):
        stride = self.kernel_size if self.stride is None else self.stride  # the effective stride
        return f"{type(self).__name__}({self.kernel_size}, stride={stride})"


class MaxPool2D(_Pool):
    """Max pooling, :func:`cnnlab.max_pool2d_forward`; also keeps its output (do not change it in place)."""

    _forward, _backward = staticmethod(pool._forward_keeping), staticmethod(pool._backward_kept)


class AvgPool2D(_Pool):
    """Average pooling, :func:`cnnlab.avg_pool2d_forward`; each cell of a window gets ``dout / (KH*KW)``."""

    _forward, _backward = staticmethod(avgpool._forward_keeping), staticmethod(avgpool._backward_kept)


class Flatten:
    """``(N, C, H, W) -> (N, C*H*W)``, each image in the order of ``x[n].ravel()``; keeps the shape."""

    params = []

    def forward(self, x):
        self.shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout):
        return dout.reshape(self.shape)

    def __repr__(self):
        return "Flatten()"


class Dense:
    """Fully connected layer, ``out = x @ w.T + b``: the ``h = W x + b`` of notebook 01 for a batch.

    Parameters
    ----------
    in_features, out_features : int
    rng : numpy.random.Generator
        Draws the initial weights.
    init : {"he", "glorot"}, optional
        He (default) or Glorot normal initialisation; biases start at 0.

    Attributes
    ----------
    w : Param, shape (out_features, in_features)
        Row ``i`` holds the weights into output ``i``, as ``W`` in notebook 01 and every conv
        weight ``(F, C, KH, KW)``.
    b : Param, shape (out_features,)

    Notes
    -----
    ``forward(x)`` maps ``x (N, in_features)`` to ``(N, out_features)`` and keeps ``x``;
    ``backward(dout)`` returns ``dx (N, in_features)`` and fills ``w.grad = dout.T @ x`` and
    ``b.grad = dout.sum(axis=0)``.
    """

    def __init__(self, in_features, out_features, *, rng, init="he"):
        i, o = as_int(in_features, "in_features", minimum=1), as_int(out_features, "out_features", minimum=1)
        # drawn as (in, out) and stored transposed: the same numbers as the (in, out) layout had
        self.w = Param(np.ascontiguousarray(_init(rng, (i, o), i, o, init).T))
        self.b = Param(np.zeros(o))
        self.params = [self.w, self.b]

    def forward(self, x):
        if not isinstance(x, np.ndarray) or x.ndim != 2 or x.shape[1] != self.w.value.shape[1]:
            got = x.shape if isinstance(x, np.ndarray) else type(x).__name__
            raise ValueError(f"Dense expects x of shape (N, {self.w.value.shape[1]}), got {got}")
        self.x = x
        return x @ self.w.value.T + self.b.value

    def backward(self, dout):
        self.w.grad = dout.T @ self.x
        self.b.grad = dout.sum(axis=0)
        return dout @ self.w.value

    def __repr__(self):
        return f"Dense({self.w.value.shape[1]}, {self.w.value.shape[0]})"


def _count(layer):
    if isinstance(layer, Conv2D):
        f, c, k, _ = layer.w.value.shape
        return count_conv_params(c, f, k)
    if isinstance(layer, Dense):
        return count_fc_params([layer.w.value.shape[1], layer.w.value.shape[0]])
    return sum(p.value.size for p in layer.params)


class Sequential:
    """Layers applied in order.

    Parameters
    ----------
    layers : list
        Objects with ``forward``, ``backward`` and ``params``, from the input onwards.

    Attributes
    ----------
    layers : list
    params : list of Param
        Every layer's parameters, in order (an attribute, as a layer's ``params``).
    n_params : int
        Their total number of values.
    """

    def __init__(self, layers):
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dout):
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    @property
    def params(self):
        return [p for layer in self.layers for p in layer.params]

    @property
    def n_params(self):
        return sum(p.value.size for p in self.params)

    def predict(self, x, *, batch_size=256):
        """Class indices ``(N,)``: the argmax of the scores, in batches of ``batch_size``."""
        if not len(x):
            return np.zeros(0, dtype=int)
        return np.concatenate([self.forward(x[i : i + batch_size]).argmax(axis=1)
                               for i in range(0, len(x), batch_size)])

    def summary(self, input_shape):
        """Table of layers, output shapes and parameter counts for one input of ``input_shape``.

        Conv and dense counts come from :func:`cnnlab.count_conv_params` and
        :func:`cnnlab.count_fc_params`, the same formulas the notebooks derive.
        """
        x = np.zeros((1,) + tuple(input_shape))
        rows = [("input", str(tuple(input_shape)), "")]
        for layer in self.layers:
            x = layer.forward(x)
            n = _count(layer)
            rows.append((repr(layer), str(x.shape[1:]), f"{n:,}" if n else "0"))
        rows.append(("total", "", f"{self.n_params:,}"))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        lines = [f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}" for a, b, c in rows]
        return "\n".join(lines)

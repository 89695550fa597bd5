"""A tiny layer library for training CNNs in numpy, built on cnnlab's verified kernels.

Each layer has ``forward(x)`` and ``backward(dout) -> dx``; a layer with weights keeps them in
``params``, a list of :class:`Param` (``value`` and ``grad``). ``backward`` overwrites the
gradients (no accumulation across calls). Layout NCHW, float64.

>>> rng = np.random.default_rng(0)
>>> net = Sequential([Conv2D(1, 4, 3, padding=1, rng=rng), ReLU(), MaxPool2D(2), Flatten(),
...                   Dense(4 * 4 * 4, 2, rng=rng)])
>>> net.forward(np.zeros((5, 1, 8, 8))).shape
(5, 2)
>>> net.n_params
170
"""

from __future__ import annotations

import time

import numpy as np

from ._checks import as_int
from .conv import conv2d_backward, conv2d_forward
from .params import count_conv_params, count_fc_params
from .pool import avg_pool2d_backward, avg_pool2d_forward, max_pool2d_backward, max_pool2d_forward

__all__ = ["Param", "Conv2D", "ReLU", "MaxPool2D", "AvgPool2D", "Flatten", "Dense", "Sequential",
           "SoftmaxCrossEntropy", "SGD", "Adam", "fit", "accuracy"]


class Param:
    """A trainable array and its gradient."""

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
    return _generator(rng).normal(0.0, std, size=shape)


def _generator(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator (np.random.default_rng(seed)), got {type(rng).__name__}")
    return rng


class Conv2D:
    """Convolution layer: ``w (F, C, KH, KW)``, ``b (F,)``, initialised from ``rng`` (He by default)."""

    def __init__(self, in_channels, out_channels, kernel_size, *, stride=1, padding=0, rng, init="he"):
        c, f = as_int(in_channels, "in_channels", minimum=1), as_int(out_channels, "out_channels", minimum=1)
        k = as_int(kernel_size, "kernel_size", minimum=1)
        self.stride, self.padding = stride, padding
        self.w = Param(_init(rng, (f, c, k, k), c * k * k, f * k * k, init))
        self.b = Param(np.zeros(f))
        self.params = [self.w, self.b]

    def forward(self, x):
        self.x = x
        return conv2d_forward(x, self.w.value, self.b.value, stride=self.stride, padding=self.padding)

    def backward(self, dout):
        dx, self.w.grad, self.b.grad = conv2d_backward(dout, self.x, self.w.value, stride=self.stride,
                                                       padding=self.padding)
        return dx

    def __repr__(self):
        f, c, k, _ = self.w.value.shape
        return f"Conv2D({c}, {f}, {k}, stride={self.stride}, padding={self.padding})"


class ReLU:
    """``max(x, 0)``; the gradient passes where ``x > 0``."""

    params = []

    def forward(self, x):
        self.mask = x > 0
        return np.where(self.mask, x, 0.0)

    def backward(self, dout):
        return np.where(self.mask, dout, 0.0)

    def __repr__(self):
        return "ReLU()"


class _Pool:
    params = []

    def __init__(self, kernel_size, *, stride=None):
        self.kernel_size, self.stride = kernel_size, stride

    def forward(self, x):
        self.x = x
        return self._forward(x, kernel_size=self.kernel_size, stride=self.stride)

    def backward(self, dout):
        return self._backward(dout, self.x, kernel_size=self.kernel_size, stride=self.stride)

    def __repr__(self):
        stride = self.kernel_size if self.stride is None else self.stride  # the effective stride
        return f"{type(self).__name__}({self.kernel_size}, stride={stride})"


class MaxPool2D(_Pool):
    """Max pooling (first maximum wins ties); no parameters."""

    _forward, _backward = staticmethod(max_pool2d_forward), staticmethod(max_pool2d_backward)


class AvgPool2D(_Pool):
    """Average pooling; no parameters."""

    _forward, _backward = staticmethod(avg_pool2d_forward), staticmethod(avg_pool2d_backward)


class Flatten:
    """``(N, C, H, W) -> (N, C*H*W)``, in the order of ``x[n].ravel()``."""

    params = []

    def forward(self, x):
        self.shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout):
        return dout.reshape(self.shape)

    def __repr__(self):
        return "Flatten()"


class Dense:
    """Fully connected layer ``x @ w + b`` with ``w (in, out)``, initialised from ``rng`` (He by default)."""

    def __init__(self, in_features, out_features, *, rng, init="he"):
        i, o = as_int(in_features, "in_features", minimum=1), as_int(out_features, "out_features", minimum=1)
        self.w = Param(_init(rng, (i, o), i, o, init))
        self.b = Param(np.zeros(o))
        self.params = [self.w, self.b]

    def forward(self, x):
        if x.ndim != 2 or x.shape[1] != self.w.value.shape[0]:
            raise ValueError(f"Dense expects x of shape (N, {self.w.value.shape[0]}), got {x.shape}")
        self.x = x
        return x @ self.w.value + self.b.value

    def backward(self, dout):
        self.w.grad = self.x.T @ dout
        self.b.grad = dout.sum(axis=0)
        return dout @ self.w.value.T

    def __repr__(self):
        return f"Dense({self.w.value.shape[0]}, {self.w.value.shape[1]})"


def _count(layer):
    if isinstance(layer, Conv2D):
        f, c, k, _ = layer.w.value.shape
        return count_conv_params(c, f, k)
    if isinstance(layer, Dense):
        return count_fc_params(list(layer.w.value.shape))
    return sum(p.value.size for p in layer.params)


class Sequential:
    """Layers applied in order."""

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

    def params(self):
        return [p for layer in self.layers for p in layer.params]

    @property
    def n_params(self):
        return sum(p.value.size for p in self.params())

    def predict(self, x, *, batch_size=256):
        return np.concatenate([self.forward(x[i : i + batch_size]).argmax(axis=1)
                               for i in range(0, len(x), batch_size)]) if len(x) else np.zeros(0, int)

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


class SoftmaxCrossEntropy:
    """Mean cross-entropy of softmax(logits) against integer labels, numerically stable."""

    def forward(self, logits, y):
        shifted = logits - logits.max(axis=1, keepdims=True)  # exp never overflows
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.probs, self.y = np.exp(log_probs), y
        return float(-log_probs[np.arange(len(y)), y].mean())

    def backward(self):
        d = self.probs.copy()
        d[np.arange(len(self.y)), self.y] -= 1.0
        return d / len(self.y)


class SGD:
    """Gradient descent with momentum: ``v = m*v - lr*grad; value += v``."""

    def __init__(self, params, *, lr, momentum=0.0):
        self.params, self.lr, self.momentum = list(params), lr, momentum
        self.velocity = [np.zeros_like(p.value) for p in self.params]

    def step(self):
        for p, v in zip(self.params, self.velocity):
            v *= self.momentum
            v -= self.lr * p.grad
            p.value += v


class Adam:
    """Adam (Kingma & Ba), with bias correction."""

    def __init__(self, params, *, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.betas, self.eps = list(params), lr, betas, eps
        self.m = [np.zeros_like(p.value) for p in self.params]
        self.v = [np.zeros_like(p.value) for p in self.params]
        self.t = 0

    def step(self):
        self.t += 1
        b1, b2 = self.betas
        for p, m, v in zip(self.params, self.m, self.v):
            m *= b1
            m += (1 - b1) * p.grad
            v *= b2
            v += (1 - b2) * p.grad ** 2
            m_hat, v_hat = m / (1 - b1 ** self.t), v / (1 - b2 ** self.t)
            p.value -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


def accuracy(model, x, y):
    """Fraction of ``x`` that ``model`` classifies as ``y``."""
    return float(np.mean(model.predict(x) == y)) if len(y) else 0.0


def fit(model, x, y, *, epochs, batch_size, optimizer, rng, x_val=None, y_val=None, on_epoch=None):
    """Train ``model`` with mini-batches in a random order drawn from ``rng``.

    Returns
    -------
    history : dict
        Per epoch: ``loss`` (mean training loss), ``train_acc``, ``val_acc`` (if validation
        data is given); and ``seconds``, the total training time.
    """
    loss_fn = SoftmaxCrossEntropy()
    history = {"loss": [], "train_acc": [], "val_acc": [], "seconds": 0.0}
    start = time.perf_counter()
    for epoch in range(as_int(epochs, "epochs", minimum=1)):
        order = _generator(rng).permutation(len(x))
        losses = []
        for i in range(0, len(x), batch_size):
            batch = order[i : i + batch_size]
            loss = loss_fn.forward(model.forward(x[batch]), y[batch])
            model.backward(loss_fn.backward())
            optimizer.step()
            losses.append(loss * len(batch))
        history["loss"].append(float(np.sum(losses) / len(x)))
        history["train_acc"].append(accuracy(model, x, y))
        if x_val is not None:
            history["val_acc"].append(accuracy(model, x_val, y_val))
        history["seconds"] = time.perf_counter() - start
        if on_epoch is not None:
            on_epoch(epoch, history)
    return history

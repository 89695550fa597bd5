"""Training the networks of :mod:`cnnlab.layers`: the loss, two optimisers, the loop, the score.

>>> rng = np.random.default_rng(0)
>>> from cnnlab.layers import Dense, Sequential
>>> net = Sequential([Dense(4, 2, rng=rng)])
>>> x, y = rng.normal(size=(32, 4)), np.arange(32) % 2
>>> history = fit(net, x, y, epochs=3, batch_size=8, optimizer=SGD(net.params, lr=0.1), rng=rng)
>>> len(history["loss"]), 0.0 <= history["train_acc"][-1] <= 1.0
(3, True)
"""

from __future__ import annotations

import time

import numpy as np

from ._checks import as_int
from .layers import generator

__all__ = ["SoftmaxCrossEntropy", "SGD", "Adam", "fit", "accuracy"]


class SoftmaxCrossEntropy:
    """Mean cross-entropy of softmax(scores) against integer labels, numerically stable.

    ``forward(scores, y)`` takes ``scores (N, classes)`` and ``y (N,)`` of ints and returns the
    loss (a float); it shifts each row by its maximum, so ``exp`` never overflows, and keeps the
    probabilities. ``backward()`` returns ``dL/dscores = (p - onehot(y)) / N``, shape ``(N, classes)``.
    """

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
    """Gradient descent with momentum: ``v = m*v - lr*grad; value += v``.

    Parameters
    ----------
    params : list of Param
    lr : float
        Learning rate.
    momentum : float, optional
        0 (default) is the plain step ``value -= lr * grad`` of notebook 07.
    """

    def __init__(self, params, *, lr, momentum=0.0):
        self.params, self.lr, self.momentum = list(params), lr, momentum
        self.velocity = [np.zeros_like(p.value) for p in self.params]

    def step(self):
        for p, v in zip(self.params, self.velocity):
            v *= self.momentum
            v -= self.lr * p.grad
            p.value += v


class Adam:
    """Adam (Kingma & Ba, 2015), with bias correction.

    Keeps running averages of each weight's gradient (``m``) and of its square (``v``) and
    steps by ``lr * m_hat / (sqrt(v_hat) + eps)``, so every weight gets a step of about ``lr``
    whatever the size of its gradient.

    Parameters
    ----------
    params : list of Param
    lr : float, optional
    betas : (float, float), optional
        Decay rates of the two averages.
    eps : float, optional
    """

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
    """Fraction of ``x (N, ...)`` that ``model`` classifies as ``y (N,)``; 0.0 for no images."""
    return float(np.mean(model.predict(x) == y)) if len(y) else 0.0


def fit(model, x, y, *, epochs, batch_size, optimizer, rng, x_val=None, y_val=None, on_epoch=None):
    """Train ``model`` with mini-batches in a random order drawn from ``rng``.

    Parameters
    ----------
    model : Sequential
    x : ndarray, shape (N, C, H, W)
    y : ndarray of int, shape (N,)
    epochs, batch_size : int
    optimizer : SGD or Adam
        Built on ``model.params``.
    rng : numpy.random.Generator
        Draws the order of the images in every epoch.
    x_val, y_val : ndarray, optional
        Images to measure after every epoch (the validation set).
    on_epoch : callable, optional
        ``on_epoch(epoch, history)`` after every epoch, e.g. to draw live curves.

    Returns
    -------
    history : dict
        Per epoch: ``loss`` (mean training loss), ``train_acc``, ``val_acc`` (if validation
        data is given); and ``seconds``, the total training time.
    """
    loss_fn = SoftmaxCrossEntropy()
    history = {"loss": [], "train_acc": [], "val_acc": [], "seconds": 0.0}
    batch_size = as_int(batch_size, "batch_size", minimum=1)
    start = time.perf_counter()
    for epoch in range(as_int(epochs, "epochs", minimum=1)):
        order = generator(rng).permutation(len(x))
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

"""Numerical gradients by centred differences, and the relative error to compare them with.

Used by the tests and by the notebook on backpropagation: an analytic gradient is trusted
only once it agrees with the numbers these functions compute.
"""

from __future__ import annotations

import numpy as np

__all__ = ["numerical_gradient", "rel_error"]


def numerical_gradient(f, x, dout, *, h=1e-5):
    """Gradient of ``sum(f(x) * dout)`` with respect to ``x``, by centred differences.

    Parameters
    ----------
    f : callable
        ``f(x) -> ndarray``; it must not keep ``x`` between calls.
    x : ndarray
        Point at which to differentiate, float64 for meaningful digits. It is perturbed
        one entry at a time and restored, so it is unchanged on return.
    dout : ndarray
        Upstream gradient, the shape of ``f(x)``; a random one catches more bugs than ones.
    h : float, optional
        Step: ``(f(x + h e_i) - f(x - h e_i)) / (2h)``; the error is ``O(h^2)``.

    Returns
    -------
    grad : ndarray, shape of ``x``

    Notes
    -----
    ``2 * x.size`` calls of ``f``: use small inputs.

    Examples
    --------
    >>> x = np.array([1.0, 2.0, 3.0])
    >>> np.round(numerical_gradient(lambda v: v ** 2, x, np.ones(3)), 6)
    array([2., 4., 6.])
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        got = f"ndarray of {x.dtype}" if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"x must be a float ndarray (it is perturbed in place), got {got}")
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = np.sum(f(x) * dout)
        x[i] = old - h
        minus = np.sum(f(x) * dout)
        x[i] = old
        grad[i] = (plus - minus) / (2 * h)
    return grad


def rel_error(a, b):
    """Largest relative difference ``|a - b| / max(1e-8, |a| + |b|)``, as in cs231n.

    About 1e-7 or below means the two agree as well as float64 centred differences allow;
    1e-2 or above means a bug.

    >>> round(rel_error(np.array([1.0, 2.0]), np.array([1.0, 2.000002])), 9)
    5e-07
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))

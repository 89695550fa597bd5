"""Validation shared by the public entry points.

Every public function checks its arguments here, at the door, so the kernels behind it can
trust their inputs. The rule for messages: name the argument, say what was expected and
what arrived. ``TypeError`` for a wrong type, ``ValueError`` for a bad value.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["as_array", "as_bool", "as_int", "as_pair", "check_dout", "common_float_dtype"]


def as_int(value, name, *, minimum=None):
    """Return ``value`` as a Python int; reject bool, float and anything else.

    >>> as_int(np.int32(3), "stride", minimum=1)
    3
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be an int, got {type(value).__name__} {value!r}"
        )
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def as_pair(value, name, *, minimum=None):
    """Return ``value`` as a ``(h, w)`` pair of ints: an int ``k`` means ``(k, k)``.

    >>> as_pair(2, "stride")
    (2, 2)
    >>> as_pair((3, 1), "kernel_size", minimum=1)
    (3, 1)
    """
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            count = f"{len(value)} value" + ("" if len(value) == 1 else "s")
            raise ValueError(f"{name} must be an int or a pair (h, w), got {count}: {tuple(value)!r}")
        return tuple(as_int(v, f"{name}[{i}]", minimum=minimum) for i, v in enumerate(value))
    if isinstance(value, np.ndarray):
        raise TypeError(f"{name} must be an int or a pair (h, w), got ndarray {value!r}")
    k = as_int(value, name, minimum=minimum)
    return (k, k)


def as_array(value, name, *, ndim, axes):
    """Check that ``value`` is an ndarray of ``ndim`` dimensions with a usable dtype.

    Float32 and float64 arrays pass through unchanged (never copied, never written to);
    integer arrays become float64, so a small integer grid can be typed by hand.

    Parameters
    ----------
    value : object
        What the caller passed.
    name : str
        The argument's name, for the messages.
    ndim : int
        The required number of dimensions.
    axes : str
        The layout spelled out for the message, e.g. ``"(N, C, H, W)"``.
    """
    if not isinstance(value, np.ndarray):
        raise TypeError(
            f"{name} must be a numpy ndarray of shape {axes}, got {type(value).__name__}"
        )
    if value.ndim != ndim:
        raise ValueError(
            f"{name} must have {ndim} dimension{'s' if ndim != 1 else ''} {axes}, "
            f"got {value.ndim} with shape {value.shape}"
        )
    if value.dtype in (np.float32, np.float64):
        return value
    if np.issubdtype(value.dtype, np.integer):
        return value.astype(np.float64)
    raise TypeError(
        f"{name} must have dtype float32 or float64 (integers are converted to float64), "
        f"got {value.dtype}"
    )


def common_float_dtype(**arrays):
    """Return the one float dtype the named arrays compute in, or raise ``TypeError``.

    Pass the arrays *as the caller gave them*: integer arrays count as float64 and the
    message says so. Mixing float32 and float64 is refused rather than silently upcast: the
    caller decides.
    """
    given = {name: a.dtype for name, a in arrays.items() if a is not None}
    effective = {name: (np.dtype(np.float64) if dt.kind in "iu" else dt) for name, dt in given.items()}
    if len(set(effective.values())) > 1:
        listed = ", ".join(
            f"{name} is {dt}" + (" (taken as float64)" if dt.kind in "iu" else "")
            for name, dt in given.items()
        )
        raise TypeError(f"all arrays must share one dtype (float32 or float64), but {listed}")
    return next(iter(effective.values()))


def as_bool(value, name):
    """Return ``value`` as a Python bool; ``np.True_`` is fine, ``1`` and ``"yes"`` are not."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def check_dout(dout, expected, x_dtype, *, axes="(N, F, Ho, Wo)"):
    """Validate an upstream gradient: an ndarray of the output's shape and of ``x``'s dtype."""
    given = dout
    dout = as_array(dout, "dout", ndim=4, axes=axes)
    if dout.shape != expected:
        raise ValueError(
            f"dout must have the output's shape {axes} = {expected}, got {dout.shape}"
        )
    if dout.dtype != x_dtype:
        raise TypeError(
            f"all arrays must share one dtype, but dout is {given.dtype} and x is {x_dtype}"
        )
    return dout

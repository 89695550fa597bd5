"""Instant self-checks for the exercises at the end of each notebook.

An exercise asks the learner to write a function. :func:`check` calls it on many randomized
cases (drawn from a fixed seed, so the report is the same on every run), compares each answer
with cnnlab's reference and reports the first case that fails, in plain words::

    check("flat-index", flat_index)
    # passed: 25 random cases agree with the reference.

The exercises live in :data:`EXERCISES`, each with a generator of cases and a reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .conv import conv2d_backward, conv2d_forward
from .params import count_fc_params, count_layer_params
from .pool import max_pool2d_backward, max_pool2d_forward
from .shapes import conv_output_size, receptive_fields

__all__ = ["Exercise", "Report", "check", "EXERCISES"]


@dataclass(frozen=True)
class Exercise:
    """A function to write: how to draw a case, and what the answer should be.

    Attributes
    ----------
    name : str
        Key in :data:`EXERCISES`.
    signature : str
        How the learner's function is called, e.g. ``"flat_index(r, c, width)"``.
    cases : callable
        ``cases(rng) -> dict`` of keyword arguments for one random case.
    reference : callable
        ``reference(**case)``: the right answer.
    """

    name: str
    signature: str
    cases: Callable
    reference: Callable


@dataclass(frozen=True)
class Report:
    """The outcome of :func:`check`; true when every case passed. Shows as its message."""

    passed: bool
    message: str

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return self.message


def _same(got, expected):
    if isinstance(expected, np.ndarray) or isinstance(got, np.ndarray):
        got_a = np.asarray(got)
        return got_a.shape == np.shape(expected) and np.allclose(got_a, expected, rtol=1e-9, atol=1e-12)
    if isinstance(expected, float):
        return isinstance(got, (int, float, np.number)) and np.isclose(got, expected, rtol=1e-9)
    return type(got) is not bool and got == expected


def _show(value):
    if isinstance(value, np.ndarray) and value.size > 8:
        return f"<array of shape {value.shape}>"
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=4, separator=", ", threshold=40)
    return repr(value)


def check(exercise, fn, *, n_cases=25, seed=0):
    """Run ``fn`` on ``n_cases`` random cases and compare with the reference.

    Parameters
    ----------
    exercise : str or Exercise
        The exercise, or its name in :data:`EXERCISES`.
    fn : callable
        The learner's function, called with the case's keyword arguments.
    n_cases : int
        How many cases to try.
    seed : int
        Seed of the case generator (the same cases on every run).

    Returns
    -------
    Report
        ``bool(report)`` tells whether all cases passed; it displays its message.
    """
    if isinstance(exercise, str):
        if exercise not in EXERCISES:
            raise ValueError(f"no exercise named {exercise!r}; known: {', '.join(sorted(EXERCISES))}")
        exercise = EXERCISES[exercise]
    if not callable(fn):
        raise TypeError(f"fn must be your function, got {type(fn).__name__}")
    rng = np.random.default_rng(seed)
    for k in range(1, n_cases + 1):
        case = exercise.cases(rng)
        call = f"{exercise.signature.split('(')[0]}({', '.join(f'{a}={_show(v)}' for a, v in case.items())})"
        expected = exercise.reference(**{a: (v.copy() if isinstance(v, np.ndarray) else v)
                                          for a, v in case.items()})
        try:
            got = fn(**case)
        except NotImplementedError:
            return Report(False, f"not yet: {exercise.signature} still raises NotImplementedError.")
        except Exception as error:  # the learner's bug, reported in words
            return Report(False, f"failed on case {k} of {n_cases}: {call} raised "
                                 f"{type(error).__name__}: {error}")
        if not _same(got, expected):
            kinds = ""
            if type(got) is not type(expected) and not (
                    isinstance(got, (int, float, np.number)) and isinstance(expected, (int, float, np.number))):
                kinds = f" (a {type(got).__name__}, expected a {type(expected).__name__})"
            return Report(False, f"failed on case {k} of {n_cases}: {call} returned {_show(got)}{kinds}, "
                                 f"expected {_show(expected)}.")
    return Report(True, f"passed: {n_cases} random cases agree with the reference.")


# ----------------------------------------------------------------------------- the exercises
def _flat_case(rng):
    height, width = (int(v) for v in rng.integers(1, 12, size=2))
    return {"r": int(rng.integers(0, height)), "c": int(rng.integers(0, width)), "width": width}


def _dense_case(rng):
    n_in, n_out = (int(v) for v in rng.integers(1, 10, size=2))
    return {"x": rng.normal(size=n_in), "weights": rng.normal(size=(n_out, n_in)),
            "bias": rng.normal(size=n_out)}


def _sizes_case(rng):
    return {"sizes": [int(v) for v in rng.integers(1, 200, size=int(rng.integers(2, 6)))]}


def _image_fc_case(rng):
    return {"side": int(rng.integers(1, 300)), "channels": int(rng.choice([1, 3])),
            "hidden": int(rng.integers(1, 2000))}


def _grouped_case(rng):
    n_groups, group_size, n_in = (int(v) for v in rng.integers(1, 7, size=3))
    return {"x": rng.normal(size=n_in), "shared": rng.normal(size=(n_groups, n_in)),
            "group_size": group_size}


def _window_case(rng):
    side = int(rng.integers(2, 7))
    k = int(rng.integers(1, side + 1))
    n_out = side - k + 1
    return {"neuron": int(rng.integers(0, n_out * n_out)), "side": side, "kernel": k}


def _layer_case(rng):
    side = int(rng.integers(2, 30))
    return {"side": side, "kernel": int(rng.integers(1, side + 1)),
            "groups": int(rng.integers(1, 9)), "sharing": bool(rng.integers(0, 2)),
            "locality": bool(rng.integers(0, 2))}


def _shift_case(rng):
    image = rng.normal(size=(int(rng.integers(3, 9)), int(rng.integers(4, 12))))
    image[:, 1:] += image[:, :-1]  # neighbours correlate, as in photos
    return {"image": image, "d": int(rng.integers(1, image.shape[1] - 1))}


def _output_size_case(rng):
    n, kernel = int(rng.integers(1, 40)), int(rng.integers(1, 8))
    padding = int(rng.integers(0, 4))
    if kernel > n + 2 * padding:  # keep the kernel inside the padded input
        n = kernel
    return {"n": n, "kernel": kernel, "stride": int(rng.integers(1, 5)), "padding": padding}


def _correlate_case(rng):
    H, W = (int(v) for v in rng.integers(2, 9, size=2))
    KH, KW = int(rng.integers(1, H + 1)), int(rng.integers(1, W + 1))
    return {"image": rng.normal(size=(H, W)), "kernel": rng.normal(size=(KH, KW))}


def _cross_correlate(image, kernel):
    x = image.reshape((1, 1) + image.shape)
    return conv2d_forward(x, kernel.reshape((1, 1) + kernel.shape))[0, 0]


def _pool_case(rng):
    size, stride = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    H, W = (int(v) for v in rng.integers(size, size + 7, size=2))
    # small integers: ties happen, as after a ReLU
    return {"image": rng.integers(0, 4, size=(H, W)).astype(float), "size": size, "stride": stride}


def _max_pool(image, size, stride):
    x = image.reshape((1, 1) + image.shape)
    return max_pool2d_forward(x, kernel_size=size, stride=stride)[0, 0]


def _pool_backward_case(rng):
    case = _pool_case(rng)
    if rng.random() < 0.5:  # overlapping windows half of the time
        case["size"], case["stride"] = 3, 1
        case["image"] = rng.integers(0, 4, size=(int(rng.integers(3, 8)), int(rng.integers(3, 8)))).astype(float)
    Ho, Wo = _max_pool(case["image"], case["size"], case["stride"]).shape
    case["dout"] = rng.normal(size=(Ho, Wo))
    return {"dout": case["dout"], "image": case["image"], "size": case["size"], "stride": case["stride"]}


def _max_pool_backward(dout, image, size, stride):
    x = image.reshape((1, 1) + image.shape)
    return max_pool2d_backward(dout.reshape((1, 1) + dout.shape), x, kernel_size=size, stride=stride)[0, 0]


def _pooled_inputs_case(rng):
    size = int(rng.integers(1, 5))
    return {"side": int(rng.integers(size, 64)), "channels": int(rng.integers(1, 65)), "size": size,
            "stride": int(rng.integers(1, 5))}


def _dw_case(rng):
    H, W = (int(v) for v in rng.integers(2, 9, size=2))
    Ho, Wo = int(rng.integers(1, H + 1)), int(rng.integers(1, W + 1))
    return {"image": rng.normal(size=(H, W)), "dout": rng.normal(size=(Ho, Wo))}


def _conv_dw(image, dout):
    x = image.reshape((1, 1) + image.shape)
    w = np.zeros((1, 1, image.shape[0] - dout.shape[0] + 1, image.shape[1] - dout.shape[1] + 1))
    return conv2d_backward(dout.reshape((1, 1) + dout.shape), x, w)[1][0, 0]


def _dilate_case(rng):
    return {"delta": rng.normal(size=tuple(int(v) for v in rng.integers(1, 6, size=2))),
            "stride": int(rng.integers(1, 4))}


def _dilate(delta, stride):
    h, w = delta.shape
    out = np.zeros(((h - 1) * stride + 1, (w - 1) * stride + 1))
    out[::stride, ::stride] = delta
    return out


def _receptive_case(rng):
    n = int(rng.integers(1, 6))
    return {"kernels": [int(v) for v in rng.integers(1, 6, size=n)],
            "strides": [int(v) for v in rng.integers(1, 4, size=n)]}


def _relu_case(rng):
    shape = tuple(int(v) for v in rng.integers(1, 6, size=int(rng.integers(1, 4))))
    x = rng.normal(size=shape)
    x[rng.random(shape) < 0.2] = 0.0  # exact zeros: the gradient there is 0, as in the frameworks
    return {"dout": rng.normal(size=shape), "x": x}


def _row_correlation(image, d):
    a, b = image[:, :-d].ravel(), image[:, d:].ravel()
    return float(np.corrcoef(a, b)[0, 1])


def _offset_case(rng):
    image = rng.normal(size=(int(rng.integers(4, 10)), int(rng.integers(4, 10))))
    image[:, 1:] += image[:, :-1]  # neighbours correlate, as in photos
    image[1:] += image[:-1]
    return {"image": image, "dr": int(rng.integers(-2, 3)), "dc": int(rng.integers(-2, 3))}


def _offset_correlation(image, dr, dc):
    H, W = image.shape
    a = image[max(0, -dr) : H - max(0, dr), max(0, -dc) : W - max(0, dc)]
    b = image[max(0, dr) : H + min(0, dr), max(0, dc) : W + min(0, dc)]
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def _window_pixels(neuron, side, kernel):
    n_out = side - kernel + 1
    i, j = divmod(neuron, n_out)
    return sorted((i + u) * side + (j + v) for u in range(kernel) for v in range(kernel))


EXERCISES = {e.name: e for e in [
    Exercise("flat-index", "flat_index(r, c, width)", _flat_case,
             lambda r, c, width: r * width + c),
    Exercise("dense-forward", "dense_forward(x, weights, bias)", _dense_case,
             lambda x, weights, bias: weights @ x + bias),
    Exercise("fc-weights-for-image", "fc_weights_for_image(side, channels, hidden)", _image_fc_case,
             lambda side, channels, hidden: side * side * channels * hidden),
    Exercise("fc-params", "fc_params(sizes)", _sizes_case,
             lambda sizes: count_fc_params(sizes, bias=True)),
    Exercise("float32-megabytes", "float32_megabytes(side, channels, hidden)", _image_fc_case,
             lambda side, channels, hidden: side * side * channels * hidden * 4 / 1e6),
    Exercise("grouped-forward", "grouped_forward(x, shared, group_size)", _grouped_case,
             lambda x, shared, group_size: np.repeat(shared @ x, group_size)),
    Exercise("window-pixels", "window_pixels(neuron, side, kernel)", _window_case,
             _window_pixels),
    Exercise("layer-params", "layer_params(side, kernel, groups, sharing, locality)", _layer_case,
             lambda side, kernel, groups, sharing, locality: count_layer_params(
                 side, kernel, groups, sharing=sharing, locality=locality)),
    Exercise("shift-correlation", "shift_correlation(image, d)", _shift_case, _row_correlation),
    Exercise("offset-correlation", "offset_correlation(image, dr, dc)", _offset_case,
             _offset_correlation),
    Exercise("output-size", "output_size(n, kernel, stride, padding)", _output_size_case,
             lambda n, kernel, stride, padding: conv_output_size(n, kernel, stride=stride, padding=padding)),
    Exercise("cross-correlate", "cross_correlate(image, kernel)", _correlate_case, _cross_correlate),
    Exercise("flip-kernel", "true_convolve(image, kernel)", _correlate_case,
             lambda image, kernel: _cross_correlate(image, kernel[::-1, ::-1])),
    Exercise("max-pool-2d", "max_pool(image, size, stride)", _pool_case, _max_pool),
    Exercise("pooled-inputs", "pooled_inputs(side, channels, size, stride)", _pooled_inputs_case,
             lambda side, channels, size, stride: channels * conv_output_size(side, size, stride=stride) ** 2),
    Exercise("max-pool-backward", "max_pool_backward(dout, image, size, stride)", _pool_backward_case,
             _max_pool_backward),
    Exercise("conv-weight-gradient", "conv_dw(image, dout)", _dw_case, _conv_dw),
    Exercise("dilate", "dilate(delta, stride)", _dilate_case, _dilate),
    Exercise("receptive-field", "receptive_field(kernels, strides)", _receptive_case,
             lambda kernels, strides: receptive_fields(
                 [("layer", k, s, 0) for k, s in zip(kernels, strides)])[-1]["size"]),
    Exercise("relu-backward", "relu_backward(dout, x)", _relu_case,
             lambda dout, x: np.where(x > 0, dout, 0.0)),
]}


"""Instant self-checks for the exercises at the end of each notebook.

An exercise asks the learner to write a function. :func:`check` calls it on many randomized
cases (drawn from a fixed seed, so the report is the same on every run), compares each answer
with cnnlab's reference and reports the first case that fails, in plain words::

    check("flat-index", flat_index)
    # passed: 25 random cases agree with the reference.

The exercises live in :data:`EXERCISES`, each with a generator of cases and a reference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import _exercise_cases as cases
from .conv import conv2d_backward
from .params import count_fc_params, count_layer_params, count_multiply_adds
from .receptive import receptive_fields
from .shapes import conv_output_size

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
    if isinstance(expected, tuple):  # several results, each compared on its own
        return isinstance(got, (tuple, list)) and len(got) == len(expected) and all(
            _same(g, e) for g, e in zip(got, expected))
    if isinstance(expected, np.ndarray) or isinstance(got, np.ndarray):
        got_a = np.asarray(got)
        return got_a.shape == np.shape(expected) and np.allclose(got_a, expected, rtol=1e-9, atol=1e-12)
    if isinstance(expected, float):
        return isinstance(got, (int, float, np.number)) and np.isclose(got, expected, rtol=1e-9)
    if isinstance(expected, bool):  # a yes-or-no answer: True or False, not 1 or 0
        return isinstance(got, (bool, np.bool_)) and bool(got) == expected
    return type(got) is not bool and got == expected


def _difference(got, expected):
    """Where two arrays too large to print disagree, in words (empty when nothing more to say)."""
    if isinstance(expected, tuple) and isinstance(got, (tuple, list)) and len(got) == len(expected):
        for k, (g, e) in enumerate(zip(got, expected)):
            if not _same(g, e):
                said = _difference(g, e)
                return f" In result {k}:{said}" if said else ""
        return ""
    if not (isinstance(expected, np.ndarray) and expected.size > 8):
        return ""
    got_a = np.asarray(got)
    if got_a.shape != expected.shape:
        return f" The shapes differ: {got_a.shape} instead of {expected.shape}."
    wrong = ~np.isclose(got_a, expected, rtol=1e-9, atol=1e-12)
    first = tuple(int(i) for i in np.argwhere(wrong)[0])
    return (f" {int(wrong.sum())} of {wrong.size} entries differ; the first at {list(first)}: "
            f"{got_a[first]:.6g} instead of {expected[first]:.6g}.")


def _show(value):
    if isinstance(value, tuple) and any(isinstance(v, np.ndarray) for v in value):  # several arrays
        return "(" + ", ".join(_show(v) for v in value) + ")"
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
                                 f"expected {_show(expected)}.{_difference(got, expected)}")
    return Report(True, f"passed: {n_cases} random cases agree with the reference.")


# ----------------------------------------------------------------------------- the exercises
EXERCISES = {e.name: e for e in [
    Exercise("flat-index", "flat_index(r, c, width)", cases.flat_case,
             lambda r, c, width: r * width + c),
    Exercise("dense-forward", "dense_forward(x, weights, bias)", cases.dense_case,
             lambda x, weights, bias: weights @ x + bias),
    Exercise("fc-weights-for-image", "fc_weights_for_image(side, channels, hidden)", cases.image_fc_case,
             lambda side, channels, hidden: side * side * channels * hidden),
    Exercise("fc-params", "fc_params(sizes)", cases.sizes_case,
             lambda sizes: count_fc_params(sizes, bias=True)),
    Exercise("largest-side", "largest_side(budget, channels, hidden)", cases.budget_case, cases.largest_side),
    Exercise("float32-megabytes", "float32_megabytes(side, channels, hidden)", cases.image_fc_case,
             lambda side, channels, hidden: side * side * channels * hidden * 4 / 1e6),
    Exercise("grouped-forward", "grouped_forward(x, shared, group_size)", cases.grouped_case,
             lambda x, shared, group_size: np.repeat(shared @ x, group_size)),
    Exercise("window-pixels", "window_pixels(neuron, side, kernel)", cases.window_case,
             cases.window_pixels),
    Exercise("layer-params", "layer_params(side, kernel, groups, sharing, locality)", cases.layer_case,
             lambda side, kernel, groups, sharing, locality: count_layer_params(
                 1, groups, kernel, input_size=side, sharing=sharing, locality=locality, bias=False)),
    Exercise("shift-correlation", "shift_correlation(image, d)", cases.shift_case, cases.row_correlation),
    Exercise("offset-correlation", "offset_correlation(image, dr, dc)", cases.offset_case,
             cases.offset_correlation),
    Exercise("output-size", "output_size(n, kernel, stride, padding)", cases.output_size_case,
             lambda n, kernel, stride, padding: conv_output_size(n, kernel, stride=stride, padding=padding)),
    Exercise("cross-correlate", "cross_correlate(image, kernel)", cases.correlate_case, cases.cross_correlate),
    Exercise("flip-kernel", "true_convolve(image, kernel)", cases.correlate_case,
             lambda image, kernel: cases.cross_correlate(image, kernel[::-1, ::-1])),
    Exercise("max-pool-2d", "max_pool(image, size, stride)", cases.pool_case, cases.max_pool),
    Exercise("pooled-inputs", "pooled_inputs(side, channels, size, stride)", cases.pooled_inputs_case,
             lambda side, channels, size, stride: channels * conv_output_size(side, size, stride=stride) ** 2),
    Exercise("avg-pool-padded", "avg_pool(image, size, stride, padding, count_include_pad)", cases.avg_pool_case,
             cases.avg_pool),
    Exercise("max-pool-backward", "max_pool_backward(dout, image, size, stride)", cases.pool_backward_case,
             cases.max_pool_backward),
    Exercise("conv-weight-gradient", "conv_dw(image, dout)", cases.dw_case, cases.conv_dw),
    Exercise("dilate", "dilate(delta, stride)", cases.dilate_case, cases.dilate),
    Exercise("receptive-field", "receptive_field(kernels, strides)", cases.receptive_case,
             lambda kernels, strides: receptive_fields(
                 [("layer", k, s, 0) for k, s in zip(kernels, strides)])[-1]["size"]),
    Exercise("relu-backward", "relu_backward(dout, x)", cases.relu_case,
             lambda dout, x: np.where(x > 0, dout, 0.0)),
    # second edition: code the notebooks' bodies do not show
    Exercise("unflatten", "unflatten(vector, width)", cases.unflatten_case,
             lambda vector, width: vector.reshape(-1, width)),
    Exercise("fc-batch-forward", "fc_batch_forward(x, weights, bias)", cases.batch_case,
             lambda x, weights, bias: x @ weights.T + bias),
    Exercise("grouped-ids", "grouped_ids(n_groups, group_size, n_in)", cases.grouped_ids_case, cases.grouped_ids),
    Exercise("rows-shared", "rows_shared(w, group_size)", cases.rows_shared_case, cases.rows_shared),
    Exercise("local-forward", "local_forward(image, weights)", cases.local_case, cases.local_forward),
    Exercise("conv2d-strided", "conv_single(image, kernel, stride, padding)", cases.strided_case,
             cases.conv_single),
    Exercise("conv-multichannel", "conv_multichannel(x, w, b)", cases.multichannel_case, cases.conv_multichannel),
    Exercise("conv-backward-naive", "conv_backward(dout, x, w, stride, padding)", cases.backward_case,
             lambda dout, x, w, stride, padding: conv2d_backward(dout, x, w, stride=stride, padding=padding)),
    Exercise("conv-multiply-adds", "conv_multiply_adds(in_channels, out_channels, kernel, side, padding)",
             cases.multiply_adds_case,
             lambda in_channels, out_channels, kernel, side, padding: count_multiply_adds(
                 in_channels, out_channels, kernel, input_size=side, padding=padding)),
]}


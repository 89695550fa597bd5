"""The self-check helper: it must pass right answers, catch wrong ones and say why."""

import re

import numpy as np
import pytest

from cnnlab import check
from cnnlab.exercises import EXERCISES


def _max_pool_backward_by_hand(dout, image, size, stride):
    dx = np.zeros_like(image)
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            window = image[i * stride:i * stride + size, j * stride:j * stride + size]
            r, c = np.unravel_index(np.argmax(window), window.shape)  # argmax: the first maximum
            dx[i * stride + r, j * stride + c] += dout[i, j]
    return dx


def _conv_single_by_hand(image, kernel, stride, padding):
    padded = np.pad(image, padding)
    KH, KW = kernel.shape
    rows = range(0, padded.shape[0] - KH + 1, stride)
    cols = range(0, padded.shape[1] - KW + 1, stride)
    return np.array([[np.sum(padded[i:i + KH, j:j + KW] * kernel) for j in cols] for i in rows])


def _conv_backward_by_hand(dout, x, w, stride, padding):
    N, C, H, W = x.shape
    F, _, K, _ = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for n, f, i, j in np.ndindex(dout.shape):
        rows, cols = slice(i * stride, i * stride + K), slice(j * stride, j * stride + K)
        dxp[n, :, rows, cols] += dout[n, f, i, j] * w[f]
        dw[f] += dout[n, f, i, j] * xp[n, :, rows, cols]
    return dxp[:, :, padding:padding + H, padding:padding + W], dw, dout.sum(axis=(0, 2, 3))


# a right answer for every exercise, written independently of the references
def _avg_pool_by_hand(image, size, stride, padding, count_include_pad):
    padded, real = np.pad(image, padding), np.pad(np.ones_like(image), padding)  # real: 1 on the image
    rows, cols = ((n - size) // stride + 1 for n in padded.shape)
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            window = (slice(i * stride, i * stride + size), slice(j * stride, j * stride + size))
            out[i, j] = padded[window].sum() / (size * size if count_include_pad else real[window].sum())
    return out


SOLUTIONS = {
    "unflatten": lambda vector, width: np.array(
        [[vector[r * width + c] for c in range(width)] for r in range(len(vector) // width)]),
    "fc-batch-forward": lambda x, weights, bias: np.array([weights @ row + bias for row in x]),
    "grouped-ids": lambda n_groups, group_size, n_in: np.array(
        [[(k // group_size) * n_in + p for p in range(n_in)] for k in range(n_groups * group_size)]),
    "rows-shared": lambda w, group_size: all(
        np.array_equal(w[k], w[k - k % group_size]) for k in range(len(w))),
    "largest-side": lambda budget, channels, hidden: max(
        s for s in range(0, 2000) if s * s * channels * hidden <= budget),
    "local-forward": lambda image, weights: np.einsum(
        "ijuv,ijuv->ij", np.lib.stride_tricks.sliding_window_view(image, weights.shape[2:]), weights),
    "conv2d-strided": _conv_single_by_hand,
    "conv-multichannel": lambda x, w, b: np.array([
        sum(_conv_single_by_hand(x[c], w[f, c], 1, 0) for c in range(x.shape[0])) + b[f] for f in range(len(w))]),
    "conv-backward-naive": _conv_backward_by_hand,
    "conv-multiply-adds": lambda in_channels, out_channels, kernel, side, padding: (
        out_channels * (side + 2 * padding - kernel + 1) ** 2 * in_channels * kernel ** 2),
    "flat-index": lambda r, c, width: r * width + c,
    "dense-forward": lambda x, weights, bias: np.array(
        [sum(wi * xi for wi, xi in zip(row, x)) + bi for row, bi in zip(weights, bias)]),
    "fc-weights-for-image": lambda side, channels, hidden: side ** 2 * channels * hidden,
    "fc-params": lambda sizes: sum(a * b + b for a, b in zip(sizes, sizes[1:])),
    "float32-megabytes": lambda side, channels, hidden: side * side * channels * hidden * 4 / 1_000_000,
    "grouped-forward": lambda x, shared, group_size: np.concatenate(
        [[row @ x] * group_size for row in shared]),
    "window-pixels": lambda neuron, side, kernel: sorted(
        (neuron // (side - kernel + 1) + u) * side + neuron % (side - kernel + 1) + v
        for u in range(kernel) for v in range(kernel)),
    "layer-params": lambda side, kernel, groups, sharing, locality: (
        (groups if sharing else groups * (side - kernel + 1) ** 2)
        * (kernel ** 2 if locality else side ** 2)),
    "shift-correlation": lambda image, d: float(np.corrcoef(image[:, :-d].ravel(), image[:, d:].ravel())[0, 1]),
    "offset-correlation": lambda image, dr, dc: float(np.corrcoef(
        np.roll(np.roll(image, -dr, 0), -dc, 1)[max(0, -dr):image.shape[0] - max(0, dr),
                                               max(0, -dc):image.shape[1] - max(0, dc)].ravel(),
        image[max(0, -dr):image.shape[0] - max(0, dr), max(0, -dc):image.shape[1] - max(0, dc)].ravel())[0, 1]),
    "max-pool-2d": lambda image, size, stride: np.array(
        [[image[i * stride:i * stride + size, j * stride:j * stride + size].max()
          for j in range((image.shape[1] - size) // stride + 1)]
         for i in range((image.shape[0] - size) // stride + 1)]),
    "pooled-inputs": lambda side, channels, size, stride: channels * ((side - size) // stride + 1) ** 2,
    "max-pool-backward": _max_pool_backward_by_hand,
    "avg-pool-padded": _avg_pool_by_hand,
    "conv-weight-gradient": lambda image, dout: np.array(
        [[np.sum(image[a:a + dout.shape[0], b:b + dout.shape[1]] * dout)
          for b in range(image.shape[1] - dout.shape[1] + 1)]
         for a in range(image.shape[0] - dout.shape[0] + 1)]),
    "dilate": lambda delta, stride: np.kron(delta, np.eye(1, stride * stride).reshape(stride, stride))[
        :(delta.shape[0] - 1) * stride + 1, :(delta.shape[1] - 1) * stride + 1],
    "receptive-field": lambda kernels, strides: 1 + sum(
        (k - 1) * int(np.prod(strides[:i])) for i, k in enumerate(kernels)),
    "relu-backward": lambda dout, x: dout * (x > 0),
    "output-size": lambda n, kernel, stride, padding: (n + 2 * padding - kernel) // stride + 1,
    "cross-correlate": lambda image, kernel: np.array(
        [[np.sum(image[i:i + kernel.shape[0], j:j + kernel.shape[1]] * kernel)
          for j in range(image.shape[1] - kernel.shape[1] + 1)]
         for i in range(image.shape[0] - kernel.shape[0] + 1)]),
    "flip-kernel": lambda image, kernel: np.array(
        [[sum(image[i + kernel.shape[0] - 1 - u, j + kernel.shape[1] - 1 - v] * kernel[u, v]
              for u in range(kernel.shape[0]) for v in range(kernel.shape[1]))
          for j in range(image.shape[1] - kernel.shape[1] + 1)]
         for i in range(image.shape[0] - kernel.shape[0] + 1)]),
}


def test_every_exercise_has_an_independent_solution():
    assert set(SOLUTIONS) == set(EXERCISES)


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_right_answers_pass(name):
    report = check(name, SOLUTIONS[name])
    assert report.passed, report.message
    assert repr(report) == "passed: 25 random cases agree with the reference."


@pytest.mark.parametrize("name", sorted(EXERCISES))
def test_an_off_by_one_answer_fails(name):
    right = SOLUTIONS[name]

    def wrong(**case):
        answer = right(**case)
        if isinstance(answer, (bool, np.bool_)):
            return not answer
        if isinstance(answer, (list, tuple)):
            return type(answer)(a + 1 for a in answer)
        return answer + 1

    report = check(name, wrong)
    assert not report and report.message.startswith("failed on case 1 of 25: ")
    assert "expected" in report.message


def test_messages_say_what_happened():
    assert repr(check("flat-index", lambda r, c, width: c * width + r)) == (
        "failed on case 1 of 25: flat_index(r=5, c=2, width=8) returned 21, expected 42.")

    def todo(r, c, width):
        raise NotImplementedError

    assert repr(check("flat-index", todo)) == (
        "not yet: flat_index(r, c, width) still raises NotImplementedError.")
    assert repr(check("flat-index", lambda r, c, width: r[0])).startswith(
        "failed on case 1 of 25: flat_index(r=5, c=2, width=8) raised TypeError:")
    assert repr(check("window-pixels", lambda neuron, side, kernel: (0,))).endswith(
        "returned (0,) (a tuple, expected a list), "
        "expected [7, 8, 9, 10, 13, 14, 15, 16, 19, 20, 21, 22, 25, 26, 27, 28].")
    # a bool is not a count, even though True == 1
    assert not check("layer-params", lambda **case: True)


def test_a_large_array_answer_says_where_it_differs():
    """Arrays too large to print: the message names how many entries differ, the first and its values."""
    reference = EXERCISES["conv-backward-naive"].reference

    def dw_doubled(**case):
        dx, dw, db = reference(**case)
        return dx, (2 * dw if dw.size > 8 else dw), db

    message = repr(check("conv-backward-naive", dw_doubled))
    found = re.search(r"In result 1: (\d+) of (\d+) entries differ; the first at \[0, 0, 0, 0\]: "
                      r"(\S+) instead of (\S+)\.$", message)
    assert found, message
    assert found.group(1) == found.group(2)
    assert float(found.group(3)) == pytest.approx(2 * float(found.group(4)), rel=1e-4)

    def max_pool_one_column(**case):
        out = EXERCISES["max-pool-2d"].reference(**case)
        return out[:, :1] if out.size > 8 else out

    message = repr(check("max-pool-2d", max_pool_one_column))
    assert message.endswith("The shapes differ: (5, 1) instead of (5, 6)."), message


def test_cases_are_randomized_but_reproducible():
    exercise = EXERCISES["fc-params"]
    rng = np.random.default_rng(0)
    cases = [exercise.cases(rng)["sizes"] for _ in range(5)]
    assert len({tuple(c) for c in cases}) == 5
    rng = np.random.default_rng(0)
    assert cases == [exercise.cases(rng)["sizes"] for _ in range(5)]


def test_a_check_that_only_matches_one_case_fails():
    # an answer hard-coded for the first case must not pass
    first = EXERCISES["flat-index"].cases(np.random.default_rng(0))
    answer = first["r"] * first["width"] + first["c"]
    report = check("flat-index", lambda r, c, width: answer)
    assert not report and "case 2 of 25" in report.message


def test_check_arguments():
    with pytest.raises(ValueError, match="no exercise named 'nope'; known: avg-pool-padded, conv-backward-naive, "):
        check("nope", abs)
    with pytest.raises(TypeError, match="fn must be your function, got int"):
        check("flat-index", 3)


def test_max_pool_backward_check_catches_assignment_instead_of_accumulation():
    def assigning(dout, image, size, stride):
        dx = np.zeros_like(image)
        for i in range(dout.shape[0]):
            for j in range(dout.shape[1]):
                window = image[i * stride:i * stride + size, j * stride:j * stride + size]
                r, c = np.unravel_index(np.argmax(window), window.shape)
                dx[i * stride + r, j * stride + c] = dout[i, j]  # the classic bug: = instead of +=
        return dx

    assert not check("max-pool-backward", assigning)

"""Analytic gradients against centred finite differences (float64, random upstream gradient),
and the two gradient-check helpers themselves."""

from __future__ import annotations

import numpy as np
import pytest

from cnnlab import (
    avg_pool2d_backward,
    avg_pool2d_backward_naive,
    avg_pool2d_forward,
    conv2d_backward,
    conv2d_backward_naive,
    conv2d_forward,
    max_pool2d_backward,
    max_pool2d_backward_naive,
    max_pool2d_forward,
    numerical_gradient,
    rel_error,
)

AGREE = 1e-7  # what float64 centred differences can promise (cs231n's rule of thumb)
# Every function checked below is piecewise linear in the argument perturbed (max pooling
# only switches cells at a tie, and the inputs keep ties 0.1 away), so centred differences
# have no truncation error at any step: a step of 1e-3 rather than the default 1e-5 only
# divides the rounding error of the two sums by 100, keeping a wide margin under AGREE.
STEP = 1e-3


# ----------------------------------------------------------------------------- the helpers
def test_numerical_gradient_of_a_known_function():
    """d/dx sum(x**2 * dout) = 2 x dout; x is perturbed in place but restored exactly."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4))
    dout = rng.standard_normal((3, 4))
    x_before = x.copy()
    grad = numerical_gradient(lambda v: v**2, x, dout)
    assert rel_error(grad, 2 * x * dout) < 1e-9
    assert x.tobytes() == x_before.tobytes()


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ([1.0, 2.0], [1.0, 2.0], 0.0),
        ([1.0, 2.0], [1.0, 2.000002], 5e-7),  # 2e-6 / 4.000002, the larger of the two gaps
        ([1.0, -1.0], [-1.0, -1.0], 1.0),  # opposite signs: |2| / (1 + 1)
        ([0.0, 0.0], [0.0, 0.0], 0.0),  # the 1e-8 floor avoids 0 / 0
        ([0.0], [1e-9], 1e-9 / 1e-8),  # ... and caps tiny values' relative error
        (np.zeros((0, 3)), np.zeros((0, 3)), 0.0),
    ],
)
def test_rel_error_values(a, b, expected):
    got = rel_error(np.asarray(a), np.asarray(b))
    assert isinstance(got, float)
    assert got == pytest.approx(expected, rel=1e-5, abs=0)


def test_gradient_check_has_power():
    """A plausible bug, dx computed with the kernel rotated (true convolution instead of
    cross-correlation), is far above the threshold: the check can fail."""
    rng = np.random.default_rng(5)
    x, w = rng.standard_normal((1, 2, 5, 5)), rng.standard_normal((2, 2, 3, 3))
    dout = rng.standard_normal((1, 2, 3, 3))
    wrong_dx, _, _ = conv2d_backward(dout, x, w[:, :, ::-1, ::-1].copy())
    dx_num = numerical_gradient(lambda v: conv2d_forward(v, w), x, dout)
    assert rel_error(wrong_dx, dx_num) > 1e-2


# ----------------------------------------------------------------------------- convolution
CONV_CONFIGS = [
    pytest.param((2, 3, 5, 5), (2, 3, 3, 3), {}, id="three-channels"),
    # Ho = floor((7 + 2 - 3) / 2) + 1 = 4, Wo = 6 - 2 + 1 = 5
    pytest.param((2, 2, 7, 6), (3, 2, 3, 2), dict(stride=(2, 1), padding=(1, 0)), id="stride-padding-non-square"),
    # extent (3, 3): Ho = Wo = floor((7 + 4 - 3) / 2) + 1 = 5 and floor((8 + 4 - 3) / 2) + 1 = 5
    pytest.param((1, 3, 7, 8), (2, 3, 2, 3), dict(stride=2, padding=2, dilation=(2, 1)), id="dilation-padding"),
    # extent 5, stride 3 not dividing: Ho = floor(4 / 3) + 1 = 2, Wo = floor(2 / 3) + 1 = 1
    pytest.param((2, 2, 9, 7), (2, 2, 3, 3), dict(stride=3, dilation=2), id="stride-not-dividing"),
]


@pytest.mark.parametrize(("x_shape", "w_shape", "kwargs"), CONV_CONFIGS)
def test_conv_gradients_match_finite_differences(x_shape, w_shape, kwargs):
    rng = np.random.default_rng(sum(x_shape + w_shape))
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    b = rng.standard_normal(w_shape[0])
    dout = rng.standard_normal(conv2d_forward(x, w, b, **kwargs).shape)

    dx_num = numerical_gradient(lambda v: conv2d_forward(v, w, b, **kwargs), x.copy(), dout, h=STEP)
    dw_num = numerical_gradient(lambda v: conv2d_forward(x, v, b, **kwargs), w.copy(), dout, h=STEP)
    db_num = numerical_gradient(lambda v: conv2d_forward(x, w, v, **kwargs), b.copy(), dout, h=STEP)
    for backward in (conv2d_backward, conv2d_backward_naive):
        dx, dw, db = backward(dout, x, w, **kwargs)
        assert rel_error(dx, dx_num) < AGREE, backward.__name__
        assert rel_error(dw, dw_num) < AGREE, backward.__name__
        assert rel_error(db, db_num) < AGREE, backward.__name__


# ----------------------------------------------------------------------------- pooling
POOL_CONFIGS = [
    pytest.param((2, 2, 4, 4), dict(kernel_size=2), id="2x2-non-overlapping"),
    pytest.param((2, 2, 5, 5), dict(kernel_size=3, stride=1, padding=1), id="3x3-overlapping-padding"),
    pytest.param((1, 3, 7, 6), dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0)), id="non-square"),
    pytest.param((2, 1, 6, 7), dict(kernel_size=3, stride=2, padding=1), id="3x3-stride-2-padding"),
]


def _spaced_values(rng, shape):
    """Distinct values 0.1 apart in random order, negatives included: a step of h = 1e-5
    never makes two cells tie, so the max is differentiable at every point sampled."""
    size = int(np.prod(shape))
    return (rng.permutation(size) - size / 2).reshape(shape) * 0.1


@pytest.mark.parametrize(("x_shape", "kwargs"), POOL_CONFIGS)
def test_max_pool_gradient_matches_finite_differences(x_shape, kwargs):
    rng = np.random.default_rng(sum(x_shape))
    x = _spaced_values(rng, x_shape)
    dout = rng.standard_normal(max_pool2d_forward(x, **kwargs).shape)
    dx_num = numerical_gradient(lambda v: max_pool2d_forward(v, **kwargs), x.copy(), dout, h=STEP)
    for backward in (max_pool2d_backward, max_pool2d_backward_naive):
        assert rel_error(backward(dout, x, **kwargs), dx_num) < AGREE, backward.__name__


@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize(("x_shape", "kwargs"), POOL_CONFIGS)
def test_avg_pool_gradient_matches_finite_differences(x_shape, kwargs, count_include_pad):
    kwargs = dict(kwargs, count_include_pad=count_include_pad)
    rng = np.random.default_rng(sum(x_shape))
    x = rng.standard_normal(x_shape)
    dout = rng.standard_normal(avg_pool2d_forward(x, **kwargs).shape)
    dx_num = numerical_gradient(lambda v: avg_pool2d_forward(v, **kwargs), x.copy(), dout, h=STEP)
    for backward in (avg_pool2d_backward, avg_pool2d_backward_naive):
        assert rel_error(backward(dout, x, **kwargs), dx_num) < AGREE, backward.__name__

"""Every error message of cnnlab, one case each.

The rule (STYLE.md, guideline 7): TypeError for a wrong type, ValueError for a bad value, and
the message names the argument, the expectation and what arrived. Each case matches the message
text literally (``re.escape``), numbers included, so a message that loses its arithmetic fails.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from cnnlab import (
    avg_pool2d_backward,
    avg_pool2d_forward,
    conv2d_as_dense,
    conv2d_backward,
    conv2d_forward,
    conv_output_shape,
    conv_output_size,
    count_conv_params,
    count_fc_params,
    count_layer_params,
    max_pool2d_backward,
    max_pool2d_forward,
    numerical_gradient,
    rel_error,
)

X = np.zeros((1, 2, 4, 4))  # (N, C, H, W)
W = np.zeros((3, 2, 3, 3))  # (F, C, KH, KW): output (1, 3, 2, 2)
DOUT = np.zeros((1, 3, 2, 2))


def conv(x=X, w=W, b=None, **kwargs):
    return lambda: conv2d_forward(x, w, b, **kwargs)


def backward(dout=DOUT, x=X, w=W, **kwargs):
    return lambda: conv2d_backward(dout, x, w, **kwargs)


def pool(x=X, **kwargs):
    kwargs.setdefault("kernel_size", 2)
    return lambda: max_pool2d_forward(x, **kwargs)


CASES = [
    # --- arrays: type, dimensions, dtype ------------------------------------------------
    pytest.param(conv(x=[[1.0, 2.0]]), TypeError,
                 "x must be a numpy ndarray of shape (N, C, H, W), got list", id="x-list"),
    pytest.param(conv(w=(1.0,)), TypeError,
                 "w must be a numpy ndarray of shape (F, C, KH, KW), got tuple", id="w-tuple"),
    pytest.param(backward(dout=0.0), TypeError,
                 "dout must be a numpy ndarray of shape (N, F, Ho, Wo), got float", id="dout-float"),
    pytest.param(conv(x=np.zeros((2, 4, 4))), ValueError,
                 "x must have 4 dimensions (N, C, H, W), got 3 with shape (2, 4, 4)", id="x-ndim"),
    pytest.param(conv(w=np.zeros((3, 3))), ValueError,
                 "w must have 4 dimensions (F, C, KH, KW), got 2 with shape (3, 3)", id="w-ndim"),
    pytest.param(conv(b=np.zeros((3, 1))), ValueError,
                 "b must have 1 dimension (F,), got 2 with shape (3, 1)", id="b-ndim"),
    pytest.param(backward(dout=np.zeros((3, 2, 2))), ValueError,
                 "dout must have 4 dimensions (N, F, Ho, Wo), got 3 with shape (3, 2, 2)", id="dout-ndim"),
    pytest.param(pool(x=np.zeros((1, 1, 1, 4, 4))), ValueError,
                 "x must have 4 dimensions (N, C, H, W), got 5 with shape (1, 1, 1, 4, 4)", id="pool-x-ndim"),
    pytest.param(conv(x=X.astype(complex)), TypeError,
                 "x must have dtype float32 or float64 (integers are converted to float64), got complex128",
                 id="x-complex"),
    pytest.param(pool(x=X.astype(bool)), TypeError,
                 "x must have dtype float32 or float64 (integers are converted to float64), got bool",
                 id="x-bool"),
    pytest.param(conv(w=W.astype(np.float16)), TypeError,
                 "w must have dtype float32 or float64 (integers are converted to float64), got float16",
                 id="w-float16"),
    pytest.param(conv(x=X.astype(np.float32)), TypeError,
                 "all arrays must share one dtype (float32 or float64), but x is float32, w is float64",
                 id="mixed-x-w"),
    pytest.param(conv(b=np.zeros(3, dtype=np.float32)), TypeError,
                 "all arrays must share one dtype (float32 or float64), but x is float64, w is float64, "
                 "b is float32", id="mixed-b"),
    pytest.param(conv(x=X.astype(int), w=W.astype(np.float32), b=None), TypeError,
                 "all arrays must share one dtype (float32 or float64), but x is int64 (taken as float64), "
                 "w is float32", id="mixed-int-float32"),
    pytest.param(lambda: max_pool2d_backward(np.zeros((1, 2, 3, 3)), X, kernel_size=2), ValueError,
                 "dout must have the output's shape (N, C, Ho, Wo) = (1, 2, 2, 2), got (1, 2, 3, 3)",
                 id="max-pool-dout-shape"),
    pytest.param(lambda: avg_pool2d_backward(np.zeros((1, 2, 3, 3)), X, kernel_size=2), ValueError,
                 "dout must have the output's shape (N, C, Ho, Wo) = (1, 2, 2, 2), got (1, 2, 3, 3)",
                 id="avg-pool-dout-shape"),
    pytest.param(lambda: count_fc_params({9, 16}), TypeError, "sizes must be a list of layer widths, got set",
                 id="fc-set"),
    pytest.param(backward(dout=DOUT.astype(np.float32)), TypeError,
                 "all arrays must share one dtype, but dout is float32 and x is float64", id="dout-dtype"),
    pytest.param(backward(dout=np.zeros((1, 3, 4, 4))), ValueError,
                 "dout must have the output's shape (N, F, Ho, Wo) = (1, 3, 2, 2), got (1, 3, 4, 4)",
                 id="dout-shape"),
    # --- shapes that cannot work together --------------------------------------------------
    pytest.param(conv(x=np.zeros((1, 3, 4, 4))), ValueError,
                 "w expects 2 input channels (w.shape[1]) but x has 3 (x.shape[1])", id="channels"),
    pytest.param(conv(b=np.zeros(2)), ValueError,
                 "b must have one entry per filter: w has 3 filters, b has 2", id="bias-length"),
    pytest.param(conv(w=np.zeros((0, 2, 3, 3))), ValueError,
                 "w must have at least one filter, one channel and a 1x1 kernel, got shape (0, 2, 3, 3)",
                 id="zero-filters"),
    pytest.param(conv(x=np.zeros((1, 0, 4, 4)), w=np.zeros((3, 0, 3, 3))), ValueError,
                 "w must have at least one filter, one channel and a 1x1 kernel, got shape (3, 0, 3, 3)",
                 id="zero-channels"),
    pytest.param(lambda: conv2d_as_dense(np.zeros((3, 2, 0, 3)), (4, 4)), ValueError,
                 "w must have at least one filter, one channel and a 1x1 kernel, got shape (3, 2, 0, 3)",
                 id="zero-kernel-height"),
    pytest.param(conv(x=np.zeros((1, 2, 0, 4))), ValueError,
                 "x must have a height and width of at least 1, got shape (1, 2, 0, 4)", id="conv-zero-height"),
    pytest.param(pool(x=np.zeros((1, 1, 3, 0))), ValueError,
                 "x must have a height and width of at least 1, got shape (1, 1, 3, 0)", id="pool-zero-width"),
    # --- the kernel does not fit: the message shows the arithmetic -------------------------
    pytest.param(conv(x=np.zeros((1, 1, 3, 5)), w=np.zeros((1, 1, 4, 2))), ValueError,
                 "kernel_size 4 is larger than the padded input along the height, 3 + 2*0 = 3: "
                 "output size would be floor((3 + 2*0 - 4) / 1) + 1 = 0 < 1", id="kernel-too-tall"),
    pytest.param(conv(x=np.zeros((1, 1, 5, 2)), w=np.zeros((1, 1, 1, 5)), padding=(0, 1), stride=2),
                 ValueError,
                 "kernel_size 5 is larger than the padded input along the width, 2 + 2*1 = 4: "
                 "output size would be floor((2 + 2*1 - 5) / 2) + 1 = 0 < 1", id="kernel-too-wide-padded"),
    pytest.param(conv(x=np.zeros((1, 1, 4, 6)), w=np.zeros((1, 1, 3, 3)), dilation=2), ValueError,
                 "kernel_size 3 with dilation 2 (extent 2*(3-1)+1 = 5) is larger than the padded input "
                 "along the height, 4 + 2*0 = 4: output size would be floor((4 + 2*0 - 5) / 1) + 1 = 0 < 1",
                 id="dilated-extent"),
    pytest.param(lambda: conv_output_size(2, 3), ValueError,
                 "kernel_size 3 is larger than the padded input, 2 + 2*0 = 2: "
                 "output size would be floor((2 + 2*0 - 3) / 1) + 1 = 0 < 1", id="output-size-no-axis"),
    pytest.param(pool(x=np.zeros((1, 1, 2, 5)), kernel_size=3), ValueError,
                 "kernel_size 3 is larger than the padded input along the height, 2 + 2*0 = 2",
                 id="pool-kernel-too-big"),
    # --- hyperparameters --------------------------------------------------------------------
    pytest.param(conv(stride=2.0), TypeError, "stride must be an int, got float 2.0", id="stride-float"),
    pytest.param(conv(padding=True), TypeError, "padding must be an int, got bool True", id="padding-bool"),
    pytest.param(conv(dilation="1"), TypeError, "dilation must be an int, got str '1'", id="dilation-str"),
    pytest.param(conv(stride=(1, 2.0)), TypeError, "stride[1] must be an int, got float 2.0",
                 id="stride-pair-float"),
    pytest.param(pool(kernel_size=2.5), TypeError, "kernel_size must be an int, got float 2.5",
                 id="kernel-size-float"),
    pytest.param(conv(stride=(1, 2, 3)), ValueError,
                 "stride must be an int or a pair (h, w), got 3 values: (1, 2, 3)", id="stride-three"),
    pytest.param(pool(padding=[1]), ValueError,
                 "padding must be an int or a pair (h, w), got 1 value: (1,)", id="padding-one"),
    pytest.param(conv(stride=np.array([1, 2])), TypeError,
                 "stride must be an int or a pair (h, w), got ndarray array([1, 2])", id="stride-ndarray"),
    pytest.param(conv(padding=-1), ValueError, "padding must be >= 0, got -1", id="padding-negative"),
    pytest.param(conv(stride=0), ValueError, "stride must be >= 1, got 0", id="stride-zero"),
    pytest.param(conv(stride=(1, 0)), ValueError, "stride[1] must be >= 1, got 0", id="stride-pair-zero"),
    pytest.param(conv(dilation=0), ValueError, "dilation must be >= 1, got 0", id="dilation-zero"),
    pytest.param(pool(kernel_size=0), ValueError, "kernel_size must be >= 1, got 0", id="kernel-size-zero"),
    pytest.param(pool(kernel_size=None), TypeError, "kernel_size is required: an int or a pair (h, w)",
                 id="kernel-size-none"),
    pytest.param(pool(kernel_size=2, padding=2), ValueError,
                 "padding must be at most half of kernel_size, but along the height padding 2 > 2 // 2 = 1",
                 id="pool-padding-height"),
    pytest.param(lambda: avg_pool2d_forward(X, kernel_size=3, padding=(1, 2)), ValueError,
                 "padding must be at most half of kernel_size, but along the width padding 2 > 3 // 2 = 1",
                 id="pool-padding-width"),
    pytest.param(lambda: conv_output_size(0, 1), ValueError, "n must be >= 1, got 0", id="n-zero"),
    pytest.param(lambda: conv_output_size(7.0, 3), TypeError, "n must be an int, got float 7.0", id="n-float"),
    pytest.param(lambda: conv_output_shape((1, 2, 3), 1), ValueError,
                 "input_size must be an int or a pair (h, w), got 3 values: (1, 2, 3)", id="input-size-three"),
    pytest.param(lambda: conv2d_as_dense(W, (0, 4)), ValueError, "input_size[0] must be >= 1, got 0",
                 id="as-dense-input-size"),
    # --- parameter counts ----------------------------------------------------------------------
    pytest.param(lambda: count_fc_params(9), TypeError, "sizes must be a list of layer widths, got int",
                 id="fc-int"),
    pytest.param(lambda: count_fc_params("9,16"), TypeError, "sizes must be a list of layer widths, got str",
                 id="fc-str"),
    pytest.param(lambda: count_fc_params([9]), ValueError,
                 "sizes must list at least two widths (inputs and one layer), got 1: [9]", id="fc-one-width"),
    pytest.param(lambda: count_fc_params([9, 2.5]), TypeError, "sizes[1] must be an int, got float 2.5",
                 id="fc-float-width"),
    pytest.param(lambda: count_fc_params([9, 16, 0]), ValueError, "sizes[2] must be >= 1, got 0",
                 id="fc-zero-width"),
    pytest.param(lambda: count_fc_params([9, 16], bias=1), TypeError, "bias must be True or False, got int 1",
                 id="fc-bias-int"),
    pytest.param(lambda: count_conv_params(0, 8, 3), ValueError, "in_channels must be >= 1, got 0",
                 id="conv-params-in-channels"),
    pytest.param(lambda: count_conv_params(3, 8.0, 3), TypeError, "out_channels must be an int, got float 8.0",
                 id="conv-params-out-channels"),
    pytest.param(lambda: count_conv_params(3, 8, (3,)), ValueError,
                 "kernel_size must be an int or a pair (h, w), got 1 value: (3,)", id="conv-params-kernel"),
    pytest.param(lambda: count_conv_params(3, 8, 3, bias="yes"), TypeError,
                 "bias must be True or False, got str 'yes'", id="conv-params-bias"),
    pytest.param(lambda: count_layer_params(1, 4, 2, input_size=0), ValueError, "input_size must be >= 1, got 0",
                 id="layer-input-size"),
    pytest.param(lambda: count_layer_params(1, 2, 4, input_size=3), ValueError,
                 "kernel_size 4 is larger than the padded input along the height, 3 + 2*0 = 3",
                 id="layer-kernel-too-big"),
    pytest.param(lambda: count_layer_params(True, 4, 2, input_size=3), TypeError,
                 "in_channels must be an int, got bool True", id="layer-in-channels-bool"),
    pytest.param(lambda: count_layer_params(1, 4, 2, input_size=3, stride=0), ValueError,
                 "stride must be >= 1, got 0", id="layer-stride"),
    pytest.param(lambda: count_layer_params(1, 4, 2, input_size=3, sharing=None), TypeError,
                 "sharing must be True or False, got NoneType None", id="layer-sharing"),
    pytest.param(lambda: count_layer_params(1, 4, 2, input_size=3, locality=1), TypeError,
                 "locality must be True or False, got int 1", id="layer-locality"),
    # --- gradient checking ---------------------------------------------------------------------
    pytest.param(lambda: numerical_gradient(lambda v: v, [1.0, 2.0], np.ones(2)), TypeError,
                 "x must be a float ndarray (it is perturbed in place), got list", id="numgrad-list"),
    pytest.param(lambda: numerical_gradient(lambda v: v, np.arange(3), np.ones(3)), TypeError,
                 "x must be a float ndarray (it is perturbed in place), got ndarray of int64",
                 id="numgrad-int-array"),
    pytest.param(lambda: rel_error(np.zeros(2), np.zeros(3)), ValueError,
                 "a and b must have the same shape, got (2,) and (3,)", id="rel-error-shapes"),
]


@pytest.mark.parametrize(("call", "error", "message"), CASES)
def test_error_message(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_numpy_integer_hyperparameters_are_accepted():
    """Integers of any numpy kind are ints: same result as with Python ints."""
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((1, 2, 7, 7)), rng.standard_normal((3, 2, 3, 3))
    np.testing.assert_array_equal(
        conv2d_forward(x, w, stride=np.int64(2), padding=(np.int32(1), np.uint8(0)), dilation=np.int16(1)),
        conv2d_forward(x, w, stride=2, padding=(1, 0), dilation=1),
    )
    np.testing.assert_array_equal(
        max_pool2d_forward(x, kernel_size=np.int64(3), stride=np.intp(2), padding=np.int8(1)),
        max_pool2d_forward(x, kernel_size=3, stride=2, padding=1),
    )
    assert count_conv_params(np.int64(3), np.int32(8), np.uint16(3)) == 224
    assert count_fc_params([np.int64(9), np.int8(16)], bias=False) == 144

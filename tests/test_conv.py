"""conv2d: hand-checked examples, fast == naive on random cases, linear-algebra identities,
purity, dtypes, empty batches and non-finite values.

Gradients against finite differences live in test_gradcheck.py, error messages in test_errors.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlab import (
    conv2d_as_dense,
    conv2d_backward,
    conv2d_backward_naive,
    conv2d_forward,
    conv2d_forward_naive,
)

from conftest import TIGHT, assert_same_inner_product, nchw

# ----------------------------------------------------------------------------- hand-checked
# Every expected value below was worked out by hand from the formula
#   out[i, j] = sum_{u, v} w[u, v] * x_pad[i*s + u*d, j*s + v*d]
# (the derivation is in the comment of each case). Kernels are asymmetric, so a kernel
# flipped by mistake gives other numbers.
ARANGE_6x6 = np.arange(36).reshape(6, 6)  # x[r, c] = 6r + c
ARANGE_7x7 = np.arange(49).reshape(7, 7)  # x[r, c] = 7r + c
ONE_TO_NINE = np.arange(1, 10).reshape(3, 3)  # [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
ARANGE_5x5 = np.arange(25).reshape(5, 5)  # x[r, c] = 5r + c

FORWARD_CASES = [
    pytest.param(
        # vertical edge: bright left half, dark right half. Windows at columns 1 and 2
        # straddle the edge: 3 rows * (10*1 + 10*0 + 0*(-1)) = 30.
        nchw(np.repeat([[10, 10, 10, 0, 0, 0]], 6, axis=0)),
        nchw([[1, 0, -1], [1, 0, -1], [1, 0, -1]]),
        None, {},
        nchw([[0, 30, 30, 0]] * 4),
        id="6x6-3x3-vertical-edge",
    ),
    pytest.param(
        # out = x[i, j] + 2 x[i, j+1] - x[i+2, j+2] = a + 2(a + 1) - (a + 14) = 2a - 12, a = 6i + j
        nchw(ARANGE_6x6),
        nchw([[1, 2, 0], [0, 0, 0], [0, 0, -1]]),
        None, {},
        nchw([[-12, -10, -8, -6],
              [0, 2, 4, 6],
              [12, 14, 16, 18],
              [24, 26, 28, 30]]),
        id="6x6-3x3-asymmetric",
    ),
    pytest.param(
        # out = x[i, j] + 2 x[i+2, j+2] = a + 2(a + 16) = 3a + 32, a = 7i + j
        nchw(ARANGE_7x7),
        nchw([[1, 0, 0], [0, 0, 0], [0, 0, 2]]),
        None, {},
        nchw([[32, 35, 38, 41, 44],
              [53, 56, 59, 62, 65],
              [74, 77, 80, 83, 86],
              [95, 98, 101, 104, 107],
              [116, 119, 122, 125, 128]]),
        id="7x7-3x3-25-values",
    ),
    pytest.param(
        # zero padding 1, 3x3 ones: the sum of each cell's neighbourhood inside the image,
        # e.g. corner 1+2+4+5 = 12, centre 45
        nchw(ONE_TO_NINE),
        nchw(np.ones((3, 3), dtype=int)),
        None, dict(padding=1),
        nchw([[12, 21, 16], [27, 45, 33], [24, 39, 28]]),
        id="padding-1",
    ),
    pytest.param(
        # padding only along the width, 1x2 kernel [1, -1]: out = xp[i, j] - xp[i, j+1] on the
        # rows [0, 1, 2, 3, 0], [0, 4, 5, 6, 0], [0, 7, 8, 9, 0]
        nchw(ONE_TO_NINE),
        nchw([[1, -1]]),
        None, dict(padding=(0, 1)),
        nchw([[-1, -1, -1, 3], [-4, -1, -1, 6], [-7, -1, -1, 9]]),
        id="padding-width-only-1x2-kernel",
    ),
    pytest.param(
        # 2x2 blocks of arange(16): 0+1+4+5, 2+3+6+7, 8+9+12+13, 10+11+14+15
        nchw(np.arange(16).reshape(4, 4)),
        nchw(np.ones((2, 2), dtype=int)),
        None, dict(stride=2),
        nchw([[10, 18], [42, 50]]),
        id="stride-2",
    ),
    pytest.param(
        # top-left tap only, stride (2, 1): out = x[2i, j]; Ho = floor(2/2)+1 = 2, Wo = 3
        nchw(ARANGE_5x5),
        nchw([[1, 0, 0], [0, 0, 0], [0, 0, 0]]),
        None, dict(stride=(2, 1)),
        nchw([[0, 1, 2], [10, 11, 12]]),
        id="stride-2-1",
    ),
    pytest.param(
        # dilation 2: taps at (0,0), (0,2), (2,0), (2,2);
        # a + 2(a + 2) + 3(a + 10) + 4(a + 12) = 10a + 82, a = 5i + j; extent 3 -> 3x3 output
        nchw(ARANGE_5x5),
        nchw([[1, 2], [3, 4]]),
        None, dict(dilation=2),
        nchw([[82, 92, 102], [132, 142, 152], [182, 192, 202]]),
        id="dilation-2",
    ),
    pytest.param(
        # 1x3 kernel: x[i, j] + 2 x[i, j+1] + 3 x[i, j+2] = 6a + 8, a = 4i + j; output 3x2
        nchw(np.arange(12).reshape(3, 4)),
        nchw([[1, 2, 3]]),
        None, {},
        nchw([[8, 14], [32, 38], [56, 62]]),
        id="non-square-1x3",
    ),
    pytest.param(
        # 2x3 kernel: x[i, j] + 2 x[i, j+2] = 3a + 4, a = 4i + j; output 2x2
        nchw(np.arange(12).reshape(3, 4)),
        nchw([[1, 0, 2], [0, 0, 0]]),
        None, {},
        nchw([[4, 7], [16, 19]]),
        id="non-square-2x3",
    ),
    pytest.param(
        # two channels, two filters, bias [10, -1]:
        # filter 0 reads x0[i, j] + x1[i+1, j+1] = (3i + j) + 1, filter 1 sums the 2x2 window of x1 = 4
        np.stack([np.arange(9).reshape(3, 3), np.ones((3, 3), dtype=int)])[None],
        np.array([[[[1, 0], [0, 0]], [[0, 0], [0, 1]]],
                  [[[0, 0], [0, 0]], [[1, 1], [1, 1]]]]),
        np.array([10, -1]), {},
        np.array([[[[11, 12], [14, 15]], [[3, 3], [3, 3]]]]),
        id="channels-filters-bias",
    ),
]


@pytest.mark.parametrize("conv", [conv2d_forward, conv2d_forward_naive])
@pytest.mark.parametrize(("x", "w", "b", "kwargs", "expected"), FORWARD_CASES)
def test_forward_hand_checked(conv, x, w, b, kwargs, expected):
    out = conv(x, w, b, **kwargs)
    assert out.shape == expected.shape
    np.testing.assert_array_equal(out, expected)


BACKWARD_CASES = [
    pytest.param(
        # one-hot dout at output (1, 1): the kernel is pasted back, unflipped, on the window
        # it read; dw is that window of x, db the sum of dout
        nchw(ONE_TO_NINE), nchw([[1, 2], [3, 4]]), nchw([[0, 0], [0, 1]]), {},
        nchw([[0, 0, 0], [0, 1, 2], [0, 3, 4]]), nchw([[5, 6], [8, 9]]), [1],
        id="one-hot-pastes-kernel",
    ),
    pytest.param(
        # dout of ones: each cell collects one kernel tap per window covering it (overlaps add);
        # dw[u, v] sums x over the four windows' tap (u, v): 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9
        nchw(ONE_TO_NINE), nchw(np.ones((2, 2), dtype=int)), nchw(np.ones((2, 2), dtype=int)), {},
        nchw([[1, 2, 1], [2, 4, 2], [1, 2, 1]]), nchw([[12, 16], [24, 28]]), [4],
        id="ones-accumulate",
    ),
    pytest.param(
        # dilation 2, one-hot dout at output (1, 2): the taps land on (1,2), (1,4), (3,2), (3,4)
        # and dw reads x there: 7, 9, 17, 19
        nchw(ARANGE_5x5), nchw([[1, 2], [3, 4]]), nchw([[0, 0, 0], [0, 0, 1], [0, 0, 0]]),
        dict(dilation=2),
        nchw([[0, 0, 0, 0, 0], [0, 0, 1, 0, 2], [0, 0, 0, 0, 0], [0, 0, 3, 0, 4], [0, 0, 0, 0, 0]]),
        nchw([[7, 9], [17, 19]]), [1],
        id="dilation-one-hot",
    ),
    pytest.param(
        # padding 1, one-hot dout at output (0, 0): only tap (1, 1) lands inside the image, on (0, 0);
        # the gradient of the padded cells is dropped
        nchw([[1, 2], [3, 4]]), nchw([[1, 2], [3, 4]]),
        nchw([[1, 0, 0], [0, 0, 0], [0, 0, 0]]), dict(padding=1),
        nchw([[4, 0], [0, 0]]), nchw([[0, 0], [0, 1]]), [1],
        id="padding-drops-padded-cells",
    ),
]


@pytest.mark.parametrize("backward", [conv2d_backward, conv2d_backward_naive])
@pytest.mark.parametrize(("x", "w", "dout", "kwargs", "dx", "dw", "db"), BACKWARD_CASES)
def test_backward_hand_checked(backward, x, w, dout, kwargs, dx, dw, db):
    got_dx, got_dw, got_db = backward(dout, x, w, **kwargs)
    np.testing.assert_array_equal(got_dx, dx)
    np.testing.assert_array_equal(got_dw, dw)
    np.testing.assert_array_equal(got_db, db)
    assert (got_dx.shape, got_dw.shape, got_db.shape) == (x.shape, w.shape, (w.shape[0],))


def test_cross_correlation_versus_true_convolution():
    """conv2d_forward does not flip the kernel; with the kernel rotated 180 degrees it computes
    the true convolution.

    x = [[1,2,3],[4,5,6],[7,8,9]], k = [[1,2],[3,4]].
    Cross-correlation, out[0,0] = 1*1 + 2*2 + 4*3 + 5*4 = 37.
    True convolution, out[i,j] = sum_{u,v} x[i+u, j+v] k[1-u, 1-v],
    out[0,0] = 1*4 + 2*3 + 4*2 + 5*1 = 23, out[0,1] = 2*4 + 3*3 + 5*2 + 6*1 = 33,
    out[1,0] = 4*4 + 5*3 + 7*2 + 8*1 = 53, out[1,1] = 5*4 + 6*3 + 8*2 + 9*1 = 63.
    """
    x = nchw(ONE_TO_NINE)
    k = np.array([[1, 2], [3, 4]])
    np.testing.assert_array_equal(conv2d_forward(x, nchw(k)), nchw([[37, 47], [67, 77]]))
    np.testing.assert_array_equal(conv2d_forward(x, nchw(k[::-1, ::-1])), nchw([[23, 33], [53, 63]]))


def test_conv2d_as_dense_hand_checked():
    """A 2x2 kernel on a 3x3 image is a 4x9 dense layer: one row per output neuron, holding
    the kernel at the four pixels (r*3 + c) its window covers, zeros elsewhere."""
    M = conv2d_as_dense(nchw([[1, 2], [3, 4]]), (3, 3))
    expected = np.array([
        [1, 2, 0, 3, 4, 0, 0, 0, 0],  # window at (0, 0): pixels 0, 1, 3, 4
        [0, 1, 2, 0, 3, 4, 0, 0, 0],  # (0, 1): pixels 1, 2, 4, 5
        [0, 0, 0, 1, 2, 0, 3, 4, 0],  # (1, 0): pixels 3, 4, 6, 7
        [0, 0, 0, 0, 1, 2, 0, 3, 4],  # (1, 1): pixels 4, 5, 7, 8
    ])
    np.testing.assert_array_equal(M, expected)
    assert M.dtype == np.float64


def test_conv2d_as_dense_with_padding_adds_no_columns():
    """2x2 image, 2x2 kernel, padding 1: nine neurons (3x3 output) but still four columns;
    each row keeps only the taps that land inside the image."""
    M = conv2d_as_dense(nchw([[1, 2], [3, 4]]), (2, 2), padding=1)
    expected = np.array([
        [4, 0, 0, 0],  # (0, 0): only tap (1, 1) is inside, on pixel (0, 0)
        [3, 4, 0, 0],
        [0, 3, 0, 0],
        [2, 0, 4, 0],
        [1, 2, 3, 4],  # (1, 1): the whole kernel is inside
        [0, 1, 0, 3],
        [0, 0, 2, 0],
        [0, 0, 1, 2],
        [0, 0, 0, 1],
    ])
    np.testing.assert_array_equal(M, expected)


# ----------------------------------------------------------------------------- random cases
@dataclass
class ConvCase:
    x: np.ndarray  # (N, C, H, W)
    w: np.ndarray  # (F, C, KH, KW)
    b: np.ndarray  # (F,)
    dout: np.ndarray  # (N, F, Ho, Wo), a random upstream gradient
    kwargs: dict  # stride, padding, dilation as (h, w) pairs

    @property
    def out_shape(self):
        return self.dout.shape


@st.composite
def conv_cases(draw, max_hw=8):
    """A valid random convolution: small shapes, N = 0 included, non-square everything.

    The kernel is drawn first and the image made big enough for it, so no example is wasted.
    Values are either Gaussian or small integers (exact sums, many equal values).
    """
    N, C, F = draw(st.integers(0, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    d = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    k = tuple(draw(st.integers(1, min(4, (max_hw - 1) // di + 1))) for di in d)
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    p = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    extent = [di * (ki - 1) + 1 for di, ki in zip(d, k)]
    H, W = (draw(st.integers(max(1, e - 2 * pi), max_hw)) for e, pi in zip(extent, p))
    Ho, Wo = ((n + 2 * pi - e) // si + 1 for n, pi, e, si in zip((H, W), p, extent, s))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if draw(st.sampled_from(["gaussian", "small-int"])) == "gaussian":
        def values(*shape):
            return rng.standard_normal(shape)
    else:
        def values(*shape):
            return rng.integers(-3, 4, size=shape).astype(np.float64)
    return ConvCase(
        x=values(N, C, H, W), w=values(F, C, *k), b=values(F), dout=values(N, F, Ho, Wo),
        kwargs=dict(stride=s, padding=p, dilation=d),
    )


@given(conv_cases())
def test_forward_fast_equals_naive(case):
    fast = conv2d_forward(case.x, case.w, case.b, **case.kwargs)
    naive = conv2d_forward_naive(case.x, case.w, case.b, **case.kwargs)
    assert fast.shape == naive.shape == case.out_shape
    np.testing.assert_allclose(fast, naive, **TIGHT)


@given(conv_cases())
def test_backward_fast_equals_naive(case):
    fast = conv2d_backward(case.dout, case.x, case.w, **case.kwargs)
    naive = conv2d_backward_naive(case.dout, case.x, case.w, **case.kwargs)
    for name, f, n, shape in zip(("dx", "dw", "db"), fast, naive,
                                 (case.x.shape, case.w.shape, case.b.shape)):
        assert f.shape == n.shape == shape, name
        np.testing.assert_allclose(f, n, **TIGHT, err_msg=name)


@given(conv_cases())
def test_matches_scipy_correlate2d(case):
    """An outside reference: per image and filter, the sum over channels of scipy's 'valid'
    cross-correlation of the zero-padded channel with the dilated kernel (zeros between the
    taps), sampled every stride. Rotating the kernel turns it into scipy's convolve2d."""
    signal = pytest.importorskip("scipy.signal")
    (sh, sw), (ph, pw), (dh, dw) = (case.kwargs[k] for k in ("stride", "padding", "dilation"))
    F, C, KH, KW = case.w.shape
    w_dilated = np.zeros((F, C, dh * (KH - 1) + 1, dw * (KW - 1) + 1))
    w_dilated[:, :, ::dh, ::dw] = case.w
    xp = np.pad(case.x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    expected = np.zeros(case.out_shape)
    rotated = np.zeros(case.out_shape)
    for n in range(case.x.shape[0]):
        for f in range(F):
            for c in range(C):
                corr = signal.correlate2d(xp[n, c], w_dilated[f, c], mode="valid")
                conv = signal.convolve2d(xp[n, c], w_dilated[f, c, ::-1, ::-1], mode="valid")
                expected[n, f] += corr[::sh, ::sw]
                rotated[n, f] += conv[::sh, ::sw]
    np.testing.assert_allclose(conv2d_forward(case.x, case.w, **case.kwargs), expected, **TIGHT)
    np.testing.assert_allclose(conv2d_forward(case.x, case.w, **case.kwargs), rotated, **TIGHT)


@given(conv_cases())
def test_conv2d_as_dense_is_the_same_linear_map(case):
    """M has shape (F*Ho*Wo, C*H*W) and M @ x[n].ravel() == conv2d_forward(x, w)[n].ravel()."""
    N, C, H, W = case.x.shape
    F, Ho, Wo = case.out_shape[1:]
    M = conv2d_as_dense(case.w, (H, W), **case.kwargs)
    assert M.shape == (F * Ho * Wo, C * H * W)
    out = conv2d_forward(case.x, case.w, **case.kwargs)
    for n in range(N):
        np.testing.assert_allclose(M @ case.x[n].ravel(), out[n].ravel(), **TIGHT)
    # and the matrix is the Jacobian the backward pass transposes
    dx, _, _ = conv2d_backward(case.dout, case.x, case.w, **case.kwargs)
    for n in range(N):
        np.testing.assert_allclose(M.T @ case.dout[n].ravel(), dx[n].ravel(), **TIGHT)



@given(conv_cases())
def test_backward_is_the_adjoint_of_forward(case):
    """conv is linear in x and in w, so <conv(x, w), y> = <x, dx(y)> = <w, dw(y)>."""
    out = conv2d_forward(case.x, case.w, **case.kwargs)
    dx, dw, _ = conv2d_backward(case.dout, case.x, case.w, **case.kwargs)
    assert_same_inner_product(out, case.dout, case.x, dx)
    assert_same_inner_product(out, case.dout, case.w, dw)


@given(conv_cases())
def test_bias_adds_per_filter_and_its_gradient_sums_dout(case):
    with_bias = conv2d_forward(case.x, case.w, case.b, **case.kwargs)
    without = conv2d_forward(case.x, case.w, **case.kwargs)
    np.testing.assert_allclose(with_bias, without + case.b[None, :, None, None], **TIGHT)
    _, _, db = conv2d_backward(case.dout, case.x, case.w, **case.kwargs)
    np.testing.assert_allclose(db, case.dout.sum(axis=(0, 2, 3)), **TIGHT)


def test_large_batch_gives_each_image_its_own_result():
    """Image n's output and gradient do not depend on the other images, also when the batch is
    split into the kernel's internal blocks (about 2**18 window elements each, see conv.py):
    25 images of 3x32x32 with 3x3 filters and padding 1 make 3*9*32*32 = 27648 window elements
    per image, so the batch spans several blocks with a partial last one. dw and db are the sums
    of the per-image gradients; the last image is also checked against the naive loops."""
    rng = np.random.default_rng(7)
    x, w, b = rng.standard_normal((25, 3, 32, 32)), rng.standard_normal((2, 3, 3, 3)), rng.standard_normal(2)
    out = conv2d_forward(x, w, b, padding=1)
    dout = rng.standard_normal(out.shape)
    dx, dw, db = conv2d_backward(dout, x, w, padding=1)
    dw_sum, db_sum = np.zeros_like(w), np.zeros_like(b)
    for n in range(len(x)):
        one = slice(n, n + 1)
        np.testing.assert_allclose(out[one], conv2d_forward(x[one], w, b, padding=1), **TIGHT)
        dx_n, dw_n, db_n = conv2d_backward(dout[one], x[one], w, padding=1)
        np.testing.assert_allclose(dx[one], dx_n, **TIGHT)
        dw_sum += dw_n
        db_sum += db_n
    np.testing.assert_allclose(dw, dw_sum, rtol=1e-11, atol=1e-11)
    np.testing.assert_allclose(db, db_sum, rtol=1e-11, atol=1e-11)
    last = slice(24, 25)
    np.testing.assert_allclose(out[last], conv2d_forward_naive(x[last], w, b, padding=1), **TIGHT)
    np.testing.assert_allclose(dx[last], conv2d_backward_naive(dout[last], x[last], w, padding=1)[0], **TIGHT)


@pytest.mark.parametrize("kwargs", [dict(padding=3), dict(stride=(1, 2), padding=(1, 2), dilation=(2, 1))])
def test_a_large_image_cut_into_bands_of_rows_gives_the_naive_result(kwargs):
    """Two 2x90x80 images with 3 filters of 7x7 have 2*49*Ho*Wo > 2**18 window elements each, so the kernels
    cut it into bands of output rows (see cnnlab/_im2col.py): the bands must meet without a seam, in
    the output and in dx, where the windows of neighbouring bands overlap."""
    from cnnlab._im2col import tiles

    rng = np.random.default_rng(8)
    x, w, b = rng.standard_normal((2, 2, 90, 80)), rng.standard_normal((3, 2, 7, 7)), rng.standard_normal(3)
    out = conv2d_forward(x, w, b, **kwargs)
    N, F, Ho, Wo = out.shape
    assert len(tiles(N, Ho, 2 * 49 * Wo)) > N  # really cut into bands
    np.testing.assert_allclose(out, conv2d_forward_naive(x, w, b, **kwargs), **TIGHT)
    dout = rng.standard_normal(out.shape)
    for fast, naive in zip(conv2d_backward(dout, x, w, **kwargs), conv2d_backward_naive(dout, x, w, **kwargs)):
        np.testing.assert_allclose(fast, naive, rtol=1e-11, atol=1e-11)


# ----------------------------------------------------------------------------- every kernel
# One fixed, deliberately awkward configuration (non-square kernel, stride, padding and
# dilation differing per axis) run through every conv entry point.
# x (2, 3, 6, 5), w (4, 3, 3, 2): Ho = floor((6 + 2 - 3) / 2) + 1 = 3, Wo = (5 - 3) / 1 + 1 = 3
KWARGS = dict(stride=(2, 1), padding=(1, 0), dilation=(1, 2))
SHAPES = dict(x=(2, 3, 6, 5), w=(4, 3, 3, 2), b=(4,), dout=(2, 4, 3, 3))


def conv_calls(dtype, N=2):
    """Every conv entry point as ``name -> (function, positional arrays, keyword args)``."""
    rng = np.random.default_rng(1)
    a = {name: rng.standard_normal(shape).astype(dtype) for name, shape in SHAPES.items()}
    a["x"] = a["x"][:N]
    a["dout"] = a["dout"][:N]
    return {
        "conv2d_forward": (conv2d_forward, (a["x"], a["w"], a["b"]), KWARGS),
        "conv2d_forward_naive": (conv2d_forward_naive, (a["x"], a["w"], a["b"]), KWARGS),
        "conv2d_backward": (conv2d_backward, (a["dout"], a["x"], a["w"]), KWARGS),
        "conv2d_backward_naive": (conv2d_backward_naive, (a["dout"], a["x"], a["w"]), KWARGS),
        "conv2d_as_dense": (conv2d_as_dense, (a["w"],), dict(input_size=(6, 5), **KWARGS)),
    }


KERNELS = list(conv_calls(np.float64))


def _results(fn, arrays, kwargs):
    r = fn(*arrays, **kwargs)
    return r if isinstance(r, tuple) else (r,)


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param(KWARGS, id="padded-strided-dilated"),
        # no padding: the kernels work on x itself rather than on a padded copy
        pytest.param({}, id="unpadded"),
    ],
)
@pytest.mark.parametrize("name", KERNELS)
def test_inputs_untouched_and_results_deterministic(name, kwargs, assert_pure):
    fn, arrays, _ = conv_calls(np.float64)[name]
    if name == "conv2d_as_dense":
        assert_pure(fn, *arrays, input_size=(6, 5), **kwargs)
        return
    if "backward" in name:  # dout must match this configuration's output shape
        _, x, w = arrays
        dout = np.random.default_rng(6).standard_normal(conv2d_forward(x, w, **kwargs).shape)
        arrays = (dout, x, w)
    assert_pure(fn, *arrays, **kwargs)


@pytest.mark.parametrize("name", KERNELS)
def test_float32_stays_float32_and_close_to_float64(name):
    fn, arrays32, kwargs = conv_calls(np.float32)[name]
    _, arrays64, _ = conv_calls(np.float64)[name]
    arrays64 = [a.astype(np.float32).astype(np.float64) for a in arrays64]  # same values
    for r32, r64 in zip(_results(fn, arrays32, kwargs), _results(fn, arrays64, kwargs), strict=True):
        assert r32.dtype == np.float32
        assert r64.dtype == np.float64
        np.testing.assert_allclose(r32, r64, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("name", KERNELS)
def test_integer_arrays_are_taken_as_float64(name):
    fn, arrays, kwargs = conv_calls(np.float64)[name]
    ints = [np.round(4 * a).astype(np.int64) for a in arrays]
    for r_int, r_float in zip(_results(fn, ints, kwargs),
                              _results(fn, [i.astype(np.float64) for i in ints], kwargs), strict=True):
        assert r_int.dtype == np.float64
        np.testing.assert_array_equal(r_int, r_float)


@pytest.mark.parametrize("name", [k for k in KERNELS if k != "conv2d_as_dense"])
def test_empty_batch(name):
    """N = 0 is a valid batch: outputs (0, F, Ho, Wo), dx (0, C, H, W), dw and db zero."""
    fn, arrays, kwargs = conv_calls(np.float64, N=0)[name]
    results = _results(fn, arrays, kwargs)
    if "forward" in name:
        assert results[0].shape == (0, 4, 3, 3)
    else:
        dx, dw, db = results
        assert (dx.shape, dw.shape, db.shape) == ((0, 3, 6, 5), (4, 3, 3, 2), (4,))
        np.testing.assert_array_equal(dw, 0)
        np.testing.assert_array_equal(db, 0)


# ----------------------------------------------------------------------------- NaN and inf
# w[2, 0] = 0 on purpose below: NaN * 0 is NaN, so a window that reads a NaN through a zero
# weight is NaN too, as in the frameworks.
KERNEL_3x3 = np.array([[1, 2, 3], [4, 5, 6], [0, 7, 8]])

NAN_CASES = [
    pytest.param(
        # NaN at (0, 4): only the window at column 2 of row 0 reads it (through tap (0, 2))
        (0, 4), KERNEL_3x3, {},
        [[0, 0, 1],
         [0, 0, 0],
         [0, 0, 0]],
        id="corner",
    ),
    pytest.param(
        # NaN at (4, 2), read through the zero tap (2, 0) by the window at (2, 2), through taps
        # (2, 1) and (2, 2) by the windows at (2, 1) and (2, 0)
        (4, 2), KERNEL_3x3, {},
        [[0, 0, 0],
         [0, 0, 0],
         [1, 1, 1]],
        id="through-zero-weight",
    ),
    pytest.param(
        # padding 1: NaN at padded (1, 5) is read by windows i in {0, 1}, j in {3, 4}
        (0, 4), KERNEL_3x3, dict(padding=1),
        [[0, 0, 0, 1, 1],
         [0, 0, 0, 1, 1],
         [0, 0, 0, 0, 0],
         [0, 0, 0, 0, 0],
         [0, 0, 0, 0, 0]],
        id="padding",
    ),
    pytest.param(
        # stride 2: windows cover rows 0-2 / 2-4 and columns 0-2 / 2-4; (1, 3) is in one of them
        (1, 3), KERNEL_3x3, dict(stride=2),
        [[0, 1],
         [0, 0]],
        id="stride",
    ),
    pytest.param(
        # dilation 2: window (i, j) reads rows {i, i+2} and columns {j, j+2}; (1, 1) is read
        # only by window (1, 1). Window (0, 0) spans it but skips it.
        (1, 1), np.array([[1, 2], [3, 4]]), dict(dilation=2),
        [[0, 0, 0],
         [0, 1, 0],
         [0, 0, 0]],
        id="dilation-skips-holes",
    ),
]


@pytest.mark.parametrize("conv", [conv2d_forward, conv2d_forward_naive])
@pytest.mark.parametrize(("where", "kernel", "kwargs", "nan_mask"), NAN_CASES)
def test_nan_reaches_exactly_the_windows_that_read_it(conv, where, kernel, kwargs, nan_mask):
    """A NaN in one channel makes every filter's output NaN where a tap reads it; every other
    output stays finite."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 2, 5, 5))
    x[0, 1][where] = np.nan
    w = np.stack([np.stack([kernel, kernel]), np.stack([-kernel, 2 * kernel])])  # (2, 2, KH, KW)
    out = conv(x, w, **kwargs)
    for f in range(2):
        np.testing.assert_array_equal(np.isnan(out[0, f]), np.array(nan_mask, dtype=bool))
    assert np.isfinite(out[~np.isnan(out)]).all()


def test_inf_propagates_to_the_windows_that_read_it():
    """+inf times positive weights gives +inf where read (no inf * 0, so no NaN); finite elsewhere."""
    x = np.ones((1, 1, 4, 4))
    x[0, 0, 0, 0] = np.inf
    out = conv2d_forward(x, np.full((1, 1, 2, 2), 0.5), stride=1)  # 3x3; only window (0, 0) reads (0, 0)
    expected = np.full((3, 3), 2.0)
    expected[0, 0] = np.inf
    np.testing.assert_array_equal(out[0, 0], expected)


@pytest.mark.parametrize("taps_from", [1, 10**9], ids=["by-taps", "col2im"])
@pytest.mark.parametrize("kwargs", [dict(padding=1), dict(stride=(2, 1), padding=(1, 2), dilation=(1, 2)),
                                    dict(stride=3, padding=(0, 1))])
def test_both_ways_to_dx_give_the_naive_result(monkeypatch, taps_from, kwargs):
    """dx comes from one product per kernel tap from cnnlab.conv.TAPS_FROM_CHANNELS input channels on,
    from col2im below: each way, on every stride, padding and dilation, and with 8 channels."""
    import cnnlab.conv

    monkeypatch.setattr(cnnlab.conv, "TAPS_FROM_CHANNELS", taps_from)
    rng = np.random.default_rng(9)
    for C in (1, 3, 8):
        x, w = rng.standard_normal((3, C, 9, 8)), rng.standard_normal((4, C, 3, 2))
        dout = rng.standard_normal(conv2d_forward(x, w, **kwargs).shape)
        for fast, naive in zip(conv2d_backward(dout, x, w, **kwargs), conv2d_backward_naive(dout, x, w, **kwargs)):
            np.testing.assert_allclose(fast, naive, **TIGHT)

"""Max and average pooling: hand-checked examples, fast == naive on random cases, gradient
routing (first maximum, accumulation, padding), purity, dtypes, empty batches, NaN and inf.

Gradients against finite differences live in test_gradcheck.py, error messages in test_errors.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnlab import (
    avg_pool2d_backward,
    avg_pool2d_backward_naive,
    avg_pool2d_forward,
    avg_pool2d_forward_naive,
    max_pool2d_backward,
    max_pool2d_backward_naive,
    max_pool2d_forward,
    max_pool2d_forward_naive,
)

from conftest import TIGHT, assert_same_inner_product, nchw

MAX_FORWARD = [max_pool2d_forward, max_pool2d_forward_naive]
MAX_BACKWARD = [max_pool2d_backward, max_pool2d_backward_naive]
AVG_FORWARD = [avg_pool2d_forward, avg_pool2d_forward_naive]
AVG_BACKWARD = [avg_pool2d_backward, avg_pool2d_backward_naive]



X_4x4 = nchw([[1, 3, 2, 1],
              [4, 6, 5, 0],
              [7, 2, 9, 8],
              [1, 3, 4, 2]])
ONE_TO_NINE = nchw(np.arange(1, 10).reshape(3, 3))


# ----------------------------------------------------------------------------- max: by hand
@pytest.mark.parametrize("forward", MAX_FORWARD)
def test_max_pool_2x2_stride_2_by_hand(forward):
    # windows: {1, 3, 4, 6}, {2, 1, 5, 0}, {7, 2, 1, 3}, {9, 8, 4, 2}
    np.testing.assert_array_equal(forward(X_4x4, kernel_size=2, stride=2), nchw([[6, 5], [7, 9]]))
    # stride defaults to kernel_size
    np.testing.assert_array_equal(forward(X_4x4, kernel_size=2), nchw([[6, 5], [7, 9]]))


@pytest.mark.parametrize("backward", MAX_BACKWARD)
def test_max_pool_backward_2x2_by_hand(backward):
    """Each window's gradient goes to its maximum: 6 at (1,1), 5 at (1,2), 7 at (2,0), 9 at (2,2)."""
    dx = backward(nchw([[10, 20], [30, 40]]), X_4x4, kernel_size=2)
    np.testing.assert_array_equal(dx, nchw([[0, 0, 0, 0],
                                            [0, 10, 20, 0],
                                            [30, 0, 40, 0],
                                            [0, 0, 0, 0]]))


@pytest.mark.parametrize("forward", MAX_FORWARD)
@pytest.mark.parametrize("backward", MAX_BACKWARD)
def test_max_pool_padding_is_minus_infinity(forward, backward):
    """All inputs negative, kernel 2, stride 1, padding 1: a zero-padded pool would return 0
    on the border; with -inf padding the border windows return their real cells' maximum.

    x = [[-1, -2], [-3, -4]]; window (i, j) covers real rows i-1..i and columns j-1..j.
    dout of ones: (0, 0) wins windows (0,0), (0,1), (1,0), (1,1); (0, 1) wins (0,2), (1,2);
    (1, 0) wins (2,0), (2,1); (1, 1) wins (2,2). Nine windows, nine units of gradient.
    """
    x = nchw([[-1, -2], [-3, -4]])
    out = forward(x, kernel_size=2, stride=1, padding=1)
    np.testing.assert_array_equal(out, nchw([[-1, -1, -2], [-1, -1, -2], [-3, -3, -4]]))
    dx = backward(np.ones((1, 1, 3, 3)), x, kernel_size=2, stride=1, padding=1)
    np.testing.assert_array_equal(dx, nchw([[4, 2], [2, 1]]))


@pytest.mark.parametrize("backward", MAX_BACKWARD)
def test_max_pool_ties_go_to_first_maximum_in_row_major_order(backward):
    """Left window [[1, 5], [5, 2]]: the 5 at (0, 1) comes before the 5 at (1, 0).
    Right window [[1, 2], [5, 5]]: the 5 at (1, 0) of the window, x[1, 2], comes first."""
    x = nchw([[1, 5, 1, 2],
              [5, 2, 5, 5]])
    dx = backward(nchw([[3, 7]]), x, kernel_size=2)
    np.testing.assert_array_equal(dx, nchw([[0, 3, 0, 0],
                                            [0, 0, 7, 0]]))


@pytest.mark.parametrize("backward", MAX_BACKWARD)
@pytest.mark.parametrize(
    ("shape", "kwargs", "out_hw", "expected"),
    [
        pytest.param(
            # non-overlapping 2x2 windows: every top-left corner gets its window's dout
            (4, 4), dict(kernel_size=2), (2, 2),
            [[1, 0, 2, 0], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]],
            id="2x2-stride-2",
        ),
        pytest.param(
            # kernel 3, stride 1: window (i, j) starts at (i, j)
            (4, 4), dict(kernel_size=3, stride=1), (2, 2),
            [[1, 2, 0, 0], [3, 4, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
            id="3x3-stride-1",
        ),
        pytest.param(
            # kernel 3, stride 1, padding 1 on 3x3: window (i, j) covers real rows i-1..i+1, so
            # its first real cell is (max(i-1, 0), max(j-1, 0)); padded cells never win a tie.
            # (0, 0) collects windows 1, 2, 4, 5; (0, 1) windows 3, 6; (1, 0) 7, 8; (1, 1) 9.
            (3, 3), dict(kernel_size=3, stride=1, padding=1), (3, 3),
            [[1 + 2 + 4 + 5, 3 + 6, 0], [7 + 8, 9, 0], [0, 0, 0]],
            id="3x3-stride-1-padding-1",
        ),
    ],
)
def test_max_pool_all_equal_inputs_route_to_each_windows_first_cell(backward, shape, kwargs, out_hw, expected):
    x = np.full((1, 1) + shape, 0.5)
    dout = np.arange(1.0, out_hw[0] * out_hw[1] + 1).reshape((1, 1) + out_hw)  # 1, 2, 3, ... row-major
    np.testing.assert_array_equal(backward(dout, x, **kwargs), nchw(expected))


@pytest.mark.parametrize("backward", MAX_BACKWARD)
def test_max_pool_overlapping_windows_accumulate(backward):
    """Kernel 3, stride 1 on 5x5 with one global maximum: every window containing it sends its
    gradient there, and these add up (a backward that assigns would keep only one of them)."""
    rng = np.random.default_rng(3)
    x = rng.permutation(25).reshape(1, 1, 5, 5).astype(float)
    dout = rng.integers(1, 10, size=(1, 1, 3, 3)).astype(float)

    x_centre = np.where(x == 24, -1, x)
    x_centre[0, 0, 2, 2] = 100  # in all nine windows
    dx = backward(dout, x_centre, kernel_size=3, stride=1)
    assert dx[0, 0, 2, 2] == dout.sum()
    assert np.count_nonzero(dx) == 1

    x_edge = np.where(x == 24, -1, x)
    x_edge[0, 0, 1, 3] = 100  # in the windows with top row 0..1 and left column 1..2
    dx = backward(dout, x_edge, kernel_size=3, stride=1)
    assert dx[0, 0, 1, 3] == dout[0, 0, 0:2, 1:3].sum()
    assert dx.sum() == dout.sum()


def test_max_pool_window_of_minus_infinity_never_picks_a_padded_cell():
    """All real cells -inf, padding 1: each window's maximum ties with its padded cells; the
    gradient must still go to a real cell (the first, as in PyTorch), not be dropped.
    Kernel 2, padding 1, stride 2 on 2x2: each of the four windows holds exactly one real cell."""
    x = np.full((1, 1, 2, 2), -np.inf)
    out = max_pool2d_forward(x, kernel_size=2, padding=1)
    np.testing.assert_array_equal(out, x)
    for backward in MAX_BACKWARD:
        np.testing.assert_array_equal(backward(np.ones((1, 1, 2, 2)), x, kernel_size=2, padding=1),
                                      np.ones((1, 1, 2, 2)))


# ----------------------------------------------------------------------------- avg: by hand
@pytest.mark.parametrize("forward", AVG_FORWARD)
def test_avg_pool_2x2_by_hand(forward):
    # window sums 14, 8, 13, 23, divided by 4
    np.testing.assert_array_equal(forward(X_4x4, kernel_size=2), nchw([[3.5, 2.0], [3.25, 5.75]]))


@pytest.mark.parametrize("backward", AVG_BACKWARD)
def test_avg_pool_backward_2x2_by_hand(backward):
    """Every cell of a window receives dout / 4."""
    dx = backward(nchw([[4, 8], [12, 16]]), X_4x4, kernel_size=2)
    np.testing.assert_array_equal(dx, nchw([[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]))


@pytest.mark.parametrize("forward", AVG_FORWARD)
def test_avg_pool_padding_counts_the_zeros(forward):
    """count_include_pad=True: border windows still divide by the full window size.

    Kernel 3, stride 1, padding 1 on [[1..3], [4..6], [7..9]]: neighbourhood sums / 9.
    Kernel 2, stride 2, padding 1: windows hold 1 | 2, 3 | 4, 7 | 5, 6, 8, 9 real cells, / 4.
    """
    np.testing.assert_allclose(
        forward(ONE_TO_NINE, kernel_size=3, stride=1, padding=1),
        nchw([[12, 21, 16], [27, 45, 33], [24, 39, 28]]) / 9, **TIGHT)
    np.testing.assert_array_equal(
        forward(ONE_TO_NINE, kernel_size=2, padding=1),
        nchw([[1 / 4, 5 / 4], [11 / 4, 28 / 4]]))


@pytest.mark.parametrize("backward", AVG_BACKWARD)
def test_avg_pool_backward_padding_and_overlap(backward):
    """Kernel 3, stride 1, padding 1, dout of nines on 3x3: each cell gets 1 per window covering
    it: 4 in the corners, 6 on the edges, 9 in the centre. The padded cells' share is dropped."""
    dx = backward(np.full((1, 1, 3, 3), 9.0), ONE_TO_NINE, kernel_size=3, stride=1, padding=1)
    np.testing.assert_allclose(dx, nchw([[4, 6, 4], [6, 9, 6], [4, 6, 4]]), **TIGHT)


# ----------------------------------------------------------------------------- random cases
@dataclass
class PoolCase:
    x: np.ndarray  # (N, C, H, W)
    dout: np.ndarray  # (N, C, Ho, Wo), nonzero integers: exact sums, and a misrouted unit shows
    kwargs: dict  # kernel_size, stride (None: the default), padding


@st.composite
def pool_cases(draw, values=("gaussian", "small-int"), max_hw=8, padding=True, stride=True):
    """A valid random pooling: N = 0 included, non-square kernels, overlapping windows
    (stride < kernel), padding up to kernel // 2. "small-int" values make ties common."""
    N, C = draw(st.integers(0, 3)), draw(st.integers(1, 3))
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3))) if stride and draw(st.booleans()) else None
    p = tuple(draw(st.integers(0, ki // 2)) for ki in k) if padding else (0, 0)
    H, W = (draw(st.integers(max(1, ki - 2 * pi), max_hw)) for ki, pi in zip(k, p))
    Ho, Wo = ((n + 2 * pi - ki) // si + 1 for n, pi, ki, si in zip((H, W), p, k, s or k))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    kind = draw(st.sampled_from(values))
    shape = (N, C, H, W)
    if kind == "gaussian":
        x = rng.standard_normal(shape)
    elif kind == "small-int":
        x = rng.integers(-2, 3, size=shape).astype(float)
    else:  # "negative": strictly below the zeros a wrong padding would bring in
        x = -0.1 - rng.random(shape)
    dout = rng.integers(1, 10, size=(N, C, Ho, Wo)) * rng.choice([-1, 1], size=(N, C, Ho, Wo))
    return PoolCase(x=x, dout=dout.astype(float), kwargs=dict(kernel_size=k, stride=s, padding=p))


def _windows(case):
    """Yield (n, c, i, j, real cells of the window as (rows, cols) index arrays) independently of cnnlab."""
    k, p = case.kwargs["kernel_size"], case.kwargs["padding"]
    s = case.kwargs["stride"] or k
    N, C, H, W = case.x.shape
    Ho, Wo = case.dout.shape[2:]
    for n, c, i, j in np.ndindex(N, C, Ho, Wo):
        rows = [r for r in range(i * s[0] - p[0], i * s[0] - p[0] + k[0]) if 0 <= r < H]
        cols = [q for q in range(j * s[1] - p[1], j * s[1] - p[1] + k[1]) if 0 <= q < W]
        yield n, c, i, j, rows, cols


@given(pool_cases())
def test_max_pool_fast_equals_naive(case):
    fast = max_pool2d_forward(case.x, **case.kwargs)
    naive = max_pool2d_forward_naive(case.x, **case.kwargs)
    assert fast.shape == naive.shape == case.dout.shape
    np.testing.assert_array_equal(fast, naive)
    # with ties everywhere, the two backward passes must pick the same (first) cell: the
    # gradients are integers, so any difference in routing shows as an exact mismatch
    np.testing.assert_array_equal(
        max_pool2d_backward(case.dout, case.x, **case.kwargs),
        max_pool2d_backward_naive(case.dout, case.x, **case.kwargs),
    )


@given(pool_cases(), st.booleans())
def test_avg_pool_fast_equals_naive(case, count_include_pad):
    kwargs = dict(case.kwargs, count_include_pad=count_include_pad)
    fast = avg_pool2d_forward(case.x, **kwargs)
    naive = avg_pool2d_forward_naive(case.x, **kwargs)
    assert fast.shape == naive.shape == case.dout.shape
    np.testing.assert_allclose(fast, naive, **TIGHT)
    np.testing.assert_allclose(
        avg_pool2d_backward(case.dout, case.x, **kwargs),
        avg_pool2d_backward_naive(case.dout, case.x, **kwargs),
        **TIGHT,
    )


def test_avg_pool_border_rules_by_hand():
    """A 4x4 map of ones, 3x3 windows, stride 1, padding 1. Counting the padding (PyTorch's
    default), a corner window holds 4 real cells of 9: 4/9; without it, 4/4 = 1 everywhere. The
    gradient of a corner cell: it lies in 4 windows (corner, two edges, one inner); with the
    padding counted each sends 1/9; without it they send 1/4, 1/6, 1/6 and 1/9."""
    ones = np.ones((1, 1, 4, 4))
    kw = dict(kernel_size=3, stride=1, padding=1)
    counted = avg_pool2d_forward(ones, **kw)[0, 0]
    assert counted[0, 0] == pytest.approx(4 / 9) and counted[0, 1] == pytest.approx(6 / 9) and counted[1, 1] == 1
    np.testing.assert_allclose(avg_pool2d_forward(ones, **kw, count_include_pad=False), ones, **TIGHT)
    dout = np.ones((1, 1, 4, 4))
    assert avg_pool2d_backward(dout, ones, **kw)[0, 0, 0, 0] == pytest.approx(4 / 9)
    corner = avg_pool2d_backward(dout, ones, **kw, count_include_pad=False)[0, 0, 0, 0]
    assert corner == pytest.approx(1 / 4 + 1 / 6 + 1 / 6 + 1 / 9)
    # without padding the two rules are the same
    x = np.random.default_rng(0).standard_normal((2, 3, 6, 6))
    np.testing.assert_array_equal(avg_pool2d_forward(x, kernel_size=2),
                                  avg_pool2d_forward(x, kernel_size=2, count_include_pad=False))
    with pytest.raises(TypeError, match="count_include_pad must be True or False, got int 0"):
        avg_pool2d_forward(x, kernel_size=2, count_include_pad=0)


@given(pool_cases(values=("gaussian", "small-int", "negative")))
def test_max_pool_against_an_independent_loop(case):
    """Outside oracle: each output is the max over the window's real cells, and the gradient
    of that window goes to np.argmax of those cells (the first maximum, row-major)."""
    out = max_pool2d_forward(case.x, **case.kwargs)
    dx = max_pool2d_backward(case.dout, case.x, **case.kwargs)
    expected_dx = np.zeros_like(case.x)
    for n, c, i, j, rows, cols in _windows(case):
        window = case.x[n, c][np.ix_(rows, cols)]
        assert out[n, c, i, j] == window.max()
        r, q = np.unravel_index(np.argmax(window), window.shape)
        expected_dx[n, c, rows[r], cols[q]] += case.dout[n, c, i, j]
    np.testing.assert_array_equal(dx, expected_dx)


@given(pool_cases(values=("gaussian", "small-int", "negative")))
def test_max_pool_every_window_routes_to_exactly_one_real_cell(case):
    """dout of ones: the gradient in each image/channel sums to the number of windows, i.e. no
    window loses its gradient to a padded cell and none sends it twice (ties)."""
    dout = np.ones_like(case.dout)
    dx = max_pool2d_backward(dout, case.x, **case.kwargs)
    np.testing.assert_array_equal(dx.sum(axis=(2, 3)), dout.sum(axis=(2, 3)))
    assert (dx >= 0).all() and (dx == np.round(dx)).all()
    out = max_pool2d_forward(case.x, **case.kwargs)
    assert np.isfinite(out).all()  # padding (-inf) never wins


@given(pool_cases(values=("small-int",), padding=False, stride=False))
def test_max_pool_non_overlapping_windows_get_exactly_one_unit(case):
    """Windows side by side (stride = kernel), dout of ones: inside each window the gradient
    is one 1 and zeros, at the window's maximum; cells outside every window get 0."""
    dout = np.ones_like(case.dout)
    dx = max_pool2d_backward(dout, case.x, **case.kwargs)
    covered = np.zeros(case.x.shape, dtype=bool)
    for n, c, _, _, rows, cols in _windows(case):
        block = dx[n, c][np.ix_(rows, cols)]
        assert np.count_nonzero(block) == 1 and block.sum() == 1
        assert case.x[n, c][np.ix_(rows, cols)][block == 1] == case.x[n, c][np.ix_(rows, cols)].max()
        covered[n, c][np.ix_(rows, cols)] = True
    assert (dx[~covered] == 0).all()



@given(pool_cases(values=("gaussian", "small-int", "negative")))
def test_backward_is_the_adjoint_of_forward(case):
    """Average pooling is linear and max pooling selects one input per window, so for both
    <pool(x), y> = <x, backward(y, x)>."""
    for forward, backward in [(avg_pool2d_forward, avg_pool2d_backward),
                              (max_pool2d_forward, max_pool2d_backward)]:
        out = forward(case.x, **case.kwargs)
        dx = backward(case.dout, case.x, **case.kwargs)
        assert_same_inner_product(out, case.dout, case.x, dx)


# ----------------------------------------------------------------------------- every kernel
# x (2, 3, 7, 6), kernel (3, 2), stride (2, 1), padding (1, 0): overlapping along the
# height and width, padded along the height. Ho = floor((7 + 2 - 3) / 2) + 1 = 4, Wo = 5.
KWARGS = dict(kernel_size=(3, 2), stride=(2, 1), padding=(1, 0))
POOL_SHAPES = dict(x=(2, 3, 7, 6), dout=(2, 3, 4, 5))


def pool_calls(dtype, N=2):
    """Every pooling entry point as ``name -> (function, positional arrays, keyword args)``."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal(POOL_SHAPES["x"]).astype(dtype)[:N]
    dout = rng.standard_normal(POOL_SHAPES["dout"]).astype(dtype)[:N]
    forwards = [max_pool2d_forward, max_pool2d_forward_naive, avg_pool2d_forward, avg_pool2d_forward_naive]
    backwards = [max_pool2d_backward, max_pool2d_backward_naive, avg_pool2d_backward, avg_pool2d_backward_naive]
    calls = {f.__name__: (f, (x,), KWARGS) for f in forwards}
    calls.update({f.__name__: (f, (dout, x), KWARGS) for f in backwards})
    return calls


KERNELS = list(pool_calls(np.float64))


@pytest.mark.parametrize(
    ("x_shape", "kwargs"),
    [
        pytest.param((2, 3, 7, 6), KWARGS, id="padded-overlapping"),
        # no padding: the kernels work on x itself rather than on a padded copy
        pytest.param((2, 3, 7, 6), dict(kernel_size=2, stride=1), id="unpadded"),
        # a 1x1 window is the identity: the likeliest place to hand back a view of x
        pytest.param((2, 3, 7, 6), dict(kernel_size=1), id="identity-1x1"),
    ],
)
@pytest.mark.parametrize("name", KERNELS)
def test_inputs_untouched_and_results_deterministic(name, x_shape, kwargs, assert_pure):
    fn = pool_calls(np.float64)[name][0]
    rng = np.random.default_rng(4)
    x = rng.standard_normal(x_shape)
    if "forward" in name:
        assert_pure(fn, x, **kwargs)
    else:
        dout = rng.standard_normal(max_pool2d_forward(x, **kwargs).shape)
        assert_pure(fn, dout, x, **kwargs)


@pytest.mark.parametrize("name", KERNELS)
def test_float32_stays_float32_and_close_to_float64(name):
    fn, arrays32, kwargs = pool_calls(np.float32)[name]
    arrays64 = [a.astype(np.float64) for a in arrays32]
    r32, r64 = fn(*arrays32, **kwargs), fn(*arrays64, **kwargs)
    assert r32.dtype == np.float32 and r64.dtype == np.float64
    np.testing.assert_allclose(r32, r64, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", KERNELS)
def test_integer_arrays_are_taken_as_float64(name):
    fn, arrays, kwargs = pool_calls(np.float64)[name]
    ints = [np.round(4 * a).astype(np.int32) for a in arrays]
    r_int = fn(*ints, **kwargs)
    assert r_int.dtype == np.float64
    np.testing.assert_array_equal(r_int, fn(*[i.astype(np.float64) for i in ints], **kwargs))


@pytest.mark.parametrize("name", KERNELS)
def test_empty_batch(name):
    fn, arrays, kwargs = pool_calls(np.float64, N=0)[name]
    expected = (0, 3, 4, 5) if "forward" in name else (0, 3, 7, 6)
    assert fn(*arrays, **kwargs).shape == expected


# ----------------------------------------------------------------------------- NaN and inf
@pytest.mark.parametrize("forward", MAX_FORWARD + AVG_FORWARD)
def test_nan_makes_exactly_its_windows_nan(forward):
    """NaN at (1, 2) of a 4x4 input. Kernel 2 stride 2: only window (0, 1) holds it.
    Kernel 3 stride 1: windows (i, j) with i <= 1 <= i+2 and j <= 2 <= j+2: all four.
    Kernel 2 stride 1 padding 1 (5x5 output, window (i, j) covers real rows i-1..i and
    columns j-1..j): windows with i in {1, 2} and j in {2, 3}."""
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    x[0, 0, 1, 2] = np.nan
    cases = [
        (dict(kernel_size=2), [[0, 1], [0, 0]]),
        (dict(kernel_size=3, stride=1), [[1, 1], [1, 1]]),
        (dict(kernel_size=2, stride=1, padding=1),
         [[0, 0, 0, 0, 0], [0, 0, 1, 1, 0], [0, 0, 1, 1, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]),
    ]
    for kwargs, nan_mask in cases:
        out = forward(x, **kwargs)
        np.testing.assert_array_equal(np.isnan(out[0, 0]), np.array(nan_mask, dtype=bool), err_msg=str(kwargs))
        assert np.isfinite(out[~np.isnan(out)]).all()


@pytest.mark.parametrize("backward", MAX_BACKWARD)
def test_max_pool_gradient_goes_to_the_nan(backward):
    """A window whose output is NaN sends its gradient to the NaN cell, which is what made it NaN.
    Kernel 3 stride 1 on 4x4: all four windows contain (1, 1)."""
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    x[0, 0, 1, 1] = np.nan
    dout = nchw([[1.0, 2.0], [3.0, 4.0]])
    expected = np.zeros_like(x)
    expected[0, 0, 1, 1] = 10
    np.testing.assert_array_equal(backward(dout, x, kernel_size=3, stride=1), expected)


@pytest.mark.parametrize("backward", MAX_BACKWARD)
def test_a_nan_window_leaves_the_other_windows_gradients_alone(backward):
    """Side by side windows (stride = kernel): one window with a NaN sends its dout to the NaN, every other
    window to its maximum, as the naive twin does (the tap-by-tap pass for NaN windows once zeroed them)."""
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    x[0, 0, 0, 0] = np.nan
    dout = nchw([[1.0, 2.0], [3.0, 4.0]])
    expected = nchw([[1.0, 0, 0, 0], [0, 0, 0, 2.0], [0, 0, 0, 0], [0, 3.0, 0, 4.0]])
    np.testing.assert_array_equal(backward(dout, x, kernel_size=2), expected)


@pytest.mark.parametrize("forward", MAX_FORWARD)
def test_max_pool_infinities(forward):
    """+inf wins its window; -inf loses to any number; NaN wins over +inf."""
    x = nchw([[np.inf, 1.0, -np.inf, 2.0],
              [0.0, -5.0, -np.inf, -np.inf],
              [np.nan, np.inf, -np.inf, -np.inf],
              [0.0, 0.0, -np.inf, -np.inf]])
    out = forward(x, kernel_size=2)
    np.testing.assert_array_equal(out, nchw([[np.inf, 2.0], [np.nan, -np.inf]]))


@pytest.mark.parametrize("backward", [
    max_pool2d_backward,
    max_pool2d_backward_naive,
])
def test_max_pool_nonfinite_upstream_gradient_stays_in_its_cell(backward):
    """A window sends its dout to its maximum only, whatever the value: an inf or NaN upstream
    gradient must not leak into the window's other cells (PyTorch scatters dout to the argmax)."""
    x = nchw([[0.0, 1.0], [2.0, 3.0]])
    dx = backward(nchw([[np.inf]]), x, kernel_size=2)
    np.testing.assert_array_equal(dx, nchw([[0, 0], [0, np.inf]]))
    dx = backward(nchw([[np.nan]]), x, kernel_size=2)
    np.testing.assert_array_equal(dx, nchw([[0, 0], [0, np.nan]]))


@pytest.mark.parametrize("backward", [max_pool2d_backward, max_pool2d_backward_naive])
@pytest.mark.parametrize("stride", [2, 1])  # non-overlapping and overlapping code paths
def test_max_pool_nonfinite_upstream_gradient_in_both_paths(backward, stride):
    """inf and NaN in dout reach the winning cells only, with and without overlapping windows."""
    x = nchw([[0.0, 1.0, 0.0], [2.0, 3.0, 0.0], [0.0, 0.0, 0.0]])
    out_side = 1 if stride == 2 else 2
    dout = np.full((1, 1, out_side, out_side), np.inf)
    dx = backward(dout, x, kernel_size=2, stride=stride)
    expected = np.zeros((3, 3))
    expected[1, 1] = np.inf  # (1, 1) holds 3.0, the max of every window that contains it
    np.testing.assert_array_equal(dx[0, 0], expected)


@pytest.mark.parametrize("backward", [max_pool2d_backward, max_pool2d_backward_naive])
def test_max_pool_several_nans_route_to_the_last_nan_like_pytorch(backward):
    """PyTorch's CPU rule `if (val > maxval || isnan(val))` keeps the *last* NaN of a window
    (while keeping the *first* of tied numbers); cnnlab follows it."""
    x = nchw([[np.nan, 1.0], [np.nan, 5.0]])
    dx = backward(nchw([[7.0]]), x, kernel_size=2)
    np.testing.assert_array_equal(dx, nchw([[0.0, 0.0], [7.0, 0.0]]))
    ties = nchw([[5.0, 1.0], [5.0, 5.0]])
    np.testing.assert_array_equal(backward(nchw([[7.0]]), ties, kernel_size=2), nchw([[7.0, 0.0], [0.0, 0.0]]))

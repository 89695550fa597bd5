"""The drawings of cnnlab.draw.convolution, checked by inspecting their artists (Agg, no display)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from cnnlab import conv2d_as_dense  # noqa: E402
from cnnlab.draw.convolution import draw_boxes, draw_dense_conv, draw_im2col  # noqa: E402


def tiny_layer():
    weights = np.r_[-8:0, 1:9].astype(float)  # 16 distinct non-zero weights
    w = weights.reshape(4, 1, 2, 2)
    return conv2d_as_dense(w, (3, 3)), w


def frames(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]


def test_dense_conv_writes_every_non_zero_weight_and_leaves_zeros_blank():
    w_dense, w = tiny_layer()
    axes = draw_dense_conv(w_dense, w)
    assert len(axes) == 5
    matrix = axes[0]
    written = [t.get_text() for t in matrix.texts]
    assert len(written) == np.count_nonzero(w_dense) == 64
    assert sorted(written) == sorted(f"{v:g}" for v in w_dense[w_dense != 0])
    assert np.array_equal(matrix.images[0].get_array(), w_dense)
    # one thick line between each pair of filters' rows: 4 rows per filter here
    assert sorted(line.get_ydata()[0] for line in matrix.lines) == [3.5, 7.5, 11.5]
    assert [t.get_text() for t in matrix.get_xticklabels()] == [f"x{j}" for j in range(9)]
    assert "16 neurons x 9 pixels" in matrix.get_title()


def test_dense_conv_draws_the_kernels_on_the_matrix_scale_with_one_colourbar():
    w_dense, w = tiny_layer()
    axes = draw_dense_conv(w_dense, w)
    limits = {ax.images[0].get_clim() for ax in axes}
    assert limits == {(-8.0, 8.0)}
    for f, ax in enumerate(axes[1:]):
        assert sorted(t.get_text() for t in ax.texts) == sorted(f"{v:g}" for v in w[f, 0].ravel())
        assert f"rows h{4 * f}-h{4 * f + 3}" in ax.get_title()
    figure = axes[0].figure
    bars = [ax for ax in figure.axes if ax not in list(axes)]
    assert len(bars) == 1 and "weight" in bars[0].get_ylabel()


def test_dense_conv_on_given_axes_and_bad_shapes():
    w_dense, w = tiny_layer()
    fig, grid = plt.subplots(1, 5)
    assert list(draw_dense_conv(w_dense, w, axes=grid)) == list(grid)
    with pytest.raises(ValueError, match=r"1 \+ F = 5 Axes, got 3"):
        draw_dense_conv(w_dense, w, axes=grid[:3])
    with pytest.raises(ValueError, match=r"one input channel, got \(2, 2, 2, 2\)"):
        draw_dense_conv(w_dense, np.ones((2, 2, 2, 2)))
    with pytest.raises(ValueError, match=r"multiple of F = 3 rows, got shape \(16, 9\)"):
        draw_dense_conv(w_dense, np.ones((3, 1, 2, 2)))


def im2col_of(image, k):
    return np.lib.stride_tricks.sliding_window_view(image, (k, k)).reshape(-1, k * k).T


def test_im2col_frames_the_window_and_its_column():
    image = np.arange(16.0).reshape(4, 4)
    cols = im2col_of(image, 2)
    left, right = draw_im2col(image, cols, 2, column=5)  # window (1, 2)
    (window,) = frames(left)
    # draw_image puts pixel (r, c) at x = c, y = H - 1 - r: rows 1-2, columns 2-3
    assert (window.get_x(), window.get_y(), window.get_width(), window.get_height()) == (2, 1, 2, 2)
    (column,) = frames(right)
    assert (column.get_x(), column.get_y(), column.get_width(), column.get_height()) == (4.5, -0.5, 1, 4)
    assert window.get_edgecolor() == column.get_edgecolor()
    assert "window (1, 2)" in left.get_title() and "column 5 = window (1, 2)" in right.get_title()
    assert sorted(t.get_text() for t in right.texts) == sorted(f"{v:g}" for v in cols.ravel())
    assert [t.get_text() for t in right.get_yticklabels()] == ["(0,0)", "(0,1)", "(1,0)", "(1,1)"]


def test_im2col_rectangular_kernel_and_errors():
    image = np.arange(20.0).reshape(4, 5)
    cols = np.lib.stride_tricks.sliding_window_view(image, (2, 3)).reshape(-1, 6).T  # (6, 9)
    left, right = draw_im2col(image, cols, (2, 3), column=8)  # the last window: (2, 2)
    (window,) = frames(left)
    assert (window.get_x(), window.get_y(), window.get_width(), window.get_height()) == (2, 0, 3, 2)
    with pytest.raises(ValueError, match=r"\(KH\*KW, Ho\*Wo\) = \(4, 12\).*got \(6, 9\)"):
        draw_im2col(image, cols, 2)
    with pytest.raises(ValueError, match="column must be between 0 and 8, got 9"):
        draw_im2col(image, cols, (2, 3), column=9)
    with pytest.raises(ValueError, match=r"image must be 2-D \(H, W\), got shape \(20,\)"):
        draw_im2col(image.ravel(), cols, 2)


# ----------------------------------------------------------------------------- draw_window_state's padding
def cell_colours(ax):
    """The face colour of every grid cell of a window picture, as an (h, w, 3) array."""
    h = round(abs(ax.get_ylim()[0] - ax.get_ylim()[1]))
    w = round(ax.get_xlim()[1] - ax.get_xlim()[0])
    return ax._cnnlab_grid["cells"].get_facecolor()[:, :3].reshape(h, w, 3)


@pytest.mark.parametrize("position", [0, 5, 15])
def test_window_state_keeps_every_padding_cell_gray_and_hatched(position):
    from cnnlab import draw_window_state, window_state
    from cnnlab.draw._style import CELL

    state = window_state(7, 3, stride=2, padding=1, position=position)
    padding = state["padded"] == 0
    assert padding.sum() == 9 * 9 - 7 * 7 == 32 and (state["visited"] & padding).any()  # windows read the ring
    left, _ = draw_window_state(state)
    colours = cell_colours(left)
    window = np.zeros_like(padding)
    for rc in state["window"]:
        window[rc] = True
    assert np.allclose(colours[padding & ~window], CELL["padding"][0])  # read or not: padding gray
    read_pixels = state["visited"] & ~padding & ~window
    assert read_pixels.any() or position == 0
    assert np.allclose(colours[read_pixels], CELL["visited"][0])  # pixels that were read: light blue
    (hatch,) = [c for c in left.collections if c.get_gid() == "hatch padding"]
    assert len(hatch.get_segments()) == 5 * 32  # five hatch lines in each of the 32 padding cells


def test_window_state_redrawn_on_the_same_axes_keeps_the_ring():
    from cnnlab import draw_window_state, window_state
    from cnnlab.draw._style import CELL

    axes = draw_window_state(window_state(7, 3, stride=2, padding=1, position=0))
    last = window_state(7, 3, stride=2, padding=1, position=15)  # the explorer's next move
    draw_window_state(last, axes=axes)
    ring = last["padded"] == 0
    ring[6:, 6:] = False  # leave out the last window's corner (rows and columns 6-8 of the padded grid)
    assert np.allclose(cell_colours(axes[0])[ring], CELL["padding"][0])
    assert axes[0].get_title() == "input 7x7 + padding 1"
    bare = draw_window_state(window_state(7, 3))
    assert bare[0].get_title() == "input 7x7"  # no padding in the title when there is none


# ----------------------------------------------------------------------------- draw_boxes
def test_boxes_frame_each_region_in_the_crop_with_its_own_line_style_and_name():
    fig, ax = plt.subplots()
    ax.imshow(np.zeros((256, 256)))
    boxes = {"pole": np.s_[240:316, 286:306], "camera top": np.s_[130:150, 265:320]}
    assert draw_boxes(ax, boxes, origin=(60, 120)) is ax
    pole, camera = frames(ax)
    # row 240, column 286 of the photo is row 180, column 166 of the crop starting at (60, 120)
    assert (pole.get_x(), pole.get_y(), pole.get_width(), pole.get_height()) == (165.5, 179.5, 20, 76)
    assert (camera.get_x(), camera.get_y(), camera.get_width(), camera.get_height()) == (144.5, 69.5, 55, 20)
    assert pole.get_linestyle() != camera.get_linestyle()  # told apart without colour
    names = {t.get_text(): t for t in ax.texts}
    assert set(names) == {"pole", "camera top"}
    assert names["pole"].xy == (165.5 + 20, 179.5) and names["pole"].get_ha() == "left"  # at the top right
    assert names["pole"].get_position() == (5, 0)  # 5 points to the right of it
    assert all(t.get_fontsize() >= 12 for t in ax.texts)


def test_boxes_on_the_left_and_errors():
    fig, ax = plt.subplots()
    ax.imshow(np.zeros((100, 150)))
    draw_boxes(ax, {"nose": np.s_[55:70, 75:90]}, color="white", side="left")
    (nose,) = frames(ax)
    assert nose.get_edgecolor()[:3] == (1.0, 1.0, 1.0)
    (name,) = ax.texts
    assert name.xy == (74.5, 54.5) and name.get_ha() == "right" and name.get_position() == (-5, 0)
    with pytest.raises(ValueError, match="side must be 'right' or 'left', got 'top'"):
        draw_boxes(ax, {}, side="top")
    with pytest.raises(ValueError, match="box 'half' must be \\(rows, cols\\), two slices with a start and a stop"):
        draw_boxes(ax, {"half": np.s_[:10, 0:5]})

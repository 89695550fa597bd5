"""cnnlab.data: offline data sets, fixed splits, the generated shapes."""

import numpy as np
import pytest

from cnnlab.data import SHAPE_NAMES, cameraman, faces, shape_images, tiny_image


def test_tiny_image_is_the_running_example():
    image = tiny_image()
    assert image.shape == (3, 3) and image[1, 2] == 50 and len(np.unique(image)) == 9


def test_cameraman_is_offline_and_scaled():
    image = cameraman()
    assert image.shape == (512, 512) and image.dtype == np.float64
    assert 0.0 <= image.min() and image.max() <= 1.0


def test_faces_split():
    x_train, y_train, x_test, y_test = faces()
    assert x_train.shape == (150, 1, 25, 25) and x_test.shape == (50, 1, 25, 25)
    assert y_train.sum() == 75 and y_test.sum() == 25
    assert 0 <= x_train.min() and x_train.max() <= 1
    # no image in both sets, and the same split every time
    train = {a.tobytes() for a in x_train}
    assert not any(a.tobytes() in train for a in x_test)
    assert np.array_equal(faces()[0], x_train)


def test_shapes_regions_and_classes():
    x, y = shape_images(200, region="right", noise=0.0, seed=3)
    assert not x[:, :, :, :10].any() and x[:, :, :, 10:].any(axis=(1, 2, 3)).all()
    assert set(np.unique(y)) == set(range(len(SHAPE_NAMES)))
    # each class has its own stamp: the cross has 9 lit pixels, the square outline 16
    assert {int(x[k].sum()) for k in np.flatnonzero(y == 2)} == {9}
    assert {int(x[k].sum()) for k in np.flatnonzero(y == 3)} == {16}
    with pytest.raises(ValueError, match="region must be 'any', 'left' or 'right', got 'top'"):
        shape_images(3, region="top")


def test_shape_images_are_seeded_and_centred():
    a, ya = shape_images(30, seed=4)
    b, yb = shape_images(30, seed=4)
    assert np.array_equal(a, b) and np.array_equal(ya, yb)
    x, y = shape_images(40, noise=0.0, seed=5)
    for k in np.flatnonzero(y == 0):  # a horizontal bar: one full row of 5 lit pixels
        rows, cols = np.nonzero(x[k, 0])
        assert len(set(rows)) == 1 and np.ptp(cols) == 4
    with pytest.raises(ValueError, match="size must be odd, so that a bar has a middle row, got 4"):
        shape_images(3, size=4)
    with pytest.raises(ValueError, match="a 7x7 shape does not fit in the left half of a 12-pixel image"):
        shape_images(3, side=12, size=7, region="left")


def test_digits_split_is_stratified_disjoint_and_fixed():
    from cnnlab.data import digits

    d = digits()
    sizes = [len(d[f"y_{name}"]) for name in ("train", "val", "test")]
    assert sizes == [1078, 360, 359] and sum(sizes) == 1797
    per_digit = sum(np.bincount(d[f"y_{name}"], minlength=10) for name in ("train", "val", "test"))
    assert per_digit.tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]  # the data set's own counts
    np.testing.assert_array_equal(np.bincount(d["y_train"]), np.round(0.6 * per_digit))  # stratified: 60 %
    np.testing.assert_array_equal(np.bincount(d["y_train"]) + np.bincount(d["y_val"]), np.round(0.8 * per_digit))
    for name in ("train", "val", "test"):
        x = d[f"x_{name}"]
        assert x.shape[1:] == (1, 8, 8) and x.min() >= 0 and x.max() <= 1
    seen = {a.tobytes() for a in d["x_train"]}
    assert not any(a.tobytes() in seen for a in d["x_test"])
    assert np.array_equal(digits()["x_val"], d["x_val"])


def test_digits_on_canvas_places_each_digit():
    from cnnlab.data import digits_on_canvas

    x = np.arange(2 * 64, dtype=float).reshape(2, 1, 8, 8)
    canvas = digits_on_canvas(x, [0, 24])
    assert canvas.shape == (2, 1, 16, 32)
    np.testing.assert_array_equal(canvas[0, 0, 4:12, 0:8], x[0, 0])
    np.testing.assert_array_equal(canvas[1, 0, 4:12, 24:32], x[1, 0])
    assert canvas[0].sum() == x[0].sum() and canvas[1].sum() == x[1].sum()
    with pytest.raises(ValueError, match="columns must be whole numbers from 0 to 24, got 0 to 25"):
        digits_on_canvas(x, [0, 25])

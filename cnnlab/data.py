"""Offline data for the series: a tiny image made in code, photos shipped by scikit-image, and
handwritten digits shipped by scikit-learn.

Nothing here downloads anything; every function returns the same array on every call.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_int

__all__ = ["tiny_image", "cameraman", "faces", "digits", "digits_on_canvas", "shape_images", "SHAPE_NAMES"]


def tiny_image():
    """The series' 3x3 gray image (values 0-255), the running example of notebooks 01-05.

    A bright diagonal stroke on a darker background, so that neighbouring pixels differ and
    every pixel is easy to tell apart in the drawings.

    >>> tiny_image()
    array([[200,  60,  30],
           [ 90, 220,  50],
           [ 20, 110, 240]])
    """
    return np.array([[200, 60, 30], [90, 220, 50], [20, 110, 240]])


def cameraman():
    """The 512x512 cameraman photo as float64 in [0, 1] (``skimage.data.camera()``).

    Ships with scikit-image (no download).
    """
    from skimage import data

    return data.camera().astype(np.float64) / 255.0


def faces(*, seed=0):
    """Faces vs non-faces: scikit-image's ``lfw_subset`` (100 + 100 gray 25x25 images).

    Returns
    -------
    x_train : ndarray, shape (150, 1, 25, 25)
    y_train : ndarray of int, shape (150,)
        1 for a face, 0 for a non-face.
    x_test : ndarray, shape (50, 1, 25, 25)
    y_test : ndarray of int, shape (50,)

    Notes
    -----
    The split is stratified and fixed by ``seed``: 75 faces and 75 non-faces for training, 25
    and 25 for testing. Values are float64 in [0, 1].
    """
    from skimage import data

    images = data.lfw_subset().astype(np.float64)  # (200, 25, 25): 100 faces, then 100 non-faces
    labels = np.r_[np.ones(100, dtype=int), np.zeros(100, dtype=int)]
    rng = np.random.default_rng(seed)
    train, test = [], []
    for cls in (1, 0):
        idx = rng.permutation(np.flatnonzero(labels == cls))
        train.extend(idx[:75])
        test.extend(idx[75:])
    train, test = rng.permutation(train), rng.permutation(test)
    x = images[:, None]
    return x[train], labels[train], x[test], labels[test]


def digits(*, seed=0):
    """scikit-learn's 1,797 handwritten digits (8x8, gray), split once into training, validation and test.

    Returns
    -------
    dict
        ``x_train (1078, 1, 8, 8)``, ``y_train (1078,)``, ``x_val (360, 1, 8, 8)``, ``y_val``,
        ``x_test (359, 1, 8, 8)``, ``y_test``: float64 images in [0, 1] (the data set's 0-16
        divided by 16), int labels 0-9.

    Notes
    -----
    The data ship inside scikit-learn's wheel (``sklearn.datasets.load_digits``, a copy of the
    UCI "Optical Recognition of Handwritten Digits" test set): nothing is downloaded. The split
    is stratified and fixed by ``seed``: of each digit's images, 60 % train, 20 % validate (watch
    during training, choose by) and 20 % test (look at once, at the end).

    >>> d = digits()
    >>> d["x_train"].shape, d["x_val"].shape, d["x_test"].shape
    ((1078, 1, 8, 8), (360, 1, 8, 8), (359, 1, 8, 8))
    """
    from sklearn.datasets import load_digits

    data = load_digits()
    images, labels = data.images / 16.0, data.target.astype(int)
    rng = np.random.default_rng(as_int(seed, "seed"))
    parts = {"train": [], "val": [], "test": []}
    for digit in range(10):
        idx = rng.permutation(np.flatnonzero(labels == digit))
        a, b = round(0.6 * len(idx)), round(0.8 * len(idx))
        parts["train"] += list(idx[:a])
        parts["val"] += list(idx[a:b])
        parts["test"] += list(idx[b:])
    out = {}
    for name, idx in parts.items():
        idx = rng.permutation(idx)
        out[f"x_{name}"], out[f"y_{name}"] = images[idx][:, None], labels[idx]
    return out


def digits_on_canvas(x, columns, *, height=16, width=32):
    """Digits placed on a larger, empty canvas: digit ``n`` with its left edge at ``columns[n]``.

    Parameters
    ----------
    x : ndarray, shape (N, 1, h, w)
        Small images (the 8x8 digits).
    columns : int or sequence of int
        Left column of each digit on the canvas (one for all, or one per digit), from 0 to
        ``width - w``; the digits are centred vertically.
    height, width : int
        Canvas size.

    Returns
    -------
    ndarray, shape (N, 1, height, width)

    >>> digits_on_canvas(np.ones((2, 1, 8, 8)), [0, 24])[:, 0, 4].sum(axis=1).tolist()
    [8.0, 8.0]
    """
    if not isinstance(x, np.ndarray) or x.ndim != 4:
        raise ValueError(f"x must be an ndarray of shape (N, 1, h, w), got {getattr(x, 'shape', type(x).__name__)}")
    N, C, h, w = x.shape
    height, width = as_int(height, "height", minimum=h), as_int(width, "width", minimum=w)
    columns = np.broadcast_to(np.asarray(columns), (N,))
    if not np.issubdtype(columns.dtype, np.integer) or columns.min() < 0 or columns.max() > width - w:
        raise ValueError(f"columns must be whole numbers from 0 to {width - w}, got {columns.min()} to {columns.max()}")
    canvas = np.zeros((N, C, height, width))
    top = (height - h) // 2
    for n, c in enumerate(columns):
        canvas[n, :, top : top + h, c : c + w] = x[n]
    return canvas


SHAPE_NAMES = ("horizontal bar", "vertical bar", "cross", "square")


def _stamp(kind, size):
    """A ``size x size`` binary picture of one shape."""
    s = np.zeros((size, size))
    mid = size // 2
    if kind == 0:
        s[mid, :] = 1
    elif kind == 1:
        s[:, mid] = 1
    elif kind == 2:
        s[mid, :] = 1
        s[:, mid] = 1
    else:
        s[0, :] = s[-1, :] = s[:, 0] = s[:, -1] = 1
    return s


def shape_images(n, *, side=20, region="any", size=5, noise=0.05, seed=0):
    """Small generated shapes at random positions: the set that shows what translation does.

    Parameters
    ----------
    n : int
        Number of images.
    side : int
        Image height and width.
    region : {"any", "left", "right"}
        Where the shape may lie: anywhere, or entirely in the left or right half.
    size : int
        Side of a shape, odd and at least 3, so that bars and crosses have a middle row and
        column.
    noise : float
        Standard deviation of the Gaussian noise added to every pixel.
    seed : int

    Returns
    -------
    x : ndarray, shape (n, 1, side, side)
        float64, shapes of value 1 on a 0 background, plus noise.
    y : ndarray of int, shape (n,)
        Index into :data:`SHAPE_NAMES`: 0 horizontal bar, 1 vertical bar, 2 cross, 3 square.

    >>> x, y = shape_images(4, region="left", noise=0.0)
    >>> x.shape, bool(x[:, :, :, 10:].any())
    ((4, 1, 20, 20), False)
    """
    n = as_int(n, "n", minimum=0)
    side = as_int(side, "side", minimum=4)
    size = as_int(size, "size", minimum=3)
    if size % 2 == 0:
        raise ValueError(f"size must be odd, so that a bar has a middle row, got {size}")
    if region not in ("any", "left", "right"):
        raise ValueError(f"region must be 'any', 'left' or 'right', got {region!r}")
    half = side // 2
    cols = {"any": (0, side - size), "left": (0, half - size), "right": (half, side - size)}[region]
    if cols[1] < cols[0]:
        raise ValueError(f"a {size}x{size} shape does not fit in the {region} half of a {side}-pixel image")
    rng = np.random.default_rng(seed)
    y = rng.integers(0, len(SHAPE_NAMES), size=n)
    x = rng.normal(0.0, noise, size=(n, 1, side, side)) if noise else np.zeros((n, 1, side, side))
    for k in range(n):
        r = rng.integers(0, side - size + 1)
        c = rng.integers(cols[0], cols[1] + 1)
        x[k, 0, r : r + size, c : c + size] += _stamp(y[k], size)
    return x, y

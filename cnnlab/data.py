"""Offline data for the series: a tiny image made in code and photos shipped by scikit-image.

Nothing here downloads anything; every function returns the same array on every call.
"""

from __future__ import annotations

import numpy as np

__all__ = ["tiny_image", "cameraman"]


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

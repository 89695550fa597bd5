"""Shared test settings and one shared check.

Hypothesis profiles (choose with ``HYPOTHESIS_PROFILE=<name>``):

- ``default``: enough examples to catch shape and indexing bugs, fast enough for every run;
- ``ci``: the same, derandomized, so a red build can be rerun and reproduced exactly;
- ``thorough``: ten times the examples, for a local run after touching a kernel.

No profile keeps an example database, so a run never replays another run's failures
(hypothesis may still cache constants in ``.hypothesis/``, which .gitignore covers).
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

_COMMON = dict(
    deadline=None,  # the naive loops are slow by design; timing is not what we test
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("default", max_examples=100, **_COMMON)
settings.register_profile("ci", max_examples=100, derandomize=True, **_COMMON)
settings.register_profile("thorough", max_examples=1000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every pyplot figure a test opened (pyplot is not imported for tests that never draw)."""
    yield
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close("all")


def _as_tuple(result):
    return result if isinstance(result, tuple) else (result,)


@pytest.fixture
def assert_pure():
    """Return ``check(fn, *arrays, **kwargs) -> result``, which calls ``fn`` and asserts that it is pure.

    Pure here means: the input arrays are left bitwise unchanged; the call also works on
    read-only inputs (nothing is written through a view) and gives the same result; two calls
    give bitwise-equal results; and no result shares memory with an input, so a caller who
    later writes into a result cannot corrupt its inputs.
    """

    def check(fn, *arrays, **kwargs):
        before = [a.copy() for a in arrays]
        first = _as_tuple(fn(*arrays, **kwargs))
        second = _as_tuple(fn(*arrays, **kwargs))
        for a, b in zip(arrays, before):
            np.testing.assert_array_equal(a, b, strict=True)
        for r1, r2 in zip(first, second, strict=True):
            assert r1.dtype == r2.dtype and r1.shape == r2.shape
            assert r1.tobytes() == r2.tobytes(), "two calls on the same input differ"
            for a in arrays:
                assert not np.shares_memory(r1, a), "a result is a view of an input"

        frozen = [a.copy() for a in arrays]
        for a in frozen:
            a.setflags(write=False)
        third = _as_tuple(fn(*frozen, **kwargs))
        for r1, r3 in zip(first, third, strict=True):
            assert r1.tobytes() == r3.tobytes(), "read-only inputs give another result"
        return first if len(first) > 1 else first[0]

    return check


# ----------------------------------------------------------------------------- shared by the kernel tests
TIGHT = dict(rtol=1e-12, atol=1e-12)  # float64, the same sums in another order


def nchw(grid):
    """A 2-D grid typed by hand, lifted to shape (1, 1, H, W)."""
    return np.asarray(grid)[None, None]


def assert_same_inner_product(a1, b1, a2, b2):
    """<a1, b1> == <a2, b2> up to rounding, relative to the size of the terms summed."""
    scale = np.abs(a1 * b1).sum() + np.abs(a2 * b2).sum()
    assert abs(np.vdot(a1, b1) - np.vdot(a2, b2)) <= 1e-12 * (1.0 + scale)

"""Drawings of cnnlab.draw.gradients, checked by inspecting the artists (Agg backend, no display)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from cnnlab.draw.gradients import draw_loss_curves, draw_value_maps  # noqa: E402


def squares(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_fill()]


def outlines(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]


def test_value_maps_write_every_value_on_one_colour_scale():
    a = np.array([[0.0, 10.0], [5.0, 2.0]])
    b = np.array([[10.0, 1.0, 3.0]])
    axes = draw_value_maps([a, b], titles=["a", "b"], label="value")
    assert len(axes) == 2
    assert [len(squares(ax)) for ax in axes] == [4, 3]
    assert {"0", "10", "5", "2"} <= {t.get_text() for t in axes[0].texts}
    assert {"10", "1", "3"} <= {t.get_text() for t in axes[1].texts}
    # the value 10 has the same colour in both panels: one scale, not one per panel
    ten_a = squares(axes[0])[1].get_facecolor()  # cell (0, 1) of a
    ten_b = squares(axes[1])[0].get_facecolor()  # cell (0, 0) of b
    assert ten_a == ten_b
    fig = axes[0].figure
    assert len(fig.axes) == 3  # the two maps and one colourbar
    bar = fig.axes[2]
    assert bar.get_ylabel() == "value" and bar.yaxis.label.get_fontsize() >= 10
    assert bar.get_ylim() == (0.0, 10.0)
    assert [ax.get_title() for ax in axes] == ["a", "b"]
    assert all(ax.title.get_fontsize() >= 10 for ax in axes)
    assert all(t.get_fontsize() >= 10 for ax in axes for t in ax.texts)


def test_value_maps_fit_a_slide_and_outline_the_highlights():
    maps = [np.zeros((7, 7)), np.ones((3, 3)), np.arange(25.0).reshape(5, 5)]
    axes = draw_value_maps(maps, highlights=[[(0, 0), (1, 1)], [], [(4, 4)]], cmap="RdBu_r")
    width, height = axes[0].figure.get_size_inches()
    assert width <= 10 and height <= 5.6
    assert [len(outlines(ax)) for ax in axes] == [2, 0, 1]
    bar = axes[0].figure.axes[-1]
    assert bar.get_ylim() == (-24.0, 24.0)  # symmetric around 0 for a diverging map


def test_value_maps_on_given_axes_and_explicit_range():
    fig, given = plt.subplots(1, 2)
    axes = draw_value_maps([np.eye(2), np.eye(2)], axes=given, vmin=-1, vmax=3, fmt="{:.1f}")
    assert list(axes) == list(given)
    assert "1.0" in {t.get_text() for t in axes[0].texts}
    assert fig.axes[-1].get_ylim() == (-1.0, 3.0)


@pytest.mark.parametrize("kwargs, match", [
    (dict(maps=[]), "non-empty sequence of 2-D arrays"),
    (dict(maps=[np.zeros(3)]), r"got shapes \[\(3,\)\]"),
    (dict(maps=[np.zeros((2, 2))], titles=["a", "b"]), "1 maps, got 2 titles"),
    (dict(maps=[np.zeros((2, 2))] * 2, highlights=[[]]), "2 maps, got 1 highlights"),
])
def test_value_maps_errors(kwargs, match):
    maps = kwargs.pop("maps")
    with pytest.raises(ValueError, match=match):
        draw_value_maps(maps, **kwargs)


def test_loss_curves_tell_runs_apart_without_colour():
    ax = draw_loss_curves({"slow": np.linspace(1, 0.1, 50), "fast": [1.0, 10.0, 100.0]}, ylabel="mse", title="t")
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["slow", "fast"]
    assert lines[0].get_linestyle() != lines[1].get_linestyle()
    assert lines[0].get_marker() != lines[1].get_marker()
    assert ax.get_yscale() == "log"
    assert ax.get_ylabel() == "mse" and ax.get_xlabel() == "step" and ax.get_title() == "t"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["slow", "fast"]
    assert all(t.get_fontsize() >= 10 for t in ax.get_legend().get_texts())
    assert all(label.get_fontsize() >= 10 for label in ax.get_xticklabels() + ax.get_yticklabels())
    width, height = ax.figure.get_size_inches()
    assert width <= 10 and height <= 5.6
    np.testing.assert_array_equal(lines[1].get_xdata(), [0, 1, 2])


@pytest.mark.parametrize("curves, match", [
    ({}, "1 to 3 runs, got 0"),
    ({k: [1.0] for k in "abcd"}, "1 to 3 runs, got 4"),
    ({"a": [1.0, 0.0]}, "positive numbers"),
    ({"a": []}, "got shape \\(0,\\)"),
])
def test_loss_curves_errors(curves, match):
    with pytest.raises(ValueError, match=match):
        draw_loss_curves(curves)

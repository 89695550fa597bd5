"""Drawings, checked by counting and inspecting the artists (Agg backend, no display)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.patches import FancyBboxPatch, Rectangle  # noqa: E402

from cnnlab import draw_flatten, draw_image, draw_network, layer_wiring, tiny_image, weight_colors  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_draw_image_writes_values_and_positions():
    img = tiny_image()
    ax = draw_image(img)
    squares = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_fill()]
    assert len(squares) == 9
    labels = texts(ax)
    for r in range(3):
        for c in range(3):
            assert f"{img[r, c]}" in labels and f"({r},{c})" in labels


def test_draw_image_flat_index_and_highlight():
    ax = draw_image(tiny_image(), index="flat", highlight=[0, (2, 2)])
    assert {str(k) for k in range(9)} <= set(texts(ax))
    outlines = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]
    assert sorted(p.get_xy() for p in outlines) == [(0, 2), (2, 0)]  # (row 0, col 0) and (2, 2)


def test_draw_image_uses_given_axes_and_rejects_bad_input():
    fig, ax = plt.subplots()
    assert draw_image(tiny_image(), ax=ax) is ax
    with pytest.raises(ValueError, match=r"image must be 2-D \(H, W\), got shape \(1, 3, 3\)"):
        draw_image(np.zeros((1, 3, 3)))
    with pytest.raises(TypeError, match="image must be a 2-D numpy ndarray, got list"):
        draw_image([[1, 2], [3, 4]])
    with pytest.raises(ValueError, match=r"highlight cell \(3, 0\) is outside the 3x3 image"):
        draw_image(tiny_image(), highlight=[9])


def test_draw_flatten_links_each_pixel_to_its_entry():
    img = tiny_image()
    ax = draw_flatten(img)
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    segments = lines.get_segments()
    assert len(segments) == 9
    assert len([p for p in ax.patches if isinstance(p, Rectangle)]) == 18
    # entry k is drawn at height 8 - k and starts from pixel (k // 3, k % 3)
    for k, seg in enumerate(segments):
        (x0, _), (_, y1) = seg
        assert x0 == k % 3 + 0.5
        assert y1 == 8 - k + 0.5
    assert [f"x[{k}]" for k in range(9)] == [t for t in texts(ax) if t.startswith("x[")]


def test_draw_network_fully_connected_has_144_lines():
    ids = layer_wiring(3, 2, 4, sharing=False, locality=False)
    ax = draw_network(ids, group_size=4)
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(lines.get_segments()) == 144
    inputs, hidden = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(inputs.get_offsets()) == 9 and len(hidden.get_offsets()) == 16
    assert len([p for p in ax.patches if isinstance(p, FancyBboxPatch)]) == 4
    # thin, translucent lines when crowded, so 144 lines stay readable
    assert lines.get_linewidths()[0] < 1 and lines.get_alpha() < 1


def test_draw_network_one_neuron_highlights_its_pixels():
    ids = layer_wiring(3, 2, 4)  # sharing and locality
    ax = draw_network(ids, neurons=[3], color_by_weight=True)
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(lines.get_segments()) == 4
    inputs = [c for c in ax.collections if isinstance(c, PathCollection)][0]
    red = [tuple(fc) for fc in inputs.get_facecolors()]
    lit = [k for k, fc in enumerate(red) if fc[:3] != (1.0, 1.0, 1.0)]
    assert lit == [4, 5, 7, 8]  # neuron 3 sees the bottom-right 2x2 window


def test_shared_weights_share_a_colour():
    ids = layer_wiring(3, 2, 4, sharing=True, locality=False)
    ax = draw_network(ids, neurons=[0, 1, 2, 3], color_by_weight=True)
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    colors = lines.get_colors()
    assert len(colors) == 36
    assert len({tuple(c) for c in colors}) == 9  # 4 neurons x 9 pixels, 9 shared weights
    rgba = weight_colors(np.array([0, 0, 1, -1]))
    assert (rgba[0] == rgba[1]).all() and (rgba[0] != rgba[2]).any() and rgba[3, 3] == 0


def test_draw_network_rejects_bad_neurons():
    with pytest.raises(ValueError, match=r"neurons must lie in 0..15, got \[16\]"):
        draw_network(layer_wiring(3, 2, 4), neurons=[16])
    with pytest.raises(TypeError, match="ids must be a 2-D integer ndarray"):
        draw_network(np.zeros((2, 2)))


def test_no_global_state_changed_on_import():
    import importlib

    import cnnlab

    before = dict(matplotlib.rcParams)
    importlib.reload(cnnlab)
    assert dict(matplotlib.rcParams) == before


def test_text_stays_readable_on_any_colormap():
    # RdBu_r: the extremes are dark (white text), values near the middle light (black text)
    ax = draw_image(np.array([[-1.0, -0.1, 0.1, 1.0]]), cmap="RdBu_r", index=None)
    colors = {t.get_text(): t.get_color() for t in ax.texts}
    assert colors == {"-1": "white", "-0.1": "black", "0.1": "black", "1": "white"}

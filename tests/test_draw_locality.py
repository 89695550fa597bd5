"""The drawings of notebooks 03 and 04 (cnnlab.draw.locality) and the labelled network drawing,
checked by inspecting their artists (Agg backend, no display)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.patches import ConnectionPatch, Rectangle  # noqa: E402

from cnnlab import (  # noqa: E402  # noqa: E402
    draw_correlation_curves,
    draw_group_outputs,
    draw_network,
    draw_neuron_inputs,
    draw_offset_map,
    draw_shifted_maps,
    draw_zoom,
    layer_wiring,
    tiny_image,
)

LOCAL = layer_wiring(1, 4, 2, input_size=3)  # sharing and locality: the article's 16 weights


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_neuron_inputs_frame_the_window_and_name_its_weights():
    axes = draw_neuron_inputs(LOCAL, [0, 3], input_size=3)
    assert len(axes) == 2
    for ax, window in zip(axes, ([0, 1, 3, 4], [4, 5, 7, 8])):
        cells = [p for p in ax.patches if p.get_gid() in ("seen", "unseen")]
        assert len(cells) == 9
        seen = sorted(int((2 - p.get_y()) * 3 + p.get_x()) for p in cells if p.get_gid() == "seen")
        assert seen == window                                              # cell (r, c) sits at (c, 2 - r)
        assert all(p.get_hatch() for p in cells if p.get_gid() == "unseen")   # not told by gray alone
        assert sorted(t for t in texts(ax) if t.startswith("w")) == ["w0", "w1", "w2", "w3"]
        frames = [p for p in ax.patches if p.get_gid() == "window"]
        assert len(frames) == 1 and (frames[0].get_width(), frames[0].get_height()) == (2, 2)
        assert {str(k) for k in range(9)} <= set(texts(ax))                  # flat indices in the corners
    assert axes[0].get_title() == "h0" and axes[1].get_title() == "h3"


def test_neuron_inputs_with_values_write_products_and_outputs():
    weights = np.array([-1.0, 2.0, -2.0, 1.0] * 4)
    image = tiny_image()
    h0 = float(np.sum(image[:2, :2] * weights[:4].reshape(2, 2)))
    (ax,) = draw_neuron_inputs(LOCAL, [0], input_size=3, image=image, weights=weights, outputs=[h0])
    assert ax.get_title() == f"h0 = {h0:g}"
    assert {f"{image[0, 0]:g}", "× -1", "× 2", "× -2", "× 1"} <= set(texts(ax))


def test_neuron_inputs_reject_bad_arguments():
    with pytest.raises(TypeError, match="2-D integer ndarray"):
        draw_neuron_inputs(LOCAL.astype(float), [0], input_size=3)
    with pytest.raises(ValueError, match="9 columns, the 2x2 input has 4 pixels"):
        draw_neuron_inputs(LOCAL, [0], input_size=2)
    with pytest.raises(ValueError, match=r"neurons must be a non-empty list in 0..15, got \[16\]"):
        draw_neuron_inputs(LOCAL, [16], input_size=3)
    with pytest.raises(ValueError, match="image and weights together"):
        draw_neuron_inputs(LOCAL, [0], input_size=3, image=tiny_image())


def test_group_outputs_hatch_each_group_and_name_it():
    h = np.repeat([0.5, -1.0, 2.0, 0.25], 4)
    ax = draw_group_outputs(h, 4)
    bars = [p for p in ax.patches if isinstance(p, Rectangle) and (p.get_gid() or "").startswith("group")]
    assert len(bars) == 16
    assert [b.get_gid() for b in bars] == [f"group {k // 4}" for k in range(16)]
    assert np.allclose([b.get_height() for b in bars], h)
    hatches = [bars[4 * g].get_hatch() or "" for g in range(4)]
    assert len(set(hatches)) == 4                                         # a cue besides colour
    assert [t for t in texts(ax) if t.startswith("group")] == [f"group {g}" for g in range(4)]
    assert [t.get_text() for t in ax.get_xticklabels()] == [f"h{k}" for k in range(16)]
    with pytest.raises(ValueError, match="multiple of group_size=4"):
        draw_group_outputs(np.zeros(6), 4)


def test_zoom_frames_become_the_next_panels():
    image = np.linspace(0, 1, 64 * 64).reshape(64, 64)
    axes = draw_zoom(image, (30, 30), sizes=(16, 5), marks={"far": (5, 60)})
    frames = [[p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()] for ax in axes[:2]]
    assert [f[0].get_width() for f in frames] == [16, 5]
    assert axes[1].images[0].get_array().shape == (16, 16)
    assert len([t for t in texts(axes[2]) if t[0].isdigit()]) == 25        # 5x5 values
    assert sum(isinstance(a, ConnectionPatch) for ax in axes for a in ax.get_children()) == 4
    assert "far" in texts(axes[0])
    with pytest.raises(ValueError, match="sizes must shrink, got 5 then 16"):
        draw_zoom(image, (30, 30), sizes=(5, 16))
    with pytest.raises(ValueError, match="16x16 block around"):
        draw_zoom(image, (2, 2), sizes=(16, 5))


def test_correlation_curves_differ_by_style_and_marker():
    d = np.arange(1, 11)
    ax = draw_correlation_curves(d, {"a": 1 / d, "b": 0.5 / d})
    lines = ax.get_lines()
    assert len(lines) == 2
    assert lines[0].get_linestyle() != lines[1].get_linestyle()
    assert lines[0].get_marker() != lines[1].get_marker()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]
    with pytest.raises(ValueError, match="curve 'a' has shape"):
        draw_correlation_curves(d, {"a": np.ones(3)})


def test_offset_map_labels_offsets_and_outlines():
    corr = np.linspace(0.9, 1.0, 25).reshape(5, 5)
    ax = draw_offset_map(corr, highlight=[(0, 0), (1, 1)])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["-2", "-1", "0", "1", "2"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2", "1", "0", "-1", "-2"]
    assert f"{corr[2, 2]:.3f}" in texts(ax)
    outlines = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]
    assert len(outlines) >= 2
    with pytest.raises(ValueError, match="odd side"):
        draw_offset_map(np.ones((4, 4)))


def test_shifted_maps_circle_the_feature_where_it_moves():
    x = np.zeros((6, 6))
    x[2, 2] = 1.0
    moved = np.zeros((6, 6))
    moved[3, 4] = 1.0                                                     # 1 down, 2 right
    out, out_moved = x[:5, :5] * 2, moved[:5, :5] * 2
    axes = draw_shifted_maps((x, moved), (out, out_moved), shift=(1, 2))
    assert len(axes) == 4
    assert axes[2].get_xlabel() == "circle at (2, 2)" and axes[3].get_xlabel() == "circle at (3, 4)"
    hatched = [p for p in axes[3].patches if p.get_hatch()]
    assert len(hatched) == 2                                              # the rows and columns that entered
    with pytest.raises(ValueError, match="two maps of one shape"):
        draw_shifted_maps((x, moved), (out, np.zeros((4, 4))), shift=(1, 2))


def test_network_labels_shared_weights_by_text_and_style():
    grouped = layer_wiring(1, 4, 2, input_size=3, sharing=True, locality=False)
    ax = draw_network(grouped, group_size=4, mark_weights=[0, 22], label_weights=True)
    marked = {c.get_gid(): c for c in ax.collections if isinstance(c, LineCollection)}
    assert len(marked["weight 0"].get_segments()) == 4 and len(marked["weight 22"].get_segments()) == 4
    assert marked["weight 0"].get_linestyle() != marked["weight 22"].get_linestyle()
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("label")]
    assert sorted(t.get_text() for t in labels) == ["w0"] * 4 + ["w22"] * 4
    assert len(marked["connections"].get_segments()) == 144 - 8


def test_network_group_frames_clear_the_neuron_labels():
    grouped = layer_wiring(1, 4, 2, input_size=3, sharing=True, locality=False)
    fig, ax = plt.subplots(figsize=(4.8, 5.6), layout="constrained")
    draw_network(grouped, ax=ax, group_size=4)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frames = [p.get_window_extent(renderer) for p in ax.patches]
    names = [t.get_window_extent(renderer) for t in ax.texts if t.get_text().startswith("h")]
    assert len(frames) == 4 and len(names) == 16
    assert all(not f.overlaps(n) for f in frames for n in names)

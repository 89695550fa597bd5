"""Drawings, checked by counting and inspecting the artists (Agg backend, no display)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.patches import FancyBboxPatch, Rectangle  # noqa: E402

from cnnlab import (  # noqa: E402
    draw_fc_param_state,
    draw_flatten,
    draw_image,
    draw_influence_state,
    draw_network,
    draw_pooling_state,
    draw_receptive_field_state,
    draw_sharing_locality_state,
    draw_training_curves,
    draw_window_state,
    fc_param_state,
    influence_state,
    layer_wiring,
    pooling_state,
    receptive_field_state,
    sharing_locality_state,
    tiny_image,
    weight_colors,
    window_state,
)


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
    # entry k is drawn at height 8 - k and the line starts at the centre of pixel (k // 3, k % 3),
    # drawn over the squares
    for k, seg in enumerate(segments):
        (x0, y0), (_, y1) = seg
        assert x0 == k % 3 + 0.5 and y0 == 3 + 2 - k // 3 + 0.5
        assert y1 == 8 - k + 0.5
    assert lines.get_zorder() > max(p.get_zorder() for p in ax.patches)
    assert [f"x[{k}] = {divmod(k, 3)}".replace(" ", "") for k in range(9)] == [
        t.replace(" ", "") for t in texts(ax) if t.startswith("x[")]


def test_draw_network_fully_connected_has_144_lines():
    ids = layer_wiring(1, 4, 2, input_size=3, sharing=False, locality=False)
    ax = draw_network(ids, group_size=4)
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(lines.get_segments()) == 144
    inputs, hidden = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(inputs.get_offsets()) == 9 and len(hidden.get_offsets()) == 16
    assert len([p for p in ax.patches if isinstance(p, FancyBboxPatch)]) == 4
    # thin, translucent lines when crowded, so 144 lines stay readable
    assert lines.get_linewidths()[0] < 1 and lines.get_alpha() < 1


def test_draw_network_one_neuron_highlights_its_pixels():
    ids = layer_wiring(1, 4, 2, input_size=3)  # sharing and locality
    ax = draw_network(ids, neurons=[3], color_by_weight=True)
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(lines.get_segments()) == 4
    inputs = [c for c in ax.collections if isinstance(c, PathCollection)][0]
    red = [tuple(fc) for fc in inputs.get_facecolors()]
    lit = [k for k, fc in enumerate(red) if fc[:3] != (1.0, 1.0, 1.0)]
    assert lit == [4, 5, 7, 8]  # neuron 3 sees the bottom-right 2x2 window


def test_shared_weights_share_a_colour():
    ids = layer_wiring(1, 4, 2, input_size=3, sharing=True, locality=False)
    ax = draw_network(ids, neurons=[0, 1, 2, 3], color_by_weight=True)
    (lines,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    colors = lines.get_colors()
    assert len(colors) == 36
    assert len({tuple(c) for c in colors}) == 9  # 4 neurons x 9 pixels, 9 shared weights
    rgba = weight_colors(np.array([0, 0, 1, -1]))
    assert (rgba[0] == rgba[1]).all() and (rgba[0] != rgba[2]).any() and rgba[3, 3] == 0


def test_draw_network_rejects_bad_neurons():
    with pytest.raises(ValueError, match=r"neurons must lie in 0..15, got \[16\]"):
        draw_network(layer_wiring(1, 4, 2, input_size=3), neurons=[16])
    with pytest.raises(TypeError, match="ids must be a 2-D integer ndarray"):
        draw_network(np.zeros((2, 2)))
    ids = layer_wiring(1, 4, 2, input_size=3)
    with pytest.raises(ValueError, match="highlight_inputs must lie in 0..8, got -1"):
        draw_network(ids, highlight_inputs=[-1])
    with pytest.raises(ValueError, match="highlight_inputs must lie in 0..8, got 9"):
        draw_network(ids, highlight_inputs=[9])
    with pytest.raises(TypeError, match="highlight_inputs must be an int, got float 1.0"):
        draw_network(ids, highlight_inputs=[1.0])


def test_text_stays_readable_on_any_colormap():
    # RdBu_r: the extremes are dark (white text), values near the middle light (black text)
    ax = draw_image(np.array([[-1.0, -0.1, 0.1, 1.0]]), cmap="RdBu_r", index=None)
    colors = {t.get_text(): t.get_color() for t in ax.texts}
    assert colors == {"-1": "white", "-0.1": "black", "0.1": "black", "1": "white"}


# ----------------------------------------------------------------------------- the explorers' drawings
def all_text(axes):
    return " ".join(t.get_text() for ax in np.atleast_1d(axes) for t in ax.texts + [ax.title])


def test_window_drawing_hatches_the_padding_and_names_every_kind_of_cell():
    axes = draw_window_state(window_state(8, 3, stride=4, padding=1, position=2))
    hatched = {c.get_gid() for c in axes[0].collections}
    assert {"hatch padding", "hatch never"} <= hatched  # padding, never read: not by colour alone
    legend = [t.get_text() for t in axes[0].get_legend().get_texts()]
    assert legend == ["pixel", "padding (0)", "read so far", "never read", "the window's taps"]
    assert axes[0].get_title() == "input 8x8 + padding 1" and axes[1].get_title() == "output 2x2, cell (1, 0)"
    no_pad = draw_window_state(window_state(7, 3))
    assert no_pad[0].get_title() == "input 7x7"  # no "padded input" without padding


def test_window_drawing_of_an_invalid_state_says_no_output():
    axes = draw_window_state(window_state(3, 5))
    assert "no output" in all_text(axes[1]) and not axes[1].collections


def cell_texts(ax):
    from cnnlab.draw.windows import CellTexts

    (texts,) = [c for c in ax.collections if isinstance(c, CellTexts)]
    return dict(zip(texts.cells, texts.texts))


def test_pooling_drawing_shows_the_padding_ring_and_the_choice():
    image = np.arange(16.0).reshape(4, 4)
    axes = draw_pooling_state(pooling_state(image, 3, stride=1, padding=1, position=5))
    values = cell_texts(axes[0])
    assert list(values.values()).count("−∞") == 6 * 6 - 16 and values[4, 4] == "15"  # the ring shows what it holds
    assert "padding 1 (hatched)" in axes[0].get_title()
    assert "hatch padding" in {c.get_gid() for c in axes[0].collections}
    avg = draw_pooling_state(pooling_state(image, 3, stride=1, padding=1, mode="avg"))
    assert list(cell_texts(avg[0]).values()).count("0") == 6 * 6 - 16 + 1  # 20 padded zeros + pixel 0
    bad = draw_pooling_state(pooling_state(image, 2, padding=2))
    assert "no output" in all_text(bad[1]) and "not a valid setting" in bad[0].get_title()


def test_influence_drawing_labels_the_kernel_entries():
    axes = draw_influence_state(influence_state(4, 2, cell=(1, 1), label="7"))
    assert {rc: t for rc, t in cell_texts(axes[0]).items() if t} == {(1, 1): "7"}
    assert {rc: t for rc, t in cell_texts(axes[1]).items() if t} == {
        (0, 0): "w[1,1]", (0, 1): "w[1,0]", (1, 0): "w[0,1]", (1, 1): "w[0,0]"}


def test_receptive_field_drawing_draws_whole_boxes():
    state = receptive_field_state("conv 3 1 1, pool 2 2 0, conv 3 1 1, pool 2 2 0", input_size=25)
    ax = draw_receptive_field_state(state)
    boxes = [p for p in ax.patches if p.get_label().startswith(("1 ", "2 ", "3 ", "4 "))]
    assert [round(p.get_width()) for p in boxes] == [3, 4, 8, 10]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["1 conv: 3x3", "2 pool: 4x4", "3 conv: 8x8", "4 pool: 10x10"]  # no two alike
    assert len({p.get_linestyle() for p in boxes}) == 4  # told apart by line style, not colour alone
    big = receptive_field_state("conv 3 1 1, pool 2 2 0, conv 3 1 1, pool 2 2 0, pool 6 6 0", input_size=25)
    ax = draw_receptive_field_state(big)
    low, high = ax.get_xlim()
    assert high - low >= 30  # the 30x30 field is drawn whole, with the padding hatched around the image
    assert any(p.get_hatch() for p in ax.patches)
    bad = draw_receptive_field_state(receptive_field_state("conv 3", input_size=25))
    assert "no picture" in all_text(bad)


def test_count_drawings():
    ax = draw_fc_param_state(fc_param_state(200, 3, [1000]))
    fc_line, conv_line, marker = ax.lines[:3]
    assert marker.get_ydata()[0] == 120_000_000 and conv_line.get_ydata()[0] == 432
    assert "200x200x3 image: 120,000,000" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(ax.lines[3].get_xdata()) == 0  # one hidden layer: no "layers after the first"
    ax = draw_fc_param_state(fc_param_state(3, 1, "90, 50"), ax=ax)  # the same Axes: updated in place
    assert set(ax.lines[3].get_ydata()) == {4_500} and ax.lines[2].get_ydata()[0] == 5_310
    assert [t.get_text() for t in ax.get_legend().get_texts()][1] == "layers after the first: 4,500"
    ax = draw_fc_param_state(fc_param_state(200, 3, "abc"), ax=ax)
    assert all(len(line.get_xdata()) == 0 for line in ax.lines[:4]) and "no picture" in all_text(ax)
    ax = draw_sharing_locality_state(sharing_locality_state(True, True))
    lines = {c.get_gid(): c for c in ax.collections if isinstance(c, LineCollection)}
    # sharing and locality: w0 on the four neurons of group 0, each reading another pixel
    assert len(lines["connections"].get_segments()) + len(lines["weight 0"].get_segments()) == 64
    assert len(lines["weight 0"].get_segments()) == 4
    assert len({tuple(s[0]) for s in lines["weight 0"].get_segments()}) == 4
    ax = draw_sharing_locality_state(sharing_locality_state(False, True))
    lines = {c.get_gid(): c for c in ax.collections if isinstance(c, LineCollection)}
    assert len(lines["weight 0"].get_segments()) == 1  # no sharing: w0 has one connection


def test_training_curves():
    histories = {"CNN": {"loss": [1.0, 0.5], "val_acc": [0.6, 0.9]}, "FC": {"loss": [1.2], "val_acc": [0.5]}}
    ax_loss, ax_acc = draw_training_curves(histories, epochs=5)
    assert [len(line.get_xdata()) for line in ax_loss.lines] == [2, 1] and ax_loss.get_xlim() == (0.5, 5.5)
    assert {line.get_linestyle() for line in ax_acc.lines} == {"-", "--"}
    assert ax_acc.get_ylabel() == "validation accuracy"


def test_drawings_on_given_axes_and_their_own():
    fig, axes = plt.subplots(1, 2)
    assert tuple(draw_window_state(window_state(5, 3), axes=axes)) == tuple(axes)
    with pytest.raises(ValueError, match="axes must hold 2 Axes, got 1"):
        draw_window_state(window_state(5, 3), axes=[axes[0]])
    own = draw_window_state(window_state(5, 3))
    assert own[0].figure is not fig and own[0].figure in map(plt.figure, plt.get_fignums())


@pytest.mark.parametrize("draw, state", [
    (draw_window_state, window_state(12, 3, padding=3)),
    (draw_pooling_state, pooling_state(np.zeros((6, 6)), 3, padding=1)),
    (draw_influence_state, influence_state(5, 3)),
    (draw_receptive_field_state, receptive_field_state("conv 3 1 1, pool 2 2 0", input_size=24)),
    (draw_fc_param_state, fc_param_state(32, 1, "500")),
    (draw_training_curves, {"CNN": {"loss": [1.0], "val_acc": [0.5]}}),
], ids=["window", "pooling", "influence", "receptive", "fc", "training"])
def test_new_figures_fit_a_slide_and_their_text_is_large(draw, state):
    """At 100 dpi: no wider than 10 in, no taller than a 16:9 slide of that width, text >= 10 pt."""
    ax = np.atleast_1d(draw(state))
    w, h = ax[0].figure.get_size_inches()
    assert w <= 10 and h <= w * 9 / 16 + 0.5
    sizes = [t.get_fontsize() for a in ax for t in a.texts + [a.title, a.xaxis.label, a.yaxis.label]
             if t.get_text()]
    for a in ax:
        if a.get_legend():
            sizes += [t.get_fontsize() for t in a.get_legend().get_texts()]
    assert sizes and min(sizes) >= 10


def _png(fig):
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _pair():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.6, 4.4), dpi=50)
    return fig, fig.subplots(1, 2, gridspec_kw=dict(left=0.02, right=0.98, bottom=0.13, top=0.86))


@pytest.mark.parametrize("draw, states", [
    (draw_window_state, lambda rng: window_state(int(rng.integers(2, 9)), int(rng.integers(1, 5)),
                                                 stride=int(rng.integers(1, 4)), padding=int(rng.integers(0, 3)),
                                                 dilation=int(rng.integers(1, 3)), position=int(rng.integers(0, 40)))),
    (draw_pooling_state, lambda rng: pooling_state(np.arange(25.0).reshape(5, 5) % 7, int(rng.integers(1, 4)),
                                                   stride=int(rng.integers(1, 3)), padding=int(rng.integers(0, 2)),
                                                   mode=["max", "avg"][int(rng.integers(0, 2))],
                                                   position=int(rng.integers(0, 20)))),
    (draw_influence_state, lambda rng: influence_state(5, int(rng.integers(1, 7)), stride=int(rng.integers(1, 3)),
                                                       cell=(int(rng.integers(0, 5)), int(rng.integers(0, 5))))),
], ids=["window", "pooling", "influence"])
def test_a_drawing_updated_in_place_is_the_fresh_drawing(draw, states):
    """Redrawn on the same Axes, state after state, the picture equals a fresh drawing of the last one."""
    rng = np.random.default_rng(0)
    fig, axes = _pair()
    for _ in range(25):
        state = states(rng)
        draw(state, axes=axes)
        fresh_fig, fresh_axes = _pair()
        draw(state, axes=fresh_axes)
        assert _png(fig) == _png(fresh_fig)


def test_accuracy_by_position():
    from cnnlab import draw_accuracy_by_position

    ax = draw_accuracy_by_position(range(5), {"CNN": [1, 0.9, 0.8, 0.1, 0.1], "FC": [1, 1, 0.1, 0.1, 0.1]},
                                   trained=(0, 1), chance=0.1)
    assert [len(line.get_xdata()) for line in ax.lines[:2]] == [5, 5]
    assert {ax.lines[0].get_linestyle(), ax.lines[1].get_linestyle()} == {"-", "--"}
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "positions seen in training (0-1)" in labels and "chance (0.1)" in labels
    with pytest.raises(ValueError, match=r"curves\['FC'\] must have one accuracy per position \(5\), got 2"):
        draw_accuracy_by_position(range(5), {"FC": [1, 1]})


def test_receptive_field_boxes_are_numbered_and_messages_wrap():
    from cnnlab import draw_fc_param_state, draw_receptive_field_state, fc_param_state, receptive_field_state

    stack = ", ".join(f"conv{k} 3 1 1, pool{k} 2 2 0" for k in range(1, 5))  # 8 layers: the styles repeat
    ax = draw_receptive_field_state(receptive_field_state(stack, input_size=32))
    numbers = sorted(t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("box "))
    assert numbers == [str(k) for k in range(1, 9)]
    ax = draw_fc_param_state(fc_param_state(3, 1, "90; 50; twenty; 10000000000000"))
    (note,) = [t for t in ax.texts if t.get_text().startswith("no picture")]
    assert note.get_text().count("\n") >= 1 and "10000000000000" in note.get_text()
    fig = ax.get_figure()
    fig.canvas.draw()
    box = note.get_window_extent()
    assert box.x0 >= 0 and box.x1 <= fig.bbox.width  # inside the picture

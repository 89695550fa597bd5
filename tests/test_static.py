"""The static twin of an explorer: every frame drawn in advance, picked by the controls in the browser."""

from __future__ import annotations

import base64
import re

import ipywidgets as widgets
import pytest

import cnnlab
from cnnlab.widgets import static
from cnnlab.widgets.static import frame_png, static_explorer


def _frames(twin):
    """Every frame view in the twin's stacks, depth first."""
    out = []

    def walk(w):
        if isinstance(w, widgets.HTML) and "cnnlab-frame" in w.value:
            out.append(w)
        for child in getattr(w, "children", ()):
            walk(child)

    walk(twin)
    return out


def _state(frame):
    return re.search(r'data-state="([^"]*)"', frame.value).group(1)


def _src(frame):
    return re.search(r"src='data:image/png;base64,([^']*)'", frame.value).group(1)


@pytest.mark.parametrize("factory", [cnnlab.explore_fc_params, cnnlab.explore_sharing_locality,
                                     cnnlab.explore_convolution, cnnlab.explore_pooling,
                                     cnnlab.explore_influence, cnnlab.explore_receptive_field])
def test_explorer_saves_its_spec(factory):
    ex = factory()
    data, metadata = ex._repr_mimebundle_()
    spec = metadata["cnnlab"]
    assert spec["explorer"] == factory.__name__ and spec["explorer"] in static.GRIDS
    rebuilt = factory(**{k: v for k, v in spec["kwargs"].items() if k != "image"})
    assert rebuilt.summary == ex.summary


def test_every_setting_has_its_frame_and_the_live_picture():
    twin, links, count = static_explorer({"explorer": "explore_sharing_locality",
                                          "kwargs": {"sharing": True, "locality": True}})
    frames = _frames(twin)
    assert count == len(frames) == 4
    assert sorted(_state(f) for f in frames) == sorted(
        f"weight sharing={s}; locality={loc}" for s in ("off", "on") for loc in ("off", "on"))
    live = cnnlab.explore_sharing_locality()
    for frame in frames:
        values = dict(part.split("=") for part in _state(frame).split("; "))
        live.controls["sharing"].value = values["weight sharing"] == "on"
        live.controls["locality"].value = values["locality"] == "on"
        assert base64.b64decode(_src(frame)) == frame_png(bytes(live.views["plot"].value))
        assert "alt=\"Sharing and locality" in frame.value
    controls = [c for c in twin.children[2].children]
    assert [c.description for c in controls] == ["weight sharing", "locality"]
    assert len(links) == 1 + 2  # one stack for sharing, two (one per sharing value) for locality
    assert twin.children[3].selected_index == 1  # opens on the explorer's own starting values


def test_a_position_slider_of_its_own_per_group(monkeypatch):
    monkeypatch.setitem(static.GRIDS, "explore_convolution",
                        lambda kw: ({"kernel": [3, 5]}, "position", {"input size": kw["input_size"]}))
    twin, links, count = static_explorer({"explorer": "explore_convolution", "kwargs": {
        "input_size": 7, "kernel_size": 3, "stride": 1, "padding": 0, "dilation": 1}})
    assert count == 25 + 9  # a 5x5 and a 3x3 output
    groups = twin.children[3].children
    sliders = [g.children[0] for g in groups]
    assert [len(s.options) for s in sliders] == [25, 9]
    assert all(s.description == "position" for s in sliders)
    assert "fixed here: input size = 7" in twin.children[1].value


def test_a_single_value_is_said_in_words(monkeypatch):
    """noUiSlider cannot draw a slider of one value: a setting with one output says so instead."""
    monkeypatch.setitem(static.GRIDS, "explore_pooling",
                        lambda kw: ({"padding": [0, 2]}, "position", {}))
    twin, _, count = static_explorer({"explorer": "explore_pooling", "kwargs": {
        "size": 6, "kernel_size": 2, "stride": 2, "padding": 0, "mode": "max", "seed": 0}})
    assert count == 9 + 1  # padding 2 is more than half the window: no output, one frame
    invalid = twin.children[3].children[1]
    assert isinstance(invalid.children[0], widgets.HTML) and "the only one" in invalid.children[0].value
    assert "no output" in invalid.children[1].children[0].value


@pytest.mark.parametrize("spec", [None, {"explorer": "explore_everything"}, "explore_pooling"])
def test_bad_spec(spec):
    with pytest.raises(ValueError, match="spec must name one of the explorers"):
        static_explorer(spec)

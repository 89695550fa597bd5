"""layer_wiring: the four layers between fully connected and convolution, as weight ids."""

import numpy as np
import pytest

from cnnlab import conv2d_as_dense, count_layer_params, layer_wiring, wiring_matrix

STEPS = [(False, False), (True, False), (False, True), (True, True)]


@pytest.mark.parametrize("sharing, locality, expected", [
    (False, False, 144), (True, False, 36), (False, True, 64), (True, True, 16)])
def test_article_layer_counts(sharing, locality, expected):
    ids = layer_wiring(1, 4, 2, input_size=3, sharing=sharing, locality=locality)
    assert ids.shape == (16, 9)
    assert len(np.unique(ids[ids >= 0])) == expected


@pytest.mark.parametrize("sharing, locality", STEPS)
def test_number_of_ids_is_the_parameter_count(sharing, locality):
    rng = np.random.default_rng(1)
    for _ in range(10):
        H, W = rng.integers(2, 7, size=2)
        KH, KW = rng.integers(1, 3, size=2)
        F, C = rng.integers(1, 4, size=2)
        s = tuple(int(v) for v in rng.integers(1, 3, size=2))
        d = tuple(int(v) for v in rng.integers(1, 3, size=2))
        if d[0] * (KH - 1) + 1 > H or d[1] * (KW - 1) + 1 > W:
            d = (1, 1)
        kwargs = dict(input_size=(int(H), int(W)), stride=s, dilation=d, sharing=sharing, locality=locality)
        ids = layer_wiring(int(C), int(F), (int(KH), int(KW)), **kwargs)
        assert ids.max() + 1 == count_layer_params(int(C), int(F), (int(KH), int(KW)), **kwargs, bias=False)
        assert set(np.unique(ids[ids >= 0])) == set(range(ids.max() + 1))  # no gaps


def test_fully_connected_uses_every_connection_once():
    ids = layer_wiring(1, 4, 2, input_size=3, sharing=False, locality=False)
    assert (ids >= 0).all()
    assert len(np.unique(ids)) == ids.size


def test_sharing_alone_gives_identical_rows_within_a_group():
    ids = layer_wiring(1, 4, 2, input_size=3, sharing=True, locality=False)
    for g in range(4):
        group = ids[4 * g : 4 * g + 4]
        assert (group == group[0]).all()
    assert len({tuple(ids[4 * g]) for g in range(4)}) == 4  # groups differ


def test_locality_alone_each_neuron_sees_its_window():
    ids = layer_wiring(1, 4, 2, input_size=3, sharing=False, locality=True)
    seen = [set(np.flatnonzero(row >= 0)) for row in ids[:4]]
    assert seen == [{0, 1, 3, 4}, {1, 2, 4, 5}, {3, 4, 6, 7}, {4, 5, 7, 8}]


@pytest.mark.parametrize("case", range(15))
def test_sharing_and_locality_is_the_convolution(case):
    rng = np.random.default_rng(case)
    H, W = (int(v) for v in rng.integers(2, 7, size=2))
    KH, KW = (int(v) for v in rng.integers(1, min(H, W) + 1, size=2))
    F, C = (int(v) for v in rng.integers(1, 4, size=2))
    s = tuple(int(v) for v in rng.integers(1, 3, size=2))
    p = tuple(int(v) for v in rng.integers(0, 2, size=2))
    d = tuple(int(v) for v in rng.integers(1, 3, size=2))
    if d[0] * (KH - 1) + 1 > H + 2 * p[0] or d[1] * (KW - 1) + 1 > W + 2 * p[1]:
        d = (1, 1)
    ids = layer_wiring(C, F, (KH, KW), input_size=(H, W), stride=s, padding=p, dilation=d)
    w = rng.normal(size=(F, C, KH, KW))
    M = wiring_matrix(ids, w.ravel())
    np.testing.assert_array_equal(M, conv2d_as_dense(w, (H, W), stride=s, padding=p, dilation=d))


def test_wiring_matrix_checks_its_arguments():
    ids = layer_wiring(1, 4, 2, input_size=3)
    with pytest.raises(ValueError, match="ids use 16, weights has 15"):
        wiring_matrix(ids, np.zeros(15))
    with pytest.raises(TypeError, match="ids must be an integer ndarray"):
        wiring_matrix(ids.astype(float), np.zeros(16))
    with pytest.raises(TypeError, match="sharing must be True or False, got int 1"):
        layer_wiring(1, 4, 2, input_size=3, sharing=1)


def test_dilation_spreads_the_window():
    """Dilation 2: a 2x2 kernel on a 5x5 image reads pixels two apart; 3x3 neurons per group."""
    ids = layer_wiring(1, 1, 2, input_size=5, dilation=2)
    assert ids.shape == (9, 25)
    assert np.flatnonzero(ids[0] >= 0).tolist() == [0, 2, 10, 12]
    assert ids[0][[0, 2, 10, 12]].tolist() == [0, 1, 2, 3]

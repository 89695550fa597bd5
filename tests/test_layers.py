"""cnnlab.layers: every backward against centred differences, a whole network too."""

import numpy as np
import pytest

from cnnlab import count_conv_params, count_fc_params, numerical_gradient, rel_error
from cnnlab.data import shape_images
from cnnlab.layers import AvgPool2D, Conv2D, Dense, Flatten, MaxPool2D, ReLU, Sequential
from cnnlab.training import SGD, Adam, SoftmaxCrossEntropy, accuracy, fit


def check_layer(layer, x, rng, tol=1e-7):
    """dx and every parameter gradient of ``layer`` against centred differences."""
    out = layer.forward(x)
    dout = rng.normal(size=out.shape)
    dx = layer.backward(dout)
    assert rel_error(dx, numerical_gradient(lambda v: layer.forward(v), x.copy(), dout, h=1e-3)) < tol
    for p in layer.params:
        analytic = p.grad.copy()

        def f(value, p=p):
            p.value[...] = value
            return layer.forward(x)

        original = p.value.copy()
        numeric = numerical_gradient(f, p.value.copy(), dout, h=1e-3)
        p.value[...] = original  # f left the last perturbation in place
        assert rel_error(analytic, numeric) < tol


def distinct(rng, shape):
    """Values spaced apart, so max pooling has no near-ties for finite differences to cross."""
    return rng.permutation(np.arange(np.prod(shape), dtype=float)).reshape(shape) * 0.1


@pytest.mark.parametrize("make", [
    lambda rng: Conv2D(2, 3, 3, padding=1, rng=rng),
    lambda rng: Conv2D(2, 3, 3, stride=2, rng=rng),
    lambda rng: MaxPool2D(2),
    lambda rng: MaxPool2D(3, stride=1),
    lambda rng: AvgPool2D(2),
    lambda rng: ReLU(),
    lambda rng: Flatten(),
], ids=["conv-pad", "conv-stride", "maxpool", "maxpool-overlap", "avgpool", "relu", "flatten"])
def test_image_layer_gradients(make):
    rng = np.random.default_rng(0)
    layer = make(rng)
    x = distinct(rng, (2, 2, 6, 6)) - 3.55  # about half negative, none within 0.05 of ReLU's kink
    check_layer(layer, x, rng)


def test_dense_gradients():
    rng = np.random.default_rng(1)
    check_layer(Dense(7, 4, rng=rng), rng.normal(size=(5, 7)), rng)


def test_softmax_cross_entropy_gradient_and_stability():
    rng = np.random.default_rng(2)
    logits, y = rng.normal(size=(6, 4)), rng.integers(0, 4, size=6)
    loss_fn = SoftmaxCrossEntropy()
    loss_fn.forward(logits, y)
    numeric = numerical_gradient(lambda v: np.array(loss_fn.forward(v, y)), logits.copy(), np.array(1.0))
    loss_fn.forward(logits, y)
    assert rel_error(loss_fn.backward(), numeric) < 1e-7
    # huge logits do not overflow; uniform logits give log(classes)
    assert np.isfinite(loss_fn.forward(np.array([[1000.0, -1000.0]]), np.array([1])))
    assert loss_fn.forward(np.zeros((3, 4)), np.array([0, 1, 2])) == pytest.approx(np.log(4))


def small_cnn(rng):
    return Sequential([Conv2D(1, 3, 3, padding=1, rng=rng), ReLU(), MaxPool2D(2), Flatten(),
                       Dense(3 * 3 * 3, 2, rng=rng)])


def test_whole_network_gradient():
    rng = np.random.default_rng(3)
    net, loss_fn = small_cnn(rng), SoftmaxCrossEntropy()
    x, y = distinct(rng, (4, 1, 6, 6)), rng.integers(0, 2, size=4)
    loss_fn.forward(net.forward(x), y)
    net.backward(loss_fn.backward())
    for p in net.params:
        analytic = p.grad.copy()

        def loss(value, p=p):
            p.value[...] = value
            return np.array(loss_fn.forward(net.forward(x), y))

        original = p.value.copy()
        numeric = numerical_gradient(loss, p.value.copy(), np.array(1.0), h=1e-5)
        p.value[...] = original  # loss left the last perturbation in place
        # absolute floor: a few weight gradients are ~1e-9, where a relative error means nothing
        np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


def test_summary_counts_agree_with_the_formulas():
    rng = np.random.default_rng(4)
    net = Sequential([Conv2D(1, 8, 3, padding=1, rng=rng), ReLU(), MaxPool2D(2), Conv2D(8, 16, 3, rng=rng),
                      ReLU(), MaxPool2D(2), Flatten(), Dense(16 * 5 * 5, 2, rng=rng)])
    expected = count_conv_params(1, 8, 3) + count_conv_params(8, 16, 3) + count_fc_params([400, 2])
    assert net.n_params == expected
    table = net.summary((1, 25, 25))
    assert "(16, 5, 5)" in table and table.splitlines()[-1].split() == ["total", f"{expected:,}"]
    assert table.splitlines()[1].startswith("Conv2D(1, 8, 3") and "80" in table.splitlines()[1]


def test_initialisation_is_seeded_and_he_scaled():
    a = Conv2D(16, 32, 3, rng=np.random.default_rng(5)).w.value
    b = Conv2D(16, 32, 3, rng=np.random.default_rng(5)).w.value
    assert np.array_equal(a, b)
    assert a.std() == pytest.approx(np.sqrt(2 / (16 * 9)), rel=0.05)
    with pytest.raises(TypeError, match="rng must be a numpy Generator"):
        Dense(3, 2, rng=0)
    glorot = Dense(300, 100, rng=np.random.default_rng(5), init="glorot").w.value
    assert glorot.std() == pytest.approx(np.sqrt(2 / 400), rel=0.05)
    with pytest.raises(ValueError, match="init must be 'he' or 'glorot', got 'xavier'"):
        Dense(3, 2, rng=np.random.default_rng(0), init="xavier")


@pytest.mark.parametrize("make_opt", [lambda p: SGD(p, lr=0.1, momentum=0.9), lambda p: Adam(p, lr=0.01)],
                         ids=["sgd", "adam"])
def test_training_learns_a_separable_problem(make_opt):
    rng = np.random.default_rng(6)
    x, y = shape_images(120, side=12, size=5, region="any", seed=1)
    x, y = x[y < 2], y[y < 2]  # horizontal vs vertical bars
    net = Sequential([Conv2D(1, 4, 3, padding=1, rng=rng), ReLU(), MaxPool2D(2), Flatten(),
                      Dense(4 * 6 * 6, 2, rng=rng)])
    before = accuracy(net, x, y)
    history = fit(net, x, y, epochs=8, batch_size=16, optimizer=make_opt(net.params), rng=rng)
    assert history["loss"][-1] < history["loss"][0]
    assert accuracy(net, x, y) > max(0.9, before)
    assert len(history["train_acc"]) == 8 and history["seconds"] > 0


def test_fit_is_deterministic():
    def run():
        rng = np.random.default_rng(7)
        x, y = shape_images(40, side=12, size=5, seed=2)
        net = Sequential([Flatten(), Dense(144, 4, rng=rng)])
        return fit(net, x, y, epochs=2, batch_size=8, optimizer=SGD(net.params, lr=0.1), rng=rng)["loss"]

    assert run() == run()


# ----------------------------------------------------------------------------- what the layers keep
def first_layer(layer):
    layer.input_grad = False
    return layer


@pytest.mark.parametrize("make, shape", [
    (lambda rng: Conv2D(3, 4, 3, padding=1, rng=rng), (5, 3, 7, 6)),
    (lambda rng: Conv2D(2, 3, 5, stride=2, rng=rng), (3, 2, 11, 9)),
    (lambda rng: Conv2D(8, 3, 3, padding=1, rng=rng), (3, 8, 6, 7)),  # dx by taps, dw from the kept matrix
    (lambda rng: first_layer(Conv2D(1, 4, 5, padding=2, rng=rng)), (4, 1, 9, 9)),  # no dx
    (lambda rng: MaxPool2D(2), (4, 3, 8, 7)),
    (lambda rng: MaxPool2D(3, stride=1), (2, 3, 6, 6)),
    (lambda rng: AvgPool2D(2), (2, 3, 6, 6)),
    (lambda rng: ReLU(), (4, 3, 5, 5)),
], ids=["conv-pad", "conv-stride", "conv-8-channels", "conv-first", "maxpool", "maxpool-overlap", "avgpool", "relu"])
@pytest.mark.parametrize("keep_max_bytes", [1 << 26, 0], ids=["kept", "too-large-to-keep"])
def test_a_layer_that_keeps_its_forward_gives_the_stateless_kernels_numbers(monkeypatch, make, shape,
                                                                            keep_max_bytes):
    """What a layer keeps (the im2col matrix, maxima, masks) gives the stateless kernels' numbers, also
    on ties (small integers, after a ReLU) and for a second batch of another size; conv to rounding (the
    layer multiplies the whole batch at once), the others exactly."""
    import cnnlab
    import cnnlab._im2col

    monkeypatch.setattr(cnnlab._im2col, "_KEEP_MAX_BYTES", keep_max_bytes)
    rng = np.random.default_rng(11)
    layer = make(rng)
    for n in (shape[0], 1, shape[0]):
        x = np.maximum(rng.integers(-3, 4, size=(n,) + shape[1:]), 0).astype(float)  # many ties and zeros
        out = layer.forward(x)
        dout = rng.standard_normal(out.shape)
        dx = layer.backward(dout)
        if isinstance(layer, Conv2D):
            kw = dict(stride=layer.stride, padding=layer.padding)
            want = (cnnlab.conv2d_forward(x, layer.w.value, layer.b.value, **kw),
                    *cnnlab.conv2d_backward(dout, x, layer.w.value, **kw))
            assert (dx is None) == (not layer.input_grad)
            for got, expected in zip((out, dx, layer.w.grad, layer.b.grad), want):
                if got is not None:
                    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12 * np.abs(expected).max())
        elif isinstance(layer, (MaxPool2D, AvgPool2D)):
            kind = "max" if isinstance(layer, MaxPool2D) else "avg"
            kw = dict(kernel_size=layer.kernel_size, stride=layer.stride)
            np.testing.assert_array_equal(out, getattr(cnnlab, f"{kind}_pool2d_forward")(x, **kw))
            np.testing.assert_array_equal(dx, getattr(cnnlab, f"{kind}_pool2d_backward")(dout, x, **kw))
        else:
            np.testing.assert_array_equal(dx, np.where(x > 0, dout, 0.0))


def test_relu_gives_the_numbers_of_np_where_also_for_special_values():
    x = np.array([-0.0, 0.0, np.nan, -np.inf, np.inf, -1.5, 2.5])
    relu = ReLU()
    out = relu.forward(x)
    np.testing.assert_array_equal(out, np.where(x > 0, x, 0.0))
    assert not np.signbit(out).any()  # no -0.0
    dout = np.array([1.0, -2.0, 3.0, np.inf, -np.inf, -1.0, np.nan])
    dx = relu.backward(dout)
    np.testing.assert_array_equal(dx, np.where(x > 0, dout, 0.0))
    assert not np.signbit(relu.backward(-np.ones_like(x))[x <= 0]).any()


def test_a_first_conv_layer_without_input_grad_skips_dx_only():
    rng = np.random.default_rng(12)
    x = rng.standard_normal((3, 1, 8, 8))
    full, first = (Conv2D(1, 4, 3, padding=1, rng=np.random.default_rng(0)) for _ in range(2))
    first.input_grad = False
    dout = rng.standard_normal((3, 4, 8, 8))
    full.forward(x)
    first.forward(x)
    assert first.backward(dout) is None and full.backward(dout).shape == x.shape
    np.testing.assert_allclose(first.w.grad, full.w.grad, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(first.b.grad, full.b.grad)

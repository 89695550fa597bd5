"""The random cases and reference answers of the exercises in :mod:`cnnlab.exercises`.

Each ``_*_case(rng)`` draws the keyword arguments of one call; the references that are more than
one line live here too.
"""

from __future__ import annotations

import math

import numpy as np

from .avgpool import avg_pool2d_forward
from .conv import conv2d_backward, conv2d_forward
from .pool import max_pool2d_backward, max_pool2d_forward


def flat_case(rng):
    height, width = (int(v) for v in rng.integers(1, 12, size=2))
    return {"r": int(rng.integers(0, height)), "c": int(rng.integers(0, width)), "width": width}


def dense_case(rng):
    n_in, n_out = (int(v) for v in rng.integers(1, 10, size=2))
    return {"x": rng.normal(size=n_in), "weights": rng.normal(size=(n_out, n_in)),
            "bias": rng.normal(size=n_out)}


def sizes_case(rng):
    return {"sizes": [int(v) for v in rng.integers(1, 200, size=int(rng.integers(2, 6)))]}


def image_fc_case(rng):
    return {"side": int(rng.integers(1, 300)), "channels": int(rng.choice([1, 3])),
            "hidden": int(rng.integers(1, 2000))}


def grouped_case(rng):
    n_groups, group_size, n_in = (int(v) for v in rng.integers(1, 7, size=3))
    return {"x": rng.normal(size=n_in), "shared": rng.normal(size=(n_groups, n_in)),
            "group_size": group_size}


def window_case(rng):
    side = int(rng.integers(2, 7))
    k = int(rng.integers(1, side + 1))
    n_out = side - k + 1
    return {"neuron": int(rng.integers(0, n_out * n_out)), "side": side, "kernel": k}


def layer_case(rng):
    side = int(rng.integers(2, 30))
    return {"side": side, "kernel": int(rng.integers(1, side + 1)),
            "groups": int(rng.integers(1, 9)), "sharing": bool(rng.integers(0, 2)),
            "locality": bool(rng.integers(0, 2))}


def shift_case(rng):
    image = rng.normal(size=(int(rng.integers(3, 9)), int(rng.integers(4, 12))))
    image[:, 1:] += image[:, :-1]  # neighbours correlate, as in photos
    return {"image": image, "d": int(rng.integers(1, image.shape[1] - 1))}


def output_size_case(rng):
    n, kernel = int(rng.integers(1, 40)), int(rng.integers(1, 8))
    padding = int(rng.integers(0, 4))
    if kernel > n + 2 * padding:  # keep the kernel inside the padded input
        n = kernel
    return {"n": n, "kernel": kernel, "stride": int(rng.integers(1, 5)), "padding": padding}


def correlate_case(rng):
    H, W = (int(v) for v in rng.integers(2, 9, size=2))
    KH, KW = int(rng.integers(1, H + 1)), int(rng.integers(1, W + 1))
    return {"image": rng.normal(size=(H, W)), "kernel": rng.normal(size=(KH, KW))}


def cross_correlate(image, kernel):
    x = image.reshape((1, 1) + image.shape)
    return conv2d_forward(x, kernel.reshape((1, 1) + kernel.shape))[0, 0]


def pool_case(rng):
    size, stride = int(rng.integers(1, 4)), int(rng.integers(1, 4))
    H, W = (int(v) for v in rng.integers(size, size + 7, size=2))
    # small integers: ties happen, as after a ReLU
    return {"image": rng.integers(0, 4, size=(H, W)).astype(float), "size": size, "stride": stride}


def avg_pool_case(rng):
    size, stride = int(rng.integers(1, 5)), int(rng.integers(1, 4))
    padding = int(rng.integers(0, size // 2 + 1))  # at most half a window, as PyTorch allows
    H, W = (int(v) for v in rng.integers(max(1, size - 2 * padding), size + 7, size=2))
    return {"image": rng.integers(0, 5, size=(H, W)).astype(float), "size": size, "stride": stride,
            "padding": padding, "count_include_pad": bool(rng.integers(0, 2))}


def avg_pool(image, size, stride, padding, count_include_pad):
    x = image.reshape((1, 1) + image.shape)
    return avg_pool2d_forward(x, kernel_size=size, stride=stride, padding=padding,
                              count_include_pad=count_include_pad)[0, 0]


def max_pool(image, size, stride):
    x = image.reshape((1, 1) + image.shape)
    return max_pool2d_forward(x, kernel_size=size, stride=stride)[0, 0]


def pool_backward_case(rng):
    case = pool_case(rng)
    if rng.random() < 0.5:  # overlapping windows half of the time
        case["size"], case["stride"] = 3, 1
        case["image"] = rng.integers(0, 4, size=(int(rng.integers(3, 8)), int(rng.integers(3, 8)))).astype(float)
    Ho, Wo = max_pool(case["image"], case["size"], case["stride"]).shape
    case["dout"] = rng.normal(size=(Ho, Wo))
    return {"dout": case["dout"], "image": case["image"], "size": case["size"], "stride": case["stride"]}


def max_pool_backward(dout, image, size, stride):
    x = image.reshape((1, 1) + image.shape)
    return max_pool2d_backward(dout.reshape((1, 1) + dout.shape), x, kernel_size=size, stride=stride)[0, 0]


def pooled_inputs_case(rng):
    size = int(rng.integers(1, 5))
    return {"side": int(rng.integers(size, 64)), "channels": int(rng.integers(1, 65)), "size": size,
            "stride": int(rng.integers(1, 5))}


def dw_case(rng):
    H, W = (int(v) for v in rng.integers(2, 9, size=2))
    Ho, Wo = int(rng.integers(1, H + 1)), int(rng.integers(1, W + 1))
    return {"image": rng.normal(size=(H, W)), "dout": rng.normal(size=(Ho, Wo))}


def conv_dw(image, dout):
    x = image.reshape((1, 1) + image.shape)
    w = np.zeros((1, 1, image.shape[0] - dout.shape[0] + 1, image.shape[1] - dout.shape[1] + 1))
    return conv2d_backward(dout.reshape((1, 1) + dout.shape), x, w)[1][0, 0]


def dilate_case(rng):
    return {"delta": rng.normal(size=tuple(int(v) for v in rng.integers(1, 6, size=2))),
            "stride": int(rng.integers(1, 4))}


def dilate(delta, stride):
    h, w = delta.shape
    out = np.zeros(((h - 1) * stride + 1, (w - 1) * stride + 1))
    out[::stride, ::stride] = delta
    return out


def receptive_case(rng):
    n = int(rng.integers(1, 6))
    return {"kernels": [int(v) for v in rng.integers(1, 6, size=n)],
            "strides": [int(v) for v in rng.integers(1, 4, size=n)]}


def relu_case(rng):
    shape = tuple(int(v) for v in rng.integers(1, 6, size=int(rng.integers(1, 4))))
    x = rng.normal(size=shape)
    x[rng.random(shape) < 0.2] = 0.0  # exact zeros: the gradient there is 0, as in the frameworks
    return {"dout": rng.normal(size=shape), "x": x}


def row_correlation(image, d):
    a, b = image[:, :-d].ravel(), image[:, d:].ravel()
    return float(np.corrcoef(a, b)[0, 1])


def offset_case(rng):
    image = rng.normal(size=(int(rng.integers(4, 10)), int(rng.integers(4, 10))))
    image[:, 1:] += image[:, :-1]  # neighbours correlate, as in photos
    image[1:] += image[:-1]
    return {"image": image, "dr": int(rng.integers(-2, 3)), "dc": int(rng.integers(-2, 3))}


def offset_correlation(image, dr, dc):
    H, W = image.shape
    a = image[max(0, -dr) : H - max(0, dr), max(0, -dc) : W - max(0, dc)]
    b = image[max(0, dr) : H + min(0, dr), max(0, dc) : W + min(0, dc)]
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def window_pixels(neuron, side, kernel):
    n_out = side - kernel + 1
    i, j = divmod(neuron, n_out)
    return sorted((i + u) * side + (j + v) for u in range(kernel) for v in range(kernel))


# ----------------------------------------------------------------------------- second edition
def unflatten_case(rng):
    height, width = (int(v) for v in rng.integers(1, 7, size=2))
    return {"vector": rng.normal(size=height * width), "width": width}


def batch_case(rng):
    n, n_in, n_out = (int(v) for v in rng.integers(1, 8, size=3))
    return {"x": rng.normal(size=(n, n_in)), "weights": rng.normal(size=(n_out, n_in)), "bias": rng.normal(size=n_out)}


def grouped_ids_case(rng):
    n_groups, group_size, n_in = int(rng.integers(1, 6)), int(rng.integers(1, 6)), int(rng.integers(1, 10))
    return {"n_groups": n_groups, "group_size": group_size, "n_in": n_in}


def grouped_ids(n_groups, group_size, n_in):
    group = np.arange(n_groups * group_size) // group_size
    return group[:, None] * n_in + np.arange(n_in)


def rows_shared_case(rng):
    n_groups, group_size, n_in = (int(v) for v in rng.integers(1, 5, size=3))
    w = np.repeat(rng.normal(size=(n_groups, n_in)), group_size, axis=0)
    if rng.random() < 0.5:  # half of the cases: one entry of one row differs
        w[int(rng.integers(0, len(w))), int(rng.integers(0, n_in))] += 1.0
    return {"w": w, "group_size": group_size}


def rows_shared(w, group_size):
    groups = w.reshape(-1, group_size, w.shape[1])
    return bool(np.all(groups == groups[:, :1]))


def budget_case(rng):
    channels, hidden = int(rng.choice([1, 3])), int(rng.integers(1, 2000))
    side = int(rng.integers(1, 400))
    # half the budgets fit some side exactly: a strict "<" instead of "<=" fails there
    budget = side * side * channels * hidden + int(rng.choice([0, int(rng.integers(1, 10**6))]))
    return {"budget": budget, "channels": channels, "hidden": hidden}


def largest_side(budget, channels, hidden):
    return math.isqrt(budget // (channels * hidden))


def local_case(rng):
    H, W = (int(v) for v in rng.integers(2, 8, size=2))
    k = int(rng.integers(1, min(H, W) + 1))
    return {"image": rng.normal(size=(H, W)), "weights": rng.normal(size=(H - k + 1, W - k + 1, k, k))}


def local_forward(image, weights):
    Ho, Wo, k, _ = weights.shape
    out = np.zeros((Ho, Wo))
    for i, j in np.ndindex(Ho, Wo):
        out[i, j] = np.sum(image[i : i + k, j : j + k] * weights[i, j])
    return out


def strided_case(rng):
    H, W = (int(v) for v in rng.integers(2, 10, size=2))
    padding, stride = int(rng.integers(0, 3)), int(rng.integers(1, 4))
    KH = int(rng.integers(1, H + 2 * padding + 1))
    KW = int(rng.integers(1, W + 2 * padding + 1))
    return {"image": rng.normal(size=(H, W)), "kernel": rng.normal(size=(KH, KW)), "stride": stride,
            "padding": padding}


def conv_single(image, kernel, stride, padding):
    x, w = image.reshape((1, 1) + image.shape), kernel.reshape((1, 1) + kernel.shape)
    return conv2d_forward(x, w, stride=stride, padding=padding)[0, 0]


def multichannel_case(rng):
    C, F, K = (int(v) for v in rng.integers(1, 4, size=3))
    H, W = (int(v) for v in rng.integers(K, K + 5, size=2))
    return {"x": rng.normal(size=(C, H, W)), "w": rng.normal(size=(F, C, K, K)), "b": rng.normal(size=F)}


def conv_multichannel(x, w, b):
    return conv2d_forward(x[None], w, b)[0]


def backward_case(rng):
    N, C, F = (int(v) for v in rng.integers(1, 4, size=3))
    K, stride, padding = int(rng.integers(1, 4)), int(rng.integers(1, 3)), int(rng.integers(0, 2))
    H, W = (int(v) for v in rng.integers(max(1, K - 2 * padding), 7, size=2))
    x, w = rng.normal(size=(N, C, H, W)), rng.normal(size=(F, C, K, K))
    out = conv2d_forward(x, w, stride=stride, padding=padding)
    return {"dout": rng.normal(size=out.shape), "x": x, "w": w, "stride": stride, "padding": padding}


def multiply_adds_case(rng):
    kernel, padding = int(rng.integers(1, 6)), int(rng.integers(0, 3))
    return {"in_channels": int(rng.integers(1, 17)), "out_channels": int(rng.integers(1, 33)), "kernel": kernel,
            "side": int(rng.integers(max(1, kernel - 2 * padding), 40)), "padding": padding}

"""cnnlab: the helper package of the cnnlab notebook series.

From a fully connected layer on a 3x3 image to a convolutional network trained in numpy.
Layout everywhere: ``x (N, C, H, W)``, ``w (F, C, KH, KW)``, ``b (F,)``, ``out (N, F, Ho, Wo)``,
``dout`` for an upstream gradient. Importing cnnlab changes no global state (no seeding, no
rcParams).
"""

from .conv import (
    conv2d_as_dense,
    conv2d_backward,
    conv2d_backward_naive,
    conv2d_forward,
    conv2d_forward_naive,
)
from .data import cameraman, tiny_image
from .draw import draw_flatten, draw_image, draw_network, weight_colors
from .exercises import check
from .gradcheck import numerical_gradient, rel_error
from .params import count_conv_params, count_fc_params, count_layer_params
from .pool import (
    avg_pool2d_backward,
    avg_pool2d_backward_naive,
    avg_pool2d_forward,
    avg_pool2d_forward_naive,
    max_pool2d_backward,
    max_pool2d_backward_naive,
    max_pool2d_forward,
    max_pool2d_forward_naive,
)
from .shapes import conv_output_shape, conv_output_size
from .wiring import layer_wiring, wiring_matrix

__version__ = "0.1.0"

__all__ = [
    "conv_output_size",
    "conv_output_shape",
    "conv2d_forward",
    "conv2d_backward",
    "conv2d_forward_naive",
    "conv2d_backward_naive",
    "conv2d_as_dense",
    "max_pool2d_forward",
    "max_pool2d_backward",
    "max_pool2d_forward_naive",
    "max_pool2d_backward_naive",
    "avg_pool2d_forward",
    "avg_pool2d_backward",
    "avg_pool2d_forward_naive",
    "avg_pool2d_backward_naive",
    "count_fc_params",
    "count_conv_params",
    "count_layer_params",
    "numerical_gradient",
    "rel_error",
    "layer_wiring",
    "wiring_matrix",
    "draw_image",
    "draw_flatten",
    "draw_network",
    "weight_colors",
    "check",
    "tiny_image",
    "cameraman",
]

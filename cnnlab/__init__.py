"""cnnlab: the helper package of the cnnlab notebook series.

From a fully connected layer on a 3x3 image to a convolutional network trained in numpy.
Layout everywhere: ``x (N, C, H, W)``, ``w (F, C, KH, KW)``, ``b (F,)``, ``out (N, F, Ho, Wo)``,
``dout`` for an upstream gradient.

Every public name of every module is also a name of the package (``cnnlab.conv2d_forward``,
``cnnlab.draw_image``, ``cnnlab.explore_pooling``); the table below says where each lives.
Names are loaded on first use: ``import cnnlab`` loads the numeric core only (numpy), and
matplotlib or ipywidgets are imported when a drawing or an explorer is first asked for.
Importing cnnlab changes no global state (no seeding, no rcParams).

The layers point one way: numbers (``shapes``, ``conv``, ``pool``, ``params``, ``wiring``,
``receptive``, ``sliding``, ``gradcheck``, ``layers``, ``training``, ``data``, ``exercises``) <- drawings
(``cnnlab.draw``) <- explorers (``cnnlab.widgets``).
"""

from __future__ import annotations

import importlib

__version__ = "0.2.0"

# public name -> the module that defines it
_WHERE = {
    **dict.fromkeys(["conv_output_size", "conv_output_shape", "explain_output_size"], "shapes"),
    **dict.fromkeys(["conv2d_forward", "conv2d_backward", "conv2d_forward_naive", "conv2d_backward_naive",
                     "conv2d_as_dense"], "conv"),
    **dict.fromkeys(["max_pool2d_forward", "max_pool2d_backward", "max_pool2d_forward_naive",
                     "max_pool2d_backward_naive"], "pool"),
    **dict.fromkeys(["avg_pool2d_forward", "avg_pool2d_backward", "avg_pool2d_forward_naive",
                     "avg_pool2d_backward_naive"], "avgpool"),
    **dict.fromkeys(["count_fc_params", "count_conv_params", "count_layer_params", "count_multiply_adds",
                     "fc_param_state", "sharing_locality_state"], "params"),
    **dict.fromkeys(["layer_wiring", "wiring_matrix"], "wiring"),
    **dict.fromkeys(["receptive_fields", "parse_layer_stack", "receptive_field_state"], "receptive"),
    **dict.fromkeys(["window_state", "pooling_state", "influence", "influence_state"], "sliding"),
    **dict.fromkeys(["numerical_gradient", "rel_error"], "gradcheck"),
    **dict.fromkeys(["Param", "Conv2D", "ReLU", "MaxPool2D", "AvgPool2D", "Flatten", "Dense", "Sequential"],
                    "layers"),
    **dict.fromkeys(["SoftmaxCrossEntropy", "SGD", "Adam", "fit", "accuracy"], "training"),
    **dict.fromkeys(["tiny_image", "cameraman", "faces", "digits", "digits_on_canvas", "shape_images",
                     "SHAPE_NAMES"], "data"),
    **dict.fromkeys(["check", "Exercise", "Report", "EXERCISES"], "exercises"),
    **dict.fromkeys(["check_prediction", "Prediction", "PREDICTIONS"], "predictions"),
    **dict.fromkeys(["draw_image", "draw_flatten", "draw_network", "weight_colors",
                     "draw_sharing_locality_state", "draw_fc_param_state", "draw_window_state",
                     "draw_pooling_state", "draw_influence_state", "draw_receptive_field_state",
                     "draw_training_curves", "draw_accuracy_by_position", "draw_maps", "draw_matrix",
                     "draw_matrix_product", "figure_png",
                     "draw_neuron_inputs", "draw_group_outputs", "draw_zoom", "draw_correlation_curves",
                     "draw_offset_map", "draw_shifted_maps", "draw_boxes", "draw_dense_conv", "draw_im2col",
                     "draw_value_maps", "draw_loss_curves"], "draw"),
    **dict.fromkeys(["Explorer", "explore_fc_params", "explore_sharing_locality", "explore_convolution",
                     "explore_pooling", "explore_influence", "explore_receptive_field", "TrainingBoard",
                     "show"],
                    "widgets"),
}

__all__ = list(_WHERE)


def __getattr__(name):
    """Load ``name`` from its module on first use (PEP 562), and keep it."""
    if name not in _WHERE:
        raise AttributeError(f"module 'cnnlab' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))

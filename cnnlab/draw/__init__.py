"""cnnlab's drawings: pure functions that draw numbers (and explorer states) with matplotlib.

Every drawing takes ``ax=None`` (``axes=None`` when it fills a fixed pair of panels) and returns
the Axes it drew on. ``None`` means a new pyplot figure, sized for the notebook column, which
Jupyter shows inline; pass Axes to draw anywhere else (the explorers pass the Axes of a bare
``matplotlib.figure.Figure`` and never touch pyplot). No drawing calls ``plt.show()`` or
changes global state (no rcParams, no seeding).

- :mod:`~cnnlab.draw.images`: ``draw_image``, ``draw_flatten``
- :mod:`~cnnlab.draw.networks`: ``draw_network``, ``weight_colors``, ``draw_sharing_locality_state``
- :mod:`~cnnlab.draw.counts`: ``draw_fc_param_state``
- :mod:`~cnnlab.draw.windows`: ``draw_window_state``, ``draw_pooling_state``, ``draw_influence_state``
- :mod:`~cnnlab.draw.fields`: ``draw_receptive_field_state``
- :mod:`~cnnlab.draw.training`: ``draw_training_curves``, ``draw_accuracy_by_position``
- :mod:`~cnnlab.draw.arrays`: ``draw_maps`` (maps on one colour scale), ``draw_matrix``, ``draw_matrix_product``
- :mod:`~cnnlab.draw.locality`: ``draw_neuron_inputs``, ``draw_group_outputs``, ``draw_shifted_maps`` (03-04)
- :mod:`~cnnlab.draw.correlation`: ``draw_zoom``, ``draw_correlation_curves``, ``draw_offset_map`` (04)
- :mod:`~cnnlab.draw.convolution`: ``draw_boxes``, ``draw_dense_conv``, ``draw_im2col`` (notebook 05)
- :mod:`~cnnlab.draw.gradients`: ``draw_value_maps``, ``draw_loss_curves`` (notebook 07)
"""

from ._style import figure_png
from .arrays import draw_maps, draw_matrix, draw_matrix_product
from .convolution import draw_boxes, draw_dense_conv, draw_im2col
from .correlation import draw_correlation_curves, draw_offset_map, draw_zoom
from .counts import draw_fc_param_state
from .fields import draw_receptive_field_state
from .gradients import draw_loss_curves, draw_value_maps
from .images import draw_flatten, draw_image
from .locality import draw_group_outputs, draw_neuron_inputs, draw_shifted_maps
from .networks import draw_network, draw_sharing_locality_state, weight_colors
from .training import draw_accuracy_by_position, draw_training_curves
from .windows import draw_influence_state, draw_pooling_state, draw_window_state

__all__ = [
    "draw_image",
    "draw_flatten",
    "draw_network",
    "weight_colors",
    "draw_sharing_locality_state",
    "draw_fc_param_state",
    "draw_window_state",
    "draw_pooling_state",
    "draw_influence_state",
    "draw_receptive_field_state",
    "draw_training_curves",
    "draw_accuracy_by_position",
    "draw_maps",
    "draw_matrix",
    "draw_matrix_product",
    "draw_neuron_inputs",
    "draw_group_outputs",
    "draw_zoom",
    "draw_correlation_curves",
    "draw_offset_map",
    "draw_shifted_maps",
    "draw_boxes",
    "draw_dense_conv",
    "draw_im2col",
    "draw_value_maps",
    "draw_loss_curves",
    "figure_png",
]

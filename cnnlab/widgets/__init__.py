"""cnnlab's explorers: thin ipywidgets wrappers that map controls to pure states and drawings.

Each explorer computes its state with a pure function of the numeric core, draws it with
:mod:`cnnlab.draw` on a bare figure (no pyplot), and writes both into its views in place. When
displayed, it also carries a static picture of its state, so the saved notebook shows it
without a kernel.

- :mod:`~cnnlab.widgets.counts`: ``explore_fc_params`` (02), ``explore_sharing_locality`` (04)
- :mod:`~cnnlab.widgets.windows`: ``explore_convolution`` (05), ``explore_pooling`` (06),
  ``explore_influence`` (07)
- :mod:`~cnnlab.widgets.fields`: ``explore_receptive_field`` (08)
- :mod:`~cnnlab.widgets.training`: ``TrainingBoard`` (08)
- :mod:`~cnnlab.widgets.show`: ``show``, a pyplot figure shown with its alt text (every notebook)
- :mod:`~cnnlab.widgets.static`: ``static_explorer``, an explorer's frames drawn in advance, for the
  static site and the slides (``scripts/build_site.py``)
"""

from ._explorer import Explorer
from .counts import explore_fc_params, explore_sharing_locality
from .fields import explore_receptive_field
from .show import show
from .training import TrainingBoard
from .windows import explore_convolution, explore_influence, explore_pooling

__all__ = [
    "Explorer",
    "explore_fc_params",
    "explore_sharing_locality",
    "explore_convolution",
    "explore_pooling",
    "explore_influence",
    "explore_receptive_field",
    "TrainingBoard",
    "show",
]

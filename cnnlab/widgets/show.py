"""Showing a figure in a notebook with an alt text: what a reader who cannot see it is told.

``plt.show()`` in a notebook stores a PNG and ``<Figure size 900x520 with 2 Axes>``. :func:`show`
stores the PNG (at 100 dpi) with an alt text in the output's metadata, as the explorers do, and
the same text as the output's ``text/plain``: what a screen reader, a page built from the
notebook and a reader without the picture get.
"""

from __future__ import annotations

import base64
import io

from ..draw._style import DPI

__all__ = ["show"]


def show(alt, *, fig=None):
    """Show ``fig`` (default: pyplot's current figure) as a PNG with an alt text, then close it.

    Parameters
    ----------
    alt : str
        What the figure shows, in a sentence or two: the alt text of the picture.
    fig : matplotlib Figure, optional

    Returns
    -------
    None
        The picture is displayed (``IPython.display``), not returned, so the cell shows it once.
    """
    if not isinstance(alt, str):
        raise TypeError(f"alt must be a str describing the figure, got {type(alt).__name__}")
    if not alt.strip():
        raise ValueError("alt must describe the figure, got an empty text")
    import matplotlib.pyplot as plt
    from IPython.display import display

    fig = plt.gcf() if fig is None else fig
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    display({"image/png": png, "text/plain": alt}, raw=True, metadata={"image/png": {"alt": alt}})

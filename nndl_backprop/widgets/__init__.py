"""Interactive demos for the notebooks, one module per notebook.

Each builder returns a :class:`~nndl_backprop.widgets.base.Demo`: display it in a notebook,
or drive it from a test with ``demo.set(name=value)`` and read ``demo.state``. This package
imports ipywidgets and matplotlib; the core ``nndl_backprop`` never imports it.
"""

from .render import use_rendering

__all__ = ["use_rendering"]

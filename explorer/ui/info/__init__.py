"""The info panel: rate, length, format, levels and the array as numpy prints it."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {"InfoPanel": "panel"})

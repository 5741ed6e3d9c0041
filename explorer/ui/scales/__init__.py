"""The scales panel: Hz to mel (HTK and Slaney) and decibel calculators."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {"ScalesPanel": "panel"})

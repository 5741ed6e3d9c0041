"""The tone generator: tones mixed or chained, previewed, played at chosen rates, saved."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {"ToneGeneratorPanel": "panel"})

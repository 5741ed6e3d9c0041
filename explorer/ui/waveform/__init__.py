"""The waveform: min/max summaries to single samples, selection, playhead."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {"WaveformView": "view", "TimeViewBox": "view"})

"""What is open in a window: the shared session, load results and the long-file path."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "Session": "session",
    "Loaded": "loaded",
    "LongClip": "long_file",
    "LongSpectrogram": "long_file",
})

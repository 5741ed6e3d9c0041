"""The live spectrogram of what plays or what an input hears: level meter, spectrum, record."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "LiveView": "view",
    "LevelMeter": "level_meter",
    "ScrollingImage": "scrolling_image",
})

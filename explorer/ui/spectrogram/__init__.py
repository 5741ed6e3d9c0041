"""The spectrogram: its view, axes and colour bar, its parameter controls and long-file tiles."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "SpectrogramView": "view",
    "SpectrogramControls": "controls",
    "ColourBar": "colour_bar",
    "FrequencyAxis": "axes",
    "TileLoader": "tile_loader",
})

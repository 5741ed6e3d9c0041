"""Play, pause, seek, loop, rate and resample: the transport bar and what drives the player."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "Playback": "transport",
    "TransportBar": "transport",
})

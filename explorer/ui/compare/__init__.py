"""Compare: 2 to 4 clips stacked on one time axis, A/B playback, difference and alignment, stats."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "CompareWindow": "window", "CompareLink": "link", "ABPlayback": "ab",
    "DifferenceView": "difference", "StatsTable": "stats", "TrackView": "track"})

"""The Dataset view: every file of the browsed folder measured, filtered, histogrammed, exported."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "DatasetView": "view", "DatasetLink": "link", "DatasetTableModel": "table",
    "Histograms": "histograms", "TranscriptLabel": "transcript"})

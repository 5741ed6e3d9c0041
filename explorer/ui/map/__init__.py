"""The dataset map: every clip a point (its feature vector projected to 2-D), similar clips
together; colour by a column, hover, click to open, lasso to filter the table, neighbours."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "MapView": "view", "MapLink": "link", "MapPlot": "plot"})

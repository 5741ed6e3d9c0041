"""Analysis layers from librosa over the views (pitch, onsets, beats, frame features, MFCC,
chroma, CQT), their parameters, a time-frequency box and the Measurements table."""

from explorer.ui.common.exports import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "AnalysisLink": "link", "LayersPanel": "panel", "MeasurementsTable": "measurements",
    "AnalysisLayers": "controller"})

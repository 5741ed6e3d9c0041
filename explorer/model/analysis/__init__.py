"""librosa's analyses as layers (pitch, onsets, beats, spectral features, MFCC, chroma, CQT) and
Raven's measurements of a selection; no Qt, no second implementation of an analysis."""

from explorer.model.analysis.features import (
    FEATURES,
    FeatureParam,
    FeatureResult,
    compute_feature,
    feature_params,
)
from explorer.model.analysis.selection import (
    Selection,
    SelectionMeasurement,
    measure_selection,
)

__all__ = [
    "FEATURES",
    "FeatureParam",
    "FeatureResult",
    "Selection",
    "SelectionMeasurement",
    "compute_feature",
    "feature_params",
    "measure_selection",
]

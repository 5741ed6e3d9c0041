"""The layers the window offers: the librosa feature each one draws and where it is drawn."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LayerSpec:
    """One layer: `feature` is the model's name (explorer.model.analysis.features.FEATURES)."""

    key: str
    feature: str
    title: str
    #: "over": a curve in Hz over the spectrogram; "markers": event times as lines over it;
    #: "strip": a curve in the feature strip under it; "image": an image view of its own
    place: str
    unit: str = ""
    colour: str = "#ffffff"


LAYERS: tuple[LayerSpec, ...] = (
    LayerSpec("pyin", "pyin", "Pitch (pyin)", "over", "Hz", "#00e5ff"),
    LayerSpec("yin", "yin", "Pitch (yin)", "over", "Hz", "#b2ff59"),
    LayerSpec("centroid_over", "centroid", "Spectral centroid", "over", "Hz", "#ff4081"),
    LayerSpec("onsets", "onsets", "Onsets (onset_detect)", "markers", "s", "#ffd740"),
    LayerSpec("beats", "beats", "Beats (beat_track)", "markers", "s", "#ff6e40"),
    LayerSpec("onset_strength", "onset_strength", "Onset strength", "strip", "", "#ffd740"),
    LayerSpec("centroid", "centroid", "Centroid", "strip", "Hz", "#ff4081"),
    LayerSpec("bandwidth", "bandwidth", "Bandwidth", "strip", "Hz", "#ea80fc"),
    LayerSpec("rolloff", "rolloff", "Roll-off", "strip", "Hz", "#80d8ff"),
    LayerSpec("flatness", "flatness", "Flatness", "strip", "", "#ccff90"),
    LayerSpec("zcr", "zcr", "Zero-crossing rate", "strip", "", "#ffab40"),
    LayerSpec("rms", "rms", "RMS", "strip", "", "#e0e0e0"),
    LayerSpec("mfcc", "mfcc", "MFCC", "image"),
    LayerSpec("chroma", "chroma", "Chroma (chroma_stft)", "image"),
    LayerSpec("cqt", "cqt", "CQT", "image", "dB"),
)
BY_KEY = {spec.key: spec for spec in LAYERS}
PLACES = {"over": "Over the spectrogram", "markers": "Markers over the spectrogram",
          "strip": "Feature strip (under the spectrogram)", "image": "Image views"}
#: Parameters the panel does not offer: the signal and its rate are the clip's.
HIDDEN_PARAMS = frozenset({"y", "sr", "S"})

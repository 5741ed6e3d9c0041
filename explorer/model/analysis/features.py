"""The analysis layers: each one is a librosa call with librosa's own parameter names and defaults.

The app adds no second implementation of an analysis: `compute_feature` calls the librosa
function, keeps exactly the array it returns (`FeatureResult.values`) and adds what a view or a
CSV needs (frame times from `librosa.times_like`, named rows, note names for CQT rows).
The one default that is not librosa's: `pyin`/`yin` require `fmin`/`fmax` and have none, so the
app offers C2 (65.4 Hz) and C7 (2093 Hz), the range librosa's own documentation examples use.
"""

from __future__ import annotations

import inspect
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import librosa
import numpy as np

FEATURES: tuple[str, ...] = (
    "pyin",
    "yin",
    "onset_strength",
    "onsets",
    "beats",
    "centroid",
    "bandwidth",
    "rolloff",
    "flatness",
    "zcr",
    "rms",
    "mfcc",
    "chroma",
    "cqt",
)

#: pyin and yin have no default range; librosa's documentation examples use C2..C7
#: (`librosa.note_to_hz`: MIDI 36 and 96, A4 = 440 Hz; written out so that importing this module
#: loads no librosa submodule: librosa.onset and librosa.beat alone take seconds to import).
PITCH_FMIN = 440.0 * 2.0 ** ((36 - 69.0) / 12.0)
PITCH_FMAX = 440.0 * 2.0 ** ((96 - 69.0) / 12.0)


@dataclass(frozen=True)
class FeatureParam:
    """One librosa parameter as the panel and the CLI offer it (None: librosa's computed default)."""

    name: str
    default: object
    kind: type


@dataclass(frozen=True)
class FeatureResult:
    """What librosa returned (`values`, untouched) and what a view or a CSV needs around it."""

    name: str
    values: np.ndarray
    times: np.ndarray
    rows: dict[str, np.ndarray]
    row_labels: tuple[str, ...]
    sr: int
    hop_length: int
    tempo: float | None = None
    extras: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def is_events(self) -> bool:
        """Onsets and beats are event times, not one value per frame."""
        return self.name in EVENT_FEATURES

    @property
    def is_image(self) -> bool:
        """MFCC, chroma and CQT are drawn as images with labelled rows."""
        return self.name in IMAGE_FEATURES


EVENT_FEATURES = frozenset({"onsets", "beats"})
IMAGE_FEATURES = frozenset({"mfcc", "chroma", "cqt"})

#: The kind of every parameter offered (librosa's annotations are unions too wide for a form).
KINDS: dict[str, type] = {
    "fmin": float,
    "fmax": float,
    "frame_length": int,
    "hop_length": int,
    "n_fft": int,
    "win_length": int,
    "window": str,
    "center": bool,
    "pad_mode": str,
    "n_thresholds": int,
    "boltzmann_parameter": float,
    "resolution": float,
    "max_transition_rate": float,
    "switch_prob": float,
    "no_trough_prob": float,
    "trough_threshold": float,
    "lag": int,
    "max_size": int,
    "detrend": bool,
    "n_mels": int,
    "backtrack": bool,
    "normalize": bool,
    "start_bpm": float,
    "tightness": float,
    "trim": bool,
    "roll_percent": float,
    "p": float,
    "amin": float,
    "power": float,
    "n_mfcc": int,
    "dct_type": int,
    "lifter": float,
    "n_chroma": int,
    "tuning": float,
    "n_bins": int,
    "bins_per_octave": int,
    "filter_scale": float,
    "sparsity": float,
    "scale": bool,
    "res_type": str,
    "norm": bool,  # spectral_bandwidth's (chroma's norm is not offered)
}

_STFT = {
    "n_fft": 2048,
    "hop_length": 512,
    "win_length": None,
    "window": "hann",
    "center": True,
    "pad_mode": "constant",
}
_PITCH = {
    "fmin": PITCH_FMIN,
    "fmax": PITCH_FMAX,
    "frame_length": 2048,
    "hop_length": None,
    "center": True,
    "pad_mode": "constant",
}
_MEL = {**_STFT, "n_mels": 128, "fmin": 0.0, "fmax": None}


@dataclass(frozen=True)
class _Spec:
    """Which librosa function a feature calls and the parameters offered, with librosa's defaults
    (written here so that the panel needs no librosa import; `signature_defaults` and a test
    check them against librosa's signatures). `forwarded_to`: where **kwargs go (melspectrogram)."""

    path: str  # the function's dotted name under librosa (resolved on first use)
    defaults: dict[str, object]
    forwarded_to: str | None = None
    positional_y: bool = False
    takes_sr: bool = True

    @property
    def func(self) -> Callable[..., Any]:
        return _librosa_function(self.path)

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(self.defaults)


def _librosa_function(path: str) -> Callable[..., Any]:
    return operator.attrgetter(path)(librosa)


SPECS: dict[str, _Spec] = {
    "pyin": _Spec(
        "pyin",
        {
            **_PITCH,
            "n_thresholds": 100,
            "boltzmann_parameter": 2,
            "resolution": 0.1,
            "max_transition_rate": 35.92,
            "switch_prob": 0.01,
            "no_trough_prob": 0.01,
        },
        positional_y=True,
    ),
    "yin": _Spec("yin", {**_PITCH, "trough_threshold": 0.1}, positional_y=True),
    "onset_strength": _Spec(
        "onset.onset_strength",
        {
            "lag": 1,
            "max_size": 1,
            "detrend": False,
            "center": True,
            "n_fft": 2048,
            "hop_length": 512,
            "n_mels": 128,
            "fmin": 0.0,
            "fmax": None,
        },
        forwarded_to="feature.melspectrogram",
    ),
    "onsets": _Spec("onset.onset_detect", {"hop_length": 512, "backtrack": False, "normalize": True}),
    "beats": _Spec(
        "beat.beat_track", {"hop_length": 512, "start_bpm": 120.0, "tightness": 100, "trim": True}
    ),
    "centroid": _Spec("feature.spectral_centroid", _STFT),
    "bandwidth": _Spec("feature.spectral_bandwidth", {**_STFT, "norm": True, "p": 2}),
    "rolloff": _Spec("feature.spectral_rolloff", {**_STFT, "roll_percent": 0.85}),
    "flatness": _Spec("feature.spectral_flatness", {**_STFT, "amin": 1e-10, "power": 2.0}, takes_sr=False),
    "zcr": _Spec(
        "feature.zero_crossing_rate",
        {"frame_length": 2048, "hop_length": 512, "center": True},
        positional_y=True,
        takes_sr=False,
    ),
    "rms": _Spec(
        "feature.rms",
        {"frame_length": 2048, "hop_length": 512, "center": True, "pad_mode": "constant"},
        takes_sr=False,
    ),
    "mfcc": _Spec(
        "feature.mfcc",
        {"n_mfcc": 20, "dct_type": 2, "lifter": 0, **_MEL},
        forwarded_to="feature.melspectrogram",
    ),
    "chroma": _Spec("feature.chroma_stft", {**_STFT, "tuning": None, "n_chroma": 12}),
    "cqt": _Spec(
        "cqt",
        {
            "hop_length": 512,
            "fmin": None,
            "n_bins": 84,
            "bins_per_octave": 12,
            "tuning": 0.0,
            "filter_scale": 1,
            "sparsity": 0.01,
            "window": "hann",
            "scale": True,
            "pad_mode": "constant",
            "res_type": "soxr_hq",
        },
        positional_y=True,
    ),
}

#: Defaults that are librosa's but live inside melspectrogram's filter bank, not in a signature.
_MEL_DEFAULTS = {"n_mels": 128, "fmin": 0.0, "fmax": None}


def _signature_default(func: Callable[..., Any], name: str) -> object:
    param = inspect.signature(func).parameters.get(name)
    if param is None or param.default is inspect.Parameter.empty:
        return inspect.Parameter.empty
    default = param.default
    return None if type(default).__name__ == "Deprecated" else default


def signature_defaults(name: str) -> dict[str, object]:
    """The offered parameters' defaults as librosa's signatures say (imports librosa's module:
    seconds for onset and beat); pyin/yin's required fmin/fmax are C2/C7."""
    spec = _spec(name)
    out: dict[str, object] = {}
    for pname in spec.params:
        default = _signature_default(spec.func, pname)
        if name in ("pyin", "yin") and pname in ("fmin", "fmax"):
            default = PITCH_FMIN if pname == "fmin" else PITCH_FMAX
        if default is inspect.Parameter.empty and spec.forwarded_to is not None:
            default = _signature_default(_librosa_function(spec.forwarded_to), pname)
        if default is inspect.Parameter.empty:
            default = _MEL_DEFAULTS.get(pname, inspect.Parameter.empty)
        out[pname] = default
    return out


def feature_params(name: str) -> tuple[FeatureParam, ...]:
    """The parameters the panel and the CLI offer for a feature, with librosa's defaults."""
    return tuple(FeatureParam(p, d, KINDS[p]) for p, d in _spec(name).defaults.items())


def _spec(name: str) -> _Spec:
    try:
        return SPECS[name]
    except KeyError:
        raise ValueError(f"unknown feature {name!r}: choose one of {', '.join(FEATURES)}") from None


def hop_of(name: str, params: dict[str, Any]) -> int:
    """The hop librosa uses for these parameters (pyin/yin: frame_length // 4 when not given)."""
    hop = params.get("hop_length")
    if hop is not None:
        return int(hop)
    if name in ("pyin", "yin"):
        return int(params.get("frame_length", 2048)) // 4
    return 512


def call_kwargs(name: str, sr: int, params: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of the librosa call: what was given, plus the pitch range."""
    spec = _spec(name)
    unknown = sorted(set(params) - set(spec.params))
    if unknown:
        raise ValueError(
            f"{name} takes no parameter {', '.join(unknown)} (it takes {', '.join(spec.params)})"
        )
    kwargs = dict(params)
    if name in ("pyin", "yin"):
        kwargs.setdefault("fmin", PITCH_FMIN)
        kwargs.setdefault("fmax", PITCH_FMAX)
    if spec.takes_sr:
        kwargs["sr"] = sr
    if name in ("onsets", "beats"):
        kwargs["units"] = "time"
    return kwargs


def run_librosa(name: str, y: np.ndarray, sr: int, params: dict[str, Any]) -> Any:
    """The bare librosa call for a feature: what it returns, untouched."""
    spec = _spec(name)
    kwargs = call_kwargs(name, sr, params)
    if spec.positional_y:
        out = spec.func(y, **kwargs)
    else:
        out = spec.func(y=y, **kwargs)
    return np.abs(out) if name == "cqt" else out


def compute_feature(name: str, y: np.ndarray, sr: int, **params: Any) -> FeatureResult:
    """Call the librosa function for `name` with librosa's parameter names; no second implementation."""
    out = run_librosa(name, y, sr, params)
    return wrap_result(name, out, sr, params)


def wrap_result(name: str, out: Any, sr: int, params: dict[str, Any]) -> FeatureResult:
    """Name the rows and time the frames of what librosa returned for `name`."""
    hop = hop_of(name, params)
    sr = int(sr)
    if name == "pyin":
        f0, flag, prob = out
        times = librosa.times_like(f0, sr=sr, hop_length=hop)
        rows = {"f0": f0, "voiced_flag": flag, "voiced_prob": prob}
        return FeatureResult(
            name, f0, times, rows, (), sr, hop, extras={"voiced_flag": flag, "voiced_prob": prob}
        )
    if name == "beats":
        tempo, beats = out
        return FeatureResult(name, beats, beats, {}, (), sr, hop, tempo=float(np.atleast_1d(tempo)[0]))
    if name == "onsets":
        return FeatureResult(name, out, out, {}, (), sr, hop)
    times = librosa.times_like(out, sr=sr, hop_length=hop)
    if out.ndim == 1:
        return FeatureResult(name, out, times, {"f0" if name == "yin" else name: out}, (), sr, hop)
    labels = row_labels(name, out.shape[0], sr, params)
    prefix = "" if name in ("centroid", "bandwidth", "rolloff", "flatness", "zcr", "rms") else f"{name}_"
    if out.shape[0] == 1 and not prefix:
        return FeatureResult(name, out, times, {name: out[0]}, (), sr, hop)
    rows = {f"{prefix}{label}": out[i] for i, label in enumerate(labels)}
    return FeatureResult(name, out, times, rows, labels, sr, hop)


def row_labels(name: str, n_rows: int, sr: int, params: dict[str, Any]) -> tuple[str, ...]:
    """Labels of an image's rows: MFCC numbers, chroma pitch classes, CQT note names."""
    if name == "chroma" and n_rows == 12:
        return ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
    if name == "cqt":
        bpo = int(params.get("bins_per_octave", 12))
        fmin = params.get("fmin")
        freqs = librosa.cqt_frequencies(
            n_rows,
            fmin=librosa.note_to_hz("C1") if fmin is None else fmin,
            bins_per_octave=bpo,
            tuning=params.get("tuning", 0.0) or 0.0,
        )
        notes = librosa.hz_to_note(freqs, cents=bpo != 12, unicode=False)
        return tuple(str(n) for n in notes)
    return tuple(str(i) for i in range(n_rows))


def summary(result: FeatureResult) -> dict[str, Any]:
    """What `--json` prints: tempo and times for beats, shape and a summary for the rest."""
    values = np.asarray(result.values, dtype=np.float64)
    out: dict[str, Any] = {
        "feature": result.name,
        "sr": result.sr,
        "hop_length": result.hop_length,
        "shape": list(result.values.shape),
        "dtype": str(result.values.dtype),
    }
    if result.name == "beats":
        out["tempo"] = result.tempo
        out["times"] = [round(float(t), 6) for t in result.values]
        return out
    if result.name == "onsets":
        out["count"] = int(values.size)
        out["times"] = [round(float(t), 6) for t in result.values]
        return out
    finite = values[np.isfinite(values)]
    out["count"] = int(values.size)
    out["finite"] = int(finite.size)
    for key, fn in (("min", np.min), ("max", np.max), ("mean", np.mean), ("median", np.median)):
        out[key] = float(fn(finite)) if finite.size else math.nan
    if result.name == "pyin":
        out["voiced_frames"] = int(np.count_nonzero(result.rows["voiced_flag"]))
    return out

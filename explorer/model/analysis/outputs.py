"""A feature of a file, written as .npy (librosa's array) or .csv (time, then one column per row),
and the folder job: the export's plan, resume and atomic writes with another work function.

The signal is `librosa.load(path, sr=None, mono=True)` (sr, offset and duration as librosa's);
a long file (over `long_seconds()`, the app's long-file limit) is read block by block
(`blocks.py`), with the same values, unless a parameter needs the whole signal (a padding
such as pad_mode='wrap' that reads the other end of the signal).
"""

from __future__ import annotations

import io
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from explorer.model import atomic
from explorer.model import export as ex
from explorer.model.analysis.blocks import (
    FileSignal,
    blockwise_problem,
    compute_feature_blockwise,
)
from explorer.model.analysis.features import FeatureResult, compute_feature, summary

FORMATS = ("npy", "csv")
#: The app's long-file limit (ui/state/long_file.py reads the same variable).
LONG_SECONDS_ENV = "AUDIO_EXPLORER_LONG_SECONDS"
LONG_SECONDS = 600.0

Progress = Callable[[int, int], Any]


def long_seconds() -> float:
    try:
        return float(os.environ.get(LONG_SECONDS_ENV, LONG_SECONDS))
    except ValueError:
        return LONG_SECONDS


def _duration(path: Path) -> float | None:
    """The file's length by its header (None when soundfile cannot read it: librosa decides)."""
    import soundfile as sf

    try:
        info = sf.info(str(path))
    except Exception:  # noqa: BLE001 - not soundfile's: librosa.load tries its other decoders
        return None
    return info.frames / info.samplerate if info.samplerate else None


def feature_of_file(
    path: str | Path,
    name: str,
    params: dict[str, Any],
    *,
    sr: int | None = None,
    offset: float | None = None,
    duration: float | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> FeatureResult:
    """The feature of the file's signal: whole when short, block by block when long."""
    path = Path(path)
    length = _duration(path)
    whole_signal = sr is not None or offset is not None or duration is not None
    long = length is not None and length > long_seconds() and not whole_signal
    if long and blockwise_problem(name, params) is None:
        signal = FileSignal(path)
        try:
            return compute_feature_blockwise(name, signal, progress=progress, cancelled=cancelled, **params)
        finally:
            signal.close()
    import librosa

    y, rate = librosa.load(path, sr=sr, mono=True, offset=offset or 0.0, duration=duration)
    if progress is not None:
        progress(0, 1)
    result = compute_feature(name, y, int(rate), **params)
    if progress is not None:
        progress(1, 1)
    return result


def csv_table(result: FeatureResult) -> tuple[list[str], list[np.ndarray]]:
    """The CSV's columns: `time`, then one per row of the array (events: their times only)."""
    return ["time", *result.rows], [result.times, *result.rows.values()]


def write_csv(file, result: FeatureResult) -> None:
    """`time` then the rows, every value written back exactly (float32: 9 digits, float64: 17)."""
    names, columns = csv_table(result)
    formats = []
    for col in columns:
        if col.dtype == np.bool_:
            formats.append("%d")
        elif col.dtype == np.float32:
            formats.append("%.9g")
        else:
            formats.append("%.17g")
    table = np.column_stack([c.astype(np.float64) for c in columns]) if columns[0].size else None
    text = io.TextIOWrapper(file, encoding="utf-8", newline="\n")
    text.write(",".join(names) + "\n")
    if table is not None:
        np.savetxt(text, table, fmt=formats, delimiter=",")
    text.flush()
    text.detach()


def writer(result: FeatureResult, fmt: str) -> Callable[[Any], Any]:
    """The bytes of the output file, for the atomic writer."""
    if fmt == "npy":
        return lambda f: np.save(f, result.values, allow_pickle=False)
    if fmt == "csv":
        return lambda f: write_csv(f, result)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def write_result(result: FeatureResult, dst: str | Path, fmt: str | None = None) -> Path:
    """Write the result through the atomic writer (format from the suffix when not given)."""
    dst = Path(dst)
    fmt = fmt or dst.suffix.lstrip(".").lower()
    atomic.atomic_write(dst, writer(result, fmt))
    return dst


def json_summary(result: FeatureResult) -> str:
    """`--json`: tempo and times for beats, shape and summary for the rest (NaN as null)."""
    data = {
        k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in summary(result).items()
    }
    return json.dumps(data, allow_nan=False)


# ---------------------------------------------------------------------------------------------
# A folder: export's machinery with the feature as the work


@dataclass(frozen=True)
class FeatureSettings:
    """What decides a folder's outputs: the feature, the parameters given, the rate, the format."""

    feature: str
    params: dict[str, Any] = field(default_factory=dict)
    format: str = "npy"
    sr: int | None = None

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {self.format!r}")

    @property
    def suffix(self) -> str:
        return "." + self.format

    @property
    def layout(self) -> str:
        return (
            "one file per source, named after it, in the same sub-folder; .npy: the array librosa "
            "returns (its shape and dtype; onsets and beats: times in seconds); .csv: a time column, "
            "then one column per row of the array"
        )

    def to_dict(self) -> dict:
        return {"feature": self.feature, "params": dict(self.params), "sr": self.sr, "format": self.format}


def features_file(
    pair: tuple[str, str],
    settings: FeatureSettings,
    cancelled: Callable[[], bool] | None,
    threads: int | None,
) -> ex.ExportResult:
    """The runner's work function: one (source, output) pair."""

    def make():
        result = feature_of_file(
            pair[0], settings.feature, settings.params, sr=settings.sr, cancelled=cancelled
        )
        return writer(result, settings.format), tuple(int(n) for n in result.values.shape), None

    return ex.produce(pair[0], pair[1], make)


def run_features(tasks, settings: FeatureSettings, **options) -> ex.ExportSummary:
    """`export.run_export` with the feature as the work (options: run_export's)."""
    return ex.run_export(tasks, settings, work=features_file, name="audio-explorer-features", **options)

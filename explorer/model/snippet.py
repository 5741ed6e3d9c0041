"""'Copy as Python': the few lines of librosa that reproduce a spectrogram array exactly."""

from __future__ import annotations

from pathlib import Path

from explorer.model.spectrogram import SpectrogramParams


def _ref(params: SpectrogramParams) -> str:
    if params.db_ref == "max":
        return "np.max"
    if params.db_ref == "min":
        return "np.min"
    return repr(float(params.db_ref))


def python_snippet(path: str | Path, params: SpectrogramParams, sample_rate: int,
                   resampled: bool = False, channel: int | None = None) -> str:
    """librosa code for the array `compute` gives for this file (its rate; `resampled`: librosa
    resamples to `sample_rate` on load); the result is named `S_db` (or `S` without dB)."""
    p = params
    sr_arg = str(sample_rate) if resampled else "None"
    lines = ["import numpy as np", "import librosa", ""]
    if channel is None:
        lines.append(f"y, sr = librosa.load({str(path)!r}, sr={sr_arg})  # mono mix, float32")
    else:
        lines.append(f"y, sr = librosa.load({str(path)!r}, sr={sr_arg}, mono=False)")
        lines.append(f"y = y[{channel}]  # channel {channel}")
    stft_args = f"n_fft={p.n_fft}, hop_length={p.hop_length}"
    if p.win_length is not None:
        stft_args += f", win_length={p.win_length}"
    if p.window != "hann":
        stft_args += f", window={p.window!r}"
    if not p.center:
        stft_args += ", center=False"
    power = "" if p.power == 1.0 else f" ** {p.power:g}"
    kind = "magnitude" if p.power == 1.0 else "power"
    lines.append(f"S = np.abs(librosa.stft(y, {stft_args})){power}  # {kind} spectrogram")
    if p.kind == "mel":
        fmax = f"{p.fmax!r}" if p.fmax is not None else "sr / 2"
        lines.append(f"S = librosa.feature.melspectrogram(S=S, sr=sr, n_fft={p.n_fft}, "
                     f"n_mels={p.n_mels}, fmin={p.fmin!r}, fmax={fmax})")
    if p.db:
        func = "amplitude_to_db" if p.power == 1.0 else "power_to_db"
        top = "None" if p.top_db is None else repr(float(p.top_db))
        lines.append(f"S_db = librosa.{func}(S, ref={_ref(p)}, top_db={top})")
        lines.append("print(S_db.shape, S_db.min(), S_db.max(), S_db.mean())")
    else:
        lines.append("print(S.shape, S.min(), S.max(), S.mean())")
    return "\n".join(lines) + "\n"

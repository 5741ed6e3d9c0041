"""Features of a long file, block by block, equal to librosa's on the whole signal.

A centred frame t covers the padded signal's samples [t*hop, t*hop + n): a block of frames
[f0, f1) reads the samples those frames cover (overlapping its neighbours by n - hop), pads them
at the file's edges the way librosa does (constant, edge, reflect or symmetric padding depends
only on the edge samples) and calls the same librosa function with center=False.
What is global in a feature stays global, computed by librosa on small arrays:
- mfcc, onset_strength, onsets, beats: the mel power spectrogram is built block by block; the
  dB scale's top_db clip (relative to the whole signal's maximum), the DCT, the onset envelope,
  onset_detect's normalisation and peak picking and beat_track's tempo and dynamic programme run
  on the whole mel spectrogram / envelope, as librosa's own function with S= / onset_envelope=.
- chroma: the tuning librosa estimates from the whole signal (piptrack's peaks above their
  median magnitude) is estimated from the peaks of every block (a first pass), then fixed.
- cqt: librosa.cqt on blocks of frames with CQT_MARGIN_FILTERS longest filters of signal on
  each side, starting on a whole hop (its octave-by-octave resampling factors divide the hop, so
  each block is resampled at the whole signal's sample phase); the first block starts at sample
  0 and the last ends at the file's end, where librosa pads. Equal to float32 rounding (soxr
  sums over other lengths). tuning=None: estimate_tuning's peaks from every block first.
- pyin: each frame's yin and observation probabilities are local (voiced_prob: exact), but the
  Viterbi decoding is global (~1.2k states per frame: gigabytes of probabilities for an hour).
  Each block is decoded with PYIN_MARGIN_SECONDS of frames on both sides and its middle kept:
  equal to the whole signal's path where the paths have converged within the margin (they do
  within ~0.5 s on the tested speech), not by a theorem.
Not block-wise: paddings that read the other end of the signal (pad_mode='wrap', ...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import librosa
import numpy as np

from explorer.model.analysis.features import (
    FeatureResult,
    call_kwargs,
    hop_of,
    wrap_result,
)

#: Paddings that depend only on the samples at the signal's edge.
EDGE_PAD_MODES = ("constant", "edge", "reflect", "symmetric")
#: Frames per block: 8192 frames of 2048 samples hold ~70 MB of complex STFT.
BLOCK_FRAMES = 8192
#: cqt's context on each side of a block, in lengths of its longest filter (the lowest bin's).
#: Measured: a block's frames differ from the whole signal's beyond float32 rounding only within
#: ~0.75 of that length of the block's edges (the filter's support, the block's own padding and
#: soxr's resampling filters at the low octaves); twice the length leaves 2.5x slack.
CQT_MARGIN_FILTERS = 2.0
#: pyin's context on each side of a block, in seconds: the Viterbi decoding of the block plus this
#: much must have forgotten the block's start (uniform prior) and end (no future) by the frames
#: kept. Paths converge within a fraction of a second on speech (tested on 60 s with many block
#: edges); 5 s is a generous margin for ~1.2k pitch states at 10 cents.
PYIN_MARGIN_SECONDS = 5.0

Progress = Callable[[int, int], Any]


class Signal(Protocol):
    """Mono float32 samples read by range: a file, or an array in tests."""

    sr: int
    n_samples: int

    def read(self, start: int, stop: int) -> np.ndarray: ...


@dataclass
class ArraySignal:
    y: np.ndarray
    sr: int

    @property
    def n_samples(self) -> int:
        return int(self.y.shape[-1])

    def read(self, start: int, stop: int) -> np.ndarray:
        return self.y[start:stop]


class FileSignal:
    """A sound file read by range and mixed down as `librosa.load(mono=True)` does (float32,
    the mean of the channels)."""

    def __init__(self, path: str | Path) -> None:
        import soundfile as sf

        self._file = sf.SoundFile(str(path))
        self.sr = int(self._file.samplerate)
        self.n_samples = int(self._file.frames)

    def read(self, start: int, stop: int) -> np.ndarray:
        self._file.seek(start)
        data = self._file.read(stop - start, dtype="float32", always_2d=True)
        return data[:, 0] if data.shape[1] == 1 else np.mean(data.T, axis=0)

    def close(self) -> None:
        self._file.close()


class NotBlockwise(ValueError):
    """The feature (or its parameters) cannot be computed block-wise exactly."""


def blockwise_problem(name: str, params: dict[str, Any]) -> str | None:
    """Why `name` with `params` cannot be computed block-wise exactly (None: it can)."""
    mode = params.get("pad_mode", "constant")
    if params.get("center", True) and mode not in EDGE_PAD_MODES:
        return f"pad_mode={mode!r} pads with values of the whole signal"
    return None


def _window(name: str, params: dict[str, Any]) -> int:
    if name in ("zcr", "rms", "yin"):
        return int(params.get("frame_length", 2048))
    return int(params.get("n_fft", 2048))


def _frames_of(n_samples: int, n: int, hop: int, center: bool) -> int:
    if center:
        return 1 + n_samples // hop
    return max(0, 1 + (n_samples - n) // hop)


def _read_frames(
    signal: Signal, f0: int, f1: int, n: int, hop: int, offset: int, pad_mode: str
) -> np.ndarray:
    """The samples frames [f0, f1) cover, padded at the file's edges as librosa pads the signal."""
    start, stop = f0 * hop - offset, (f1 - 1) * hop + n - offset
    lo, hi = max(0, start), min(signal.n_samples, stop)
    chunk = np.asarray(signal.read(lo, hi), dtype=np.float32)
    if lo - start or stop - hi:
        chunk = np.pad(chunk, (lo - start, stop - hi), mode=pad_mode)
    return chunk


def _blocks(
    signal: Signal, n: int, hop: int, center: bool, pad_mode: str, block_frames: int
) -> Iterator[tuple[int, np.ndarray]]:
    """(first frame, samples covering the block's frames as the whole centred signal has them)."""
    total = _frames_of(signal.n_samples, n, hop, center)
    offset = n // 2 if center else 0
    step = max(1, block_frames)
    for f0 in range(0, total, step):
        yield f0, _read_frames(signal, f0, min(total, f0 + step), n, hop, offset, pad_mode)


def compute_feature_blockwise(
    name: str,
    signal: Signal,
    *,
    block_frames: int = BLOCK_FRAMES,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    **params: Any,
) -> FeatureResult:
    """`compute_feature(name, whole signal, sr, **params)`, reading `block_frames` frames at a time.
    Raises NotBlockwise for paddings that need the whole signal."""
    problem = blockwise_problem(name, params)
    if problem:
        raise NotBlockwise(f"{name} cannot be computed block by block: {problem}")
    sr = signal.sr
    call_kwargs(name, sr, params)  # unknown parameters fail here, before any reading
    if name in ("mfcc", "onset_strength", "onsets", "beats"):
        out = _mel_based(name, signal, params, block_frames, progress, cancelled)
    elif name == "chroma":
        out = _chroma(signal, params, block_frames, progress, cancelled)
    elif name == "cqt":
        out = _cqt(signal, params, block_frames, progress, cancelled)
    elif name == "pyin":
        out = _pyin(signal, params, block_frames, progress, cancelled)
    else:
        out = _framewise(name, signal, params, block_frames, progress, cancelled)
    return wrap_result(name, out, sr, params)


def _check(cancelled: Callable[[], bool] | None) -> None:
    if cancelled is not None and cancelled():
        raise InterruptedError("cancelled")


def _run_blocks(
    signal: Signal,
    n: int,
    hop: int,
    center: bool,
    pad_mode: str,
    block_frames: int,
    each: Callable[[np.ndarray], np.ndarray],
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    pass_index: int = 0,
    passes: int = 1,
) -> list[np.ndarray]:
    """`each(block samples)` for every block, its results in order (progress over all passes)."""
    parts = []
    total = signal.n_samples
    for f0, chunk in _blocks(signal, n, hop, center, pad_mode, block_frames):
        _check(cancelled)
        parts.append(each(chunk))
        if progress is not None:
            done = min(total, (f0 + block_frames) * hop)
            progress(pass_index * total + done, passes * total)
    return parts


def _framewise(name, signal, params, block_frames, progress, cancelled) -> np.ndarray:
    """Features whose every frame depends on its own samples only."""
    n, hop = _window(name, params), hop_of(name, params)
    center = bool(params.get("center", True))
    pad_mode = "edge" if name == "zcr" else str(params.get("pad_mode", "constant"))
    block_params = {**params, "center": False}
    block_params.pop("pad_mode", None)
    if name == "yin":
        block_params.setdefault("hop_length", hop)
    from explorer.model.analysis.features import run_librosa

    def each(chunk: np.ndarray) -> np.ndarray:
        return run_librosa(name, chunk, signal.sr, block_params)

    parts = _run_blocks(signal, n, hop, center, pad_mode, block_frames, each, progress, cancelled)
    return np.concatenate(parts, axis=-1)


def _mel_params(params: dict[str, Any]) -> dict[str, Any]:
    keys = ("n_fft", "hop_length", "win_length", "window", "n_mels", "fmin", "fmax")
    return {k: params[k] for k in keys if k in params}


def _mel_based(name, signal, params, block_frames, progress, cancelled):
    """The mel power spectrogram block by block, then librosa's function on all of it."""
    sr = signal.sr
    if name in ("onsets", "beats"):  # what onset_detect / beat_track compute from y themselves
        mel = {"hop_length": hop_of(name, params)}
        center = True
    else:
        mel = _mel_params(params)
        center = bool(params.get("center", True)) if name == "mfcc" else True
    n, hop = int(mel.get("n_fft", 2048)), int(mel.get("hop_length", 512))
    pad_mode = str(params.get("pad_mode", "constant")) if name == "mfcc" else "constant"

    def each(chunk: np.ndarray) -> np.ndarray:
        return librosa.feature.melspectrogram(y=chunk, sr=sr, center=False, **mel)

    parts = _run_blocks(signal, n, hop, center, pad_mode, block_frames, each, progress, cancelled)
    S = np.concatenate(parts, axis=-1)
    del parts
    log_S = librosa.power_to_db(S)
    del S
    _check(cancelled)
    if name == "mfcc":
        keep = {k: params[k] for k in ("n_mfcc", "dct_type", "lifter") if k in params}
        return librosa.feature.mfcc(S=log_S, sr=sr, **keep)
    if name == "onset_strength":
        keep = {k: params[k] for k in ("lag", "max_size", "detrend", "center") if k in params}
        return librosa.onset.onset_strength(S=log_S, sr=sr, n_fft=n, hop_length=hop, **keep)
    if name == "onsets":
        env = librosa.onset.onset_strength(S=log_S, sr=sr, hop_length=hop)
        keep = {k: params[k] for k in ("backtrack", "normalize") if k in params}
        return librosa.onset.onset_detect(onset_envelope=env, sr=sr, hop_length=hop, units="time", **keep)
    env = librosa.onset.onset_strength(S=log_S, sr=sr, hop_length=hop, aggregate=np.median)
    keep = {k: params[k] for k in ("start_bpm", "tightness", "trim") if k in params}
    return librosa.beat.beat_track(onset_envelope=env, sr=sr, hop_length=hop, units="time", **keep)


def _chroma(signal, params, block_frames, progress, cancelled):
    """chroma_stft: librosa's tuning estimate over every block's peaks, then chroma per block."""
    sr = signal.sr
    n, hop = int(params.get("n_fft", 2048)), int(params.get("hop_length", 512))
    center = bool(params.get("center", True))
    pad_mode = str(params.get("pad_mode", "constant"))
    stft = {k: params[k] for k in ("n_fft", "hop_length", "win_length", "window") if k in params}
    n_chroma = int(params.get("n_chroma", 12))
    tuning = params.get("tuning")
    passes = 2 if tuning is None else 1
    if tuning is None:
        pitches, mags = [], []

        def peaks(chunk: np.ndarray) -> np.ndarray:
            S = np.abs(librosa.stft(chunk, center=False, **stft)) ** 2  # chroma_stft's power=2
            pitch, mag = librosa.piptrack(S=S, sr=sr)  # as estimate_tuning(S=S) calls it
            mask = mag > 0
            pitches.append(pitch[mask])
            mags.append(mag[mask])
            return np.empty(0)

        _run_blocks(signal, n, hop, center, pad_mode, block_frames, peaks, progress, cancelled, 0, passes)
        pitch, mag = np.concatenate(pitches), np.concatenate(mags)
        threshold = np.median(mag) if mag.size else 0.0
        tuning = librosa.pitch_tuning(pitch[mag >= threshold], bins_per_octave=n_chroma)
    kwargs = {**stft, "n_chroma": n_chroma, "tuning": tuning}

    def each(chunk: np.ndarray) -> np.ndarray:
        return librosa.feature.chroma_stft(y=chunk, sr=sr, center=False, **kwargs)

    parts = _run_blocks(
        signal, n, hop, center, pad_mode, block_frames, each, progress, cancelled, passes - 1, passes
    )
    return np.concatenate(parts, axis=-1)


def _cqt_margin(sr: int, params: dict[str, Any]) -> int:
    """Samples of context on each side of a cqt block: CQT_MARGIN_FILTERS longest filters, in
    whole hops (so that a block starts where the whole signal's octave-by-octave resampling,
    whose factors all divide the hop, has the same sample phase)."""
    bpo = int(params.get("bins_per_octave", 12))
    fmin = params.get("fmin")
    fmin = librosa.note_to_hz("C1") if fmin is None else float(fmin)
    tuning = float(params.get("tuning", 0.0) or 0.0)
    n_bins = max(2, int(params.get("n_bins", 84)))  # two bins: the lowest one's bandwidth is defined
    freqs = librosa.cqt_frequencies(n_bins, fmin=fmin * 2.0 ** (tuning / bpo), bins_per_octave=bpo)
    lengths, _ = librosa.filters.wavelet_lengths(
        freqs=freqs,
        sr=sr,
        window=params.get("window", "hann"),
        filter_scale=float(params.get("filter_scale", 1)),
    )
    hop = hop_of("cqt", params)
    return int(np.ceil(CQT_MARGIN_FILTERS * float(np.max(lengths)) / hop)) * hop


def _cqt_tuning(signal, block_frames, progress, cancelled, bins_per_octave: int) -> float:
    """`estimate_tuning(y=whole signal, sr, bins_per_octave)` (what cqt does with tuning=None):
    piptrack's peaks of every block's magnitude STFT (its defaults: n_fft 2048, hop 512, centred),
    then librosa's median threshold and pitch_tuning on all of them."""
    sr = signal.sr
    pitches, mags = [], []

    def peaks(chunk: np.ndarray) -> np.ndarray:
        S = np.abs(librosa.stft(chunk, n_fft=2048, hop_length=512, center=False))  # power 1
        pitch, mag = librosa.piptrack(S=S, sr=sr, n_fft=2048)
        mask = pitch > 0
        pitches.append(pitch[mask])
        mags.append(mag[mask])
        return np.empty(0)

    _run_blocks(signal, 2048, 512, True, "constant", block_frames, peaks, progress, cancelled, 0, 2)
    pitch, mag = np.concatenate(pitches), np.concatenate(mags)
    threshold = np.median(mag) if mag.size else 0.0
    return float(librosa.pitch_tuning(pitch[mag >= threshold], bins_per_octave=bins_per_octave))


def _cqt(signal, params, block_frames, progress, cancelled) -> np.ndarray:
    """np.abs(librosa.cqt) of each block with a margin of signal each side, its own frames kept.
    The first block starts at sample 0 and the last ends at the file's end, so librosa pads the
    file's edges itself; elsewhere the frames kept are a margin away from the block's edges."""
    sr, n = signal.sr, signal.n_samples
    passes = 1
    if "tuning" in params and params["tuning"] is None:  # librosa estimates it from the signal
        bpo = int(params.get("bins_per_octave", 12))
        params = {**params, "tuning": _cqt_tuning(signal, block_frames, progress, cancelled, bpo)}
        passes = 2
    hop = hop_of("cqt", params)
    margin = _cqt_margin(sr, params)
    kwargs = call_kwargs("cqt", sr, params)
    step = max(1, block_frames)
    parts = []
    f0 = 0
    while True:
        _check(cancelled)
        start = max(0, f0 * hop - margin)
        stop = (f0 + step) * hop + margin
        last = stop >= n
        chunk = np.asarray(signal.read(start, n if last else stop), dtype=np.float32)
        out = np.abs(librosa.cqt(chunk, **kwargs))
        first = (f0 * hop - start) // hop
        parts.append(out[:, first:] if last else out[:, first : first + step])
        if progress is not None:
            progress((passes - 1) * n + (n if last else (f0 + step) * hop), passes * n)
        if last:
            return np.concatenate(parts, axis=-1)
        f0 += step


def _pyin(signal, params, block_frames, progress, cancelled) -> tuple[np.ndarray, ...]:
    """librosa.pyin on each block plus PYIN_MARGIN_SECONDS of frames each side, the block's
    frames kept. Exact by construction for what is local (each frame's yin and observation
    probabilities: voiced_prob); f0 and voiced_flag come from a Viterbi path decoded over the
    block and its margins, equal to the whole signal's where the paths have converged within
    the margin (tested on speech), which is not a theorem."""
    from explorer.model.analysis.features import run_librosa

    sr = signal.sr
    n, hop = int(params.get("frame_length", 2048)), hop_of("pyin", params)
    center = bool(params.get("center", True))
    pad_mode = str(params.get("pad_mode", "constant"))
    offset = n // 2 if center else 0
    total = _frames_of(signal.n_samples, n, hop, center)
    margin = int(np.ceil(PYIN_MARGIN_SECONDS * sr / hop))
    block_params = {**params, "center": False, "hop_length": hop}
    block_params.pop("pad_mode", None)
    step = max(1, block_frames)
    parts: list[tuple[np.ndarray, ...]] = []
    for f0 in range(0, total, step):
        _check(cancelled)
        f1 = min(total, f0 + step)
        a, b = max(0, f0 - margin), min(total, f1 + margin)
        chunk = _read_frames(signal, a, b, n, hop, offset, pad_mode)
        out = run_librosa("pyin", chunk, sr, block_params)
        parts.append(tuple(x[..., f0 - a : f1 - a] for x in out))
        if progress is not None:
            progress(min(signal.n_samples, f1 * hop), signal.n_samples)
    if not parts:  # shorter than a frame: librosa on the whole (tiny) signal, as it is
        return run_librosa("pyin", signal.read(0, signal.n_samples), sr, params)
    return tuple(np.concatenate(p, axis=-1) for p in zip(*parts, strict=True))

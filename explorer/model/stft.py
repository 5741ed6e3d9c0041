"""A block-wise STFT engine: librosa's frames and values, in bounded memory and on all cores.

librosa.stft builds the whole complex matrix (an hour at 44.1 kHz: 2.5 GB) before the mel
projection. Here frames are transformed a block at a time, projected at once, and only the
(small) result array is kept. Frame boundaries are librosa's centred STFT exactly: the signal is
zero-padded by n_fft // 2 on both sides (librosa's default pad_mode="constant").
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from explorer.model.decode import Decoder, finite, measure
from explorer.model.scales import hz_to_mel, mel_to_hz

#: Frames transformed at once: big enough for the FFT to run at full speed, small enough for cache.
BLOCK_FRAMES = 1024

Progress = Callable[[float], None]


class SampleSource:
    """Mono float32 samples readable by range; outside [0, len) reads as zeros (the padding)."""

    frames: int
    sample_rate: int

    def read(self, start: int, stop: int) -> np.ndarray:
        raise NotImplementedError


@dataclass
class ArraySource(SampleSource):
    samples: np.ndarray
    sample_rate: int

    def __post_init__(self) -> None:
        self.samples = np.asarray(self.samples, dtype=np.float32)
        self.frames = self.samples.shape[0]

    def read(self, start: int, stop: int) -> np.ndarray:
        if start >= 0 and stop <= self.frames:
            return self.samples[start:stop]
        out = np.zeros(stop - start, dtype=np.float32)
        a, b = max(start, 0), min(stop, self.frames)
        if b > a:
            out[a - start:b - start] = self.samples[a:b]
        return out


class FileSource(SampleSource):
    """Reads a file's mono mix (as librosa.load mixes it) or one channel block by block, never
    the whole file; `frames` is what libsndfile really decodes (checked, not the header's).
    `count`: keep `non_finite` exact across overlapping reads (for near-sequential readers)."""

    def __init__(self, path: str | Path, channel: int | None = None,
                 frames: int | None = None, count: bool = True) -> None:
        self.path = Path(path)
        self._file = Decoder(self.path)
        self.frames = measure(self.path).frames if frames is None else int(frames)
        self.sample_rate = self._file.sample_rate
        self.channels = self._file.channels
        self.channel = channel if channel is not None and 0 <= channel < self.channels else None
        #: NaN/inf samples replaced by 0 in the frames read so far (each frame counted once)
        self.non_finite = 0
        self._count = count
        self._counted: list[list[int]] = []  # sorted disjoint [start, stop) ranges counted

    def read(self, start: int, stop: int) -> np.ndarray:
        out = np.zeros(stop - start, dtype=np.float32)
        a, b = max(start, 0), min(stop, self.frames)
        if b > a and self._file.seek(a):
            block = self._file.read(b - a, sanitise=False)
            if self._count:
                fresh = self._uncounted(a, a + len(block))
                self.non_finite += finite(block, [(lo - a, hi - a) for lo, hi in fresh])
            else:
                finite(block)
            if self.channel is not None:
                y = block[:, self.channel]
            elif block.shape[1] == 1:
                y = block[:, 0]
            else:
                y = np.mean(block.T, axis=0)
            out[a - start:a - start + block.shape[0]] = y
        return out

    def _uncounted(self, a: int, b: int) -> list[tuple[int, int]]:
        """The parts of frames [a, b) not read before (block reads overlap by a window), which
        are from now on."""
        parts, cursor = [], a
        for lo, hi in self._counted:
            if hi > cursor and lo < b:
                if lo > cursor:
                    parts.append((cursor, lo))
                cursor = max(cursor, hi)
        if cursor < b:
            parts.append((cursor, b))
        if b > a:
            self._counted = _merge(self._counted + [[a, b]])
        return parts

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> FileSource:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _merge(ranges: list[list[int]]) -> list[list[int]]:
    out: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return out


def frame_count(n_samples: int, n_fft: int, hop_length: int, center: bool = True) -> int:
    """How many columns librosa.stft returns for a signal of n_samples."""
    if center:
        return 1 + (n_samples + 2 * (n_fft // 2) - n_fft) // hop_length
    return max(0, 1 + (n_samples - n_fft) // hop_length)


def fft_window(window: str, n_fft: int, win_length: int | None) -> np.ndarray:
    """The analysis window librosa.stft uses (scipy's, zero-padded to n_fft around the centre).

    float64 like librosa's: float32 frames times this window are transformed in double precision,
    which keeps bins far below a frame's peak exact to float32 (a float32 FFT would not)."""
    length = win_length or n_fft
    if window in _COSINE_WINDOWS:
        win = _cosine_window(_COSINE_WINDOWS[window], length)
    else:
        import scipy.signal  # ~0.5 s to import: only for the less common windows

        try:
            win = scipy.signal.get_window(window, length, fftbins=True)
        except ValueError as exc:
            raise ValueError(f"unknown window {window!r} ({exc})") from None
    left = (n_fft - length) // 2
    return np.pad(win, (left, n_fft - length - left)).astype(np.float64)


#: scipy.signal.windows.general_cosine coefficients of the usual windows.
_COSINE_WINDOWS = {"hann": (0.5, 1.0 - 0.5), "hamming": (0.54, 1.0 - 0.54)}  # general_hamming


def _cosine_window(coefficients: tuple[float, ...], length: int) -> np.ndarray:
    """scipy's periodic (fftbins=True) general-cosine window, computed with the same operations
    so it is equal to the bit, without importing scipy.signal."""
    if length <= 1:
        return np.ones(length)
    extended = length + 1
    fac = np.linspace(-np.pi, np.pi, extended, dtype=np.float64)
    w = np.zeros(extended, dtype=np.float64)
    for k, a in enumerate(coefficients):
        w += np.float64(a) * np.cos(k * fac)
    return w[:-1]


def fft_frequencies(sample_rate: int, n_fft: int) -> np.ndarray:
    return np.fft.rfftfreq(n=n_fft, d=1.0 / sample_rate)


def mel_frequencies(n_mels: int, fmin: float, fmax: float, htk: bool = False) -> np.ndarray:
    """Mel-spaced frequencies in Hz, as librosa.mel_frequencies."""
    mels = np.linspace(hz_to_mel(fmin, htk=htk), hz_to_mel(fmax, htk=htk), n_mels)
    return np.asarray(mel_to_hz(mels, htk=htk))


@lru_cache(maxsize=32)
def mel_basis(sample_rate: int, n_fft: int, n_mels: int, fmin: float, fmax: float) -> np.ndarray:
    """librosa.filters.mel (Slaney scale and norm, float32), computed the same way without librosa's
    import cost on the start-up path; cached (read-only) since datasets repeat the same one."""
    weights = np.zeros((n_mels, 1 + n_fft // 2), dtype=np.float32)
    fftfreqs = fft_frequencies(sample_rate, n_fft)
    mel_f = mel_frequencies(n_mels + 2, fmin, fmax)
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels])
    weights *= enorm[:, np.newaxis]
    weights.setflags(write=False)
    return weights


def frame_magnitudes(frames: np.ndarray, window: np.ndarray, power: float = 2.0,
                     projection: np.ndarray | None = None) -> np.ndarray:
    """|rfft(frame * window)|**power of (frames x n_fft) samples as bins x frames float32, projected
    (e.g. by a mel basis) when given: librosa.stft's arithmetic, shared by every spectrogram path."""
    # numpy's pocketfft (numpy >= 2) gives scipy.fft's bits (librosa's FFT library), and
    # importing it costs nothing where scipy.fft costs ~90 ms in every process (each export
    # worker, each CLI command); it releases the GIL like scipy's
    spectrum = np.fft.rfft(frames * window, axis=1).astype(np.complex64)
    mag = np.abs(spectrum)
    if power != 1.0:
        with np.errstate(over="ignore"):  # absurd float samples (1e30) give inf, not a warning
            mag = np.square(mag) if power == 2.0 else mag**power
    if projection is None:
        return mag.T
    return (mag @ projection.T).T  # frames-major: 2.7x faster in BLAS than projection @ mag.T


def linear_spectrogram(
    source: SampleSource, n_fft: int = 2048, hop_length: int = 512, win_length: int | None = None,
    window: str = "hann", center: bool = True, power: float = 2.0,
    projection: np.ndarray | None = None, block_frames: int = BLOCK_FRAMES,
    workers: int | None = None, progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> np.ndarray:
    """|STFT|**power (bins x frames, float32), optionally projected (e.g. by a mel basis).

    Blocks run on `workers` threads (numpy and pocketfft release the GIL); reads are serialised."""
    workers = workers or os.cpu_count() or 1
    win = fft_window(window, n_fft, win_length)
    total = frame_count(source.frames, n_fft, hop_length, center)
    rows = projection.shape[0] if projection is not None else n_fft // 2 + 1
    out = np.empty((rows, total), dtype=np.float32)
    proj = None if projection is None else np.ascontiguousarray(projection, dtype=np.float32)
    offset = -(n_fft // 2) if center else 0
    read_lock = threading.Lock()
    stop = threading.Event()

    def one_block(first: int) -> int:
        if stop.is_set():
            return 0
        count = min(block_frames, total - first)
        start = offset + first * hop_length
        with read_lock:
            samples = np.ascontiguousarray(source.read(start, start + (count - 1) * hop_length + n_fft))
        frames = np.lib.stride_tricks.sliding_window_view(samples, n_fft)[::hop_length][:count]
        out[:, first:first + count] = frame_magnitudes(frames, win, power, proj)
        return count

    firsts = range(0, total, block_frames)
    if workers == 1 or len(firsts) == 1:  # a short clip: no thread pool to start and stop
        _collect(map(one_block, firsts), total, progress, cancelled)
        return out
    with ThreadPoolExecutor(max_workers=workers) as pool:
        try:
            _collect(pool.map(one_block, firsts), total, progress, cancelled)
        finally:
            stop.set()
    return out


def _collect(counts, total: int, progress: Progress | None,
             cancelled: Callable[[], bool] | None) -> None:
    """Consume finished blocks in order, reporting progress and honouring a cancel request."""
    done = 0
    for count in counts:
        done += count
        if progress is not None:
            progress(done / total)
        if cancelled is not None and cancelled():
            raise InterruptedError("spectrogram cancelled")


def to_db_inplace(values: np.ndarray, power: float, ref, top_db: float | None,
                  top_from: float | None = None) -> np.ndarray:
    """librosa's amplitude_to_db (power 1) / power_to_db (power 2), overwriting `values`.

    `top_db` counts down from the array's max, or from `top_from` dB when given (tiles of a long
    file, whose max is not known)."""
    with np.errstate(over="ignore", invalid="ignore"):  # absurd float samples (1e30) overflow
        return _to_db(values, power, ref, top_db, top_from)


def _to_db(values: np.ndarray, power: float, ref, top_db: float | None,
           top_from: float | None) -> np.ndarray:
    amin = 1e-10
    if power == 1.0:  # amplitude_to_db squares the magnitudes and uses amin**2 on the power
        np.square(values, out=values)
        amin = 1e-5**2
    ref_value = ref(values) if callable(ref) else float(ref) ** (2 if power == 1.0 else 1)
    ref_value = np.abs(ref_value)
    np.maximum(values, amin, out=values)
    np.log10(values, out=values)
    values *= 10.0
    values -= 10.0 * np.log10(np.maximum(amin, ref_value))
    if top_db is not None:
        np.maximum(values, (values.max() if top_from is None else top_from) - top_db, out=values)
    return values

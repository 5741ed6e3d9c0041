"""Incremental spectrogram columns for a live stream, in preallocated circular storage.

A display timer hands `push()` whatever samples arrived since the last tick; every complete frame
becomes a column, computed for all new frames in one vectorised step. Nothing is reallocated
per tick: the pending-samples buffer and the circular image are sized once.
"""

from __future__ import annotations

import numpy as np

from explorer.model import stft
from explorer.model.spectrogram import SpectrogramParams

#: dB floor for silent bins, so the image never holds -inf.
FLOOR_DB = -200.0


class LiveSpectrogram:
    """The last `seconds` of a stream as dB columns (relative to full scale), newest last."""

    def __init__(self, sample_rate: int, params: SpectrogramParams | None = None,
                 seconds: float = 10.0, max_block: int = 1 << 16) -> None:
        self.params = params or SpectrogramParams()
        self.sample_rate = int(sample_rate)
        p = self.params
        self.n_fft, self.hop = p.n_fft, p.hop_length
        self.window = stft.fft_window(p.window, p.n_fft, p.win_length)
        self.projection = None
        if p.kind == "mel":
            self.projection = stft.mel_basis(self.sample_rate, p.n_fft, p.n_mels, p.fmin,
                                             p.resolved_fmax(self.sample_rate))
            self.frequencies = stft.mel_frequencies(p.n_mels + 2, p.fmin,
                                                    p.resolved_fmax(self.sample_rate))[1:-1]
        else:
            self.frequencies = stft.fft_frequencies(self.sample_rate, p.n_fft)
        self.columns = max(1, int(round(seconds * self.sample_rate / self.hop)))
        self.image = np.full((len(self.frequencies), self.columns), FLOOR_DB, dtype=np.float32)
        self.write_index = 0  # next column to overwrite (the oldest)
        self.total_columns = 0
        self.max_block = max_block
        self._pending = np.zeros(self.n_fft + max_block, dtype=np.float32)
        self._count = 0  # valid samples in _pending
        self.spectrum = np.full(len(self.frequencies), FLOOR_DB, dtype=np.float32)
        self.peak_dbfs = FLOOR_DB
        self.rms_dbfs = FLOOR_DB
        # Full-scale reference: a sine of amplitude 1 has |X| = sum(window) / 2 at its bin.
        self._full_scale = float(np.sum(self.window) / 2.0)

    @property
    def seconds(self) -> float:
        return self.columns * self.hop / self.sample_rate

    @property
    def samples_after_last_column(self) -> int:
        """Samples pushed after the last sample of the newest column (for latency measurements)."""
        return max(0, self._count - (self.n_fft - self.hop)) if self.total_columns else self._count

    def reset(self) -> None:
        self.image.fill(FLOOR_DB)
        self.write_index = self.total_columns = self._count = 0
        self.spectrum.fill(FLOOR_DB)

    def push(self, samples: np.ndarray) -> int:
        """Add mono samples; returns how many new columns were written."""
        samples = np.asarray(samples, dtype=np.float32).reshape(-1)
        if samples.size:
            peak = float(np.max(np.abs(samples)))
            rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
            self.peak_dbfs = 20 * np.log10(peak) if peak > 0 else FLOOR_DB
            self.rms_dbfs = 20 * np.log10(rms) if rms > 0 else FLOOR_DB
        new = 0
        for start in range(0, samples.size, self.max_block):
            new += self._push_block(samples[start:start + self.max_block])
        return new

    def _push_block(self, block: np.ndarray) -> int:
        self._pending[self._count:self._count + block.size] = block
        self._count += block.size
        if self._count < self.n_fft:
            return 0
        frames_n = 1 + (self._count - self.n_fft) // self.hop
        frames = np.lib.stride_tricks.sliding_window_view(self._pending[:self._count], self.n_fft)
        frames = frames[::self.hop][:frames_n]
        power = self.params.power
        values = stft.frame_magnitudes(frames, self.window, power, self.projection)
        db = self._to_db(values / self._full_scale**power)  # re a full-scale sine
        self._write_columns(db)
        self.spectrum[:] = db[:, -1]
        consumed = frames_n * self.hop
        remaining = self._count - consumed
        self._pending[:remaining] = self._pending[consumed:self._count]
        self._count = remaining
        return frames_n

    def _to_db(self, values: np.ndarray) -> np.ndarray:
        scale = 10.0 if self.params.power == 2.0 else 20.0
        with np.errstate(divide="ignore"):
            db = scale * np.log10(np.maximum(values, 1e-20))
        return np.maximum(db, FLOOR_DB).astype(np.float32)

    def _write_columns(self, db: np.ndarray) -> None:
        n = db.shape[1]
        if n >= self.columns:
            db = db[:, -self.columns:]
            n = self.columns
        first = self.write_index
        end = first + n
        if end <= self.columns:
            self.image[:, first:end] = db
        else:
            split = self.columns - first
            self.image[:, first:] = db[:, :split]
            self.image[:, :end - self.columns] = db[:, split:]
        self.write_index = end % self.columns
        self.total_columns += db.shape[1]

    def ordered(self) -> np.ndarray:
        """The image oldest column first (a copy; the view itself draws with an offset instead)."""
        return np.roll(self.image, -self.write_index, axis=1)

    def peak(self) -> tuple[float, float]:
        """(frequency in Hz, level in dB) of the strongest bin of the newest column."""
        index = int(np.argmax(self.spectrum))
        return float(self.frequencies[index]), float(self.spectrum[index])

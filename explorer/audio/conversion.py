"""Making source samples into what an output stream plays: channel layout and rate conversion.

Used by `player.Player` when it prepares a buffer, never in the audio callback.
"""

from __future__ import annotations

import numpy as np

RESAMPLE_QUALITY = "HQ"  # soxr's HQ: the filter of librosa's res_type="soxr_hq"


def layout(src: np.ndarray, channels: int) -> np.ndarray:
    """Source channels as the stream needs them: mono stays 1 column (the callback broadcasts
    it to every channel), more channels than the device has are mixed (1) or cut to the first 2."""
    have = src.shape[1]
    if have == 1 or have == channels:
        return src
    if channels == 1:
        return np.ascontiguousarray(src.mean(axis=1, keepdims=True, dtype=np.float32))
    if have > channels:
        return np.ascontiguousarray(src[:, :channels])
    return np.ascontiguousarray(np.repeat(src[:, :1], channels, axis=1))


class Converter:
    """Software rate conversion for devices that refuse the wanted rate, as a stream: the filter
    state carries over from one buffer to the next, so chained buffers join without edge effects
    (one buffer converted with last=True equals librosa.resample(res_type="soxr_hq"))."""

    def __init__(self, from_rate: float, to_rate: float, channels: int) -> None:
        import soxr

        self._stream = soxr.ResampleStream(float(from_rate), float(to_rate), int(channels),
                                           dtype="float32", quality=RESAMPLE_QUALITY)
        self.channels = int(channels)
        self._flushed = False

    def __call__(self, buffer: np.ndarray, last: bool) -> np.ndarray:
        """The converted frames that are ready; last=True flushes the filter's tail (a buffer
        after a flushed one starts a fresh stream)."""
        if buffer.shape[1] != self.channels:
            raise ValueError(f"expected {self.channels} channels, got {buffer.shape[1]}")
        if self._flushed:
            self._stream.clear()
        self._flushed = bool(last)
        out = self._stream.resample_chunk(np.ascontiguousarray(buffer, dtype=np.float32),
                                          last=bool(last))
        return np.ascontiguousarray(out, dtype=np.float32).reshape(-1, self.channels)

"""Spectrogram tiles of long files: only what is visible, at the resolution of the screen.

A long recording's full spectrogram (an hour at 44.1 kHz: 1025 x 310 000 floats, 1.3 GB) is never
built. A view of a time range asks for one column every `step` hops (a power of two chosen so that
there are about as many columns as pixels); columns are computed in tiles of `TILE_COLUMNS` at the
STFT's own frame positions (librosa's centred frames, `frame * hop - n_fft // 2`), so a tile at
step 1 holds exactly the block-wise STFT's columns. A column at step s > 1 stands for the s frames
around its own: it holds their peak (per bin, before the mel projection and dB) over up to
`POOL_FRAMES` of them spread evenly across the span (all of them when s <= POOL_FRAMES), so that a
short call between two columns still shows in the overview of an hour, as a peak meter would.

Values in dB use a FIXED reference (the whole array's max/min is unknown until all of it is
computed): `db_ref` when it is a number, else a full-scale sine's peak bin ("dB re full scale").
`top_db` then clips below -top_db relative to that reference.

Tiles are cached in an LRU under a byte budget. Pure numpy/soundfile: no Qt here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from explorer.model import stft
from explorer.model.decode import measure
from explorer.model.spectrogram import SpectrogramParams, frequencies_for

#: Columns per tile.
TILE_COLUMNS = 256
#: Default cache budget.
CACHE_BYTES = 256 << 20
#: Above this many samples between two consecutive columns, frames are read one by one.
CONTIGUOUS_READ_LIMIT = 4
#: Frames whose peak a column at step > 1 shows (spread over the frames it stands for).
POOL_FRAMES = 8
#: Columns computed at once in a pooled tile (bounds its temporaries: ~25 MB at n_fft 2048).
POOL_CHUNK = 64


def column_step(hops: float, width: int) -> int:
    """A power-of-two step (in hops) giving at least `width` columns over `hops` hops (>= 1)."""
    per_pixel = hops / max(1, int(width))
    if per_pixel < 2:
        return 1
    return 1 << int(np.floor(np.log2(per_pixel)))


@dataclass(frozen=True)
class TileKey:
    params: SpectrogramParams
    channel: int | None
    step: int
    index: int


def full_scale_ref(params: SpectrogramParams) -> float:
    """The reference value (in the spectrogram's own units) of 0 dB in a long file's tiles."""
    if not isinstance(params.db_ref, str):
        value = float(params.db_ref)
        return value ** 2 if params.power == 1.0 else value
    win = stft.fft_window(params.window, params.n_fft, params.win_length)
    amplitude = float(np.sum(win)) / 2.0  # a full-scale sine's peak |STFT| bin
    return amplitude ** 2  # in power: amplitude_to_db squares magnitudes too


def ref_text(params: SpectrogramParams) -> str:
    if not isinstance(params.db_ref, str):
        return f"dB re {float(params.db_ref):g}"
    return "dB re full-scale sine (fixed ref; long file)"


class TileSource:
    """Computes tiles of one file's spectrogram (its mono mix, or one channel).

    Thread-safe: every thread reads through its own file handle."""

    def __init__(self, path: str | Path, params: SpectrogramParams,
                 channel: int | None = None) -> None:
        self.path = Path(path)
        self.params = params
        facts = measure(self.path)  # the frames really there, not the header's count
        self.frames, self.sample_rate, self.channels = facts.frames, facts.sample_rate, facts.channels
        if channel is not None and not 0 <= channel < self.channels:
            channel = None
        self.channel = channel
        p = params
        self.total = stft.frame_count(self.frames, p.n_fft, p.hop_length, p.center)
        self.window = stft.fft_window(p.window, p.n_fft, p.win_length)
        self.projection = None
        if p.kind == "mel":
            self.projection = np.ascontiguousarray(stft.mel_basis(
                self.sample_rate, p.n_fft, p.n_mels, p.fmin, p.resolved_fmax(self.sample_rate)))
        self.rows = p.n_mels if p.kind == "mel" else p.n_fft // 2 + 1
        self.frequencies = frequencies_for(p, self.sample_rate)
        self.ref = full_scale_ref(p)
        self._local = threading.local()

    # ---- geometry --------------------------------------------------------------------------
    @property
    def hop_seconds(self) -> float:
        return self.params.hop_length / self.sample_rate

    def columns(self, step: int) -> int:
        """How many columns the whole file has at this step."""
        return -(-self.total // step)

    def tile_count(self, step: int) -> int:
        return -(-self.columns(step) // TILE_COLUMNS)

    def key(self, step: int, index: int) -> TileKey:
        return TileKey(self.params, self.channel, step, index)

    def tile_frames(self, step: int, index: int) -> np.ndarray:
        """The STFT frame index of each column of a tile."""
        first = index * TILE_COLUMNS
        count = min(TILE_COLUMNS, self.columns(step) - first)
        return (first + np.arange(max(0, count))) * step

    def tiles_for(self, t0: float, t1: float, step: int) -> range:
        """Tile indices covering the times [t0, t1] at a step."""
        span = TILE_COLUMNS * step * self.hop_seconds
        first = max(0, int(np.floor(t0 / span)))
        last = min(self.tile_count(step) - 1, int(np.floor(t1 / span)))
        return range(first, last + 1)

    # ---- reading ---------------------------------------------------------------------------
    def read(self, start: int, stop: int) -> np.ndarray:
        """Mono mix (or the chosen channel) of [start, stop); outside the file reads as zeros.
        Each thread reads through its own FileSource (its own file handle)."""
        source = getattr(self._local, "source", None)
        if source is None:
            source = self._local.source = stft.FileSource(self.path, self.channel, self.frames,
                                                          count=False)
        return source.read(start, stop)

    def _frame_samples(self, frames: np.ndarray, step: int) -> np.ndarray:
        """(len(frames), n_fft) float32 samples of the given STFT frames."""
        p = self.params
        n_fft, hop = p.n_fft, p.hop_length
        offset = -(n_fft // 2) if p.center else 0
        starts = offset + frames * hop
        if step * hop <= CONTIGUOUS_READ_LIMIT * n_fft:
            samples = self.read(int(starts[0]), int(starts[-1]) + n_fft)
            view = np.lib.stride_tricks.sliding_window_view(samples, n_fft)
            return view[starts - starts[0]]
        out = np.empty((len(frames), n_fft), dtype=np.float32)
        for i, s in enumerate(starts):
            out[i] = self.read(int(s), int(s) + n_fft)
        return out

    # ---- values ----------------------------------------------------------------------------
    def linear_columns(self, frames: np.ndarray, step: int = 1) -> np.ndarray:
        """|STFT|**power (projected for mel) at the given frame indices: rows x len(frames),
        computed with the same operations as `stft.linear_spectrogram`."""
        if len(frames) == 0:
            return np.zeros((self.rows, 0), np.float32)
        samples = np.ascontiguousarray(self._frame_samples(np.asarray(frames), step))
        return np.ascontiguousarray(
            stft.frame_magnitudes(samples, self.window, self.params.power, self.projection))

    def to_display(self, linear: np.ndarray) -> np.ndarray:
        """dB with the fixed reference (in place), or the linear values when params.db is off."""
        p = self.params
        if not p.db:
            return linear
        # self.ref is already in the squared domain the dB conversion works in; top_db counts
        # down from that fixed 0 dB, since the file's max is unknown
        return stft.to_db_inplace(linear, p.power, lambda _values: self.ref, p.top_db, top_from=0.0)

    def pool_frames(self, frames: np.ndarray, step: int) -> np.ndarray:
        """(len(frames), k) the frames whose peak each column at `step` shows: k = min(step,
        POOL_FRAMES) spread evenly over the step frames centred on the column's own."""
        k = min(step, POOL_FRAMES)
        offsets = (np.arange(k) * step) // k - step // 2
        return np.clip(np.asarray(frames)[:, None] + offsets[None, :], 0, self.total - 1)

    def pooled_columns(self, frames: np.ndarray, step: int) -> np.ndarray:
        """The columns at `step` for these frames: per bin, the peak of |STFT|**power over each
        column's pool frames (then projected for mel); rows x len(frames)."""
        frames = np.asarray(frames)
        if step <= 1 or len(frames) == 0:
            return self.linear_columns(frames, 1)
        out = np.empty((self.rows, len(frames)), np.float32)
        spacing = max(1, step // min(step, POOL_FRAMES))
        for a in range(0, len(frames), POOL_CHUNK):
            pool = self.pool_frames(frames[a:a + POOL_CHUNK], step)
            samples = np.ascontiguousarray(self._frame_samples(pool.ravel(), spacing))
            # frames-major (n*k x bins): the peak over each column's k frames, then the mel
            # projection frames-major too, as stft.frame_magnitudes projects
            mags = stft.frame_magnitudes(samples, self.window, self.params.power).T
            peak = mags.reshape(pool.shape[0], pool.shape[1], mags.shape[1]).max(axis=1)
            if self.projection is not None:
                peak = peak @ self.projection.T
            out[:, a:a + pool.shape[0]] = peak.T
        return out

    def tile(self, step: int, index: int) -> np.ndarray:
        """One tile: rows x (<= TILE_COLUMNS) display values (dB with the fixed ref, or linear);
        exact STFT frames at step 1, pooled peaks above."""
        frames = self.tile_frames(step, index)
        return self.to_display(self.pooled_columns(frames, step))

    def close(self) -> None:
        handle = getattr(self._local, "handle", None)
        if handle is not None:
            handle.close()
            self._local.handle = None


class TileCache:
    """Least-recently-used tiles under a byte budget (not thread-safe: use it from one thread)."""

    def __init__(self, budget: int = CACHE_BYTES) -> None:
        self.budget = int(budget)
        self.nbytes = 0
        self._items: OrderedDict[TileKey, np.ndarray] = OrderedDict()
        self.evicted = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: TileKey) -> bool:
        return key in self._items

    def get(self, key: TileKey) -> np.ndarray | None:
        tile = self._items.get(key)
        if tile is not None:
            self._items.move_to_end(key)
        return tile

    def put(self, key: TileKey, tile: np.ndarray) -> None:
        old = self._items.pop(key, None)
        if old is not None:
            self.nbytes -= old.nbytes
        self._items[key] = tile
        self.nbytes += tile.nbytes
        while self.nbytes > self.budget and len(self._items) > 1:
            _, dropped = self._items.popitem(last=False)
            self.nbytes -= dropped.nbytes
            self.evicted += 1
        if self.nbytes > self.budget:  # a single tile larger than the budget is not kept
            self._items.clear()
            self.nbytes = 0

    def clear(self) -> None:
        self._items.clear()
        self.nbytes = 0

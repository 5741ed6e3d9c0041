"""Long recordings: decided from header facts, never decoded whole.

A long file is shown from its min/max summaries and a spectrogram computed in tiles for what is
visible (`explorer.model.tiles`). It opens from its header alone (`long_load_job`: the whole time
axis, the facts, an empty overview); the summaries are then read block by block
(`long_overview_job`, an `OverviewBuilder`) while the window shows them filling in. No full
sample array is ever held: `LongClip` has the header facts and reads the first/last samples for
the preview.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from explorer.model import AudioInfo
from explorer.model.decode import Decoder, join_warnings, non_finite_text
from explorer.model.overview import Overview, OverviewBuilder, summary_nbytes
from explorer.model.spectrogram import SpectrogramParams, SpectrogramStats
from explorer.model.tiles import TileSource, ref_text
from explorer.ui.common.jobs import lower_thread_priority
from explorer.ui.info.panel import format_dbfs
from explorer.ui.state.loaded import Loaded

#: Environment override of the threshold in seconds (tests use a small value).
LONG_SECONDS_ENV = "AUDIO_EXPLORER_LONG_SECONDS"
#: Longer than this (seconds) or more frames than LONG_FRAMES: shown as a long file.
LONG_SECONDS = 600.0
LONG_FRAMES = 50_000_000
#: Frames shown at each end of the info panel's array preview.
PREVIEW_FRAMES = 3
#: Niceness added to the thread reading summaries, so the GUI thread wins the CPU while the
#: summaries, the spectrogram tiles and the GUI all want it (Linux per-thread nice).
SUMMARY_NICE = 5


def long_threshold_seconds() -> float:
    try:
        return float(os.environ.get(LONG_SECONDS_ENV, LONG_SECONDS))
    except ValueError:
        return LONG_SECONDS


def is_long(facts: AudioInfo) -> bool:
    """Long files are decided by header facts: > 10 minutes or > 50 M frames (or the env's)."""
    return facts.duration > long_threshold_seconds() or facts.frames > LONG_FRAMES


@dataclass(eq=False)
class LongClip:
    """The clip interface the window needs (name, rate, length) for a file not held in memory."""

    facts: AudioInfo
    name: str = ""
    long: bool = True
    non_finite: int = 0

    def __post_init__(self) -> None:
        self.name = self.name or self.facts.path.name

    path = property(lambda self: self.facts.path)
    sample_rate = property(lambda self: self.facts.sample_rate)
    frames = property(lambda self: self.facts.frames)
    channels = property(lambda self: self.facts.channels)
    duration = property(lambda self: self.facts.duration)
    format = property(lambda self: self.facts.format)
    subtype = property(lambda self: self.facts.subtype)

    @property
    def samples(self) -> np.ndarray:
        raise ValueError(f"{self.name} is a long file ({self.duration / 60:.0f} min): its samples "
                         "are not held in memory (use the command line for whole-file work)")

    def slice(self, start: float = 0.0, end: float | None = None):
        """The samples between two times, read from the file (an AudioClip); refuses > 10 min."""
        from explorer.model import AudioClip

        a = max(0, min(self.frames, int(round(start * self.sample_rate))))
        b = self.frames if end is None else max(a, min(self.frames, int(round(end * self.sample_rate))))
        if (b - a) / self.sample_rate > long_threshold_seconds():
            raise ValueError("the selection is too long to read into memory")
        data = self.read(a, b)
        return AudioClip(data, self.sample_rate, path=self.path, format=self.format,
                         subtype=self.subtype, name=self.name, warning=self.facts.warning)

    def mono(self) -> np.ndarray:
        return self.samples  # raises: never the whole file

    def read(self, start: int, stop: int) -> np.ndarray:
        """frames x channels float32 of [start, stop) (clamped to the file)."""
        start, stop = max(0, int(start)), min(self.frames, int(stop))
        if stop <= start:
            return np.zeros((0, self.channels), np.float32)
        with Decoder(self.path) as f:  # NaN/inf come out as 0, like every reader's
            return f.read(stop - start) if f.seek(start) else np.zeros((0, self.channels), np.float32)


def _mix(block: np.ndarray) -> np.ndarray:
    return block[:, 0] if block.shape[1] == 1 else np.mean(block.T, axis=0)


def long_summary(clip: LongClip, overview: Overview) -> dict:
    """Info panel rows (header facts; the peak once the summaries are complete) and an array
    preview of the first/last samples."""
    f = clip.facts
    head = _mix(clip.read(0, PREVIEW_FRAMES))
    tail = _mix(clip.read(clip.frames - PREVIEW_FRAMES, clip.frames))
    fmt = lambda a: np.array2string(a, separator=" ")[1:-1].strip()  # noqa: E731
    text = (f"[{fmt(head)} ... {fmt(tail)}]\n(the first and last {PREVIEW_FRAMES} samples, read "
            "from the file: a long file is not decoded into memory)")
    if not overview.complete:
        peak_text = "… (reading the file: shown when the summaries are complete)"
    else:
        top = overview.levels[-1]
        peak = max(float(np.max(np.abs(top.mins))), float(np.max(np.abs(top.maxs)))) \
            if len(top.mins) else 0.0
        peak_text = format_dbfs(20 * np.log10(peak) if peak > 0 else -np.inf) \
            + " (from the summaries)"
        if overview.frames_done < overview.frames:
            peak_text += f" of the first {overview.frames_done} samples (the file ended early)"
    rows = []
    count = overview.non_finite
    warning = join_warnings(f.warning, non_finite_text(count) if count else None)
    if warning:
        rows.append(("Warning", warning))
    rows += [
        ("Sample rate", f"{f.sample_rate} Hz"),
        ("Length", f"{f.frames} samples"),
        ("Duration", f"{f.duration:.3f} s ({f.duration / 3600:.2f} h)"),
        ("Channels", str(f.channels)),
        ("Format", f"{f.format}/{f.subtype}"),
        ("Peak", peak_text),
        ("Long file", f"> {long_threshold_seconds() / 60:g} min or > {LONG_FRAMES // 1_000_000} M "
                      f"frames: read block by block, "
                      f"{summary_nbytes(f.frames, f.channels) / 1e6:.1f} MB of summaries "
                      "in memory; spectrogram in tiles of what is visible"),
    ]
    return {id(clip): (rows, text)}


def long_load_job(facts: AudioInfo):
    """Worker: what a long file shows at once, from its header: the whole time axis, the facts,
    and an empty overview whose builder (`Loaded.builder`) `long_overview_job` then fills."""
    t0 = time.perf_counter()
    clip = LongClip(facts)
    builder = OverviewBuilder.for_file(facts.path)
    overview = builder.snapshot()
    return Loaded(clip, clip, overview, time.perf_counter() - t0, 0.0,
                  long_summary(clip, overview), long=True, builder=builder)


def long_overview_job(builder: OverviewBuilder, clip: LongClip,
                      cancelled=None) -> tuple[Overview, dict]:
    """Worker: reads the summaries block by block (the GUI snapshots `builder` meanwhile) and
    the info panel's text with the peak; `cancelled()` stops it between two blocks.
    Runs at a lower priority: its thread must be one that only ever runs this job."""
    lower_thread_priority(SUMMARY_NICE)
    overview = builder.read_file(cancelled=cancelled)
    return overview, long_summary(clip, overview)


@dataclass(eq=False)
class LongSpectrogram:
    """What the session holds as "the spectrogram" of a long file: a tile source; the view
    computes what is visible. `values` is the last image shown (what an export would save)."""

    source: TileSource
    params: SpectrogramParams
    sample_rate: int
    values: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    times: np.ndarray = field(default_factory=lambda: np.zeros(0))
    stats: SpectrogramStats | None = None
    long: bool = True

    @property
    def frequencies(self) -> np.ndarray:
        return self.source.frequencies

    @property
    def unit(self) -> str:
        if self.params.db:
            return "dB"
        return "magnitude" if self.params.power == 1.0 else "power"

    @property
    def ref_text(self) -> str:
        return ref_text(self.params) if self.params.db else self.unit

    @classmethod
    def open(cls, path: str | Path, params: SpectrogramParams,
             channel: int | None) -> LongSpectrogram:
        source = TileSource(path, params, channel)
        return cls(source, params, source.sample_rate)

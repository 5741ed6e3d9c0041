"""The shared state of the window: current file, clip, selection and spectrogram parameters.

Views observe the session's signals instead of calling each other. All model work (decode,
resample, spectrogram) runs through `Jobs`, so nothing heavy happens on the GUI thread and a
result for a file the user has already left is dropped.

A long file is delivered from its header at once; its waveform summaries are then read in a
pool of their own (one thread, niced: the GUI thread must win the CPU), and stop when the "load"
channel moves on (opening anything else, or shutting down), while a timer hands snapshots of
them to the views a few times a second (`overviewChanged`).
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from explorer.model import AudioClip, AudioFileError, SpectrogramParams, compute, info, load
from explorer.model.overview import Overview
from explorer.ui.common.jobs import Jobs
from explorer.ui.state.loaded import Loaded

#: How often (ms) the summaries read so far are shown while a long file's are built: often
#: enough to see them fill in, rarely enough that redrawing costs the GUI thread little.
PROGRESS_MS = 250


def _summarise(original: AudioClip, clip: AudioClip) -> dict:
    from explorer.ui.info.panel import array_text, clip_rows

    out = {id(original): (clip_rows(original), array_text(original))}
    if clip is not original:
        out[id(clip)] = (clip_rows(clip), array_text(clip))
    return out


def _load_job(path: Path, target_rate: int | None) -> Loaded:
    from explorer.ui.state.long_file import is_long, long_load_job

    try:
        facts = info(path)
    except AudioFileError:
        facts = None  # load() below reports it
    if facts is not None and is_long(facts):
        # header facts now, summaries from the file next (Session._read_summaries)
        return long_load_job(facts)
    t0 = time.perf_counter()
    original = load(path)
    t1 = time.perf_counter()
    clip = original.resample(target_rate) if target_rate else original
    t2 = time.perf_counter()
    return Loaded(original, clip, Overview.from_array(clip.samples, clip.sample_rate), t1 - t0, t2 - t1,
                  _summarise(original, clip))


def _clip_job(original: AudioClip, target_rate: int | None) -> Loaded:
    t0 = time.perf_counter()
    clip = original.resample(target_rate) if target_rate else original
    overview = Overview.from_array(clip.samples, clip.sample_rate)
    return Loaded(original, clip, overview, 0.0, time.perf_counter() - t0, _summarise(original, clip))


def _spectrogram_job(clip: AudioClip, params: SpectrogramParams, channel: int | None):
    return compute(clip, params, channel=channel)


def error_text(exc: BaseException) -> str:
    if isinstance(exc, AudioFileError):
        return exc.reason
    return f"{type(exc).__name__}: {exc}"


class Session(QObject):
    loadStarted = Signal(object)  # Path | None
    clipChanged = Signal(object)  # Loaded
    overviewChanged = Signal(object)  # Overview: more of a long file's summaries (or all)
    overviewComplete = Signal(object)  # Loaded: its summaries are read (final overview, peak)
    loadFailed = Signal(object, str)  # Path | None, message
    spectrogramStarted = Signal()
    spectrogramChanged = Signal(object)  # Spectrogram
    spectrogramFailed = Signal(str)
    paramsChanged = Signal(object)  # SpectrogramParams
    selectionChanged = Signal(object)  # (t0, t1) | None
    status = Signal(str)

    def __init__(self, jobs: Jobs | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.jobs = jobs or Jobs(self)
        self.path: Path | None = None
        self.loaded: Loaded | None = None
        self.error: str | None = None
        self.params = SpectrogramParams()
        self.spec_channel: int | None = None
        self.target_rate: int | None = None
        self.spectrogram = None
        self.spectrogram_seconds = 0.0
        self.selection: tuple[float, float] | None = None
        self._building: Loaded | None = None  # the long file whose summaries are being read
        self._summary_jobs = Jobs(self, max_threads=1)  # only summaries: its thread is niced
        self._progress_timer = QTimer(self, interval=PROGRESS_MS)
        self._progress_timer.timeout.connect(self._summaries_progress)
        self._load_text = ""
        self._spec_text = ""

    # ---- what is shown -------------------------------------------------------------------
    @property
    def clip(self) -> AudioClip | None:
        return self.loaded.clip if self.loaded else None

    @property
    def original(self) -> AudioClip | None:
        return self.loaded.original if self.loaded else None

    def open_path(self, path: str | Path) -> None:
        """Decode a file in the background; the previous request (if any) becomes stale."""
        path = Path(path)
        self.path = path
        self.error = None
        self._stop_summaries()
        self.jobs.cancel("spectrogram")
        self.loadStarted.emit(path)
        self.status.emit(f"Loading {path.name}…")
        self.jobs.submit("load", _load_job, path, self.target_rate,
                         on_done=self._loaded, on_error=self._load_failed)

    def open_clip(self, clip: AudioClip) -> None:
        """Show an in-memory clip (a generated tone, a recording) as the current clip."""
        self.path = None
        self.error = None
        self._stop_summaries()
        self.jobs.cancel("spectrogram")
        self.loadStarted.emit(None)
        self.jobs.submit("load", _clip_job, clip, self.target_rate,
                         on_done=self._loaded, on_error=self._load_failed)

    def set_target_rate(self, rate: int | None) -> None:
        """Resample what is shown and played (None: the file's own rate)."""
        rate = int(rate) if rate else None
        if rate == self.target_rate:
            return
        self.target_rate = rate
        if self.loaded is None:
            return
        if self.loaded.long:
            self.status.emit("Resampling is not offered for long files (it would decode the "
                             "whole file); shown at the file's own rate")
            return
        self.status.emit(f"Resampling to {rate} Hz…" if rate else "Back to the original rate")
        self.jobs.cancel("spectrogram")
        self.jobs.submit("load", _clip_job, self.loaded.original, rate,
                         on_done=self._resampled, on_error=self._load_failed)

    def set_params(self, params: SpectrogramParams) -> None:
        if params == self.params:
            return
        self.params = params
        self.paramsChanged.emit(params)
        self.recompute()

    def set_spec_channel(self, channel: int | None) -> None:
        if channel == self.spec_channel:
            return
        self.spec_channel = channel
        self.recompute()

    def set_selection(self, selection: tuple[float, float] | None) -> None:
        if selection is not None:
            a, b = sorted(selection)
            selection = None if b - a <= 0 else (a, b)
        if selection != self.selection:
            self.selection = selection
            self.selectionChanged.emit(selection)

    def recompute(self) -> None:
        clip = self.clip
        if clip is None:
            return
        channel = self.spec_channel if (self.spec_channel or 0) < clip.channels else None
        self.spectrogramStarted.emit()
        if self.loaded.long:  # tiles of what is visible, computed by the view's tile loader
            from explorer.ui.state.long_file import LongSpectrogram

            # opening the tile source (window, mel basis) runs in the pool too
            self.jobs.submit("spectrogram", LongSpectrogram.open, clip.path, self.params, channel,
                             on_done=self._long_spectrogram_ready,
                             on_error=self._spectrogram_failed)
            return
        self.jobs.submit("spectrogram", _spectrogram_job, clip, self.params, channel,
                         on_done=self._spectrogram_done, on_error=self._spectrogram_failed)

    # ---- results (GUI thread) ------------------------------------------------------------
    def _loaded(self, loaded: Loaded, seconds: float) -> None:
        self.loaded = loaded
        if getattr(self.spectrogram, "long", False):
            self.spectrogram = None  # tiles of the previous (long) file: nothing to show now
        self.selection = None
        self.selectionChanged.emit(None)
        self.clipChanged.emit(loaded)
        clip = loaded.clip
        text = (f"Loaded {loaded.original.name}: {loaded.original.sample_rate} Hz, "
                f"{loaded.original.channels} ch, {loaded.original.duration:.2f} s — "
                + ("long file" if loaded.long
                   else f"decode {loaded.decode_seconds * 1000:.0f} ms"))
        if clip is not loaded.original:
            text += f", resample to {clip.sample_rate} Hz {loaded.resample_seconds * 1000:.0f} ms"
        self._load_text = text
        self._spec_text = ""
        self.status.emit(text + ", spectrogram…")
        self.recompute()  # a long file's tiles need only its header: they start now too
        if loaded.builder is not None:
            self._read_summaries(loaded)

    # ---- a long file's summaries, shown while they are read -------------------------------
    def _read_summaries(self, loaded: Loaded) -> None:
        from explorer.ui.state.long_file import long_overview_job

        self._building = loaded
        generation = self.jobs.generation("load")  # the load that delivered this file
        self._summary_jobs.submit("summaries", long_overview_job, loaded.builder, loaded.clip,
                                  lambda: not self.jobs.is_current("load", generation),
                                  on_done=self._summaries_done, on_error=self._summaries_failed)
        self._progress_timer.start()

    def _stop_summaries(self) -> None:
        """Stops showing a build and drops its result; the job itself stops reading when the
        "load" channel moves on (a new file, or `Jobs.cancel` at shutdown)."""
        self._progress_timer.stop()
        self._building = None
        self._summary_jobs.cancel("summaries")

    def summaries_active(self) -> bool:
        """Whether a long file's summaries are still being read (tests, benchmarks)."""
        return self._summary_jobs.active() > 0

    def _summaries_progress(self) -> None:
        loaded = self._building
        if loaded is None or loaded.builder is None:
            self._stop_summaries()
            return
        overview = loaded.builder.snapshot()
        if overview.frames_done == loaded.overview.frames_done:
            return
        loaded.overview = overview
        self.overviewChanged.emit(overview)
        self.status.emit(f"Long file {loaded.clip.name}: reading the waveform summaries "
                         f"{overview.fraction:.0%}…")

    def _summaries_done(self, result: tuple[Overview, dict], seconds: float) -> None:
        loaded = self._building
        self._stop_summaries()
        if loaded is None or loaded is not self.loaded:
            return
        loaded.overview, loaded.summary = result
        loaded.builder = None
        self._load_text += f", summaries {seconds:.1f} s"
        self.overviewChanged.emit(loaded.overview)
        self.overviewComplete.emit(loaded)
        self.status.emit(self._load_text + self._spec_text)

    def _summaries_failed(self, exc: BaseException, seconds: float) -> None:
        """A read error part way: what was read stays shown, as all there is."""
        from explorer.ui.state.long_file import long_summary

        loaded = self._building
        self._stop_summaries()
        if isinstance(exc, InterruptedError):  # cancelled (shutting down): nothing to show
            return
        if loaded is None or loaded is not self.loaded or loaded.builder is None:
            return
        loaded.overview = loaded.builder.finish()
        loaded.summary = long_summary(loaded.clip, loaded.overview)
        loaded.builder = None
        self.overviewChanged.emit(loaded.overview)
        self.overviewComplete.emit(loaded)
        read = loaded.overview.frames_done / max(1, loaded.overview.frames)
        self.status.emit(f"Could not read all of {loaded.clip.name} ({error_text(exc)}): the "
                         f"waveform shows the first {read:.0%}")

    def _resampled(self, loaded: Loaded, seconds: float) -> None:
        self._loaded(loaded, seconds)

    def _load_failed(self, exc: BaseException, seconds: float) -> None:
        self.loaded = None
        self.spectrogram = None
        self.error = error_text(exc)
        name = self.path.name if self.path else "clip"
        self.loadFailed.emit(self.path, self.error)
        self.status.emit(f"Could not load {name}: {self.error}")

    def _spectrogram_done(self, spec, seconds: float) -> None:
        self.spectrogram = spec
        self.spectrogram_seconds = seconds
        self.spectrogramChanged.emit(spec)
        base = self._load_text
        sep = ", " if base else ""
        self.status.emit(f"{base}{sep}spectrogram {seconds * 1000:.0f} ms "
                         f"({spec.values.shape[0]}×{spec.values.shape[1]})")

    def _long_spectrogram_ready(self, spec, seconds: float) -> None:
        self.spectrogram = spec
        self.spectrogram_seconds = seconds
        self.spectrogramChanged.emit(spec)
        self._spec_text = (f", spectrogram computed in tiles of what is visible "
                           f"({spec.ref_text})")
        self.status.emit(self._load_text + self._spec_text)

    def _spectrogram_failed(self, exc: BaseException, seconds: float) -> None:
        self.spectrogram = None
        self.spectrogramFailed.emit(error_text(exc))
        self.status.emit(f"Spectrogram failed: {error_text(exc)}")

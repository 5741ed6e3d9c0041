"""The Compare window: 2 to 4 clips stacked on one time axis (linked zoom, one playhead, one
hover cursor), the session's spectrogram parameters, a gain per clip, A/B playback, and for two
clips at the same rate their difference spectrogram and alignment; their stats beside them.

All model work (decoding, spectrograms, the difference, the alignment, the stats, the playback
buffers) runs on the window's job pool; the GUI thread only hands arrays to the views."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from explorer.model import AudioClip, SpectrogramParams, compute
from explorer.model.compare import (
    MAX_CLIPS,
    align,
    difference,
    measurements,
    playback_buffers,
    shift,
    with_gain,
)
from explorer.model.overview import Overview
from explorer.ui.common.jobs import Jobs
from explorer.ui.compare.ab import ABPlayback
from explorer.ui.compare.difference import DifferenceView
from explorer.ui.compare.stats import StatsTable
from explorer.ui.compare.track import LETTERS, TrackView, hover_line

#: The A/B key: the next clip is heard from the same position (1-4 pick one).
SWITCH_KEY = "B"


def load_clips(paths: list[Path]) -> list[AudioClip]:
    """Decode the files to compare whole (a long file, over 10 minutes, is refused: say why)."""
    from explorer.model import AudioFileError, info, load
    from explorer.ui.state.long_file import is_long

    clips = []
    for path in paths:
        try:
            facts = info(path)
            if is_long(facts):
                raise ValueError(f"{path.name} is too long to compare "
                                 f"({facts.duration / 60:.0f} minutes): cut a part of it first")
            clips.append(load(path))
        except AudioFileError as exc:
            raise ValueError(f"{path.name}: {exc.reason}") from exc
    return clips


def _display_job(clip: AudioClip, gain_db: float, lag: int, params: SpectrogramParams):
    """What a track shows: the clip shifted and with its gain, its summaries, its spectrogram."""
    shown = with_gain(shift(clip, lag), gain_db)
    return shown, Overview.from_array(shown.samples, shown.sample_rate), compute(shown, params)


class CompareWindow(QWidget):
    """`loaded` once the clips are shown (tests); `failed(message)` when they cannot be."""

    loaded = Signal()
    measured = Signal()  # the stats are in
    failed = Signal(str)

    def __init__(self, player=None, params: SpectrogramParams | None = None,
                 colormap: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Compare")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.jobs = Jobs(self)
        self.params = params or SpectrogramParams()
        self.colormap = colormap
        self.clips: list[AudioClip] = []
        self.tracks: list[TrackView] = []
        self.lag = 0  # samples B is delayed by (the alignment found), when applied
        self.alignment = None
        self.shown: list[AudioClip | None] = []  # what each track shows (gain, offset applied)
        self._fitted = False  # every track was shown once: from then on the zoom is the user's
        self.ab = ABPlayback(player, self)

        # ---- the bar: transport, A/B, alignment -----------------------------------------------
        self.play_button = QPushButton("Play")
        self.play_button.setToolTip("Play or pause (Space)")
        self.play_button.clicked.connect(self.ab.toggle)
        self.stop_button = QPushButton("Stop")
        self.stop_button.clicked.connect(self.ab.stop)
        self.heard_box = QComboBox()
        self.heard_box.setToolTip(f"Which clip is heard; {SWITCH_KEY} switches to the next at "
                                  "the same position, without a gap (1–4 pick one)")
        self.heard_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.heard_box.setMinimumContentsLength(28)
        self.heard_box.currentIndexChanged.connect(lambda i: self.ab.switch(i) if i >= 0 else None)
        self.align_button = QPushButton("Find offset")
        self.align_button.setToolTip("Cross-correlate B with A: by how much B is late or early")
        self.align_button.clicked.connect(self.find_offset)
        self.apply_box = QCheckBox("Apply offset")
        self.apply_box.setToolTip("Shift B by the offset found, in its views and its playback")
        self.apply_box.setEnabled(False)
        self.apply_box.toggled.connect(self.apply_offset)
        self.offset_label = QLabel("")
        self.offset_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 0)
        bar.addWidget(self.play_button)
        bar.addWidget(self.stop_button)
        bar.addSpacing(12)
        bar.addWidget(QLabel(f"Heard ({SWITCH_KEY} switches):"))
        bar.addWidget(self.heard_box)
        bar.addSpacing(18)
        bar.addWidget(self.align_button)
        bar.addWidget(self.apply_box)
        bar.addWidget(self.offset_label, 1)

        # ---- the stack, the difference, the stats ---------------------------------------------
        self.stack = QSplitter(Qt.Orientation.Vertical)
        self.stack.setChildrenCollapsible(False)
        self.difference = DifferenceView()
        self.difference.hide()
        self.difference_hover = hover_line()
        self.difference.plot.addItem(self.difference_hover, ignoreBounds=True)
        self.difference.plot.scene().sigMouseMoved.connect(
            lambda pos: self._hover(self.difference, pos))
        self.stats = StatsTable()
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #9a9a9a;")
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(4, 0, 4, 0)
        side_layout.addWidget(QLabel("<b>Stats</b> (as the dataset scan measures them)"))
        side_layout.addWidget(self.stats, 1)
        side_layout.addWidget(self.note)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.stack)
        self.split.addWidget(side)
        self.split.setStretchFactor(0, 4)
        self.split.setStretchFactor(1, 1)
        self.split.setChildrenCollapsible(False)
        self.split.setSizes([960, 320])
        self.status = QLabel(" ")
        self.status.setStyleSheet("font-family: monospace;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.split, 1)
        layout.addWidget(self.status)

        # ---- keys --------------------------------------------------------------------------------
        self.actions: dict[str, QAction] = {}
        self._key("play", "Play / pause", self.ab.toggle, " ")
        self._key("switch", "A/B: hear the next clip at the same position", self.ab.switch,
                  SWITCH_KEY)
        for i in range(MAX_CLIPS):
            self._key(f"hear{i}", f"Hear {LETTERS[i]}", lambda i=i: self.ab.switch(i), str(i + 1))
        self._key("start", "Go to start", lambda: self.ab.seek(0.0), "Home")
        self._key("close", "Close", self.close, QKeySequence.StandardKey.Close)

        self.ab.positionChanged.connect(self._show_position)
        self.ab.stateChanged.connect(
            lambda s: self.play_button.setText("Pause" if s == "playing" else "Play"))
        self.ab.currentChanged.connect(self._heard_changed)
        self.ab.failed.connect(lambda msg: self.status.setText(f"Playback failed: {msg}"))
        if player is None:  # no sound device: say so rather than offer a Play that is silent
            for button in (self.play_button, self.stop_button):
                button.setEnabled(False)
                button.setToolTip("Playback unavailable: no sound output")
        self.resize(1280, 800)

    def _key(self, name: str, text: str, slot, key) -> None:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        self.actions[name] = action

    # ---- opening ------------------------------------------------------------------------------
    def open_paths(self, paths: list[Path]) -> None:
        """Decode the files on the pool, then show them."""
        paths = [Path(p) for p in paths]
        self.setWindowTitle("Compare — " + ", ".join(p.name for p in paths))
        self.status.setText(f"Loading {len(paths)} files…")
        self.jobs.submit("load", load_clips, paths, on_done=lambda clips, _s: self.set_clips(clips),
                         on_error=lambda exc, _s: self._fail(exc))

    def open_job(self, fn, *args) -> None:
        """Clips made on the pool (a resampled copy): fn(*args) returns them."""
        self.status.setText("Preparing the clips…")
        self.jobs.submit("load", fn, *args, on_done=lambda clips, _s: self.set_clips(clips),
                         on_error=lambda exc, _s: self._fail(exc))

    def _fail(self, exc: BaseException) -> None:
        reason = getattr(exc, "reason", None) or str(exc) or type(exc).__name__
        self.status.setText(f"Cannot compare: {reason}")
        self.failed.emit(reason)

    def set_clips(self, clips: list[AudioClip]) -> None:
        """Stack 2 to 4 clips (the first four of more)."""
        clips = list(clips)[:MAX_CLIPS]
        if not clips:
            return
        self.ab.stop()
        self.ab.current = 0
        for track in self.tracks:
            track.setParent(None)
            track.deleteLater()
        self.clips = clips
        self.lag = 0
        self.alignment = None
        self._fitted = False
        self.shown = [None] * len(clips)
        self.setWindowTitle("Compare — " + ", ".join(c.name for c in clips))
        self.tracks = []
        for i, clip in enumerate(clips):
            track = TrackView(i, clip)
            if self.colormap:
                track.spectrogram.set_colormap(self.colormap)
            if i:  # one time axis: every view follows A's waveform
                track.waveform.plot.setXLink(self.tracks[0].waveform.plot)
            track.gainChanged.connect(self._gain_changed)
            for view in track.views():
                view.seekRequested.connect(self.ab.seek)
                view.selectionChanged.connect(self._selection)
                view.plot.scene().sigMouseMoved.connect(
                    lambda pos, v=view: self._hover(v, pos))
            self.stack.insertWidget(i, track)
            self.tracks.append(track)
        self.stack.addWidget(self.difference)
        self.difference.link_x(self.tracks[0].waveform.plot)
        self.difference.seekRequested.connect(self.ab.seek)
        self.heard_box.blockSignals(True)
        self.heard_box.clear()
        self.heard_box.addItems([f"{LETTERS[i]}: {c.name}" for i, c in enumerate(clips)])
        self.heard_box.blockSignals(False)
        pair = self.pair_ok()
        self.align_button.setEnabled(pair)
        self.apply_box.blockSignals(True)
        self.apply_box.setChecked(False)
        self.apply_box.setEnabled(False)
        self.apply_box.blockSignals(False)
        self.offset_label.setText("")
        self.difference.setVisible(pair)
        self.difference.clear("computing…" if pair else "")
        self.note.setText("" if pair else self._pair_note())
        self.stats.set_letters([LETTERS[i] for i in range(len(clips))])
        side = 130 + 75 * len(clips)  # each column as wide as "-0.00012"
        self.split.setSizes([max(self.split.width() - side, 400), side])
        self.jobs.submit("stats", measurements, clips,
                         on_done=lambda rows, _s: self._measured(rows),
                         on_error=lambda exc, _s: self.note.setText(f"Stats failed: {exc}"))
        self.status.setText(" ")
        self.refresh()

    def _measured(self, rows) -> None:
        self.stats.set_measurements(rows)
        self.measured.emit()

    def pair_ok(self) -> bool:
        """Two clips at one rate: a difference and an alignment make sense."""
        return len(self.clips) == 2 and self.clips[0].sample_rate == self.clips[1].sample_rate

    def _pair_note(self) -> str:
        if len(self.clips) != 2:
            return f"Difference and alignment: for two clips (here {len(self.clips)})."
        return (f"Difference and alignment: for two clips at one rate (here "
                f"{self.clips[0].sample_rate} and {self.clips[1].sample_rate} Hz).")

    # ---- what is shown and heard --------------------------------------------------------------
    def gains(self) -> list[float]:
        return [t.gain_db for t in self.tracks]

    def lags(self) -> list[int]:
        return [self.lag if i == 1 else 0 for i in range(len(self.clips))]

    def refresh(self, only: int | None = None) -> None:
        """Recompute what the tracks show (all, or one), the difference and the buffers."""
        gains, lags = self.gains(), self.lags()
        for i, clip in enumerate(self.clips):
            if only is None or only == i:
                self.jobs.submit(f"track{i}", _display_job, clip, gains[i], lags[i], self.params,
                                 on_done=lambda r, _s, i=i: self._track_ready(i, *r),
                                 on_error=lambda exc, _s, i=i: self.tracks[i].spectrogram.clear(
                                     f"spectrogram failed: {exc}"))
        self.jobs.submit("buffers", playback_buffers,
                         [shift(c, g) for c, g in zip(self.clips, lags, strict=True)], gains,
                         on_done=lambda r, _s: self._buffers_ready(*r),
                         on_error=lambda exc, _s: self.status.setText(f"Playback: {exc}"))

    def _track_ready(self, i: int, shown: AudioClip, overview: Overview, spec) -> None:
        track = self.tracks[i]
        first = self.tracks[0].waveform.viewbox
        # the user's zoom stays when a track is redrawn; until all are shown, all of them fit
        keep = first.viewRange()[0] if self._fitted else None
        self.shown[i] = shown
        track.waveform.set_overview(overview, shown.sample_rate)
        track.spectrogram.set_spectrogram(spec)
        track.compact(last=i == len(self.tracks) - 1 and not self.pair_ok())
        self._share_axis(keep)
        if all(s is not None for s in self.shown):
            self._fitted = True
            if self.pair_ok():
                self.jobs.submit("difference", difference, self.shown[0], self.shown[1],
                                 self.params,
                                 on_done=lambda d, _s: self._difference_ready(d),
                                 on_error=lambda exc, _s: self.difference.clear(
                                     f"difference failed: {exc}"))
            else:
                self.loaded.emit()

    def _difference_ready(self, spec) -> None:
        self.difference.set_spectrogram(spec)
        self.difference.plot.getAxis("left").showLabel(False)  # as the tracks' above it
        self.loaded.emit()

    def _share_axis(self, keep: tuple[float, float] | None) -> None:
        """Every waveform spans the longest clip (its own limits would stop the linked zoom at
        its own end), at the range the user had."""
        end = max(c.duration + lag / c.sample_rate
                  for c, lag in zip(self.clips, self.lags(), strict=True))
        for track in self.tracks:
            box = track.waveform.viewbox
            box.setLimits(xMin=-0.02 * end, xMax=1.02 * end,
                          minXRange=min(8 / max(c.sample_rate for c in self.clips), end))
        lo, hi = keep if keep is not None else (0.0, end)
        self.tracks[0].waveform.viewbox.setXRange(lo, hi, padding=0)
        for track in self.tracks[1:]:
            track.waveform.viewbox.setXRange(lo, hi, padding=0)

    def _buffers_ready(self, rate: int, buffers) -> None:
        self.ab.set_buffers(rate, buffers)

    def _gain_changed(self, index: int, _db: float) -> None:
        self.refresh(only=index)

    def set_params(self, params: SpectrogramParams) -> None:
        """The main window's spectrogram parameters changed: the same here."""
        if params != self.params:
            self.params = params
            self.shown = [None] * len(self.clips)
            self.refresh()

    def set_colormap(self, name: str) -> None:
        self.colormap = name
        for track in self.tracks:
            track.spectrogram.set_colormap(name)

    # ---- alignment ----------------------------------------------------------------------------
    def find_offset(self) -> None:
        if not self.pair_ok():
            return
        self.offset_label.setText("cross-correlating…")
        self.jobs.submit("align", align, self.clips[0], self.clips[1],
                         on_done=lambda a, _s: self._aligned(a),
                         on_error=lambda exc, _s: self.offset_label.setText(f"failed: {exc}"))

    def _aligned(self, alignment) -> None:
        self.alignment = alignment
        self.offset_label.setText(f"B → A: {alignment.text()}")
        self.apply_box.setEnabled(alignment.lag != 0)
        if alignment.lag == 0:
            self.offset_label.setText(f"B → A: {alignment.text()} (already aligned)")

    def apply_offset(self, on: bool) -> None:
        """Shift B by the offset found (its views, the difference and its playback)."""
        lag = self.alignment.lag if on and self.alignment is not None else 0
        if lag == self.lag:
            return
        self.lag = lag
        self.shown[1] = None
        self.refresh(only=1)

    # ---- cursor, selection, position ---------------------------------------------------------
    def all_views(self) -> list:
        views = [v for t in self.tracks for v in t.views()]
        return views + ([self.difference] if self.difference.isVisible() else [])

    def _show_position(self, seconds: float) -> None:
        for track in self.tracks:
            track.set_playhead(seconds)
        self.difference.set_playhead(seconds)

    def _selection(self, selection) -> None:
        for view in self.all_views():
            view.set_selection(selection)

    def _hover(self, view, pos) -> None:
        if not view.plot.sceneBoundingRect().contains(pos):
            return
        seconds = float(view.viewbox.mapSceneToView(pos).x())
        self.set_hover(seconds)

    def set_hover(self, seconds: float | None) -> None:
        """The hover cursor, drawn at the same time in every stacked view."""
        for track in self.tracks:
            track.set_hover(seconds)
        if seconds is None:
            self.difference_hover.hide()
        else:
            self.difference_hover.setValue(seconds)
            self.difference_hover.show()
        if seconds is not None:
            self.status.setText(f"t = {seconds:.4f} s   " + "   ".join(
                f"{t.letter}: sample {int(round(seconds * c.sample_rate))}"
                for t, c in zip(self.tracks, self.clips, strict=True)))

    def _heard_changed(self, index: int) -> None:
        for track in self.tracks:
            track.set_heard(track.index == index)
        if self.heard_box.currentIndex() != index:
            self.heard_box.blockSignals(True)
            self.heard_box.setCurrentIndex(index)
            self.heard_box.blockSignals(False)

    # ---- closing ------------------------------------------------------------------------------
    def shutdown(self) -> None:
        self.ab.stop()
        for channel in ("load", "stats", "buffers", "difference", "align",
                        *(f"track{i}" for i in range(MAX_CLIPS))):
            self.jobs.cancel(channel)
        self.jobs.wait(5000)

    def closeEvent(self, event) -> None:  # noqa: N802
        self.ab.stop()
        super().closeEvent(event)

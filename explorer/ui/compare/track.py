"""One compared clip: its waveform and spectrogram (the window's own views) under a header with
its letter, name and rate, and its gain in dB (applied to what is drawn and what is heard)."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QSlider, QSplitter, QVBoxLayout, QWidget

from explorer.model import AudioClip
from explorer.model.compare import GAIN_RANGE_DB
from explorer.ui.spectrogram.view import SpectrogramView
from explorer.ui.waveform.view import WaveformView

LETTERS = "ABCD"
#: the hover cursor drawn across every stacked view (the playhead is red)
HOVER_COLOUR = "#e0e0e0"
HEARD_STYLE = "color: #7CFC98;"


def hover_line() -> pg.InfiniteLine:
    line = pg.InfiniteLine(0, angle=90, pen=pg.mkPen(HOVER_COLOUR, width=1,
                                                     style=Qt.PenStyle.DotLine))
    line.setZValue(9)
    line.hide()
    return line


class TrackView(QWidget):
    """`gainChanged(index, db)` when the user moves the gain."""

    gainChanged = Signal(int, float)

    def __init__(self, index: int, clip: AudioClip, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.clip = clip
        self.letter = LETTERS[index]
        self.waveform = WaveformView()
        self.spectrogram = SpectrogramView()
        self.spectrogram.link_x(self.waveform.plot)
        # the views' own headers say "Waveform" and the hint: here the row names the clip
        wave = self.waveform
        wave.title.setText(self._title(heard=index == 0))
        wave.title.setToolTip(str(clip.path) if clip.path else clip.name)
        wave.hint.setText("")  # the view shows its hint again with each new clip
        wave.cursor_label.hide()
        wave.setMinimumHeight(64)
        spec = self.spectrogram
        spec.title.hide()
        spec.stats_label.hide()
        spec.cursor_label.hide()
        spec.setMinimumHeight(84)

        self.gain_spin = QDoubleSpinBox()
        self.gain_spin.setRange(*GAIN_RANGE_DB)
        self.gain_spin.setSingleStep(0.5)
        self.gain_spin.setDecimals(1)
        self.gain_spin.setSuffix(" dB")
        self.gain_spin.setToolTip(f"Gain of {self.letter}: applied to its waveform, spectrogram, "
                                  "difference and playback (not to its stats)")
        self.gain_slider = QSlider(Qt.Orientation.Horizontal)
        self.gain_slider.setRange(int(GAIN_RANGE_DB[0] * 2), int(GAIN_RANGE_DB[1] * 2))
        self.gain_slider.setFixedWidth(120)
        self.gain_slider.setToolTip(self.gain_spin.toolTip())
        self.gain_slider.valueChanged.connect(lambda v: self.gain_spin.setValue(v / 2))
        self.gain_spin.valueChanged.connect(self._gain_edited)
        top = wave.layout().itemAt(0).layout()  # the waveform's header row
        at = top.indexOf(wave.channel_box)
        top.insertWidget(at, QLabel("gain"))
        top.insertWidget(at + 1, self.gain_slider)
        top.insertWidget(at + 2, self.gain_spin)
        top.insertSpacing(at + 3, 8)

        self.hover = [hover_line(), hover_line()]
        wave.plot.addItem(self.hover[0], ignoreBounds=True)
        spec.plot.addItem(self.hover[1], ignoreBounds=True)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(wave)
        split.addWidget(spec)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addWidget(split)

    def compact(self, last: bool) -> None:
        """Room for the curves in a stack of four: the waveform's time axis is the spectrogram's
        just below it, and the axis titles (the views set them again with each array) go, but
        for the bottom one's "time"."""
        self.waveform.plot.hideAxis("bottom")
        self.waveform.plot.getAxis("left").showLabel(False)
        self.spectrogram.plot.getAxis("left").showLabel(False)
        self.spectrogram.plot.getAxis("bottom").showLabel(last)

    def _title(self, heard: bool) -> str:
        clip = self.clip
        mark = f"<span style='{HEARD_STYLE}'>♪ heard</span>" if heard else ""
        return (f"<b>{self.letter}</b>&nbsp; {clip.name} &nbsp;<span style='color:#9a9a9a'>"
                f"{clip.sample_rate} Hz · {clip.duration:.2f} s</span> &nbsp;{mark}")

    def set_heard(self, heard: bool) -> None:
        self.waveform.title.setText(self._title(heard))

    @property
    def gain_db(self) -> float:
        return float(self.gain_spin.value())

    def set_gain(self, db: float) -> None:
        self.gain_spin.setValue(db)

    def _gain_edited(self, db: float) -> None:
        self.gain_slider.blockSignals(True)
        self.gain_slider.setValue(int(round(db * 2)))
        self.gain_slider.blockSignals(False)
        self.gainChanged.emit(self.index, float(db))

    def views(self) -> tuple[WaveformView, SpectrogramView]:
        return self.waveform, self.spectrogram

    def set_playhead(self, seconds: float) -> None:
        self.waveform.set_playhead(seconds)
        self.spectrogram.set_playhead(seconds)

    def set_hover(self, seconds: float | None) -> None:
        for line in self.hover:
            if seconds is None:
                line.hide()
            else:
                line.setValue(seconds)
                line.show()

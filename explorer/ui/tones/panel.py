"""Tone generator panel: the notebook's `make_tone` experiments as a widget.

A list of tones (wave, frequency, amplitude, duration) is mixed or played in sequence at a chosen
sample rate by `explorer.model.tones.render` (the same code as `audio-explorer tone`); the panel
shows the first samples as points and the whole result, warns where aliasing or clipping would
surprise the listener, plays the result at x0.5 / x1 / x2 (a click plays) or any rate typed in Hz
(Enter plays), saves it as WAV and hands it to the explorer views as an `AudioClip`.

The panel composes its parts: the tone table (table.py), the rate controls (rates.py) and the
plots (preview.py); the words it shows come from describe.py. It keeps the settings (preset,
combine, sample rate), the result, the messages and saving and playing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from explorer.model import AudioClip, from_array
from explorer.model.tones import DEFAULT_SAMPLE_RATE, ToneSpec, render, write_wav
from explorer.ui.common.flow_layout import flow_row, group
from explorer.ui.tones.describe import (
    MAX_PLAYBACK_FACTOR,
    MAX_SAMPLE_RATE,
    MIN_SAMPLE_RATE,
    NORMALISE_PEAK,
    PRESETS,
    alias_warnings,
    clip_name,
    rate_note,
)
from explorer.ui.tones.preview import TonePreview, continuous_wave
from explorer.ui.tones.rates import RateControls
from explorer.ui.tones.settings import ToneSettings
from explorer.ui.tones.table import COL_AMP, COL_DUR, COL_END, COL_FREQ, COL_WAVE, ToneTable

# The table's column numbers were defined here before the split; tests still ask this module.
__all__ = ["COL_AMP", "COL_DUR", "COL_END", "COL_FREQ", "COL_WAVE", "ToneGeneratorPanel"]

_ERROR_STYLE = "QLabel { color: #ff6e6e; }"
_NOTE_STYLE = "color: #9a9a9a;"


class ToneGeneratorPanel(QWidget):
    """Make, see, hear, save and explore test tones."""

    #: An `AudioClip` of the current result, for the explorer views.
    openInExplorer = Signal(object)
    #: The result (tones, sample rate or combine) changed.
    resultChanged = Signal()
    #: Playback started (True) or ended (False).
    playingChanged = Signal(bool)

    def __init__(self, player=None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ToneGeneratorPanel")
        self._player = player
        self._combine = "mix"
        self._sample_rate = DEFAULT_SAMPLE_RATE
        self._rate_factor = 1.0
        self._result: np.ndarray | None = None
        self._was_playing = False

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(30)
        self._refresh_timer.timeout.connect(self.refresh)
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(100)
        self._poll_timer.timeout.connect(self._poll_player)

        self._build()
        self._sync_rate_widgets()
        self.refresh()

    # ---------------------------------------------------------------- construction
    def _build(self) -> None:
        # One column of controls over the plots. Rows wrap (FlowLayout) so the panel fits a
        # ~300 px dock and spreads out in a wider one; everything that appears or changes length
        # (rate note, status, warnings) sits BELOW the buttons, so nothing moves under the mouse.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        # presets, combine and sample rate (the values are the panel's)
        self.tone_settings = ToneSettings(self)
        self.preset_combo = self.tone_settings.preset_combo
        self.combine_combo = self.tone_settings.combine_combo
        self.rate_spin = self.tone_settings.rate_spin
        self.tone_settings.presetChosen.connect(self.apply_preset)
        self.tone_settings.combineChosen.connect(self._on_combine_changed)
        self.tone_settings.sampleRateChosen.connect(self._on_sample_rate_changed)
        layout.addLayout(self.tone_settings.preset_row)

        # tone table: one row per tone, every cell editable in place, its buttons below
        self.table = ToneTable([ToneSpec(500)])
        self.table.tonesChanged.connect(self._changed)
        self.add_button = self.table.add_button
        self.remove_button = self.table.remove_button
        self.up_button = self.table.up_button
        self.down_button = self.table.down_button
        layout.addWidget(self.table)
        layout.addWidget(self.table.buttons)
        layout.addWidget(self.tone_settings.row)

        # play at a rate: each rate button plays at once; Enter in the typed rate plays too
        self.rates = RateControls(self)
        self.speed_group = self.rates.speed_group
        self.speed_buttons = self.rates.speed_buttons
        self.play_rate_spin = self.rates.play_rate_spin
        self.rates.factorClicked.connect(self.play_at)
        self.rates.rateTyped.connect(self.set_playback_rate_hz)
        self.rates.rateEntered.connect(self._on_play_rate_entered)
        layout.addWidget(self.rates.row)

        # actions
        self.play_button = QPushButton("Play")
        self.play_button.setToolTip("Play at the chosen rate")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setEnabled(False)
        self.save_button = QPushButton("Save WAV…")
        self.open_button = QPushButton("Open in explorer")
        self.open_button.setToolTip("Show this result in the waveform and spectrogram views")
        self.play_button.clicked.connect(self.play)
        self.stop_button.clicked.connect(self.stop)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.open_button.clicked.connect(self.open_in_explorer)
        layout.addWidget(flow_row(group(self.play_button, self.stop_button),
                                  group(self.save_button, self.open_button), spacing=12))

        # one message area with two lines reserved, under the buttons (nothing jumps): what
        # happened (playing, saved, an error) or else what the chosen rate will sound like
        self.status_label = self._message_label()
        layout.addWidget(self.status_label)
        self._status = ""
        self._status_error = False
        self._rate_note = ""

        # what the plots show
        self.preview = TonePreview(self)
        self.preview.optionsChanged.connect(self._schedule_refresh)
        self.first_n_spin = self.preview.first_n_spin
        self.continuous_check = self.preview.continuous_check
        layout.addWidget(self.preview.options)

        # warnings (they push the plots down, never a control)
        self.warning_frame = self.preview.warning_frame
        self.warning_label = self.preview.warning_label
        self.normalise_button = self.preview.normalise_button
        self.normalise_button.clicked.connect(lambda: self.normalise())
        layout.addWidget(self.warning_frame)

        # plots
        p = self.preview
        self.samples_plot, self.samples_curve = p.samples_plot, p.samples_curve
        self.continuous_curve, self.clip_lines = p.continuous_curve, p.clip_lines
        self.wave_plot, self.wave_curve = p.wave_plot, p.wave_curve
        self.first_n_region = p.first_n_region
        layout.addWidget(self.samples_plot, 1)
        layout.addWidget(self.wave_plot, 1)

    def _message_label(self) -> QLabel:
        """A wrapped message line with two lines reserved, so a message appearing moves nothing."""
        label = QLabel()
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        label.setMinimumHeight(2 * label.fontMetrics().lineSpacing() + 2)
        return label

    # ---------------------------------------------------------------- tones (the table's)
    def tones(self) -> list[ToneSpec]:
        """The tones, top to bottom."""
        return self.table.tones()

    def set_tones(self, specs: Sequence[ToneSpec]) -> None:
        self.table.set_tones(specs)

    def add_tone(self, spec: ToneSpec | None = None) -> None:
        """Append `spec` (default: the selected tone an octave up, or 500 Hz sine, 1 s, 0.1)."""
        self.table.add_tone(spec)

    def remove_tone(self, row: int | None = None) -> None:
        self.table.remove_tone(row)

    def move_tone(self, delta: int, row: int | None = None) -> None:
        """Move a tone (default: the selected one) up (-1) or down (+1)."""
        self.table.move_tone(delta, row)

    # ---------------------------------------------------------------- presets
    def presets(self) -> list[str]:
        return list(PRESETS)

    def apply_preset(self, name: str) -> None:
        """Load one of the notebook's experiments (tones, combine and 16 kHz)."""
        specs, combine = PRESETS[name]
        self._combine = combine
        self._sample_rate = DEFAULT_SAMPLE_RATE
        self._sync_settings_widgets()
        self.table.set_tones(specs)  # says tonesChanged: one _changed for the whole preset

    # ---------------------------------------------------------------- settings
    def combine(self) -> str:
        return self._combine

    def set_combine(self, combine: str) -> None:
        if combine not in ("mix", "sequence"):
            raise ValueError("combine must be 'mix' or 'sequence'")
        self._combine = combine
        self._sync_settings_widgets()
        self._changed()

    def sample_rate(self) -> int:
        return self._sample_rate

    def set_sample_rate(self, sample_rate: int) -> None:
        sample_rate = int(sample_rate)
        if not MIN_SAMPLE_RATE <= sample_rate <= MAX_SAMPLE_RATE:
            raise ValueError(f"sample rate must be {MIN_SAMPLE_RATE} to {MAX_SAMPLE_RATE} Hz")
        self._sample_rate = sample_rate
        self._sync_settings_widgets()
        self._changed()

    def _sync_settings_widgets(self) -> None:
        self.tone_settings.show(self._combine, self._sample_rate)
        self._sync_rate_widgets()

    def _on_combine_changed(self, combine: str) -> None:
        self._combine = combine
        self._changed()

    def _on_sample_rate_changed(self, value: int) -> None:
        self._sample_rate = int(value)
        self._sync_rate_widgets()
        self._changed()

    # ---------------------------------------------------------------- playback rate
    def playback_rate(self) -> float:
        """Speed factor: 2.0 plays twice as fast and an octave higher."""
        return self._rate_factor

    def playback_rate_hz(self) -> int:
        return int(round(self._sample_rate * self._rate_factor))

    def set_playback_rate(self, factor: float) -> None:
        if not 0 < factor <= MAX_PLAYBACK_FACTOR:
            raise ValueError(f"playback rate must be above 0 and at most {MAX_PLAYBACK_FACTOR}")
        self._rate_factor = float(factor)
        self._sync_rate_widgets()

    def set_playback_rate_hz(self, rate_hz: float) -> None:
        """Play as if recorded at `rate_hz` (the notebook's `Audio(y, rate=sr*2)`)."""
        self.set_playback_rate(float(rate_hz) / self._sample_rate)

    def play_at(self, factor: float) -> bool:
        """Choose the speed factor and play at it (what a rate button does)."""
        self.set_playback_rate(factor)
        return self.play()

    def _on_play_rate_entered(self, rate_hz: int) -> None:
        """Enter in the typed rate: take the rate (already interpreted by the spin box), play."""
        self.set_playback_rate_hz(rate_hz)
        self.play()

    def _sync_rate_widgets(self) -> None:
        self.rates.show_rate(self._rate_factor, self._sample_rate)
        self._rate_note = rate_note(self._rate_factor, self.table.tones(), self._sample_rate)
        self._show_message()

    # ---------------------------------------------------------------- result
    def result(self) -> np.ndarray:
        """The current result: float64 mono samples at `sample_rate()`."""
        if self._result is None:
            self._result = render(self.table.tones(), self._sample_rate, self._combine)
        return self._result

    def continuous_wave(self, n: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(sample index, value) of the wave behind the first `n` samples, drawn between them;
        None when unchecked, for noise and chirps, or when too long (`preview.continuous_wave`)."""
        if not self.continuous_check.isChecked():
            return None
        return continuous_wave(self.table.tones(), self._sample_rate, self._combine, n)

    def peak(self) -> float:
        r = self.result()
        return float(np.max(np.abs(r))) if r.size else 0.0

    def is_clipping(self) -> bool:
        return self.peak() > 1.0

    def warnings(self) -> list[str]:
        """Aliasing and clipping warnings for the current tones (plain text)."""
        out = alias_warnings(self.table.tones(), self._sample_rate)
        if self.is_clipping():
            out.append(f"The peak is {self.peak():.3g}, above 1.0: it will clip (distort) when "
                       f"played or saved as 16-bit. Normalise scales it to {NORMALISE_PEAK}.")
        return out

    def normalise(self, peak: float = NORMALISE_PEAK) -> float:
        """Scale every tone's amplitude so the result peaks at `peak`; returns the gain."""
        current = self.peak()
        if current <= 0:
            return 1.0
        gain = peak / current
        self.table.set_tones([replace(s, amplitude=s.amplitude * gain)
                              for s in self.table.tones()])
        self._set_status(f"Amplitudes scaled by {gain:.3g}: the peak is now {peak:g}.")
        return gain

    def clip(self) -> AudioClip:
        """The result as an `AudioClip` named after its tones."""
        return from_array(self.result(), self._sample_rate,
                          clip_name(self.table.tones(), self._combine))

    def open_in_explorer(self) -> AudioClip:
        clip = self.clip()
        self.openInExplorer.emit(clip)
        return clip

    def save_wav(self, path: str | Path, subtype: str = "PCM_16") -> Path:
        """Write the result as WAV (`PCM_16` or `FLOAT`); returns the path written."""
        written = write_wav(path, self.result(), self._sample_rate, subtype)
        self._set_status(f"Saved {written.name} ({subtype}, {self._sample_rate} Hz).")
        return written

    def _on_save_clicked(self) -> None:
        pcm, flt = "WAV, 16-bit PCM (*.wav)", "WAV, 32-bit float (*.wav)"
        default = clip_name(self.table.tones(), self._combine).replace(" ", "_") + ".wav"
        path, chosen = QFileDialog.getSaveFileName(self, "Save tone as WAV", default,
                                                   f"{pcm};;{flt}")
        if not path:
            return
        try:
            self.save_wav(path, "FLOAT" if chosen == flt else "PCM_16")
        except Exception as exc:  # a full disk or a read-only folder: say so, do not crash
            message = str(exc) if isinstance(exc, OSError) else f"Could not save {path}: {exc}"
            self._set_status(message, error=True)
            QMessageBox.warning(self, "Save WAV", message)

    # ---------------------------------------------------------------- playback
    def player(self):
        return self._player

    def play(self) -> bool:
        """Play the result at the playback rate; False (and a message) when it cannot."""
        samples = self.result()
        if samples.size == 0:
            self._set_status("Nothing to play: add a tone with a duration.", error=True)
            return False
        try:
            if self._player is None:
                from explorer.audio.player import Player

                self._player = Player()
            self._player.play(samples.astype(np.float32), self._sample_rate,
                              rate=self._rate_factor)
        except Exception as exc:  # AudioUnavailable above all: no sound device
            self._set_status(f"Cannot play: {exc}", error=True)
            self._set_playing(False)
            return False
        self._set_status(f"Playing at {self.playback_rate_hz()} Hz (x{self._rate_factor:g}).")
        self._set_playing(True)
        self._poll_timer.start()
        return True

    def stop(self) -> None:
        if self._player is not None:
            try:
                self._player.stop()
            except Exception as exc:
                self._set_status(f"Cannot stop: {exc}", error=True)
        self._poll_timer.stop()
        self._set_playing(False)

    def _poll_player(self) -> None:
        state = getattr(self._player, "state", "stopped")
        if state == "stopped":
            self._poll_timer.stop()
            self._set_playing(False)
            self._set_status("")

    def _set_playing(self, playing: bool) -> None:
        self.play_button.setEnabled(True)
        self.stop_button.setEnabled(playing)
        if playing != self._was_playing:
            self._was_playing = playing
            self.playingChanged.emit(playing)

    def _set_status(self, text: str, error: bool = False) -> None:
        self._status, self._status_error = text, error
        self._show_message()

    def _show_message(self) -> None:
        text = self._status or self._rate_note
        style = _ERROR_STYLE if self._status_error else ("" if self._status else _NOTE_STYLE)
        self.status_label.setStyleSheet(style)
        self.status_label.setText(text)
        self.status_label.setToolTip(text)

    def status_text(self) -> str:
        """The last message (playing, saved, an error); '' when none."""
        return self._status

    def rate_note(self) -> str:
        """What the chosen playback rate does to the sound (shown when there is no message)."""
        return self._rate_note

    # ---------------------------------------------------------------- views
    def _changed(self) -> None:
        self._result = None
        self._sync_rate_widgets()
        self._schedule_refresh()
        self.resultChanged.emit()

    def _schedule_refresh(self) -> None:
        self._refresh_timer.start()

    def refresh(self) -> None:
        """Redraw the plots and warnings now (normally done shortly after each change)."""
        self._refresh_timer.stop()
        y = self.result()
        n = self.preview.first_n(len(y))
        self.preview.draw(y, self._sample_rate, n, self.continuous_wave(n), self.peak())

        self.preview.show_warnings(self.warnings(), self.is_clipping())
        self.save_button.setEnabled(len(y) > 0)
        self.open_button.setEnabled(len(y) > 0)
        self.play_button.setEnabled(True)

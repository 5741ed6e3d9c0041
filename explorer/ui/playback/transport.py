"""Transport: play/pause, stop, loop, position, rate, resample, volume and output device."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QWidget,
)

from explorer.ui.common.time_axis import format_clock

NO_OUTPUT = "no sound device available: no output device"
RATES = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
RESAMPLE_RATES = (8000, 16000, 22050, 32000, 44100, 48000)


def format_time(seconds: float, hours: bool = False) -> str:
    """m:ss.sss, or h:mm:ss.sss (for a file of an hour or more), as the time axes read."""
    return format_clock(max(0.0, seconds), 3, hours or seconds >= 3600)


def make_player():
    """(player, devices, message): a real Player when PortAudio and an output exist. A sound
    server that does not answer (frozen) gives a player marked lost: Play looks again."""
    try:
        from explorer.audio.devices import audio_status, output_devices, server_stuck
        from explorer.audio.player import Player
    except Exception as exc:  # no audio package, no sounddevice...
        return None, [], f"Playback unavailable: {exc}"
    ok, message = audio_status()  # bounded: ~3 s at most on a frozen server
    if not ok and server_stuck():
        player = Player(device=None)
        player.lost = message
        return player, [], f"Playback unavailable for now: {message}"
    if not ok:
        return None, [], f"Playback unavailable: {message}"
    try:
        devices = output_devices()
        return Player(device=None), devices, message
    except Exception as exc:
        return None, [], f"Playback unavailable: {exc}"


class Playback(QObject):
    """Drives a Player for the current clip; polls its position at display rate."""

    positionChanged = Signal(float)  # seconds of the shown clip
    stateChanged = Signal(str)  # "stopped" | "playing" | "paused"
    failed = Signal(str)
    deviceLost = Signal(str)  # the sound device went away while playing (the reason)
    notice = Signal(str)  # what playback is doing for the status bar ("looking for a device")
    devicesChanged = Signal(list)  # output devices found again after a loss
    _refreshed = Signal(object, str)  # (outputs, "") or (None, why): from the refresh thread

    def __init__(self, player=None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.player = player
        self.clip = None
        self.rate = 1.0
        self.volume = 1.0
        self.loop = False
        self.selection: tuple[float, float] | None = None
        self.cursor = 0.0  # where play starts when stopped (seconds)
        self._state = "stopped"
        self.timer = QTimer(self, interval=16)
        self.timer.timeout.connect(self._poll)
        # after a lost device, Play first lists the devices again (off the GUI thread)
        self._refresh_needed = bool(getattr(player, "lost", None))
        self._refreshing = False
        self._refreshed.connect(self._devices_refreshed)

    @property
    def available(self) -> bool:
        return self.player is not None

    @property
    def state(self) -> str:
        return self._state

    def set_clip(self, clip) -> None:
        self.stop()
        self.clip = clip
        self.cursor = 0.0
        self.selection = None
        self.positionChanged.emit(0.0)

    def _frames(self, seconds: float) -> int:
        return int(round(seconds * self.clip.sample_rate)) if self.clip else 0

    def _selection_frames(self):
        if self.selection:
            a, b = self.selection
            return self._frames(a), self._frames(b)
        return None

    def _loop_frames(self):
        return self._selection_frames() if self.loop else None

    def play(self) -> None:
        """From the cursor; with a selection, the selection (from the cursor when it is inside),
        which loop repeats, as Audacity's Play does."""
        if self.player is None or self.clip is None or self._refreshing:
            return
        if self._refresh_needed:
            self._refresh_then_play()
            return
        start, end, loop = self._frames(self.cursor), None, False
        region = self._selection_frames()
        if region:
            start = start if region[0] <= start < region[1] else region[0]
            end, loop = region[1], self.loop
            region = region if loop else None
        elif start >= self.clip.frames - 1:
            start = 0
        self._start(start, end, loop, region)

    def _start(self, start: int, end: int | None, loop: bool, region) -> None:
        try:
            self.player.set_volume(self.volume)
            self.player.play(self.clip.samples, self.clip.sample_rate, rate=self.rate,
                             start=start, end=end, loop=loop)
            if region:
                self.player.set_loop(region)
        except Exception as exc:
            self.failed.emit(str(exc))
            return
        self._set_state("playing")
        self.timer.start()

    def toggle(self) -> None:
        if self._state == "playing":
            self.pause()
        elif self._state == "paused" and self.player is not None:
            self.player.resume()
            self._set_state("playing")
            self.timer.start()
        else:
            self.play()

    def play_selection(self) -> None:
        """The selection from its start (or the clip from the cursor when there is none)."""
        if self.selection is not None:
            self.stop()
            self.seek(self.selection[0])
        self.play()

    def pause(self) -> None:
        if self.player is not None and self._state == "playing":
            self.player.pause()
            self._set_state("paused")

    def stop(self) -> None:
        if self.player is not None and self._state != "stopped":
            self.player.stop()
        self.timer.stop()
        self._set_state("stopped")
        self.positionChanged.emit(self.cursor)

    def seek(self, seconds: float) -> None:
        if self.clip is not None:
            seconds = min(max(0.0, seconds), self.clip.duration)
        self.cursor = seconds
        region = self._selection_frames()
        frame = self._frames(seconds)
        if region and not self.loop and not region[0] <= frame < region[1] and (
                self.player is not None and self._state != "stopped"):
            # playing a selection once, the user went elsewhere: play on from there (the
            # player ends at the selection's end and would stop at once)
            if self._state == "playing":
                self._start(frame, None, False, None)
            else:
                self.stop()  # paused: the cursor waits there
        elif self.player is not None and self._state != "stopped":
            self.player.seek(frame)
        self.positionChanged.emit(seconds)

    def set_rate(self, rate: float) -> None:
        self.rate = float(rate)
        if self.player is not None:
            try:
                self.player.set_rate(self.rate)
            except Exception as exc:  # e.g. the device went away
                self.failed.emit(str(exc))

    def set_volume(self, volume: float) -> None:
        self.volume = float(volume)
        if self.player is not None:
            self.player.set_volume(self.volume)

    def set_device(self, device) -> None:
        if self.player is not None:
            try:
                self.player.set_device(device)
            except Exception as exc:
                self.failed.emit(str(exc))

    def set_selection(self, selection) -> None:
        self.selection = selection
        self._apply_loop()

    def set_loop(self, on: bool) -> None:
        self.loop = bool(on)
        self._apply_loop()

    def _apply_loop(self) -> None:
        if self.player is not None and self._state != "stopped":
            try:
                self.player.set_loop(self._loop_frames())
            except Exception as exc:
                self.failed.emit(str(exc))

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.stateChanged.emit(state)

    def _refresh_then_play(self) -> None:
        """After a lost device: list the devices again on a thread (PortAudio re-initialised,
        bounded to ~3 s), then play if an output answers."""
        self._refreshing = True
        self.notice.emit("Looking for a sound device…")

        def run() -> None:
            try:
                from explorer.audio.devices import refresh_devices

                found = [d for d in refresh_devices() if d.max_output_channels > 0]
                self._refreshed.emit(found, "" if found else NO_OUTPUT)
            except Exception as exc:  # AudioUnavailable: frozen server, no PortAudio...
                self._refreshed.emit(None, str(exc))

        threading.Thread(target=run, daemon=True, name="device-refresh").start()

    def _devices_refreshed(self, found, why: str) -> None:
        self._refreshing = False
        if not found:
            self.failed.emit(why)
            return
        self._refresh_needed = False
        self.devicesChanged.emit(found)
        self.notice.emit(f"Sound device found: {found[0].name if len(found) == 1 else 'ready'}")
        self.play()

    def _device_lost(self, reason: str) -> None:
        """The player lost its device: stop the transport where it was, keep the clip."""
        seconds = float(self.player.position) / self.clip.sample_rate if self.clip else 0.0
        self.player.stop()
        self.timer.stop()
        self._refresh_needed = True
        self.cursor = seconds
        self._set_state("stopped")
        self.positionChanged.emit(seconds)
        self.deviceLost.emit(reason)

    def _read_failed(self, reason: str) -> None:
        """The file stopped giving samples while playing (gone, unplugged, unreadable): stop
        where playback was and say why; Play tries again from there."""
        seconds = float(self.player.position) / self.clip.sample_rate
        self.player.stop()
        self.timer.stop()
        self.cursor = seconds
        self._set_state("stopped")
        self.positionChanged.emit(seconds)
        self.failed.emit(reason)

    def _poll(self) -> None:
        if self.player is None or self.clip is None:
            return
        check = getattr(self.player, "check", None)  # the watchdog: a frozen or gone device
        lost = check() if check is not None else None
        if lost and self._state != "stopped":
            self._device_lost(lost)
            return
        seconds = float(self.player.position) / self.clip.sample_rate
        state = getattr(self.player, "state", "playing")  # a long file may read its next window
        unreadable = getattr(self.player, "read_error", None)  # which failed (windowed.py)
        if unreadable and self._state != "stopped":
            self._read_failed(unreadable)
            return
        if state == "stopped" and self._state == "playing":
            self.timer.stop()
            self._set_state("stopped")
            self.cursor = 0.0 if seconds >= self.clip.duration - 1e-3 else seconds
            self.positionChanged.emit(seconds)
            return
        self.positionChanged.emit(seconds)


class TransportBar(QWidget):
    """The controls; talks to a Playback and asks the session to resample."""

    resampleRequested = Signal(object)  # int | None

    def __init__(self, playback: Playback, devices=(), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.playback = playback
        self.duration = 0.0

        def button(text: str, tip: str) -> QToolButton:
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tip)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            b.setMinimumWidth(28)
            return b

        self.play_button = button("▶ Play", "Play / pause (Space); with a selection, plays the selection")
        self.play_button.setMinimumWidth(72)
        self.stop_button = button("■ Stop", "Stop and go back to the cursor")
        self.loop_box = QCheckBox("Loop selection")
        self.loop_box.setToolTip("Loop the selected region (drag on the waveform to select)")
        self.position = QLabel("0:00.000 / 0:00.000")
        self.position.setStyleSheet("font-family: monospace;")
        self.position.setMinimumWidth(self.position.fontMetrics().horizontalAdvance(
            "00:00.000 / 00:00.000") + 8)

        self.rate_box = QComboBox()
        self.rate_box.setEditable(True)
        for r in RATES:
            self.rate_box.addItem(f"×{r:g}", r)
        self.rate_box.setCurrentIndex(RATES.index(1.0))
        self.rate_box.setToolTip("Playback rate (×0.25 to ×4); type a value to set your own")
        self.rate_box.setMinimumContentsLength(5)
        self.half_button = button("×0.5", "Half speed")
        self.one_button = button("×1", "Normal speed")
        self.double_button = button("×2", "Double speed")

        self.resample_box = QComboBox()
        self.resample_box.setEditable(True)
        self.resample_box.addItem("original", None)
        for r in RESAMPLE_RATES:
            self.resample_box.addItem(str(r), r)
        self.resample_box.lineEdit().setValidator(None)
        self.resample_box.setToolTip(
            "Resample what is shown and played (as librosa.load(sr=...)); type any rate in Hz")
        self.resample_box.setMinimumContentsLength(7)

        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(0, 100)
        self.volume.setValue(100)
        self.volume.setFixedWidth(80)
        self.volume.setToolTip("Volume")
        self.device_box = QComboBox()
        self.device_box.setToolTip("Output device")
        self.device_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.device_box.setMinimumContentsLength(14)
        self.device_box.addItem("default output", None)
        for d in devices:
            self.device_box.addItem(getattr(d, "name", str(d)), getattr(d, "index", d))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(6)
        for w in (self.play_button, self.stop_button, self.loop_box, self.position):
            layout.addWidget(w)
        layout.addSpacing(10)
        layout.addWidget(QLabel("Rate"))
        layout.addWidget(self.rate_box)
        for w in (self.half_button, self.one_button, self.double_button):
            layout.addWidget(w)
        layout.addSpacing(10)
        layout.addWidget(QLabel("Resample"))
        layout.addWidget(self.resample_box)
        layout.addWidget(QLabel("Hz"))
        layout.addSpacing(10)
        layout.addWidget(QLabel("Vol"))
        layout.addWidget(self.volume)
        layout.addWidget(self.device_box)
        layout.addStretch(1)

        self.play_button.clicked.connect(playback.toggle)
        self.stop_button.clicked.connect(playback.stop)
        self.loop_box.toggled.connect(playback.set_loop)
        self.rate_box.activated.connect(lambda _i: self._rate_from_box())
        self.rate_box.lineEdit().editingFinished.connect(self._rate_from_box)
        self.half_button.clicked.connect(lambda: self.set_rate(0.5))
        self.one_button.clicked.connect(lambda: self.set_rate(1.0))
        self.double_button.clicked.connect(lambda: self.set_rate(2.0))
        self.resample_box.activated.connect(lambda _i: self._resample_from_box())
        self.resample_box.lineEdit().editingFinished.connect(self._resample_from_box)
        self.volume.valueChanged.connect(lambda v: playback.set_volume(v / 100))
        self.device_box.activated.connect(
            lambda _i: playback.set_device(self.device_box.currentData()))
        playback.stateChanged.connect(self._state_changed)
        playback.positionChanged.connect(self._position_changed)
        playback.devicesChanged.connect(self.set_devices)
        self.set_available(playback.available)

    def set_devices(self, devices) -> None:
        """The output devices found again (after a lost device); keeps the choice by name."""
        chosen = self.device_box.currentText()
        self.device_box.clear()
        self.device_box.addItem("default output", None)
        for d in devices:
            self.device_box.addItem(getattr(d, "name", str(d)), getattr(d, "index", d))
        index = max(self.device_box.findText(chosen), 0)
        self.device_box.setCurrentIndex(index)
        if self.playback.player is not None:  # indices may have changed
            self.playback.set_device(self.device_box.itemData(index))

    def set_available(self, available: bool) -> None:
        for w in (self.play_button, self.stop_button, self.loop_box, self.rate_box,
                  self.half_button, self.one_button, self.double_button, self.volume,
                  self.device_box):
            w.setEnabled(available)

    # ---- rate -------------------------------------------------------------------------------
    def set_rate(self, rate: float) -> None:
        rate = min(4.0, max(0.25, float(rate)))
        index = self.rate_box.findData(rate)
        if index < 0:
            self.rate_box.setEditText(f"×{rate:g}")
        else:
            self.rate_box.setCurrentIndex(index)
        self.playback.set_rate(rate)

    def _rate_from_box(self) -> None:
        text = self.rate_box.currentText().strip().lstrip("×xX*").strip()
        try:
            self.set_rate(float(text))
        except ValueError:
            self.set_rate(self.playback.rate)

    # ---- resample ---------------------------------------------------------------------------
    def _resample_from_box(self) -> None:
        text = self.resample_box.currentText().strip().lower().removesuffix("hz").strip()
        if text in ("", "original", "none"):
            self.set_target_rate(None)
            return
        try:
            rate = int(float(text))
        except ValueError:
            self.set_target_rate(None)
            return
        self.set_target_rate(rate if 100 <= rate <= 384000 else None)

    def set_target_rate(self, rate: int | None, emit: bool = True) -> None:
        index = self.resample_box.findData(rate)
        if index >= 0:
            self.resample_box.setCurrentIndex(index)
        else:
            self.resample_box.setEditText(str(rate))
        if emit:
            self.resampleRequested.emit(rate)

    # ---- feedback ---------------------------------------------------------------------------
    def set_duration(self, seconds: float) -> None:
        self.duration = seconds
        self._position_changed(self.playback.cursor)

    def _position_changed(self, seconds: float) -> None:
        hours = self.duration >= 3600
        self.position.setText(f"{format_time(seconds, hours)} / {format_time(self.duration)}")

    def _state_changed(self, state: str) -> None:
        self.play_button.setText("❚❚ Pause" if state == "playing" else "▶ Play")

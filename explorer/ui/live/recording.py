"""The live view's recording: the last N seconds as a clip for the main views, or as WAV."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QFileDialog, QMessageBox

from explorer.model import AudioClip, from_array


class LiveRecording:
    """Record and Save WAV of the live view (a mixin of LiveView: its kept samples)."""

    def recorded_samples(self) -> np.ndarray:
        if self.history is None:
            return np.zeros(0, np.float32)
        return self.history.latest(self.history.capacity)

    def record_clip(self) -> AudioClip | None:
        """The last N seconds as a clip (None before anything arrived)."""
        samples = self.recorded_samples()
        if not samples.size or not self.rate:
            return None
        label = self.source.label if self.source is not None else "live"
        name = f"Live {label} {time.strftime('%H-%M-%S')}"
        return from_array(samples, self.rate, name=name)

    def record(self) -> AudioClip | None:
        """Take the last N seconds and emit openInExplorer with them."""
        clip = self.record_clip()
        if clip is None:
            self._show_message("nothing recorded yet")
            return None
        self.last_recording = clip
        self.openInExplorer.emit(clip)
        return clip

    def save_wav(self, path: str | Path, clip: AudioClip | None = None) -> Path:
        """Write a clip (default: the last recording, else the last N seconds) as float WAV,
        atomically (WriteError says why it failed)."""
        from explorer.model import atomic

        clip = clip or self.last_recording or self.record_clip()
        if clip is None:
            raise ValueError("nothing recorded yet")
        return atomic.write_sound(Path(path), clip.samples, clip.sample_rate, subtype="FLOAT",
                                  format="WAV")

    def _save_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save live recording", "live.wav",
                                              "WAV files (*.wav)")
        if not path:
            return
        try:
            self.save_wav(path)
        except (OSError, ValueError, RuntimeError) as exc:  # WriteError: path and cause in words
            message = str(exc) if isinstance(exc, OSError) else f"cannot save: {exc}"
            self.status_label.setText(message)
            QMessageBox.warning(self, "Save live recording", message)
        else:
            self.status_label.setText(f"saved {path}")

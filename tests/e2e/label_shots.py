"""Screenshots of labelling (run on a real X display, e.g. Xvfb): the speech sample with word-like
intervals (its voiced stretches, found by energy) and a point tier, and the robin with a box around
each chirp on the spectrogram; the label files are written beside copies of the samples.

    python -m tests.e2e.label_shots WORK_DIR OUT_DIR    (DISPLAY set)
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import librosa
import numpy as np
import soundfile as sf

from explorer.model.annotations.formats import write_labels
from explorer.model.annotations.tiers import Annotations, Label, Tier
from explorer.resources import samples_dir
from tests.e2e.shots import photograph, settle


def speech_labels(audio: Path) -> Annotations:
    """Voiced stretches as numbered words, grouped into two phrases, and a point per pause."""
    y, sr = sf.read(audio, dtype="float32")
    spans = librosa.effects.split(y, top_db=28, frame_length=1024, hop_length=128) / sr
    words = [Label(round(float(a), 3), round(float(b), 3), f"w{i + 1}")
             for i, (a, b) in enumerate(spans) if b - a > 0.08]
    half = len(words) // 2
    phrases = [Label(words[0].start, words[half - 1].end, "phrase A"),
               Label(words[half].start, words[-1].end, "phrase B")]
    pauses = [Label(round((a.end + b.start) / 2, 3), None, "pause")
              for a, b in zip(words, words[1:], strict=False) if b.start - a.end > 0.25]
    return Annotations([Tier("phrases", "interval", phrases), Tier("words", "interval", words),
                        Tier("pauses", "point", pauses)])


def robin_boxes(audio: Path) -> Annotations:
    """A box per chirp: its time span by energy, its band where its spectrum is within 20 dB of
    its peak."""
    y, sr = sf.read(audio, dtype="float32")
    y = y.mean(axis=1) if y.ndim == 2 else y
    boxes = []
    for a, b in librosa.effects.split(y, top_db=25, frame_length=2048, hop_length=256):
        if (b - a) / sr < 0.05:
            continue
        spec = np.abs(librosa.stft(y[a:b], n_fft=2048)) ** 2
        power = spec.mean(axis=1)
        freqs = librosa.fft_frequencies(sr=sr, n_fft=2048)
        keep = np.flatnonzero(power >= power.max() / 300)
        lo, hi = float(freqs[keep.min()]), float(freqs[keep.max()])
        boxes.append(Label(round(a / sr, 3), round(b / sr, 3), "robin", round(max(lo - 200, 0)),
                           round(hi + 200)))
    return Annotations([Tier("calls", "box", boxes)])


def shoot(app, window, audio: Path, shot: Path, setup=None) -> None:
    window.open_paths([str(audio)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (window.spectrogram.spec is None or window.jobs.active()
                                           or window.annotations.path != audio):
        settle(app, 0.1)
    if setup is not None:
        setup(window)
    settle(app, 1.0)
    photograph(shot)
    print(shot, flush=True)


def main(work: Path, out: Path) -> int:
    from explorer.ui.shell.app import close_window, make_application

    work.mkdir(parents=True, exist_ok=True)
    speech = work / "speech_198-209-0000.wav"
    robin = work / "robin_44k_stereo.wav"
    for path in (speech, robin):
        shutil.copyfile(samples_dir() / path.name, path)
    write_labels(speech_labels(speech), speech.with_suffix(".TextGrid"))
    write_labels(robin_boxes(robin), robin.with_suffix(".selections.txt"))

    app = make_application([sys.argv[0]])
    from explorer.ui.shell.main_window import MainWindow

    window = MainWindow()
    window.show()
    settle(app, 0.3)
    window.showMaximized()
    settle(app, 0.3)
    screen = window.screen().availableGeometry()
    if window.width() < screen.width():
        window.setGeometry(screen)
    window.dataset.dock.hide()

    def speech_view(w) -> None:
        w.waveform.viewbox.setXRange(0.0, 7.0, padding=0)
        labels = w.annotations.editor.annotations.tier("words").labels
        w.annotations.panel.tier_box.setCurrentIndex(w.annotations.panel.tier_box.findData("words"))
        w.annotations.go_to("words", labels[3])

    def robin_view(w) -> None:
        labels = w.annotations.editor.annotations.tier("calls").labels
        if labels:
            w.annotations.go_to("calls", labels[0])

    shoot(app, window, speech, out / "labels-speech.png", speech_view)
    shoot(app, window, robin, out / "labels-robin.png", robin_view)
    close_window(window)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))

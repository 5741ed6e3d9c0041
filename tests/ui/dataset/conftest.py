"""A small dataset with known defects, each file's transcript beside it, and a view scanning it."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile as sf

RATE = 16000
#: name -> (transcript, what the file is)
TRANSCRIPTS = {"clean": "the quick brown fox", "clipped": "a very loud sentence",
               "other_rate": "spoken at another rate"}


def _tone(seconds: float, rate: int = RATE, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amp * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def make_dataset(folder):
    """clean, clipped, silent, dc, other_rate (44.1 kHz), a duplicate of clean, a broken file,
    a long file (a duration outlier); transcripts as .txt beside three of them."""
    folder.mkdir(parents=True, exist_ok=True)
    clean = _tone(1.0)
    sf.write(folder / "clean.wav", clean, RATE, subtype="PCM_16")
    sf.write(folder / "clipped.wav", np.clip(_tone(1.0, amp=3.0), -1, 1), RATE, subtype="PCM_16")
    sf.write(folder / "silent.wav", np.zeros(RATE, np.float32), RATE, subtype="PCM_16")
    sf.write(folder / "dc.wav", _tone(1.0, amp=0.1) + 0.3, RATE, subtype="PCM_16")
    sf.write(folder / "other_rate.wav", _tone(1.1, rate=44100), 44100, subtype="PCM_16")
    sf.write(folder / "same_as_clean.wav", clean, RATE, subtype="PCM_16")
    sf.write(folder / "long.wav", _tone(9.0), RATE, subtype="PCM_16")
    (folder / "broken.wav").write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunkjunkjunk")
    for name, text in TRANSCRIPTS.items():
        (folder / f"{name}.txt").write_text(text + "\n")
    return folder


@pytest.fixture(autouse=True)
def private_scan_cache(tmp_path, monkeypatch):
    """The scan cache of each test in its own folder (the window scans with the cache on)."""
    monkeypatch.setenv("AUDIO_EXPLORER_CACHE_DIR", str(tmp_path / "scan-cache"))


@pytest.fixture
def dataset_dir(tmp_path):
    return make_dataset(tmp_path / "data")


@pytest.fixture
def scanned_view(qtbot, dataset_dir):
    """A DatasetView that listed and measured the dataset (two worker processes)."""
    from explorer.model.dataset import scan_folder
    from explorer.ui.dataset.view import DatasetView

    view = DatasetView()
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    with qtbot.waitSignal(view.scanFinished, timeout=60000):
        view.set_folder(scan_folder(dataset_dir), dataset_dir)
    yield view
    view.shutdown()

"""Fixtures for the GUI tests: private settings, a fake player, a main window on the samples."""

from __future__ import annotations

import pytest

from explorer.ui.settings import ENV


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    """Every test gets its own settings file, so nothing leaks into the user's or other tests."""
    folder = tmp_path / "settings"
    monkeypatch.setenv(ENV, str(folder))
    return folder


class FakePlayer:
    """Player's interface without sound: records what the window asked for."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.state = "stopped"
        self.rate = 1.0
        self.volume = 1.0
        self.position = 0
        self.loop = None
        self.device = None
        self.on_finished = None
        self.queued = 0  # frames chained after the playing buffer (a test sets 0 to "switch")

    def play(self, samples, sample_rate, rate=1.0, start=0, end=None, loop=False, more=False):
        self.calls.append(("play", len(samples), sample_rate, rate, start, end, loop))
        self.state, self.rate, self.position, self.queued = "playing", rate, start, 0

    def queue_next(self, samples, last=True, play_id=None):
        self.calls.append(("queue_next", len(samples), last))
        self.queued += len(samples)
        return True

    def pause(self):
        self.calls.append(("pause",))
        self.state = "paused"

    def resume(self):
        self.calls.append(("resume",))
        self.state = "playing"

    def stop(self):
        self.calls.append(("stop",))
        self.state = "stopped"

    def seek(self, frame):
        self.calls.append(("seek", frame))
        self.position = frame
        return True

    def set_loop(self, region):
        self.calls.append(("set_loop", region))
        self.loop = region

    def set_rate(self, rate):
        self.calls.append(("set_rate", rate))
        self.rate = rate

    def set_volume(self, volume):
        self.calls.append(("set_volume", volume))
        self.volume = volume

    def set_device(self, device):
        self.calls.append(("set_device", device))
        self.device = device

    def wait(self, timeout=None):
        return True

    @property
    def position_seconds(self):
        return self.position

    def called(self, name):
        return [c for c in self.calls if c[0] == name]


@pytest.fixture
def fake_player():
    return FakePlayer()


@pytest.fixture
def make_window(qtbot, fake_player):
    """Builds main windows (fake player unless told) and shuts them down after the test."""
    from explorer.ui.main_window import MainWindow

    windows = []

    def make(player=fake_player):
        window = MainWindow(player=player)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.shutdown()


def wait_loaded(qtbot, window, path, timeout=30000):
    """Waits until the window shows `path` and its spectrogram."""

    def check():
        loaded = window.session.loaded
        assert loaded is not None and loaded.original.path == path
        spec = window.spectrogram.spec
        assert spec is not None and spec is window.session.spectrogram
        assert not window.jobs.active()

    qtbot.waitUntil(check, timeout=timeout)


@pytest.fixture
def window_on_samples(qtbot, make_window, samples_dir):
    window = make_window()
    window.open_paths([str(samples_dir)])
    first = sorted(samples_dir.glob("*.wav"))[0]
    wait_loaded(qtbot, window, first)
    return window

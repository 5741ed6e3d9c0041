"""Fixtures for the GUI tests: private settings and a main window on the samples (the fake player
is in tests/conftest.py, shared with the audio tests)."""

from __future__ import annotations

import pytest

from explorer.ui.shell.settings import ENV


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    """Every test gets its own settings file, so nothing leaks into the user's or other tests."""
    folder = tmp_path / "settings"
    monkeypatch.setenv(ENV, str(folder))
    return folder


@pytest.fixture
def make_window(qtbot, fake_player):
    """Builds main windows (fake player unless told) and shuts them down after the test."""
    from explorer.ui.shell.main_window import MainWindow

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


@pytest.fixture
def save_dialog(monkeypatch):
    """answer(module, path): that module's save dialog picks `path`; its warning boxes' texts are
    collected in the list it returns (what the user would have read)."""

    def answer(module, path, selected_filter: str = "") -> list[str]:
        warnings: list[str] = []
        monkeypatch.setattr(module.QFileDialog, "getSaveFileName",
                            staticmethod(lambda *a, **k: (str(path), selected_filter)))
        monkeypatch.setattr(module.QMessageBox, "warning",
                            staticmethod(lambda parent, title, text, *a: warnings.append(text)))
        return warnings

    return answer


"""A copy of a speech sample with labels beside it, a window on it, and mouse/keyboard helpers
that drive the real widgets (pyqtgraph's scene needs mouse events with the button held)."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import wait_loaded

SPEECH = "speech_198-209-0000.wav"
#: Word-like intervals on the speech sample, as Audacity writes a label track.
AUDACITY = "0.500000\t0.900000\tthe\n1.100000\t1.600000\tword\n2.000000\t2.700000\tspeech\n"


@pytest.fixture
def labelled(tmp_path, samples_dir):
    """(audio, its Audacity label file) in a folder of their own."""
    folder = tmp_path / "data"
    folder.mkdir()
    audio = folder / SPEECH
    shutil.copyfile(samples_dir / SPEECH, audio)
    labels = folder / (audio.stem + ".txt")
    labels.write_bytes(AUDACITY.encode())
    return audio, labels


@pytest.fixture
def window_on(qtbot, make_window):
    """window_on(audio): a window showing `audio` (loaded, spectrogram drawn)."""

    def make(audio):
        window = make_window()
        window.open_paths([str(audio)])
        wait_loaded(qtbot, window, audio)
        qtbot.waitUntil(lambda: window.annotations.path == audio)
        # the spectrogram drawn and its overlay redrawn over the whole clip (labels are drawn
        # for the x range in view, which is the clip's once the spectrogram is shown)
        overlay = window.annotations.spectrogram_overlay
        qtbot.waitUntil(lambda: window.spectrogram.spec is not None, timeout=20000)
        qtbot.waitUntil(lambda: not overlay._timer.isActive())
        return window

    return make


def view_point(view, t: float, y: float) -> QPoint:
    """The pixel of (time, y) in `view`'s plot widget (viewport coordinates)."""
    scene = view.viewbox.mapViewToScene(QPointF(t, y))
    return view.plot_widget.mapFromScene(scene)


def _send(widget, kind, pos: QPoint, buttons, button, modifiers) -> None:
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons,
                        modifiers)
    QApplication.sendEvent(widget, event)


def drag(qtbot, view, a: QPoint, b: QPoint,
         modifiers=Qt.KeyboardModifier.NoModifier, steps: int = 8) -> None:
    """Press at `a`, move to `b` in steps with the left button held, release: a user's drag."""
    widget = view.plot_widget.viewport()
    left = Qt.MouseButton.LeftButton
    _send(widget, QEvent.Type.MouseButtonPress, a, left, left, modifiers)
    for i in range(1, steps + 1):
        qtbot.wait(5)
        p = QPoint(a.x() + (b.x() - a.x()) * i // steps, a.y() + (b.y() - a.y()) * i // steps)
        _send(widget, QEvent.Type.MouseMove, p, left, Qt.MouseButton.NoButton, modifiers)
    _send(widget, QEvent.Type.MouseButtonRelease, b, Qt.MouseButton.NoButton, left, modifiers)
    qtbot.wait(10)


def double_click(qtbot, view, at: QPoint) -> None:
    widget = view.plot_widget.viewport()
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    _send(widget, QEvent.Type.MouseButtonPress, at, left, left, none)
    _send(widget, QEvent.Type.MouseButtonRelease, at, Qt.MouseButton.NoButton, left, none)
    _send(widget, QEvent.Type.MouseButtonDblClick, at, left, left, none)
    _send(widget, QEvent.Type.MouseButtonRelease, at, Qt.MouseButton.NoButton, left, none)
    qtbot.wait(10)


def type_label(qtbot, window, text: str) -> None:
    """Type into the label prompt the window shows, then Enter."""
    prompt = window.annotations.prompt
    qtbot.waitUntil(prompt.isVisible)
    prompt.selectAll()
    qtbot.keyClicks(prompt, text)
    qtbot.keyClick(prompt, Qt.Key.Key_Return)

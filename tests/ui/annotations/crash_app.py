"""The real app (explorer.ui.shell.app.run) with a small driver for the crash test: `edit` mode
labels the file through the window's keys and prompt, then writes a marker and keeps running
(the test SIGKILLs it); `check` mode waits for the file's labels and writes what the window
shows (labels and status bar) as JSON, then quits.

    python -m tests.ui.annotations.crash_app edit|check AUDIO OUT.json
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from explorer.ui.shell.app import make_application, run

#: (start, end, text) of the labels `edit` makes, then the first is renamed.
EDITS = ((0.2, 0.4, "one"), (0.8, 1.0, "two"), (1.5, 1.9, "três"))
RENAMED = "ONE"


def _window():
    from explorer.ui.shell.main_window import MainWindow

    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    return found[0] if found else None


def _ready(audio: Path):
    window = _window()
    if window is None or window.session.loaded is None or window.annotations.path != audio:
        return None
    if not window.isActiveWindow():  # keys go to the active window, as a user's do
        window.activateWindow()
        return None
    return window


def _type(window, text: str) -> None:
    """Key presses carrying each character (QTest's keyClicks knows only ASCII), then Return."""
    prompt = window.annotations.prompt
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(prompt, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
    QTest.keyClick(prompt, Qt.Key.Key_Return)


def edit(window, out: Path) -> None:
    plot = window.waveform.plot_widget
    for a, b, text in EDITS:
        window.session.set_selection((a, b))
        QTest.keyClick(plot, Qt.Key.Key_L)
        _type(window, text)
    first = window.annotations.editor.annotations.tiers[0].labels[0]
    window.annotations.editor.set_current((window.annotations.editor.annotations.tiers[0].name,
                                           first))
    QTest.keyClick(plot, Qt.Key.Key_F2)
    window.annotations.prompt.selectAll()
    _type(window, RENAMED)
    out.write_text(json.dumps({"done": time.time(), "labels": len(window.annotations.editor.annotations)}))


def check(window, out: Path) -> None:
    ann = window.annotations.editor.annotations
    out.write_text(json.dumps({
        "status": window.annotations.status_label.text(),
        "labels": [[t.name, lab.start, lab.end, lab.label] for t in ann.tiers for lab in t.labels],
        "restored": window.annotations.restored}, ensure_ascii=False))
    QTimer.singleShot(100, QApplication.quit)


def main() -> int:
    mode, audio, out = sys.argv[1], Path(sys.argv[2]).resolve(), Path(sys.argv[3])
    make_application(sys.argv[:1])
    timer = QTimer()
    timer.setInterval(100)

    def poll() -> None:
        window = _ready(audio)
        if window is not None:
            timer.stop()
            (edit if mode == "edit" else check)(window, out)

    timer.timeout.connect(poll)
    timer.start()
    return run([str(audio)])


if __name__ == "__main__":
    sys.exit(main())

"""Run on a real X display: the app maximised on the bundled samples, each right-hand tab shown in
turn, checked with tests.ui.panel_fit and photographed with ImageMagick's `import`.

    python -m tests.e2e.panel_shots OUT_DIR      (DISPLAY set; prints one JSON line per tab)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from tests.e2e.shots import photograph, settle

TABS = {"spectrogram-settings": "spectrogram", "tone-generator": "tones", "scales": "scales"}


def main(out_dir: Path) -> int:
    from PySide6.QtWidgets import QDockWidget

    from explorer.resources import samples_dir
    from explorer.ui.shell.app import close_window, make_application
    from tests.ui.panel_fit import problems

    app = make_application([sys.argv[0]])
    from explorer.ui.shell.main_window import MainWindow

    window = MainWindow()
    window.show()
    window.open_initial([str(samples_dir())])
    settle(app, 0.5)
    # maximised, as a user does; Xvfb has no window manager, so the geometry is set as one would
    window.showMaximized()
    settle(app, 0.3)
    screen = window.screen().availableGeometry()
    if window.width() < screen.width():
        window.setGeometry(screen)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (window.spectrogram.spec is None
                                           or window.jobs.active()):
        settle(app, 0.1)
    for name, short in TABS.items():
        dock = window.findChild(QDockWidget, name)
        dock.raise_()
        settle(app, 0.8)
        shot = out_dir / f"{short}-{screen.width()}.png"
        photograph(shot)
        print(json.dumps({"tab": name, "shot": str(shot), "problems": problems(dock.widget()),
                          "window": [window.width(), window.height()],
                          "dock": [dock.x(), dock.width()],
                          "centre": window.centralWidget().width()}), flush=True)
    close_window(window)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))

"""Screenshots of the analysis layers in a real window (run under Xvfb; `import -window root`):
the pitch (pyin) over the spectrogram of speech, and the CQT of the trumpet with its pitch and
beats. Usage: python -m tests.e2e.analysis_shots OUT_FOLDER"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tests.e2e.shots import photograph


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    import explorer.ui  # noqa: F401  (the PySide6 work-around)

    app = QApplication.instance() or QApplication([])
    from explorer.resources import samples_dir
    from explorer.ui.shell.app import close_window
    from explorer.ui.shell.main_window import MainWindow

    window = MainWindow(player=None)
    window.showMaximized()

    def spin(until, timeout: float) -> None:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            app.processEvents()
            if until():
                return
            time.sleep(0.01)
        if until is not wait:
            raise TimeoutError("not shown in time")

    def wait() -> bool:
        return False

    def open_sample(name: str) -> None:
        path = samples_dir() / name
        window.open_paths([str(path)])
        spin(lambda: window.session.loaded is not None and window.session.loaded.original.path
             == path and window.session.spectrogram is not None and not window.jobs.active(), 60)

    def layers_on(*keys: str) -> None:
        for key in keys:
            window.analysis.panel.checks[key].setChecked(True)
        spin(lambda: all(window.analysis.layers.data[k] is not None for k in keys), 600)
        spin(wait, 1.0)

    def shot(name: str) -> None:
        app.processEvents()
        photograph(out / name)
        print(out / name)

    spin(wait, 1.0)
    window.analysis.show_layers()
    open_sample("speech_198-209-0000.wav")
    window.controls.axis_mode.setCurrentText("log")
    window.analysis.panel.note_names.setChecked(True)
    layers_on("pyin")
    shot("analysis-pitch-speech.png")
    window.analysis.panel.checks["pyin"].setChecked(False)
    window.analysis.panel.note_names.setChecked(False)
    window.controls.axis_mode.setCurrentText("Hz")
    open_sample("trumpet_44k_stereo_24bit.wav")
    layers_on("cqt", "pyin", "onsets", "beats", "rms")
    shot("analysis-cqt-trumpet.png")
    close_window(window)


if __name__ == "__main__":
    main(Path(sys.argv[1]))

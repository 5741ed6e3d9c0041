"""The screenshot of the dataset map (resources/screenshots/map.png): resources/samples, a copy of
a speech clip with -50 dB hiss, and three synthetic sound types in sub-folders, coloured by
sub-folder, the speech clip's neighbours listed, the hiss copy hovered.

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python bench/map_screenshot.py OUT.png
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_folder() -> Path:
    from tests.model.map_data import TYPES, sound

    root = Path(tempfile.mkdtemp()) / "mixed-dataset"
    (root / "samples").mkdir(parents=True)
    for p in (ROOT / "resources" / "samples").glob("*.wav"):
        shutil.copy(p, root / "samples" / p.name)
    data, rate = sf.read(root / "samples" / "speech_198-209-0000.wav", always_2d=True)
    hiss = 10 ** (-50 / 20) * np.random.default_rng(5).standard_normal(data.shape)
    sf.write(root / "samples" / "speech_198-209-0000_hiss.wav", data + hiss, rate, subtype="PCM_16")
    for kind in TYPES:
        (root / kind).mkdir()
        for i in range(10):
            sf.write(root / kind / f"{kind}_{i:02d}.wav", sound(kind, i), 16000, subtype="PCM_16")
    return root


def main() -> int:
    out = sys.argv[1] if len(sys.argv) > 1 else "map.png"
    root = make_folder()
    os.environ["AUDIO_EXPLORER_CACHE_DIR"] = str(root.parent / "cache")
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from explorer.ui.shell.main_window import MainWindow

    window = MainWindow()
    window.resize(1280, 800)
    window.move(0, 0)
    window.show()

    def pump(seconds: float) -> None:
        end = time.time() + seconds
        while time.time() < end:
            app.processEvents()
            time.sleep(0.01)

    done: list = []
    window.dataset.view.scanFinished.connect(done.append)
    paths = sorted(root.rglob("*.wav"))
    window.open_paths([str(root)])
    pump(3)
    if len(window.dataset.view.model.paths) < len(paths):  # the browser lists one folder
        window.dataset.view.set_folder(paths, root)
    start = time.time()
    while not done and time.time() - start < 300:
        pump(0.2)
    link = window.dataset_map
    link.show()
    window.dataset.dock.hide()
    window.resizeDocks([link.dock], [520], Qt.Orientation.Vertical)
    view = link.view
    view.colour_box.setCurrentIndex(view.colour_box.findData("sub-folder"))
    start = time.time()
    while (len(view.plot.points) != len(view.paths) or view.busy()) and time.time() - start < 60:
        pump(0.2)
    view.show_current(root / "samples" / "speech_198-209-0000.wav")
    pump(2)
    i = view.paths.index(str(root / "samples" / "speech_198-209-0000_hiss.wav"))
    view.plot._moved(view.plot.box.mapViewToScene(QPointF(*map(float, view.plot.points[i]))))
    pump(1)
    subprocess.run(["import", "-window", "root", out], check=True)
    rows = window.dataset.view.model.rows
    near = [Path(r.path).name for r in rows if r is not None and r.has_flag("near_duplicate")]
    print("near_duplicate:", near)
    window.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())

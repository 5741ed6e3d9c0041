import os, shutil, subprocess, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, '/work/wt/map')
import numpy as np, soundfile as sf
from tests.model.map_data import TYPES, sound
def main():
    root = Path(tempfile.mkdtemp()) / "mixed-dataset"
    (root / "samples").mkdir(parents=True)
    for p in Path('/work/wt/map/resources/samples').glob('*.wav'):
        shutil.copy(p, root / "samples" / p.name)
    data, rate = sf.read(root / "samples" / "speech_198-209-0000.wav", always_2d=True)
    sf.write(root / "samples" / "speech_198-209-0000_hiss.wav",
             data + 10 ** (-50 / 20) * np.random.default_rng(5).standard_normal(data.shape), rate, subtype="PCM_16")
    for kind in TYPES:
        (root / kind).mkdir()
        for i in range(10):
            sf.write(root / kind / f"{kind}_{i:02d}.wav", sound(kind, i), 16000, subtype="PCM_16")
    os.environ["AUDIO_EXPLORER_CACHE_DIR"] = str(root.parent / "cache")
    from PySide6.QtWidgets import QApplication
    from PySide6.QtCore import Qt
    app = QApplication([])
    from explorer.ui.shell.main_window import MainWindow
    from explorer.ui.files import browser
    w = MainWindow()
    w.resize(1280, 800); w.move(0, 0); w.show()
    w.browser.recursive = True if hasattr(w.browser, "recursive") else None
    def pump(sec):
        end = time.time() + sec
        while time.time() < end:
            app.processEvents(); time.sleep(0.01)
    done = []
    w.dataset.view.scanFinished.connect(lambda r: done.append(r))
    paths = sorted(root.rglob("*.wav"))
    w.open_paths([str(root)])
    pump(3)
    # the browser lists one folder: give the Dataset view every file of the tree
    if len(w.dataset.view.model.paths) < len(paths):
        w.dataset.view.set_folder(paths, root)
    t = time.time()
    while not done and time.time() - t < 300:
        pump(0.2)
    print("LABEL", w.dataset.view.progress_label.text()); link = w.dataset_map; print("DONE", done, len(getattr(done[0], "vectors", {}) or {}) if done else None)
    link.show()
    w.dataset.dock.hide()
    w.resizeDocks([link.dock], [520], Qt.Orientation.Vertical)
    pump(1)
    v = link.view
    v.colour_box.setCurrentIndex(v.colour_box.findData("sub-folder"))
    t = time.time()
    while (len(v.plot.points) != len(v.paths) or v.busy()) and time.time() - t < 60:
        pump(0.2)
    v.colour_box.setCurrentIndex(v.colour_box.findData("sub-folder"))
    v.show_current(root / "samples" / "speech_198-209-0000.wav")
    pump(4)
    print("PATHS", len(v.paths), v.paths[:3], len(w.dataset.view.model.paths), len(paths)); i = v.paths.index(str(root / "samples" / "speech_198-209-0000_hiss.wav"))
    v.plot._moved(v.plot.box.mapViewToScene(__import__("PySide6.QtCore", fromlist=["QPointF"]).QPointF(*map(float, v.plot.points[i]))))
    pump(1)
    out = sys.argv[1]
    subprocess.run(["import", "-window", "root", out], check=True)
    print("near:", [Path(r.path).name for r in w.dataset.view.model.rows if r is not None and r.has_flag("near_duplicate")])
    w.shutdown() if hasattr(w, "shutdown") else None

if __name__ == '__main__':
    main()

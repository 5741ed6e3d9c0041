"""The map in the window: the scan's vectors laid out (types apart), hover names the clip and
its transcript, a click opens it, a lasso filters the Dataset table, neighbours play, the
near-duplicate distance re-flags the table."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from tests.model.map_data import write_types
from tests.model.test_projection import purity


@pytest.fixture(scope="module")
def _shared_types(tmp_path_factory):
    root = tmp_path_factory.mktemp("map")
    folder = root / "types"
    kinds = write_types(folder)
    (folder / "tone_03.txt").write_text("a pure tone at two hundred and eighty hertz\n")
    return folder, kinds, root / "cache"


@pytest.fixture
def types_dir(_shared_types, monkeypatch):
    """The tests only read the folder: it is written once and its scan cache shared, so the
    first test's scan measures it and the others' read the cache."""
    folder, kinds, cache = _shared_types
    monkeypatch.setenv("AUDIO_EXPLORER_CACHE_DIR", str(cache))
    return folder, kinds


@pytest.fixture
def map_window(qtbot, make_window, types_dir):
    folder, kinds = types_dir
    window = make_window()
    view = window.dataset.view
    view.jobs = 2
    with qtbot.waitSignal(view.scanFinished, timeout=120000):
        window.open_paths([str(folder)])
    link = window.dataset_map
    with qtbot.waitSignal(link.view.projected, timeout=60000):
        link.button.click()
    # the window settles (its first clip loaded, the docks laid out) before points are aimed at
    qtbot.waitUntil(lambda: window.session.loaded is not None and not window.jobs.active(), timeout=30000)
    qtbot.wait(300)
    return window, link, kinds


def _scene_pos(plot, index):
    p = plot.points[index]
    return plot.box.mapViewToScene(QPointF(float(p[0]), float(p[1])))


def _viewport_pos(plot, index) -> QPoint:
    return plot.mapFromScene(_scene_pos(plot, index))


def _mouse(widget, kind, pos: QPoint, buttons, modifiers=Qt.KeyboardModifier.NoModifier,
           button=Qt.MouseButton.LeftButton):
    event = QMouseEvent(kind, QPointF(pos), QPointF(widget.mapToGlobal(pos)), button, buttons, modifiers)
    QApplication.sendEvent(widget, event)


def test_the_map_shows_every_clip_with_the_types_apart(map_window):
    window, link, kinds = map_window
    view = link.view
    assert link.dock.isVisible()
    assert sorted(view.paths) == sorted(str(p) for p in kinds)
    labels = [kinds[Path(p)] for p in view.paths]
    assert purity(view.plot.points, labels) == 1.0
    assert len(view.plot.scatter.data) == 30


def test_hover_names_the_clip_and_its_transcript(qtbot, map_window):
    _window, link, _kinds = map_window
    view = link.view
    i = view.paths.index(next(p for p in view.paths if p.endswith("tone_03.wav")))
    view.plot._moved(_scene_pos(view.plot, i))
    assert view.hover_text == "tone_03.wav\na pure tone at two hundred and eighty hertz"
    assert "tone_03.wav" in view.hover_label.text()
    far = view.plot.box.mapViewToScene(QPointF(1e6, 1e6))
    view.plot._moved(far)
    assert view.hover_text == ""


def test_a_click_opens_the_clip_and_lists_its_neighbours(qtbot, map_window):
    window, link, kinds = map_window
    view = link.view
    i = view.paths.index(next(p for p in view.paths if p.endswith("noise_05.wav")))
    vp = view.plot.viewport()
    pos = _viewport_pos(view.plot, i)
    _mouse(vp, QEvent.Type.MouseButtonPress, pos, Qt.MouseButton.LeftButton)
    _mouse(vp, QEvent.Type.MouseButtonRelease, pos, Qt.MouseButton.NoButton)
    qtbot.waitUntil(lambda: window.session.path == Path(view.paths[i]), timeout=10000)
    qtbot.waitUntil(lambda: len(view.neighbours) == 8, timeout=10000)
    assert all(kinds[Path(p)] == "noise" for p in view.neighbours[:5])
    # a neighbour plays on request (opened, then played by the fake player)
    target = Path(view.neighbours[0])
    view.neighbour_list.itemActivated.emit(view.neighbour_list.item(0))
    qtbot.waitUntil(lambda: window.session.path == target, timeout=10000)
    qtbot.waitUntil(lambda: any(c[0] == "play" for c in window.player.calls), timeout=10000)


def test_a_ctrl_drag_lasso_filters_the_dataset_table(qtbot, map_window):
    window, link, kinds = map_window
    view = link.view
    plot = view.plot
    tones = [i for i, p in enumerate(view.paths) if kinds[Path(p)] == "tone"]
    pts = np.array([[_viewport_pos(plot, i).x(), _viewport_pos(plot, i).y()] for i in tones])
    lo, hi = pts.min(axis=0) - 6, pts.max(axis=0) + 6
    corners = [QPoint(int(lo[0]), int(lo[1])), QPoint(int(hi[0]), int(lo[1])),
               QPoint(int(hi[0]), int(hi[1])), QPoint(int(lo[0]), int(hi[1]))]
    vp = plot.viewport()
    ctrl = Qt.KeyboardModifier.ControlModifier
    left = Qt.MouseButton.LeftButton
    _mouse(vp, QEvent.Type.MouseButtonPress, corners[0], left, ctrl)
    for corner in corners[1:] + corners[:1]:
        for step in range(1, 6):  # pyqtgraph starts a drag after a few pixels
            a = corners[(corners.index(corner) - 1) % 4]
            p = a + (corner - a) * step / 5
            _mouse(vp, QEvent.Type.MouseMove, p, left, ctrl, button=Qt.MouseButton.NoButton)
            qtbot.wait(25)  # pyqtgraph's scene rate-limits moves
    _mouse(vp, QEvent.Type.MouseButtonRelease, corners[0], Qt.MouseButton.NoButton, ctrl)
    inside = {view.paths[i] for i in tones}
    others = [p for p, k in kinds.items() if k != "tone"]
    box_has_others = any(lo[0] <= _viewport_pos(plot, view.paths.index(str(p))).x() <= hi[0]
                         and lo[1] <= _viewport_pos(plot, view.paths.index(str(p))).y() <= hi[1]
                         for p in others)
    qtbot.waitUntil(lambda: view.selection is not None, timeout=5000)
    assert inside <= view.selection
    if not box_has_others:
        assert view.selection == inside
    table = window.dataset.view.model
    assert {str(table.paths[i]) for i in table.visible} == view.selection
    view.clear_button.click()
    assert len(table.visible) == 30


def test_the_near_duplicate_distance_reflags_the_table(qtbot, map_window):
    window, link, _kinds = map_window
    table = window.dataset.view.model
    def near() -> int:
        return sum(r.has_flag("near_duplicate") for r in table.rows)

    before = near()
    assert before < 15
    link.view.threshold.setValue(2.0)  # everything of a type is "near" at this distance
    qtbot.waitUntil(lambda: near() >= 27, timeout=10000)  # all but the first of each type
    link.view.threshold.setValue(0.0)
    qtbot.waitUntil(lambda: near() == 0, timeout=10000)
    assert "0 near-duplicates" in link.view.status.text()


def test_colour_by_a_column_gives_one_brush_per_category(map_window):
    _window, link, kinds = map_window
    view = link.view
    view.colour_box.setCurrentIndex(view.colour_box.findData("duration"))
    colours_by_duration = {b.color().name() for b in view.plot.scatter.data["brush"]}
    assert len(colours_by_duration) >= 10  # durations 1.0-2.35 s spread over the ramp
    view.colour_box.setCurrentIndex(view.colour_box.findData("flag:nan_values"))
    assert len({b.color().name() for b in view.plot.scatter.data["brush"]}) == 1  # nobody has it
    view.colour_box.setCurrentIndex(view.colour_box.findData("sub-folder"))
    assert "(none)" in view.legend.text() and "dark" not in view.legend.text()
    view.colour_box.setCurrentIndex(view.colour_box.findData("flag:duration_outlier"))
    flagged = [view.rows[p].has_flag("duration_outlier") for p in view.paths]
    names = [b.color().name() for b in view.plot.scatter.data["brush"]]
    assert len({n for n, f in zip(names, flagged, strict=True) if f}) <= 1
    assert not set(n for n, f in zip(names, flagged, strict=True) if f) & \
        set(n for n, f in zip(names, flagged, strict=True) if not f)


def test_colour_by_label_gives_one_brush_per_label_value(map_window):
    _window, link, _kinds = map_window
    view = link.view
    labels = {p: ("robin" if i % 3 == 0 else "wren" if i % 3 == 1 else "") for i, p in
              enumerate(view.paths)}
    view.labels = labels
    view.colour_box.setCurrentIndex(view.colour_box.findData("label"))
    names = [b.color().name() for b in view.plot.scatter.data["brush"]]
    by_value = {}
    for path, name in zip(view.paths, names, strict=True):
        by_value.setdefault(labels[path], set()).add(name)
    assert all(len(c) == 1 for c in by_value.values())  # one colour per label value
    assert len(set().union(*by_value.values())) == 3  # robin, wren and unlabelled differ
    assert "robin" in view.legend.text() and "wren" in view.legend.text()


def test_neighbours_play_in_turn_each_to_its_end(qtbot, map_window):
    window, link, _kinds = map_window
    view = link.view
    view.show_current(window.session.path)
    tour = [Path(p) for p in view.neighbours]
    assert len(tour) == 8
    player = window.player
    view.play_button.click()
    for target in tour:
        qtbot.waitUntil(lambda t=target: window.session.path == t and player.state == "playing"
                        and window.playback.state == "playing", timeout=15000)
        assert view.neighbour_title.text().startswith("Nearest to")  # the list stays while they play
        player.state = "stopped"  # the clip played to its end
    qtbot.waitUntil(lambda: not link._tour and window.playback.state == "stopped", timeout=10000)
    assert sum(c[0] == "play" for c in player.calls) >= 8

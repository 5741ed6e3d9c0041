"""The labels of the current file drawn on a plot: intervals as shaded regions with their text
(tiers stacked, as Praat shows them), points as lines, boxes as rectangles (spectrogram only).
Edges, lines and box corners are dragged to adjust a label; the body of a region or box is left
to the plot, so dragging across a labelled stretch still selects time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QPointF, Qt, QTimer, Signal

from explorer.model.annotations.tiers import Annotations, Label, Tier
from explorer.ui.annotations.colours import label_colour, with_alpha

#: At most this many labels of a tier are drawn at once (those in view, nearest first); a
#: word-level tier of an hour is drawn where the user looks, not all at once.
MAX_DRAWN = 400
TEXT_FILL = (20, 20, 20, 170)
#: Regions under the waveform's curves (1) and over the spectrogram's image (0); lines, boxes and
#: texts above both; all below the selection (5) and the playhead (10).
Z_REGIONS = 0.5
Z_LABELS = 3


def _escape(text: str) -> str:
    """InfLineLabel formats its text with str.format: braces in a label are kept as typed."""
    return text.replace("{", "{{").replace("}", "}}")


class LabelRegion(pg.LinearRegionItem):
    """An interval: its two edges drag, its body does not (drags and clicks go to the plot)."""

    def __init__(self, overlay: TierOverlay, tier: str, label: Label, **kwargs) -> None:
        super().__init__(values=(label.start, label.end), movable=True, swapMode="sort", **kwargs)
        self.movable = False  # the body: the lines keep their own movability
        self.setAcceptHoverEvents(False)
        self.overlay, self.tier, self.label = overlay, tier, label
        self.sigRegionChangeFinished.connect(self._moved)

    def _moved(self) -> None:
        a, b = sorted(float(v) for v in self.getRegion())
        self.overlay.moved(self.tier, self.label, start=a, end=b)

    def mouseClickEvent(self, ev) -> None:  # noqa: N802 (Qt naming)
        self.overlay.clicked(self.tier, self.label, ev)


class LabelLine(pg.InfiniteLine):
    """A point label: a vertical line that drags in time."""

    def __init__(self, overlay: TierOverlay, tier: str, item: Label, **kwargs) -> None:
        super().__init__(pos=item.start, angle=90, movable=True, **kwargs)
        self.overlay, self.tier = overlay, tier
        self.item = item
        self.sigPositionChangeFinished.connect(
            lambda _line: self.overlay.moved(self.tier, self.item, start=float(self.value())))

    def mouseClickEvent(self, ev) -> None:  # noqa: N802
        self.overlay.clicked(self.tier, self.item, ev)


class LabelBox(pg.ROI):
    """A time-frequency box: its corners drag (resize), its body does not."""

    def __init__(self, overlay: TierOverlay, tier: str, label: Label, rect: tuple, pen,
                 text: str, colour, handles: bool) -> None:
        x, y, w, h = rect
        super().__init__((x, y), (w, h), pen=pen, movable=False, rotatable=False,
                         resizable=False, removable=False)
        self.overlay, self.tier, self.label = overlay, tier, label
        if handles:  # the current box only: a click on a box makes it current
            self.addScaleHandle([1, 1], [0, 0])
            self.addScaleHandle([0, 0], [1, 1])
            self.addScaleHandle([1, 0], [0, 1])
            self.addScaleHandle([0, 1], [1, 0])
        # above the box's top edge, so the call inside stays visible
        self.text = pg.TextItem(text, color=colour, anchor=(0, 1), fill=TEXT_FILL)
        self.text.setParentItem(self)
        self._place_text()
        self.sigRegionChanged.connect(self._place_text)
        self.sigRegionChangeFinished.connect(self._moved)

    def _place_text(self) -> None:
        self.text.setPos(0, float(self.size().y()))

    def _moved(self) -> None:
        pos, size = self.pos(), self.size()
        t0, t1 = sorted((float(pos.x()), float(pos.x() + size.x())))
        y0, y1 = sorted((float(pos.y()), float(pos.y() + size.y())))
        lo, hi = (float(v) for v in self.overlay.to_hz(np.array([y0, y1])))
        self.overlay.moved(self.tier, self.label, start=t0, end=t1, low_hz=lo, high_hz=hi)

    def mouseClickEvent(self, ev) -> None:  # noqa: N802
        self.overlay.clicked(self.tier, self.label, ev)


class TierOverlay(QObject):
    """Draws `Annotations` on `plot`; the user's drags come out as `moved(tier, old, new)`, a
    click as `picked(tier, label)` (and goes on to the plot: it seeks), a double-click as
    `renameRequested(tier, label, scene position)`.

    `boxes`: box tiers are drawn (the spectrogram, with `coord` Hz -> y and `to_hz` y -> Hz);
    elsewhere they are left out."""

    moved_label = Signal(str, object, object)  # tier, old Label, new Label
    picked = Signal(str, object)  # tier, Label
    renameRequested = Signal(str, object, object)  # tier, Label, QPointF (scene)

    def __init__(self, plot: pg.PlotItem, boxes: bool = False,
                 coord: Callable[[np.ndarray], np.ndarray] | None = None,
                 to_hz: Callable[[np.ndarray], np.ndarray] | None = None,
                 region_alpha: int = 55, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.plot = plot
        self.viewbox = plot.getViewBox()
        self.boxes = boxes
        self.coord = coord or (lambda hz: np.asarray(hz, dtype=float))
        self.to_hz = to_hz or (lambda y: np.asarray(y, dtype=float))
        self.region_alpha = region_alpha
        self.annotations: Annotations | None = None
        self.current: tuple[str, Label] | None = None
        self.visible = True
        self.items: list = []
        self._timer = QTimer(self, singleShot=True, interval=30)
        self._timer.timeout.connect(self.redraw)
        self.viewbox.sigXRangeChanged.connect(lambda *_: self._timer.start())

    def schedule(self) -> None:
        """Redraw soon (after the view has taken a change that arrived by the same signal)."""
        self._timer.start()

    # ---- what to draw ---------------------------------------------------------------------
    def set_annotations(self, annotations: Annotations | None,
                        current: tuple[str, Label] | None = None) -> None:
        self.annotations = annotations
        self.current = current
        self.redraw()

    def set_visible(self, on: bool) -> None:
        """Hidden (the spectrogram's array mode: its x is not time), or shown again."""
        self.visible = bool(on)
        self.redraw()

    def _tiers(self) -> list[Tier]:
        if self.annotations is None or not self.visible:
            return []
        return [t for t in self.annotations.tiers if t.kind != "box" or self.boxes]

    def redraw(self) -> None:
        """Remove the drawn items and draw the labels in view again (after any change)."""
        for item in self.items:
            self.plot.removeItem(item)
        # kept alive until the next redraw: the item being dragged may be the one whose signal
        # brought us here, and must outlive its own handler
        self._retired = self.items
        self.items = []
        tiers = self._tiers()
        if not tiers:
            return
        (x0, x1), _ = self.viewbox.viewRange()
        margin = (x1 - x0) * 0.1
        bands = [t for t in tiers if t.kind == "interval"]
        for tier in tiers:
            shown = [lab for lab in tier.labels
                     if lab.start <= x1 + margin and (lab.end if lab.end is not None
                                                      else lab.start) >= x0 - margin]
            if len(shown) > MAX_DRAWN:
                middle = (x0 + x1) / 2
                shown = sorted(shown, key=lambda lab: abs(lab.start - middle))[:MAX_DRAWN]
            for label in shown:
                item = self._item(tier, label, bands)
                if item is not None:
                    self.plot.addItem(item, ignoreBounds=True)
                    self.items.append(item)

    def _item(self, tier: Tier, label: Label, bands: list[Tier]):
        colour = label_colour(label.label)
        current = self.current == (tier.name, label)
        width = 2.5 if current else 1.2
        pen = pg.mkPen(with_alpha(colour, 255 if current else 210), width=width)
        if tier.kind == "point" or label.end is None:
            line = LabelLine(self, tier.name, label, pen=pen,
                             hoverPen=pg.mkPen(colour, width=3),
                             label=_escape(label.label) or None,
                             labelOpts={"position": 0.9, "color": colour, "fill": TEXT_FILL,
                                        "anchors": [(0, 0), (0, 0)]})
            line.setZValue(Z_LABELS + 1)
            return line
        if tier.kind == "box" and label.low_hz is not None and label.high_hz is not None:
            y0, y1 = (float(v) for v in self.coord(np.array([label.low_hz, label.high_hz])))
            box = LabelBox(self, tier.name, label, (label.start, y0, label.end - label.start,
                                                    y1 - y0), pen, label.label, colour, current)
            box.setZValue(Z_LABELS + 1)
            return box
        if tier.kind == "box":
            return None
        # an interval tier: its band of the plot's height (tiers stacked top to bottom)
        i, n = (bands.index(tier), len(bands)) if tier in bands else (0, 1)
        span = (1 - (i + 1) / n, 1 - i / n)
        alpha = self.region_alpha * (2 if current else 1)
        if not label.label.strip():
            alpha = 0  # an empty interval (Praat's between words): its edges only
        region = LabelRegion(self, tier.name, label, brush=with_alpha(colour, alpha),
                             pen=pen, hoverPen=pg.mkPen(colour, width=3), span=span)
        region.setZValue(Z_REGIONS)
        for line in region.lines:
            line.setZValue(Z_LABELS)
        if label.label:
            text = pg.InfLineLabel(region.lines[0], _escape(label.label), position=span[1] - 0.02,
                                   anchors=[(0, 0), (0, 0)], color=colour, fill=TEXT_FILL)
            text.setZValue(Z_LABELS + 2)
        return region

    # ---- from the items ---------------------------------------------------------------------
    def moved(self, tier: str, old: Label, **changes) -> None:
        new = replace(old, **changes)
        if new != old:
            self.moved_label.emit(tier, old, new)

    def clicked(self, tier: str, label: Label, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            ev.ignore()
            return
        self.picked.emit(tier, label)
        if ev.double():
            ev.accept()
            self.renameRequested.emit(tier, label, QPointF(ev.scenePos()))
        else:
            ev.ignore()  # the plot seeks there too

"""Which layers are shown, their parameters, and their computation off the GUI thread.

Each layer computes on a channel of its own ("layer:pyin"...), so a newer request (another
clip, a changed parameter, a long file's view moved) makes the older one stale. The first layer
turned on first runs the model's warm-up in the analysis process (librosa imported, its numba
code compiled once, then cached on disk): the window shows "preparing analysis (first use
only)" meanwhile.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from explorer.ui.analysis.compute import MAX_SPAN_SECONDS, LayerData, layer_job, warm_up_job
from explorer.ui.analysis.layers import BY_KEY, LAYERS
from explorer.ui.analysis.worker import PROCESS
from explorer.ui.common.jobs import Jobs

#: A long file's layers follow the view this long (ms) after it stops moving.
SPAN_DEBOUNCE_MS = 400
PREPARING_TEXT = "preparing analysis (first use only)…"


def error_text(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


class AnalysisLayers(QObject):
    """The layers' state; the views draw what `layerChanged` announces."""

    layerChanged = Signal(str)  # key: data(key) changed (None: nothing to draw)
    layerStatus = Signal(str, str)  # key, text ("computing…", "0.42 s", "failed: ...")
    preparingChanged = Signal(bool)
    spanText = Signal(str)  # what a long file's layers cover ("" for a short clip)

    def __init__(self, session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        # one niced thread of its own: the loads and spectrograms keep theirs
        self.jobs = Jobs(self, max_threads=1)
        self.visible: dict[str, bool] = {spec.key: False for spec in LAYERS}
        self.params: dict[str, dict] = {spec.key: {} for spec in LAYERS}
        self.data: dict[str, LayerData | None] = {spec.key: None for spec in LAYERS}
        self.status: dict[str, str] = {spec.key: "" for spec in LAYERS}
        self.requests: list[tuple[str, dict]] = []  # (feature, params) submitted (tests)
        self.preparing = False
        self.span_text = ""
        self.span: tuple[float, float] | None = None  # a long file's visible span
        self._view_span: tuple[float, float] | None = None
        self._span_timer = QTimer(self, singleShot=True, interval=SPAN_DEBOUNCE_MS)
        self._span_timer.timeout.connect(self._span_settled)
        session.clipChanged.connect(self._clip_changed)

    # ---- what the user asks -----------------------------------------------------------------
    def any_visible(self) -> bool:
        return any(self.visible.values())

    def set_visible(self, key: str, on: bool) -> None:
        if self.visible[key] == bool(on):
            return
        self.visible[key] = bool(on)
        if on:
            self.compute(key)
        else:
            self.jobs.cancel(self._channel(key))
            self._set_status(key, "")
        self.layerChanged.emit(key)

    def set_param(self, key: str, name: str, value) -> None:
        params = dict(self.params[key])
        params[name] = value
        self.set_params(key, params)

    def set_params(self, key: str, params: dict) -> None:
        if params == self.params[key]:
            return
        self.params[key] = dict(params)
        if self.visible[key]:
            self.compute(key)

    def set_view_span(self, t0: float, t1: float) -> None:
        """The time the views show (a long file's layers follow it, debounced)."""
        self._view_span = (max(0.0, t0), max(0.0, t1))
        if self._is_long():
            self._span_timer.start()

    # ---- computing ----------------------------------------------------------------------------
    def compute(self, key: str) -> None:
        clip = self.session.clip
        if clip is None or not self.visible[key]:
            return
        if not PROCESS.warmed:
            self._warm_up()
            self._set_status(key, "waiting…")
            return
        span = None
        if self._is_long():
            span = self._long_span()
            if span is None:
                self.data[key] = None
                self._set_status(key, f"zoom in (≤ {MAX_SPAN_SECONDS:.0f} s)")
                self.layerChanged.emit(key)
                return
        spec = BY_KEY[key]
        params = dict(self.params[key])
        self.requests.append((spec.feature, params))
        self._set_status(key, "computing…")
        self.jobs.submit(self._channel(key), layer_job, spec.feature, clip, span, params,
                         on_done=lambda data, s, k=key: self._done(k, data),
                         on_error=lambda exc, s, k=key: self._failed(k, exc))

    def compute_visible(self) -> None:
        for key, on in self.visible.items():
            if on:
                self.compute(key)

    def _warm_up(self) -> None:
        if self.preparing:
            return
        self.preparing = True
        self.preparingChanged.emit(True)
        self.jobs.submit("warm-up", warm_up_job, on_done=self._warmed,
                         on_error=lambda exc, s: self._warmed(0.0, s, exc))

    def _warmed(self, _result, _seconds: float, exc: BaseException | None = None) -> None:
        PROCESS.warmed = True  # a failed warm-up: the layers compile (or fail) themselves
        if exc is not None:
            for key, on in self.visible.items():
                if on:
                    self._set_status(key, f"preparing failed: {error_text(exc)}")
        self.preparing = False
        self.preparingChanged.emit(False)
        self.compute_visible()

    def _done(self, key: str, data: LayerData) -> None:
        self.data[key] = data
        where = "" if data.span is None else f" ({data.span[0]:.1f}–{data.span[1]:.1f} s)"
        took = f"{data.seconds:.2f} s" if data.seconds >= 1 else f"{data.seconds * 1000:.0f} ms"
        text = f"{took}{where}"
        if getattr(data.result, "tempo", None) is not None:
            text = f"{float(data.result.tempo):.1f} BPM · " + text
        self._set_status(key, text)
        self.layerChanged.emit(key)

    def _failed(self, key: str, exc: BaseException) -> None:
        self.data[key] = None
        self._set_status(key, f"failed: {error_text(exc)}")
        self.layerChanged.emit(key)

    def _set_status(self, key: str, text: str) -> None:
        self.status[key] = text
        self.layerStatus.emit(key, text)

    # ---- the clip and a long file's view -------------------------------------------------------
    def _channel(self, key: str) -> str:
        return f"layer:{key}"

    def _is_long(self) -> bool:
        loaded = self.session.loaded
        return bool(loaded is not None and loaded.long)

    def _long_span(self) -> tuple[float, float] | None:
        clip = self.session.clip
        t0, t1 = self._view_span or (0.0, min(clip.duration, MAX_SPAN_SECONDS))
        t0, t1 = max(0.0, t0), min(clip.duration, t1)
        if t1 - t0 > MAX_SPAN_SECONDS or t1 <= t0:
            return None
        return (t0, t1)

    def _clip_changed(self, _loaded) -> None:
        for key in self.data:
            self.jobs.cancel(self._channel(key))
            self.data[key] = None
            self.layerChanged.emit(key)
        self.span = None
        self.span_text = (f"Long file: layers of what is visible (up to {MAX_SPAN_SECONDS:.0f} s, "
                          "recomputed when the view moves)" if self._is_long() else "")
        self.spanText.emit(self.span_text)
        if self._is_long():  # the views set their range next: compute what they will show
            self._span_timer.start()
            return
        self.compute_visible()

    def _span_settled(self) -> None:
        if not self._is_long():
            return
        span = self._long_span()
        if span == self.span:
            return
        self.span = span
        self.compute_visible()

    def wait(self, msecs: int = -1) -> bool:
        return self.jobs.wait(msecs)

    def shutdown(self) -> None:
        for key in self.data:
            self.jobs.cancel(self._channel(key))
        PROCESS.stop_if_busy()  # a pyin still running must not hold the window's exit
        self.jobs.wait(5000)

"""Spectrogram tiles computed off the GUI thread and kept in an LRU cache (the GUI thread's).

The view says which tiles it wants, most urgent first (`request`); tiles already cached are not
asked for, tiles already being computed are not asked for twice, and a queued tile that is no
longer wanted when a worker picks it up is skipped. A finished tile arrives by a signal and goes
into the cache; `tileReady` then tells the view to redraw.
"""

from __future__ import annotations

import traceback

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from explorer.model.tiles import CACHE_BYTES, TileCache, TileKey, TileSource
from explorer.ui.common.jobs import lower_thread_priority

#: Niceness added to tile worker threads, so the GUI thread wins the CPU when they compete
#: (Linux per-thread nice; elsewhere nothing happens).
WORKER_NICE = 5


class _Signals(QObject):
    done = Signal(int, object, object)  # generation, key, tile (None: skipped)
    failed = Signal(int, object, str)


class _TileJob(QRunnable):
    def __init__(self, loader: TileLoader, generation: int, source: TileSource, key: TileKey):
        super().__init__()
        self.setAutoDelete(True)
        self._loader, self._generation, self._source, self._key = loader, generation, source, key
        self._signals = loader._signals

    def run(self) -> None:  # worker thread
        lower_thread_priority(WORKER_NICE)
        loader = self._loader
        if loader._generation != self._generation or self._key not in loader._wanted:
            self._signals.done.emit(self._generation, self._key, None)
            return
        try:
            tile = self._source.tile(self._key.step, self._key.index)
        except Exception as exc:
            self._signals.failed.emit(self._generation, self._key,
                                      f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
            return
        self._signals.done.emit(self._generation, self._key, tile)


class TileLoader(QObject):
    tileReady = Signal(object)  # TileKey
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, budget: int = CACHE_BYTES,
                 threads: int = 2) -> None:
        super().__init__(parent)
        self.cache = TileCache(budget)
        self.source: TileSource | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max(1, threads))
        self._signals = _Signals()
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self._generation = 0
        self._wanted: frozenset[TileKey] = frozenset()
        self._pending: set[TileKey] = set()
        self.computed = 0  # tiles computed since the source was set (tests, benchmarks)

    def set_source(self, source: TileSource | None) -> None:
        """A new file or new parameters: what is queued for the old source becomes stale.
        Cached tiles of other parameters stay (their keys differ) until the LRU drops them."""
        if self.source is not None and source is not None and source.path != self.source.path:
            self.cache.clear()
        if source is None:
            self.cache.clear()
        self.source = source
        self._generation += 1
        self._wanted = frozenset()
        self._pending = set()
        self.computed = 0

    def get(self, key: TileKey):
        return self.cache.get(key)

    def request(self, keys: list[TileKey]) -> int:
        """Wants these tiles (most urgent first); returns how many are still missing."""
        source = self.source
        if source is None:
            return 0
        self._wanted = frozenset(keys)
        # (QThreadPool.clear() would drop stale queued jobs at once, but deleting Python
        # runnables from C++ crashes PySide later on: stale jobs skip themselves instead)
        missing = 0
        count = len(keys)
        for rank, key in enumerate(keys):
            if key in self.cache:
                continue
            missing += 1
            if key in self._pending:
                continue
            self._pending.add(key)
            self._pool.start(_TileJob(self, self._generation, source, key), count - rank)
        return missing

    def pending(self) -> int:
        return len(self._pending)

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)

    def _on_done(self, generation: int, key: TileKey, tile) -> None:
        if generation != self._generation:
            return
        self._pending.discard(key)
        if tile is None:
            return
        self.computed += 1
        self.cache.put(key, tile)
        self.tileReady.emit(key)

    def _on_failed(self, generation: int, key: TileKey, message: str) -> None:
        if generation != self._generation:
            return
        self._pending.discard(key)
        self.failed.emit(message)

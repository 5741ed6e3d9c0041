"""Work-around for a reference-count bug in PySide6 6.12.0 on CPython < 3.12.

In that release every Python-side `Signal.emit()` gives back `True` without taking a reference,
so each emit takes one reference away from `True` (and some calls do the same to `None`). After
enough emits (a 60 Hz playhead, pyqtgraph's own signals) CPython aborts with
"Fatal Python error: bool_dealloc: deallocating True or False" — at the latest when the process
exits. `True`, `False` and `None` are never freed anyway, so the remedy is to give them a very
large number of extra references once (CPython 3.12+ makes them immortal; nothing to do there).
"""

from __future__ import annotations

import ctypes
import sys

EXTRA = 1 << 40  # ~10^12 emits before the count could run out
_applied = False


def emit_leaks_true() -> bool:
    """True when `Signal.emit()` drops a reference to `True` in this PySide6."""
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    leaked = sys.getrefcount(True) < before - 4
    if leaked:  # give back what the probe took
        _add_references(True, before - sys.getrefcount(True))
    return leaked


def _add_references(obj, count: int) -> None:
    if count > 0:
        ctypes.c_ssize_t.from_address(id(obj)).value += count


def apply() -> bool:
    """Protects True/False/None from the bug when it is present; True if anything was done."""
    global _applied
    if _applied or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if not emit_leaks_true():
        _applied = True
        return False
    for obj in (True, False, None):
        _add_references(obj, EXTRA)
    _applied = True
    return True

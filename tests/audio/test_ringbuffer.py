"""RingBuffer: order, wrap-around, overruns, latest, and a real producer/consumer pair."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from explorer.audio import RingBuffer


def _ramp(start: int, n: int) -> np.ndarray:
    return np.arange(start, start + n, dtype=np.float32)


def test_read_new_returns_what_was_written_in_order() -> None:
    ring = RingBuffer(10)
    ring.write(_ramp(0, 3))
    ring.write(_ramp(3, 4))
    np.testing.assert_array_equal(ring.read_new(), _ramp(0, 7))
    assert ring.read_new().size == 0
    assert ring.written == 7
    assert ring.overruns == 0


def test_wrap_around_keeps_order() -> None:
    ring = RingBuffer(8)
    ring.write(_ramp(0, 6))
    np.testing.assert_array_equal(ring.read_new(), _ramp(0, 6))
    ring.write(_ramp(6, 5))  # crosses the end of the storage
    np.testing.assert_array_equal(ring.read_new(), _ramp(6, 5))
    assert ring.overruns == 0


def test_overflow_overwrites_the_oldest_and_counts_an_overrun() -> None:
    ring = RingBuffer(8)
    ring.write(_ramp(0, 6))
    ring.write(_ramp(6, 6))  # 12 unread frames in 8 slots
    assert ring.overruns == 1
    np.testing.assert_array_equal(ring.read_new(), _ramp(4, 8))
    ring.write(_ramp(12, 20))  # a block larger than the whole buffer
    assert ring.overruns == 2
    np.testing.assert_array_equal(ring.read_new(), _ramp(24, 8))
    assert ring.written == 32


def test_latest() -> None:
    ring = RingBuffer(8)
    assert ring.latest(4).size == 0
    ring.write(_ramp(0, 3))
    np.testing.assert_array_equal(ring.latest(5), _ramp(0, 3))
    ring.write(_ramp(3, 10))
    np.testing.assert_array_equal(ring.latest(5), _ramp(8, 5))
    np.testing.assert_array_equal(ring.latest(100), _ramp(5, 8))  # at most the capacity
    np.testing.assert_array_equal(ring.read_new(), _ramp(5, 8))  # latest does not consume


def test_channels() -> None:
    ring = RingBuffer(4, channels=2)
    block = np.stack([_ramp(0, 3), -_ramp(0, 3)], axis=1)
    ring.write(block)
    ring.write(np.full(2, 7, np.float32))  # 1-D goes to every channel
    got = ring.read_new()
    assert got.shape == (4, 2)
    np.testing.assert_array_equal(got[:, 0], [1, 2, 7, 7])
    np.testing.assert_array_equal(got[:, 1], [-1, -2, 7, 7])
    assert ring.latest(1).shape == (1, 2)


def test_reads_are_copies() -> None:
    ring = RingBuffer(4)
    ring.write(_ramp(0, 2))
    got = ring.latest(2)
    ring.write(_ramp(10, 4))
    np.testing.assert_array_equal(got, [0, 1])


def test_invalid_sizes() -> None:
    with pytest.raises(ValueError):
        RingBuffer(0)
    with pytest.raises(ValueError):
        RingBuffer(4, channels=0)


ALLOCATION_SCRIPT = """
import tracemalloc

import numpy as np

from explorer.audio import RingBuffer

ring = RingBuffer(48000)
block = np.ones(1024, np.float32)
ring.write(block)
tracemalloc.start()
for _ in range(200):
    ring.write(block)
print(tracemalloc.get_traced_memory()[1])
"""


def test_write_does_not_allocate() -> None:
    """In a process of its own: tracemalloc counts every thread's allocations, and threads that
    earlier tests left winding down made this flaky in the suite."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", ALLOCATION_SCRIPT], capture_output=True,
                            text=True, timeout=120, cwd=root)
    assert result.returncode == 0, result.stderr[-2000:]
    peak = int(result.stdout.split()[-1])
    assert peak < 2048  # a few small Python objects, never a block-sized array (4 KiB)


def test_concurrent_producer_and_consumer_never_tear() -> None:
    """Writer and reader threads: every read is a run of consecutive ramp values."""
    ring = RingBuffer(1000)
    total = 400_000
    stop = threading.Event()

    def producer() -> None:
        for start in range(0, total, 100):
            ring.write(_ramp(start, 100))
        stop.set()

    received = 0
    last = -1.0
    thread = threading.Thread(target=producer)
    thread.start()
    while not stop.is_set() or ring.available:
        got = ring.read_new()
        if got.size:
            assert np.all(np.diff(got) == 1)
            assert got[0] > last
            last = float(got[-1])
            received += got.size
    thread.join()
    assert last == total - 1
    assert received <= total
    if ring.overruns == 0:
        assert received == total

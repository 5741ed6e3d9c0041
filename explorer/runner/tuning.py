"""Process settings for running many items: in the worker processes, and in the CLI's own."""

from __future__ import annotations

import platform


def tune_process() -> None:
    """Settings for a process that runs many items (the worker processes; the CLI's own).

    - One BLAS thread: parallelism comes from processes (or the STFT's block threads); OpenBLAS
      threads spinning beside them only steal the cores (measured: CPU time 2x wall time).
    - glibc's malloc keeps freed memory up to 64 MB instead of unmapping it: every file allocates
      and frees the same few MB of temporaries, and mmap/munmap of fresh zeroed pages made each
      short clip about 2x slower. Process-wide, so the GUI does not call this in its own process."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except Exception:  # not installed, or no BLAS found: only a speed matter
        pass
    if platform.system() == "Linux":
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6")
            m_trim_threshold, m_mmap_threshold = -1, -3
            libc.mallopt(m_mmap_threshold, 64 << 20)
            libc.mallopt(m_trim_threshold, 128 << 20)
        except (OSError, AttributeError):  # not glibc
            pass

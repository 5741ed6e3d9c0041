"""Batch export: a folder of recordings to one spectrogram per file (PNG or .npy), resumable.

The pieces, in the order a caller (the CLI, or the window's "Export folder") uses them:

    settings = ExportSettings(SpectrogramParams(kind="mel"), format="png")
    tasks = plan(src_dir, out_dir, settings, recursive=True, force=False)  # may raise ParamsChanged
    prepare_output(out_dir, settings, force=False)      # params.json, leftovers of killed runs
    summary = run_export(tasks, settings, jobs=4, progress=on_progress, cancelled=stop.is_set)

or all four at once with `export_folder(...)`.

Rules:
- The output tree mirrors the source tree; `a/b/clip.wav` -> `OUT/a/b/clip.png` (or `.npy`).
- `OUT/params.json` records the settings and the library versions; `load_params_json` gives back
  settings that reproduce the arrays (`compute_file(src, s.params, sr=s.sr).values`).
- An output is up to date (skipped) when it exists, is newer than its source and not older than
  params.json, and params.json holds the same settings. Different settings in params.json are an
  error (`ParamsChanged`) unless `force`, which rewrites params.json and then every output; an
  interrupted forced run resumes correctly because the older outputs predate the new params.json.
- Every output is written to a hidden temporary file in the same folder, then renamed over the
  final name (`os.replace`), so a killed export never leaves a half file under the final name;
  temporary files of dead processes are removed by the next `prepare_output`.
- `jobs` > 1 runs up to that many worker processes (one BLAS/STFT thread each), each fed chunks
  of files over its own pipe. The calling process starts exporting at once and starts the workers
  only when the work left is worth their start-up (~1.5 s); 1 runs in the calling thread.
  `scheduler` runs on a Dask cluster instead (same code per file, chunks as Dask tasks).

No Qt here: the window calls these from its worker pool and relays `progress` as a signal.
"""

from __future__ import annotations

import contextlib
import errno
import json
import multiprocessing
import os
import platform
import queue
import re
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from explorer.model import atomic
from explorer.model.atomic import remove_stale_temps
from explorer.model.colormaps import COLORMAPS, DEFAULT_COLORMAP
from explorer.model.dataset import scan_folder
from explorer.model.errors import AudioFileError
from explorer.model.spectrogram import Spectrogram, SpectrogramParams, compute_file

FORMATS = ("png", "npy")
DEPTHS = (8, 16)
PARAMS_FILE = "params.json"
#: What the worker processes import before their first file (forkserver preloads these once).
WORKER_MODULES = ("explorer.model.export", "threadpoolctl")
#: forkserver starts workers by forking a warm server (no re-import per worker); spawn elsewhere.
#: A frozen (PyInstaller) app can only spawn: its executable re-enters through freeze_support().
DEFAULT_START_METHOD = ("forkserver" if "forkserver" in multiprocessing.get_all_start_methods()
                        and not getattr(sys, "frozen", False) else "spawn")
#: Where the caller is known to run one thread (the CLI) on Linux, workers are forked copies of
#: it: they start in milliseconds, not the ~0.4 s of a forkserver's fresh interpreter. Never in
#: the window (Qt's threads make fork unsafe) nor in a frozen app.
SINGLE_THREAD_START_METHOD = ("fork" if platform.system() == "Linux"
                              and not getattr(sys, "frozen", False) else DEFAULT_START_METHOD)
#: The pool collects results at most this often (seconds): waking per file cost the parent
#: ~0.3 s of CPU per 1000 files, taken from the workers on a 2-core machine.
COLLECT_INTERVAL = 0.02
#: zlib level of exported PNGs: datasets favour speed (level 1: ~3x faster, ~3% bigger).
PNG_LEVEL = 1

#: About what starting the worker processes costs (a new interpreter importing numpy,
#: on a loaded 2-core machine). This process keeps working meanwhile, so workers pay off when
#: the work left exceeds it: an export expected to end sooner in this process starts none.
WORKER_START_SECONDS = 1.5

# ---------------------------------------------------------------------------------------------
# Settings and params.json


@dataclass(frozen=True)
class ExportSettings:
    """What decides the exported files: spectrogram parameters, rate, file format and picture."""

    params: SpectrogramParams = field(default_factory=lambda: SpectrogramParams(kind="mel"))
    format: str = "png"
    colormap: str | None = DEFAULT_COLORMAP
    depth: int | None = 8
    sr: int | None = None

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {self.format!r}")
        if self.sr is not None and int(self.sr) <= 0:
            raise ValueError(f"sr must be positive, not {self.sr}")
        if self.format == "npy":  # the array itself: no picture settings (so they never "change")
            object.__setattr__(self, "colormap", None)
            object.__setattr__(self, "depth", None)
            return
        colormap = self.colormap or DEFAULT_COLORMAP
        depth = int(self.depth or 8)
        if colormap not in COLORMAPS:
            raise ValueError(f"unknown colour map {colormap!r}; choose from {', '.join(COLORMAPS)}")
        if depth not in DEPTHS:
            raise ValueError(f"depth must be 8 or 16, not {depth}")
        if depth == 16 and colormap != "gray":
            raise ValueError("16-bit PNGs are grey: use the colour map 'gray' with depth 16")
        object.__setattr__(self, "colormap", colormap)
        object.__setattr__(self, "depth", depth)

    @property
    def suffix(self) -> str:
        return "." + self.format

    def to_dict(self) -> dict:
        return {"params": self.params.to_dict(), "sr": self.sr, "format": self.format,
                "colormap": self.colormap, "depth": self.depth}

    @classmethod
    def from_dict(cls, data: dict) -> ExportSettings:
        return cls(params=SpectrogramParams(**data["params"]), format=data["format"],
                   colormap=data.get("colormap"), depth=data.get("depth"), sr=data.get("sr"))


class ParamsChanged(Exception):
    """OUT_DIR/params.json records other settings than the ones asked for."""

    def __init__(self, path: Path, changes: list[str]) -> None:
        self.path = path
        self.changes = changes
        super().__init__(f"{path}: the folder was exported with other parameters ({'; '.join(changes)})")


def versions() -> dict:
    """Versions of what produced the numbers (read from package metadata: nothing imported)."""
    from importlib import metadata

    import soundfile

    out = {}
    for name in ("audio-explorer", "numpy", "scipy", "librosa", "soundfile"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    out["libsndfile"] = getattr(soundfile, "__libsndfile_version__", None)
    out["python"] = platform.python_version()
    return out


def _normalised(data: Any) -> Any:
    """The JSON form of a value (tuples -> lists, ints and floats as JSON reads them back)."""
    return json.loads(json.dumps(data))


def write_params_json(out_dir: str | Path, settings: ExportSettings) -> Path:
    """Write OUT_DIR/params.json (atomically) and return its path."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise atomic.write_error(out_dir, exc) from exc
    data = {
        **settings.to_dict(),
        "layout": ("one file per source, named after it, in the same sub-folder; .npy: float32 "
                   "array, rows = frequency bins (low first), columns = frames; .png: one pixel per "
                   "bin and frame, low frequencies at the bottom, each image scaled from its own "
                   "minimum (black / darkest) to its maximum"),
        "versions": versions(),
    }
    path = out_dir / PARAMS_FILE
    text = json.dumps(data, indent=2) + "\n"
    atomic.write_text(path, text)
    return path


def load_params_json(path: str | Path) -> ExportSettings:
    """The settings recorded in params.json (or in a folder's params.json)."""
    path = Path(path)
    if path.is_dir():
        path = path / PARAMS_FILE
    return ExportSettings.from_dict(json.loads(path.read_text()))


def params_changes(out_dir: str | Path, settings: ExportSettings) -> list[str] | None:
    """None when OUT_DIR has no params.json; else the differences ([] when the same settings)."""
    path = Path(out_dir) / PARAMS_FILE
    if not path.exists():
        return None
    try:
        stored = json.loads(path.read_text())
        old = {k: stored[k] for k in ("params", "sr", "format", "colormap", "depth")}
    except (OSError, ValueError, KeyError, TypeError):
        return ["params.json is unreadable"]
    new = _normalised(settings.to_dict())
    flat_old = {**{k: v for k, v in old.items() if k != "params"}, **old["params"]}
    flat_new = {**{k: v for k, v in new.items() if k != "params"}, **new["params"]}
    return [f"{key}: {flat_old.get(key)!r} -> {flat_new.get(key)!r}"
            for key in flat_new if flat_old.get(key) != flat_new.get(key)]


# ---------------------------------------------------------------------------------------------
# Planning


@dataclass(frozen=True)
class Task:
    """One source file and its output; `done`: already up to date; `problem`: fails without running."""

    src: Path
    dst: Path
    done: bool = False
    problem: str | None = None


def output_path(src_root: str | Path, out_root: str | Path, src: str | Path, fmt: str) -> Path:
    """Where `src` (inside src_root) goes: the same relative folder under out_root, new suffix."""
    rel = Path(src).relative_to(src_root)
    return Path(out_root) / rel.with_suffix("." + fmt)


def plan(src_dir: str | Path, out_dir: str | Path, settings: ExportSettings, recursive: bool = False,
         force: bool = False) -> list[Task]:
    """Every audio file of src_dir with its output and whether that output is already up to date.

    Raises NotADirectoryError for a missing src_dir and ParamsChanged when out_dir/params.json
    records other settings (unless force, which marks everything to be redone)."""
    src_dir, out_dir = Path(src_dir), Path(out_dir)
    files = scan_folder(src_dir, recursive=recursive)
    changes = params_changes(out_dir, settings)
    if changes and not force:
        raise ParamsChanged(out_dir / PARAMS_FILE, changes)
    epoch = None  # outputs written before this (ns) are not trusted
    if changes == [] and not force:
        epoch = (out_dir / PARAMS_FILE).stat().st_mtime_ns
    tasks: list[Task] = []
    owners: dict[Path, Path] = {}
    for src in files:
        dst = output_path(src_dir, out_dir, src, settings.format)
        if dst in owners:
            tasks.append(Task(src, dst, problem=f"same output as {owners[dst].name} "
                                                f"({dst.name}); rename one of them"))
            continue
        owners[dst] = src
        tasks.append(Task(src, dst, done=epoch is not None and _up_to_date(src, dst, epoch)))
    return tasks


def _up_to_date(src: Path, dst: Path, epoch: int) -> bool:
    try:
        out = dst.stat().st_mtime_ns
        return out > src.stat().st_mtime_ns and out >= epoch
    except OSError:
        return False


def prepare_output(out_dir: str | Path, settings: ExportSettings, force: bool = False) -> None:
    """Create out_dir, clear leftovers of killed runs, and (re)write params.json when it is
    missing or `force` (call after `plan`, before `run_export`)."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise atomic.write_error(out_dir, exc) from exc
    remove_stale_temps(out_dir)
    if force or not (out_dir / PARAMS_FILE).exists():
        write_params_json(out_dir, settings)


# ---------------------------------------------------------------------------------------------
# One file


@dataclass(frozen=True)
class ExportResult:
    src: Path
    dst: Path
    ok: bool
    reason: str | None = None
    seconds: float = 0.0
    shape: tuple[int, int] | None = None
    #: errno of a failed write (ENOSPC, EROFS...): some of them fail every later file too.
    error: int | None = None
    #: written, but its header lies or it holds NaN/inf (said on stderr by the command)
    warning: str | None = None


def compute_spectrogram(src: str | Path, settings: ExportSettings, workers: int | None = None,
                        cancelled: Callable[[], bool] | None = None) -> Spectrogram:
    """What `compute_file` gives (mel basis cached in the model; STFT on `workers` threads,
    1 inside worker processes)."""
    return compute_file(src, settings.params, sr=settings.sr, cancelled=cancelled, workers=workers)


def encode(values: np.ndarray, settings: ExportSettings) -> Callable[[Any], Any]:
    """A writer (file object -> None) of the output bytes for these values."""
    if settings.format == "npy":
        return lambda f: np.save(f, values, allow_pickle=False)
    from explorer.model import images

    pixels = images.spectrogram_pixels(values, settings.colormap, settings.depth)
    data = images.encode_png(pixels, level=PNG_LEVEL)
    return lambda f: f.write(data)


def export_one(src: str | Path, dst: str | Path, settings: ExportSettings, workers: int | None = None,
               cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Compute and write one output. Unusable sources and write errors come back as a failed
    result with a one-line reason; cancellation (InterruptedError) and Ctrl+C propagate."""
    src, dst = Path(src), Path(dst)
    start = time.perf_counter()
    try:
        spec = compute_spectrogram(src, settings, workers, cancelled)
        values = spec.values
        writer = encode(values, settings)
        try:
            dst.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise atomic.write_error(dst.parent, exc) from exc
        atomic.atomic_write(dst, writer)
    except atomic.WriteError as exc:
        return ExportResult(src, dst, False, str(exc), time.perf_counter() - start, error=exc.errno)
    except AudioFileError as exc:
        return ExportResult(src, dst, False, exc.reason, time.perf_counter() - start)
    except InterruptedError:
        raise
    except Exception as exc:  # a decode error mid-file, a full disk: this file fails, others go on
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return ExportResult(src, dst, False, reason, time.perf_counter() - start)
    return ExportResult(src, dst, True, None, time.perf_counter() - start,
                        (int(values.shape[0]), int(values.shape[1])), warning=spec.warning)


def export_chunk(pairs: Sequence[tuple[str, str]], settings: ExportSettings,
                 workers: int | None = 1) -> list[ExportResult]:
    """export_one over several files (the unit of work sent to a Dask worker)."""
    return [export_one(src, dst, settings, workers=workers) for src, dst in pairs]


# ---------------------------------------------------------------------------------------------
# Running many


@dataclass(frozen=True)
class ExportProgress:
    """A snapshot after each file: counts of this run, and the file just finished."""

    done: int
    total: int
    written: int
    failed: int
    up_to_date: int
    elapsed: float
    result: ExportResult | None = None

    @property
    def rate(self) -> float:
        """Files per second so far."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def remaining_seconds(self) -> float | None:
        rate = self.rate
        return (self.total - self.done) / rate if rate > 0 else None


@dataclass
class ExportSummary:
    total: int = 0          # audio files found
    written: int = 0
    up_to_date: int = 0     # skipped: already done
    failed: int = 0
    cancelled: bool = False
    seconds: float = 0.0
    failures: list[ExportResult] = field(default_factory=list)
    #: The write error that stopped the run because it fails every file (disk full...), once.
    stopped: str | None = None
    #: Files neither written nor failed: left when cancelled, interrupted or stopped.
    left: int = 0

    @property
    def rate(self) -> float:
        ran = self.written + self.failed
        return ran / self.seconds if self.seconds > 0 else 0.0


class ExportCancelled(Exception):
    pass


class _Tally:
    def __init__(self, tasks: Sequence[Task], progress: Callable[[ExportProgress], Any] | None) -> None:
        self.summary = ExportSummary(total=len(tasks), up_to_date=sum(t.done for t in tasks))
        self.total = sum(not t.done for t in tasks)
        self.done = 0
        self.progress = progress
        self.start = time.perf_counter()
        self.last: deque[ExportResult] = deque(maxlen=64)
        folders = {t.dst.parent for t in tasks}
        self.root = Path(os.path.commonpath(list(folders))) if folders else None
        self.stop_error: int | None = None

    def _fails_everything(self, result: ExportResult) -> bool:
        """Disk full, a read-only file system, or no permission on the output folder itself."""
        if result.error in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
            return True
        if result.error in (errno.EACCES, errno.EPERM) and self.root is not None:
            return not os.access(self.root, os.W_OK)
        return False

    def recent(self, count: int) -> list[ExportResult]:
        return list(self.last)[-count:] if count > 0 else []

    def add(self, result: ExportResult) -> None:
        s = self.summary
        if not result.ok and self.stop_error is not None and result.error is not None:
            return  # the same wall again, from a file in flight when the run stopped: said once
        if not result.ok and self._fails_everything(result):
            self.stop_error = result.error
            s.stopped = result.reason
            s.seconds = time.perf_counter() - self.start
            return
        self.done += 1
        self.last.append(result)
        if result.ok:
            s.written += 1
        else:
            s.failed += 1
            s.failures.append(result)
        s.seconds = time.perf_counter() - self.start
        if self.progress is not None:
            self.progress(ExportProgress(self.done, self.total, s.written, s.failed, s.up_to_date,
                                         s.seconds, result))


def run_export(tasks: Sequence[Task], settings: ExportSettings, jobs: int | None = None,
               progress: Callable[[ExportProgress], Any] | None = None,
               cancelled: Callable[[], bool] | None = None, scheduler=None,
               start_method: str | None = None,
               workers_threshold: float = WORKER_START_SECONDS) -> ExportSummary:
    """Export every task that is not done. `progress` gets an ExportProgress after each file (in
    the calling thread); `cancelled()` is polled (several times a second) and stops the run: the
    workers are terminated, no partial file is left, and the summary says cancelled. KeyboardInterrupt
    does the same cleanup and propagates. `scheduler`: a Dask scheduler address or Client.
    Worker processes start only when the work left is estimated above `workers_threshold`
    seconds (0: at once)."""
    tally = _Tally(tasks, progress)
    for task in tasks:
        if task.problem is not None:
            tally.add(ExportResult(task.src, task.dst, False, task.problem))
    todo = [t for t in tasks if not t.done and t.problem is None]
    jobs = max(1, min(int(jobs or os.cpu_count() or 1), len(todo) or 1))
    asked = cancelled

    def cancelled() -> bool:  # the caller's cancel, or a write error that fails every file
        return tally.stop_error is not None or (asked is not None and bool(asked()))

    try:
        if not todo:
            pass
        elif scheduler:
            _run_dask(todo, settings, scheduler, tally, cancelled)
        elif jobs == 1:
            for task in todo:
                if cancelled is not None and cancelled():
                    raise ExportCancelled
                try:
                    tally.add(export_one(task.src, task.dst, settings, cancelled=cancelled))
                except InterruptedError:
                    raise ExportCancelled from None
        else:
            _run_pool(todo, settings, jobs, tally, cancelled, start_method or DEFAULT_START_METHOD,
                      workers_threshold)
    except ExportCancelled:
        tally.summary.cancelled = tally.stop_error is None
    s = tally.summary
    s.seconds = time.perf_counter() - tally.start
    s.left = tally.total - s.written - s.failed
    return s


def written_since(tasks: Iterable[Task], since_ns: int) -> int:
    """How many outputs of the tasks to do exist and were written at or after since_ns (a
    `file_clock_ns()` reading): what an interrupted run really wrote, results in flight included."""
    count = 0
    for t in tasks:
        if t.done:
            continue
        try:
            if t.dst.stat().st_mtime_ns >= since_ns:
                count += 1
        except OSError:
            pass
    return count


def file_clock_ns() -> int:
    """Now, by the clock file times come from (Linux stamps files with the coarse clock, which
    can lag time.time_ns() by a tick)."""
    coarse = getattr(time, "CLOCK_REALTIME_COARSE", None)
    return time.clock_gettime_ns(coarse) if coarse is not None else time.time_ns() - 20_000_000


def export_folder(src_dir: str | Path, out_dir: str | Path, settings: ExportSettings,
                  recursive: bool = False, force: bool = False, jobs: int | None = None,
                  progress: Callable[[ExportProgress], Any] | None = None,
                  cancelled: Callable[[], bool] | None = None, scheduler=None,
                  **options) -> ExportSummary:
    """plan + prepare_output + run_export (options: run_export's)."""
    tasks = plan(src_dir, out_dir, settings, recursive=recursive, force=force)
    prepare_output(out_dir, settings, force=force)
    return run_export(tasks, settings, jobs=jobs, progress=progress, cancelled=cancelled,
                      scheduler=scheduler, **options)


def chunk_tasks(tasks: Sequence[Task], parts: int, max_files: int = 64) -> list[list[Task]]:
    """Consecutive runs of tasks of about total_bytes / parts each (long files alone)."""
    sizes = []
    for t in tasks:
        try:
            sizes.append(t.src.stat().st_size)
        except OSError:
            sizes.append(0)
    target = max(1, sum(sizes) // max(1, parts))
    chunks: list[list[Task]] = []
    current: list[Task] = []
    acc = 0
    for task, size in zip(tasks, sizes, strict=True):
        current.append(task)
        acc += size
        if acc >= target or len(current) >= max_files:
            chunks.append(current)
            current, acc = [], 0
    if current:
        chunks.append(current)
    return chunks


# -- worker processes ---------------------------------------------------------------------------


def tune_process() -> None:
    """Settings for a process that exports many files (the worker processes; the CLI's own).

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


def _terminate_handler(signum, frame):  # pragma: no cover - runs in the worker processes
    raise SystemExit(128 + signum)


def _worker_main(conn, settings: ExportSettings,
                 inherited: Sequence[int] = ()) -> None:  # pragma: no cover - worker processes
    """A worker process. Ctrl+C is the parent's to handle; SIGTERM (the parent cancelling) unwinds
    so that the temporary file of the file being written is removed. `inherited`: the parent's
    ends of the pipes (a forked worker holds copies), closed so that each pipe sees EOF when the
    parent dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _terminate_handler)
    for fd in inherited:
        with contextlib.suppress(OSError):
            os.close(fd)
    tune_process()
    parent = os.getppid()
    _serve(conn, settings, lambda: os.getppid() != parent)


def _serve(conn, settings: ExportSettings, stop: Callable[[], bool]) -> None:
    """Files arrive in chunks over conn; one result goes back per file. Stops at None, at a closed
    pipe, or when stop() (the parent died, or cancelled) -- never in the middle of a write."""
    try:
        while True:
            try:
                chunk = conn.recv()
            except (EOFError, OSError):
                return
            if chunk is None:
                return
            for src, dst in chunk:
                if stop():
                    return
                try:
                    result = export_one(src, dst, settings, workers=1, cancelled=stop)
                except InterruptedError:
                    return
                conn.send(result)
    except (SystemExit, KeyboardInterrupt, BrokenPipeError, EOFError):
        return
    finally:
        with contextlib.suppress(OSError):
            conn.close()


@contextlib.contextmanager
def _sigint_ignored():
    """SIGINT ignored for a moment (main thread only: elsewhere there is no Ctrl+C to fear). A
    child started meanwhile inherits the ignored disposition across exec and keeps it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


class _Worker:
    def __init__(self, ctx, settings: ExportSettings, siblings: Sequence[_Worker] = ()) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        inherited: list[int] = []
        if ctx.get_start_method() == "fork":  # the child gets every fd of ours: list the pipes'
            inherited = [self.conn.fileno()] + [w.conn.fileno() for w in siblings
                                                 if not w.conn.closed]
        self.process = ctx.Process(target=_worker_main, args=(child, settings, inherited),
                                   daemon=True, name="audio-explorer-export")
        self.process.start()
        child.close()
        self.inflight: deque[Task] = deque()
        self.sentinel = self.process.sentinel

    def alive(self) -> bool:
        return self.process.is_alive()

    def send(self, chunk: list[Task]) -> None:
        self.conn.send([(str(t.src), str(t.dst)) for t in chunk])
        self.inflight.extend(chunk)

    def stop(self, terminate: bool) -> None:
        if not terminate:
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
            self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        with contextlib.suppress(OSError):
            self.conn.close()
        if terminate:  # belt and braces: a worker killed before it could clean up after itself
            for task in self.inflight:
                pattern = f".{_glob_escape(task.dst.name)}.{self.process.pid}.*.part"
                for tmp in task.dst.parent.glob(pattern):
                    with contextlib.suppress(OSError):
                        tmp.unlink()


def _glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _start_context(method: str):
    """The multiprocessing context; with forkserver, its server is started now, Ctrl+C ignored, so
    that it and every worker forked from it ignore Ctrl+C (the parent handles it: no tracebacks
    from children). Starting the server returns at once; it imports WORKER_MODULES meanwhile."""
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        from multiprocessing import forkserver

        ctx.set_forkserver_preload(list(WORKER_MODULES))
        with _sigint_ignored():
            forkserver.ensure_running()
    return ctx


class _ThreadWorker(_Worker):
    """The calling process's share of the work, on a thread that looks like a worker process."""

    def __init__(self, settings: ExportSettings) -> None:
        import multiprocessing.connection as mpc

        self.conn, child = mpc.Pipe(duplex=True)
        self.cancel = threading.Event()
        self.thread = threading.Thread(target=_serve, args=(child, settings, self.cancel.is_set),
                                       name="export-local-worker", daemon=True)
        self.thread.start()
        self.inflight = deque()
        self.sentinel = None

    def alive(self) -> bool:
        return self.thread.is_alive()

    def stop(self, terminate: bool) -> None:
        if terminate:
            self.cancel.set()
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.thread.join()
        with contextlib.suppress(OSError):
            self.conn.close()


class _Starter(threading.Thread):
    """Starts worker processes off the calling thread: a new interpreter takes about a second to
    import numpy, and the calling process exports files meanwhile."""

    def __init__(self, ctx, settings: ExportSettings, count: int) -> None:
        super().__init__(name="export-worker-starter", daemon=True)
        self.ctx, self.settings, self.count = ctx, settings, count
        self.started: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self.stopping = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            for _ in range(self.count):
                if self.stopping.is_set():
                    return
                self.started.put(_Worker(self.ctx, self.settings))
        except BaseException as exc:  # reported by the calling thread
            self.error = exc


def _run_pool(todo: list[Task], settings: ExportSettings, jobs: int, tally: _Tally,
              cancelled: Callable[[], bool] | None, method: str, threshold: float) -> None:
    """Up to `jobs` worker processes, each fed chunks of consecutive files over its own pipe.

    With fork, the workers start at once (milliseconds each) and do all the work. Otherwise this
    process starts exporting at once, on a thread, one chunk at a time; from its first files it
    estimates the time left and starts the workers only if that is well above what starting them
    costs (138 clips of 4 s finish in this process before workers would be up). It stops taking
    chunks once all the workers are up (sharing the work with them for good slows them down:
    measured)."""
    from multiprocessing.connection import wait

    pending: deque[list[Task]] = deque(chunk_tasks(todo, jobs * 8, max_files=32))
    ctx = None
    starter: _Starter | None = None
    workers: list[_Worker] = []
    local: _ThreadWorker | None = None
    local_seconds: list[float] = []
    begin = time.perf_counter()
    clean = False

    def new_worker() -> _Worker:
        return _Worker(ctx, settings, workers)

    def top_up(w: _Worker) -> None:
        if w is local:
            if pending and not w.inflight and len(workers) <= jobs and local.alive():
                w.send(pending.popleft())
            return
        while pending and len(w.inflight) <= 16:
            w.send(pending.popleft())

    def worth_starting() -> bool:
        if not pending:
            return False
        if threshold <= 0:
            return True
        if len(local_seconds) < 4:  # the first file pays this process's imports: not a measure
            return time.perf_counter() - begin > threshold
        per_file = sum(local_seconds[1:]) / (len(local_seconds) - 1)
        left = len(todo) - tally.done
        return per_file * left > threshold

    try:
        if method == "fork":  # before any thread of ours exists
            ctx = multiprocessing.get_context("fork")
            with _sigint_ignored():
                for _ in range(jobs):
                    workers.append(new_worker())
                    top_up(workers[-1])
        else:
            local = _ThreadWorker(settings)
            workers.append(local)
            top_up(local)
        while pending or any(w.inflight for w in workers):
            if cancelled is not None and cancelled():
                raise ExportCancelled
            if starter is None and local is not None and worth_starting():
                ctx = _start_context(method)
                starter = _Starter(ctx, settings, jobs)
                starter.start()
            if starter is not None:
                while not starter.started.empty():
                    workers.append(starter.started.get())
                    top_up(workers[-1])
                if starter.error is not None:
                    raise starter.error
            if local is not None:
                top_up(local)
            busy = [w for w in workers if w.inflight]
            handles = [w.conn for w in busy] + [w.sentinel for w in busy if w.sentinel is not None]
            woke = time.perf_counter()
            ready = wait(handles, timeout=0.1) if handles else []
            if not handles:
                time.sleep(0.02)  # workers still starting
            for w in busy:
                if w.conn in ready or (w.sentinel is not None and w.sentinel in ready):
                    before = tally.done
                    replacement = _collect(w, new_worker if ctx is not None else None, tally,
                                           pending)
                    if w is local:
                        local_seconds.extend(r.seconds for r in tally.recent(tally.done - before))
                    if replacement is not None:
                        workers[workers.index(w)] = replacement
                        w = replacement
                    top_up(w)
            if local is None or len(workers) > jobs:  # no local thread waiting for its next chunk
                time.sleep(max(0.0, COLLECT_INTERVAL - (time.perf_counter() - woke)))
        clean = True
    finally:
        if starter is not None:
            starter.stopping.set()
            starter.join()
            while not starter.started.empty():
                workers.append(starter.started.get())
        for w in workers:
            w.stop(terminate=not clean)


def _collect(w: _Worker, new_worker: Callable[[], _Worker] | None, tally: _Tally,
             pending: deque[list[Task]]) -> _Worker | None:
    """Read what worker w has sent; if it died, fail the file it was on, requeue the rest of its
    files one by one and return a fresh worker (from new_worker, when processes are in use)."""
    try:
        while w.inflight and w.conn.poll():
            result = w.conn.recv()
            w.inflight.popleft()
            tally.add(result)
        if w.alive() or not w.inflight:
            return None
    except (EOFError, OSError):
        pass
    code = "?"
    if isinstance(w, _ThreadWorker):
        w.thread.join(timeout=5)
    else:
        w.process.join(timeout=5)
        code = w.process.exitcode
    crashed = w.inflight.popleft()
    tally.add(ExportResult(crashed.src, crashed.dst, False,
                           f"the worker died on this file (exit code {code})"))
    pending.extendleft([t] for t in reversed(w.inflight))
    w.inflight.clear()
    w.stop(terminate=True)
    if not pending or new_worker is None:
        return None
    return new_worker()


# -- Dask ---------------------------------------------------------------------------------------


class DaskUnavailable(RuntimeError):
    pass


def connect_dask(address: str):
    """A distributed.Client on the scheduler at address (connect timeout: Dask's
    distributed.comm.timeouts.connect, 30 s unless configured). DaskUnavailable when Dask is not
    installed or the scheduler cannot be reached."""
    try:
        from distributed import Client
    except ImportError:
        raise DaskUnavailable("--scheduler needs Dask: pip install 'audio-explorer[cluster]'") from None
    try:
        return Client(address, set_as_default=False)
    except Exception as exc:
        raise DaskUnavailable(f"cannot reach the Dask scheduler at {address} ({exc})") from None


def _run_dask(todo: list[Task], settings: ExportSettings, scheduler, tally: _Tally,
              cancelled: Callable[[], bool] | None) -> None:
    """Chunks of files as tasks on a Dask cluster; the workers need the same paths and this
    package installed. `scheduler`: an address, or a Client (then left open)."""
    from distributed import as_completed

    own = isinstance(scheduler, str)
    client = connect_dask(scheduler) if own else scheduler
    futures = []
    try:
        threads = max(1, sum(client.nthreads().values()))
        owners = {}
        for chunk in chunk_tasks(todo, threads * 8, max_files=32):
            fut = client.submit(export_chunk, [(str(t.src), str(t.dst)) for t in chunk], settings, 1,
                                pure=False)
            owners[fut.key] = chunk
            futures.append(fut)
        for fut in as_completed(futures, loop=client.loop):
            if cancelled is not None and cancelled():
                raise ExportCancelled
            try:
                results = fut.result()
            except Exception as exc:
                reason = f"failed on the cluster ({type(exc).__name__}: {exc})"
                results = [ExportResult(t.src, t.dst, False, reason) for t in owners[fut.key]]
            for result in results:
                tally.add(result)
    finally:
        if futures:
            with contextlib.suppress(Exception):
                client.cancel(futures)
        if own:
            with contextlib.suppress(Exception):
                client.close()


def describe(tasks: Iterable[Task]) -> tuple[int, int]:
    """(to do, already up to date) counts of a plan."""
    todo = done = 0
    for t in tasks:
        if t.done:
            done += 1
        else:
            todo += 1
    return todo, done

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
- Running is `explorer.runner`'s (the engine shared by every per-file job): `jobs` > 1 runs up to
  that many worker processes (one BLAS/STFT thread each), 1 runs in the calling thread, and
  `scheduler` runs on a Dask cluster. What is export's: the work per file (`export_file`), its
  failed result, the removal of a killed worker's temporary files, and a write error that fails
  every later file (disk full) stopping the run, said once.

No Qt here: the window calls these from its worker pool and relays `progress` as a signal.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import platform
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from explorer import runner
from explorer.model import atomic
from explorer.model.atomic import remove_stale_temps
from explorer.model.colormaps import COLORMAPS, DEFAULT_COLORMAP
from explorer.model.dataset import scan_folder
from explorer.model.errors import AudioFileError
from explorer.model.spectrogram import Spectrogram, SpectrogramParams, compute_file
from explorer.runner import WORKER_START_SECONDS, RunProgress, RunSummary

FORMATS = ("png", "npy")
DEPTHS = (8, 16)
PARAMS_FILE = "params.json"
#: zlib level of exported PNGs: datasets favour speed (level 1: ~3x faster, ~3% bigger).
PNG_LEVEL = 1

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

    @property
    def layout(self) -> str:
        """What params.json says about the files (another job's settings say theirs)."""
        return ("one file per source, named after it, in the same sub-folder; .npy: float32 "
                "array, rows = frequency bins (low first), columns = frames; .png: one pixel per "
                "bin and frame, low frequencies at the bottom, each image scaled from its own "
                "minimum (black / darkest) to its maximum")

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
        "layout": settings.layout,
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
    new = _normalised(settings.to_dict())  # any job's settings: a "params" dict and other keys
    try:
        stored = json.loads(path.read_text())
        old = {k: stored[k] for k in new}
        flat_old = {**{k: v for k, v in old.items() if k != "params"}, **old["params"]}
    except (OSError, ValueError, KeyError, TypeError):
        return ["params.json is unreadable"]
    flat_new = {**{k: v for k, v in new.items() if k != "params"}, **new["params"]}
    return [f"{key}: {flat_old.get(key)!r} -> {flat_new.get(key)!r}"
            for key in {**flat_old, **flat_new} if flat_old.get(key) != flat_new.get(key)]


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
    shape: tuple[int, ...] | None = None
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

    def make() -> tuple[Callable[[Any], Any], tuple[int, ...], str | None]:
        spec = compute_spectrogram(src, settings, workers, cancelled)
        values = spec.values
        return encode(values, settings), (int(values.shape[0]), int(values.shape[1])), spec.warning

    return produce(src, dst, make)


def produce(src: str | Path, dst: str | Path,
            make: Callable[[], tuple[Callable[[Any], Any], tuple[int, ...], str | None]]) -> ExportResult:
    """One output of any per-file job: `make()` computes (writer, shape, warning), then the writer
    goes through the atomic writer; failures come back as a result with a one-line reason."""
    src, dst = Path(src), Path(dst)
    start = time.perf_counter()
    try:
        writer, shape, warning = make()
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
    return ExportResult(src, dst, True, None, time.perf_counter() - start, shape, warning=warning)


def export_file(pair: tuple[str, str], settings: ExportSettings, cancelled: Callable[[], bool] | None,
                threads: int | None) -> ExportResult:
    """The runner's work function: one (source, output) pair, as strings (light to send)."""
    return export_one(pair[0], pair[1], settings, workers=threads, cancelled=cancelled)


def _failed(pair: tuple[str, str], reason: str) -> ExportResult:
    return ExportResult(Path(pair[0]), Path(pair[1]), False, reason)


def _remove_temps(pair: tuple[str, str], pid: int) -> None:
    """Belt and braces: the temporary file a killed worker `pid` was writing for this output."""
    dst = Path(pair[1])
    for tmp in dst.parent.glob(f".{_glob_escape(dst.name)}.{pid}.*.part"):
        with contextlib.suppress(OSError):
            tmp.unlink()


def _glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _source_size(pair: tuple[str, str]) -> int:
    try:
        return os.stat(pair[0]).st_size
    except OSError:
        return 0


class _Wall:
    """The runner's `stops` hook: a write error that fails every later file (disk full, a read-only
    file system, no permission on the output folder itself) stops the run; once stopped, every
    write error in flight is the same wall again, said once."""

    def __init__(self, tasks: Sequence[Task]) -> None:
        folders = {t.dst.parent for t in tasks}
        self.root = Path(os.path.commonpath(list(folders))) if folders else None

    def __call__(self, result: ExportResult, stopped: bool) -> str | None:
        if result.error is None:
            return None
        if stopped or self._fails_everything(result):
            return result.reason
        return None

    def _fails_everything(self, result: ExportResult) -> bool:
        if result.error in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):
            return True
        if result.error in (errno.EACCES, errno.EPERM) and self.root is not None:
            return not os.access(self.root, os.W_OK)
        return False


# ---------------------------------------------------------------------------------------------
# Running many


@dataclass(frozen=True)
class ExportProgress(RunProgress):
    """A snapshot after each file: counts of this run, and the file just finished (`result`)."""

    @property
    def written(self) -> int:
        return self.succeeded

    @property
    def up_to_date(self) -> int:
        return self.skipped


@dataclass
class ExportSummary(RunSummary):
    """What a run did: `total` audio files found, `written`, `up_to_date` (skipped), `failed`
    (ExportResults in `failures`), `stopped` by a write error that fails every file, `left`."""

    @property
    def written(self) -> int:
        return self.succeeded

    @property
    def up_to_date(self) -> int:
        return self.skipped


def run_export(tasks: Sequence[Task], settings: ExportSettings, jobs: int | None = None,
               progress: Callable[[ExportProgress], Any] | None = None,
               cancelled: Callable[[], bool] | None = None, scheduler=None,
               start_method: str | None = None,
               workers_threshold: float = WORKER_START_SECONDS, work: runner.Work | None = None,
               name: str = "audio-explorer-export") -> ExportSummary:
    """Export every task that is not done. `progress` gets an ExportProgress after each file (in
    the calling thread); `cancelled()` is polled (several times a second) and stops the run: the
    workers are terminated, no partial file is left, and the summary says cancelled. KeyboardInterrupt
    does the same cleanup and propagates. `scheduler`: a Dask scheduler address or Client.
    Worker processes start only when the work left is estimated above `workers_threshold`
    seconds (0: at once). `work`: another job's work function (pair, settings, cancelled, threads)
    -> ExportResult over the same plan, resume and write rules (the feature export's)."""
    known = [ExportResult(t.src, t.dst, False, t.problem) for t in tasks if t.problem is not None]
    todo = [(str(t.src), str(t.dst)) for t in tasks if not t.done and t.problem is None]
    report = None
    if progress is not None:
        def report(p: RunProgress) -> None:
            progress(ExportProgress(p.done, p.total, p.succeeded, p.failed, p.skipped, p.elapsed,
                                    p.result))

    summary = runner.run(todo, work or export_file, settings, jobs=jobs, scheduler=scheduler,
                         progress=report, cancelled=cancelled, start_method=start_method,
                         workers_threshold=workers_threshold, failed=_failed, cleanup=_remove_temps,
                         weight=_source_size, stops=_Wall(tasks), known=known,
                         skipped=sum(t.done for t in tasks), name=name)
    return ExportSummary(**{f.name: getattr(summary, f.name) for f in fields(summary)})


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



def describe(tasks: Iterable[Task]) -> tuple[int, int]:
    """(to do, already up to date) counts of a plan."""
    todo = done = 0
    for t in tasks:
        if t.done:
            done += 1
        else:
            todo += 1
    return todo, done

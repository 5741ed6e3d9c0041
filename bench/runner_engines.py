"""Benchmark: the runner's own process pool against concurrent.futures.ProcessPoolExecutor.

Both run export's work function (`explorer.model.export.export_file`) over the clips of
bench/export_dataset.py (3.8 s at 16 kHz, to PNG), in this process after its imports (interpreter
start-up is not what differs), with forked workers, the same chunks (`runner.chunks`, by file
size) and the same counting (`runner.progress.Tally`). The executor gets its best case: one future
per chunk, results counted per chunk. Rounds alternate the order; each writes into a new folder.
Besides wall time it gives the CPU time of this process and its workers (user + system): on a
machine loaded by other work, wall times swing by 2x while CPU time shows what the engine costs.

Usage: python bench/runner_engines.py [--clips 2000] [--jobs 2] [--rounds 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export_dataset import make_clips  # noqa: E402

from explorer import runner  # noqa: E402
from explorer.model import export as ex  # noqa: E402
from explorer.model.spectrogram import SpectrogramParams  # noqa: E402
from explorer.runner.dask import run_chunk  # noqa: E402
from explorer.runner.progress import Tally  # noqa: E402


def own_pool(todo: list, settings: ex.ExportSettings, jobs: int) -> int:
    summary = runner.run(todo, ex.export_file, settings, jobs=jobs, start_method="fork",
                         weight=ex._source_size, failed=ex._failed)
    return summary.succeeded


def executor(todo: list, settings: ex.ExportSettings, jobs: int) -> int:
    tally = Tally(len(todo))
    parts = runner.chunks(todo, jobs * 8, max_items=32, weight=ex._source_size)
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                             initializer=runner.tune_process) as pool:
        futures = [pool.submit(run_chunk, ex.export_file, chunk, settings) for chunk in parts]
        for fut in as_completed(futures):
            tally.add_all(fut.result())
    return tally.finish().succeeded


def _cpu() -> float:
    """User + system time of this process and of its children that have ended (the workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


ENGINES = {"own pool": own_pool, "ProcessPoolExecutor": executor}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="build the clips here and keep them")
    args = parser.parse_args()
    runner.tune_process()
    tmp = Path(tempfile.mkdtemp(prefix="runner-bench-"))
    src = (args.keep or tmp) / f"clips{args.clips}"
    if not src.is_dir():
        make_clips(src, args.clips)
    settings = ex.ExportSettings(params=SpectrogramParams(kind="mel", power=1.0, db_ref="min"))
    times: dict[str, list[float]] = {name: [] for name in ENGINES}
    cpu: dict[str, list[float]] = {name: [] for name in ENGINES}
    try:
        for r in range(args.rounds):
            names = list(ENGINES) if r % 2 == 0 else list(reversed(ENGINES))
            for name in names:
                out = tmp / f"out-{r}-{name.replace(' ', '-')}"
                tasks = ex.plan(src, out, settings)
                ex.prepare_output(out, settings)
                todo = [(str(t.src), str(t.dst)) for t in tasks]
                cpu_start = _cpu()
                start = time.perf_counter()
                written = ENGINES[name](todo, settings, args.jobs)
                times[name].append(time.perf_counter() - start)
                cpu[name].append(_cpu() - cpu_start)
                assert written == args.clips, f"{name}: {written} of {args.clips} written"
        print(f"{args.clips} clips, --jobs {args.jobs}, {args.rounds} rounds (best, worst):")
        for name in ENGINES:
            for what, values in (("wall", times[name]), ("CPU", cpu[name])):
                print(f"  {name:20s} {what:4s} {min(values):6.2f} s  {max(values):6.2f} s   "
                      f"({', '.join(f'{v:.2f}' for v in values)})")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

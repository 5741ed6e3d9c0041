"""The same run on a Dask cluster: chunks of items as Dask tasks (`pip install 'audio-explorer[cluster]'`)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any

from explorer.runner.chunks import chunks
from explorer.runner.job import Cancelled, Job, Raised, reason_of
from explorer.runner.progress import Tally


class DaskUnavailable(RuntimeError):
    pass


def connect(address: str):
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


def run_chunk(work: Callable, chunk: Sequence[Any], context: Any) -> list:
    """The work function over a chunk, on a Dask worker (one thread per item)."""
    results = []
    for item in chunk:
        try:
            results.append(work(item, context, None, 1))
        except Exception as exc:  # the item fails; the chunk goes on
            results.append(Raised(reason_of(exc)))
    return results


def run_dask(items: Sequence[Any], job: Job, scheduler, tally: Tally,
             cancelled: Callable[[], bool] | None) -> None:
    """Chunks of items as tasks on a Dask cluster; the workers need the same paths and this
    package installed. `scheduler`: an address, or a Client (then left open). Raises Cancelled
    when cancelled() says so (looked at as each chunk comes back)."""
    from distributed import as_completed

    own = isinstance(scheduler, str)
    client = connect(scheduler) if own else scheduler
    futures = []
    try:
        threads = max(1, sum(client.nthreads().values()))
        owners = {}
        for chunk in chunks(items, threads * 8, max_items=32, weight=job.weight):
            fut = client.submit(run_chunk, job.work, chunk, job.context, pure=False)
            owners[fut.key] = chunk
            futures.append(fut)
        for fut in as_completed(futures, loop=client.loop):
            if cancelled is not None and cancelled():
                raise Cancelled
            chunk = owners[fut.key]
            try:
                results = fut.result()
            except Exception as exc:
                reason = f"failed on the cluster ({type(exc).__name__}: {exc})"
                results = [job.failed(item, reason) for item in chunk]
            for item, result in zip(chunk, results, strict=True):
                tally.add(job.failed(item, result.reason) if isinstance(result, Raised) else result)
    finally:
        if futures:
            with contextlib.suppress(Exception):
                client.cancel(futures)
        if own:
            with contextlib.suppress(Exception):
                client.close()

"""A Dask LocalCluster in a process of its own, for the tests that run work on a cluster.

Started in the test process, a LocalCluster leaves it changed (its nannies set thread and
allocator settings): spectrograms computed in that process afterwards differ from a
subprocess's in their last bits. Here the cluster lives in a child; the tests get its address.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CLUSTER_SCRIPT = """
import sys

import distributed

if __name__ == "__main__":
    with distributed.LocalCluster(n_workers=int(sys.argv[1]), threads_per_worker=1,
                                  processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        print(cluster.scheduler_address, flush=True)
        sys.stdin.read()  # until the test closes our stdin
"""


@contextmanager
def local_cluster(workers: int = 2, timeout: float = 120.0) -> Iterator[str]:
    """Start a LocalCluster in a child process; yields its scheduler address."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    proc = subprocess.Popen([sys.executable, "-c", CLUSTER_SCRIPT, str(workers)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT)
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    try:
        address = line[0].strip() if line else ""
        if not address.startswith("tcp://"):
            raise RuntimeError(f"the LocalCluster did not start (exit code {proc.poll()})")
        yield address
    finally:
        proc.stdin.close()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)

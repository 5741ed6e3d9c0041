"""Run Python code in a child process with a memory and time limit: a test of code that might
allocate from a lying header (512 GiB) or loop forever fails instead of taking the machine down."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Address space of the child: numpy, soundfile and a few spectrograms fit many times over.
MEMORY_BYTES = 2 << 30


def run_limited(code: str, timeout: float, memory: int = MEMORY_BYTES) -> subprocess.CompletedProcess:
    """Run `code` with `python -c` in the repository root under RLIMIT_AS=memory (set by the
    child before anything else: no preexec_fn in a threaded test process); raises
    subprocess.TimeoutExpired after `timeout` seconds (the child is killed)."""
    limited = (f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))\n"
               + code)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", limited], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=env)


def last_json(result: subprocess.CompletedProcess):
    """The child's last stdout line as JSON (what it reports), failing with its stderr if none."""
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0 and lines, f"child failed ({result.returncode}):\n{result.stderr}"
    return json.loads(lines[-1])

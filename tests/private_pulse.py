"""A private PulseAudio daemon that a test may kill or freeze: its own runtime dir and socket
(selected with PULSE_SERVER), so the shared test daemon is never touched."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

SINK = "lost"


class PrivatePulse:
    """One pulseaudio process with a null sink `lost`; start(), restart() and kill it at will."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.socket = folder / "native"
        self.proc: subprocess.Popen | None = None

    @property
    def server(self) -> str:
        return f"unix:{self.socket}"

    def env(self) -> dict[str, str]:
        """The environment of a client of this daemon (and of no other sink)."""
        env = {k: v for k, v in os.environ.items() if k not in ("PULSE_SINK", "PULSE_SOURCE")}
        env["PULSE_SERVER"] = self.server
        return env

    def start(self) -> None:
        for sub in ("rt", "home", "state"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        self.socket.unlink(missing_ok=True)
        env = {**os.environ, "HOME": str(self.folder / "home"),
               "XDG_RUNTIME_DIR": str(self.folder / "rt"),
               "PULSE_RUNTIME_PATH": str(self.folder / "rt"),
               "PULSE_STATE_PATH": str(self.folder / "state")}
        self.proc = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit",
             "--use-pid-file=no",
             f"--load=module-null-sink sink_name={SINK} format=float32le rate=48000 channels=2",
             f"--load=module-native-protocol-unix auth-anonymous=1 socket={self.socket}"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            probe = subprocess.run(["pactl", "info"], env=self.env(), capture_output=True,
                                   timeout=5, check=False)
            if probe.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("the private pulseaudio did not start")

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def kill(self) -> None:
        """SIGCONT (a frozen daemon) then SIGKILL, and reap it."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.kill()
        if self.proc is not None:
            self.proc.wait(10)

    def restart(self) -> None:
        self.kill()
        self.start()

    def recorder(self) -> Recorder:
        return Recorder(self)


class Recorder:
    """parec on the private sink's monitor; `samples()` is what came out so far."""

    def __init__(self, pulse: PrivatePulse, rate: int = 48000) -> None:
        self.rate = rate
        self.proc = subprocess.Popen(
            ["parec", "-d", f"{SINK}.monitor", "--format=float32le", f"--rate={rate}",
             "--channels=1", "--latency-msec=20"],
            env=pulse.env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)
        self._chunks: list[bytes] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while data := self.proc.stdout.read(16384):
            self._chunks.append(data)

    def samples(self) -> np.ndarray:
        data = b"".join(self._chunks)
        return np.frombuffer(data[: len(data) // 4 * 4], dtype="<f4")

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(5)
        self._thread.join(5)


def loud(samples: np.ndarray, rate: int = 48000) -> float:
    """Seconds of the recording louder than -50 dBFS (in 10 ms frames): sound that came out."""
    n = rate // 100
    frames = samples[: samples.size // n * n].reshape(-1, n).astype(np.float64)
    return float(np.count_nonzero(np.sqrt(np.mean(frames**2, axis=1)) > 0.003) / 100)


@pytest.fixture()
def private_pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivatePulse]:
    """A private daemon, always SIGCONTed and killed after the test; skipped without
    pulseaudio (a failure when env CI is set)."""
    missing = [t for t in ("pulseaudio", "pactl", "parec") if shutil.which(t) is None]
    if missing:
        message = f"private PulseAudio impossible: {', '.join(missing)} not found"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # a short path: a unix socket's path must stay under 108 bytes
    folder = Path(tmp_path_factory.mktemp("pulse", numbered=True))
    pulse = PrivatePulse(folder)
    try:
        pulse.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        pulse.kill()
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    try:
        yield pulse
    finally:
        pulse.kill()

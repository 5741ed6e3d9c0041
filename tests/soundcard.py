"""The virtual sound card for tests: a PulseAudio null sink whose monitor we record with parec.

Playback goes PortAudio -> ALSA "default"/"pulse" -> PulseAudio -> a private null sink (one per
test session, selected with PULSE_SINK, so concurrent runs and a desktop's speakers are not
involved) -> its monitor -> `parec` -> numpy. `python -m tests.soundcard` does the set-up alone.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

SYSTEM_SOCKET = "/var/run/pulse/native"
SHARED_SINK = "nullsink"
PRIVATE_PREFIX = "explorer_test_"
DAEMON_CMD = [
    "pulseaudio", "--system", "--daemonize=yes", "-n",
    f"--load=module-null-sink sink_name={SHARED_SINK}",
    "--load=module-native-protocol-unix auth-anonymous=1",
]
ASOUNDRC = "pcm.!default { type pulse }\nctl.!default { type pulse }\n"


class SoundCardUnavailable(RuntimeError):
    """The null sink cannot be set up here; the message says what is missing."""


@dataclass
class Recording:
    """What came out of the sink while the `recording()` block ran (set on exit)."""

    rate: int
    samples: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))

    @property
    def duration(self) -> float:
        return self.samples.shape[0] / self.rate


class _Recorder:
    """One long-running `parec` on a monitor: starting parec on an idle sink takes up to 2 s
    (the sink sleeps for its maximum latency), so each session starts it once and keeps it."""

    def __init__(self, monitor: str, rate: int, latency_ms: int) -> None:
        self.rate = rate
        self.proc = subprocess.Popen(
            ["parec", "-d", monitor, "--format=float32le", f"--rate={rate}", "--channels=1",
             f"--latency-msec={latency_ms}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0,
        )
        self._lock = threading.Lock()
        self._listeners: list[list[bytes]] = []
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True, name="parec-reader")
        self._thread.start()
        if not self._started.wait(15.0) or self.proc.poll() is not None:
            self.close()
            err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
            raise SoundCardUnavailable(f"parec delivered no data from {monitor}: {err.strip()}")
        time.sleep(0.05)  # a few more packets: the stream is really running

    def _read(self) -> None:
        stdout = self.proc.stdout
        assert stdout is not None
        rest = b""
        buffer = bytearray(16384)  # read into it: read1() would allocate 64 KiB per call
        view = memoryview(buffer)
        while n := stdout.readinto(buffer):
            self._started.set()
            data = rest + view[:n].tobytes()
            whole = len(data) // 4 * 4  # pipe reads may split a sample; hand out whole ones
            data, rest = data[:whole], data[whole:]
            with self._lock:
                for chunks in self._listeners:
                    chunks.append(data)
        self._started.set()

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    @contextlib.contextmanager
    def listen(self) -> Iterator[list[bytes]]:
        chunks: list[bytes] = []
        with self._lock:
            self._listeners.append(chunks)
        try:
            yield chunks
        finally:
            with self._lock:
                self._listeners.remove(chunks)

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._thread.join(5)


@dataclass
class SoundCard:
    """A null sink that the default PortAudio output plays into, and a recorder of its monitor."""

    sink: str
    monitor: str
    module_index: int | None = None  # the private sink's module, unloaded at session end
    _recorders: dict[tuple[int, int], _Recorder] = field(default_factory=dict, repr=False)

    @contextlib.contextmanager
    def recording(self, rate: int = 48000, tail: float = 0.3,
                  latency_ms: int = 10) -> Iterator[Recording]:
        """Record the monitor while the block runs, plus `tail` seconds for the last samples.

        Keep latency_ms small: the sink's latency follows it, and when a stream starts the sink
        rewinds by up to that much, which the monitor cannot replay (the start would look cut).
        """
        key = (rate, latency_ms)
        recorder = self._recorders.get(key)
        if recorder is None or not recorder.alive:
            recorder = self._recorders[key] = _Recorder(self.monitor, rate, latency_ms)
        rec = Recording(rate)
        with recorder.listen() as chunks:
            yield rec
            time.sleep(tail)  # let the last samples travel through the monitor and parec
        data = b"".join(chunks)
        rec.samples = np.frombuffer(data, dtype="<f4").astype(np.float32)

    def close(self) -> None:
        """Stop the recorders and unload the private sink."""
        for recorder in self._recorders.values():
            recorder.close()
        self._recorders.clear()
        if self.module_index is not None:
            _run("pactl", "unload-module", str(self.module_index))
            self.module_index = None


# ----- signal measurements -----
def rms(samples: np.ndarray) -> float:
    """Root mean square level (linear)."""
    x = np.asarray(samples, dtype=np.float64)
    return float(np.sqrt(np.mean(x * x))) if x.size else 0.0


def dominant_frequency(samples: np.ndarray, rate: int) -> float:
    """The strongest frequency: Hann-windowed FFT peak refined by parabolic interpolation."""
    x = np.asarray(samples, dtype=np.float64).ravel()
    if x.size < 4:
        return 0.0
    n_fft = 1 << max(int(np.ceil(np.log2(x.size))) + 1, 12)
    spec = np.abs(np.fft.rfft((x - x.mean()) * np.hanning(x.size), n_fft))
    k = int(np.argmax(spec[1:-1])) + 1
    a, b, c = np.log(spec[k - 1:k + 2] + 1e-30)
    denom = a - 2 * b + c
    delta = 0.5 * (a - c) / denom if denom != 0 else 0.0
    return float((k + delta) * rate / n_fft)


def active_region(samples: np.ndarray, rate: int,
                  threshold_db: float = -40.0) -> tuple[float, float]:
    """Start and end (seconds) of where |signal| is above threshold_db relative to its peak."""
    x = np.abs(np.asarray(samples, dtype=np.float64).ravel())
    if not x.size:
        return 0.0, 0.0
    peak = float(x.max())
    if peak <= 0:
        return 0.0, 0.0
    above = np.flatnonzero(x >= peak * 10 ** (threshold_db / 20))
    return float(above[0] / rate), float((above[-1] + 1) / rate)


def trim(samples: np.ndarray, rate: int, threshold_db: float = -40.0) -> np.ndarray:
    """The active part of a recording (see active_region)."""
    a, b = active_region(samples, rate, threshold_db)
    return np.asarray(samples)[int(round(a * rate)):int(round(b * rate))]


def level_frames(samples: np.ndarray, rate: int, frame: float = 0.01) -> np.ndarray:
    """RMS of consecutive frames of `frame` seconds (a dropout shows as a low one)."""
    x = np.asarray(samples, dtype=np.float64).ravel()
    n = max(int(round(frame * rate)), 1)
    frames = x[: x.size // n * n].reshape(-1, n)
    return np.sqrt(np.mean(frames**2, axis=1))


def phase_steps(samples: np.ndarray, rate: int, freq: float, periods: int = 11) -> np.ndarray:
    """Phase change (radians) of a steady tone from one frame of whole periods to the next:
    about 0 when it is sample-continuous; a gap, a dropped or a repeated sample is a step (one
    sample of a 440 Hz tone at 16 kHz: 0.17 rad)."""
    x = np.asarray(samples, dtype=np.float64).ravel()
    n = max(int(round(periods * rate / freq)), 4)
    k = x.size // n
    t = np.arange(k * n) / rate
    z = (x[: k * n] * np.exp(-2j * np.pi * freq * t)).reshape(k, n).sum(axis=1)
    return np.abs(np.diff(np.unwrap(np.angle(z))))


def time_at_frequencies(samples: np.ndarray, rate: int, freqs: list[float],
                        frame: float = 0.01, threshold_db: float = -30.0) -> dict[float, float]:
    """Seconds during which each candidate frequency dominates (frames below threshold_db
    relative to the loudest frame count as silence, under key 0.0)."""
    x = np.asarray(samples, dtype=np.float64).ravel()
    n = max(int(round(frame * rate)), 8)
    frames = x[: x.size // n * n].reshape(-1, n)
    result = {f: 0.0 for f in [0.0, *freqs]}
    if not frames.size:
        return result
    level = np.sqrt(np.mean(frames**2, axis=1))
    loud = level >= level.max() * 10 ** (threshold_db / 20)
    t = np.arange(n) / rate
    window = np.hanning(n)
    basis = np.exp(-2j * np.pi * np.outer(freqs, t)) * window  # (freqs, n)
    energy = np.abs(frames @ basis.T)  # (frames, freqs)
    best = np.asarray(freqs)[np.argmax(energy, axis=1)]
    for f in freqs:
        result[f] = float(np.count_nonzero(loud & (best == f)) * n / rate)
    result[0.0] = float(np.count_nonzero(~loud) * n / rate)
    return result


def play_and_record(card: SoundCard, player: Any, samples: np.ndarray, sample_rate: int,
                    timeout: float = 20.0, **play_kwargs: Any) -> Recording:
    """Play through `player` into the null sink, wait for the drain, return the recording."""
    with card.recording() as rec:
        player.play(samples, sample_rate, **play_kwargs)
        if not player.wait(timeout):
            player.stop()
            raise AssertionError(f"playback did not finish within {timeout} s")
    return rec


# ----- set-up -----
def _run(*cmd: str, timeout: float = 10.0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


def _server_up() -> bool:
    try:
        return _run("pactl", "info", timeout=5).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _sinks() -> list[str]:
    out = _run("pactl", "list", "short", "sinks").stdout
    return [line.split("\t")[1] for line in out.splitlines() if "\t" in line]


def ensure_server() -> None:
    """A reachable PulseAudio with the shared `nullsink`; starts the system daemon as root."""
    for tool in ("pactl", "parec"):
        if shutil.which(tool) is None:
            raise SoundCardUnavailable(f"{tool} not found (install pulseaudio-utils)")
    if not _server_up():
        if shutil.which("pulseaudio") is None:
            raise SoundCardUnavailable("no PulseAudio server and pulseaudio is not installed")
        if os.geteuid() != 0:
            raise SoundCardUnavailable("no PulseAudio server running, and only root may start "
                                       "the system daemon (run `make sound` or start pulseaudio)")
        result = _run(*DAEMON_CMD, timeout=20)
        deadline = time.monotonic() + 10
        while not _server_up() and time.monotonic() < deadline:
            time.sleep(0.1)
        if not _server_up():
            os.environ["PULSE_SERVER"] = f"unix:{SYSTEM_SOCKET}"
            if not _server_up():
                raise SoundCardUnavailable(
                    f"pulseaudio did not start: {result.stderr.strip()[-500:]}")
    if SHARED_SINK not in _sinks():
        _run("pactl", "load-module", "module-null-sink", f"sink_name={SHARED_SINK}")
    ensure_asoundrc()


def ensure_asoundrc() -> None:
    """Route ALSA's default device to PulseAudio (as root, only when ~/.asoundrc is missing)."""
    path = Path.home() / ".asoundrc"
    if not path.exists() and os.geteuid() == 0:
        path.write_text(ASOUNDRC)


def _drop_stale_private_sinks() -> None:
    """Unload private sinks of test sessions that died without cleaning up."""
    out = _run("pactl", "list", "short", "modules").stdout
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or f"sink_name={PRIVATE_PREFIX}" not in parts[2]:
            continue
        pid = parts[2].split(f"sink_name={PRIVATE_PREFIX}")[1].split()[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            _run("pactl", "unload-module", parts[0])


def private_sink() -> SoundCard:
    """A null sink for this process only; PULSE_SINK sends every default playback there."""
    _drop_stale_private_sinks()
    name = f"{PRIVATE_PREFIX}{os.getpid()}"
    result = _run("pactl", "load-module", "module-null-sink", f"sink_name={name}",
                  "format=float32le", "rate=48000", "channels=2")
    if result.returncode != 0:
        # Fall back to the shared sink (recordings may then pick up other processes' sound).
        os.environ["PULSE_SINK"] = SHARED_SINK
        return SoundCard(SHARED_SINK, f"{SHARED_SINK}.monitor")
    os.environ["PULSE_SINK"] = name
    return SoundCard(name, f"{name}.monitor", int(result.stdout.strip()))


def ensure_portaudio_sees_pulse() -> None:
    """PortAudio lists devices once at start: reinitialise it if it started before the daemon."""
    from explorer.audio import audio_status
    from explorer.audio.devices import sounddevice_module

    ok, reason = audio_status()
    if not ok and "PortAudio library not found" in reason:
        raise SoundCardUnavailable(reason)
    sd = sounddevice_module()
    names = [d["name"] for d in sd.query_devices() if d["max_output_channels"] > 0]
    if not any(n in ("pulse", "default") for n in names):
        sd._terminate()
        sd._initialize()
        names = [d["name"] for d in sd.query_devices() if d["max_output_channels"] > 0]
    if not any(n in ("pulse", "default") for n in names):
        raise SoundCardUnavailable(f"PortAudio sees no pulse/default output device: {names}")


def setup() -> SoundCard:
    ensure_server()
    card = private_sink()
    ensure_portaudio_sees_pulse()
    return card


@pytest.fixture(scope="session")
def null_sink() -> Iterator[SoundCard]:
    """The virtual sound card; skipped when impossible here, a failure when env CI is set."""
    try:
        card = setup()
    except (SoundCardUnavailable, OSError, subprocess.SubprocessError) as exc:
        message = f"virtual sound card unavailable: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    yield card
    card.close()


def main() -> int:
    """`python -m tests.soundcard`: start the daemon and null sink, write ~/.asoundrc, report."""
    try:
        ensure_server()
    except SoundCardUnavailable as exc:
        print(f"virtual sound card unavailable: {exc}", file=sys.stderr)
        return 1
    print(_run("pactl", "info").stdout.strip())
    print("sinks:", ", ".join(_sinks()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

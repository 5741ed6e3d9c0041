"""Shared test set-up: Qt offscreen, bundled samples, the virtual sound card, a fake player."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.soundcard"]

SAMPLES = Path(__file__).resolve().parent.parent / "resources" / "samples"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def speech_path() -> Path:
    return SAMPLES / "speech_198-209-0000.wav"


@pytest.fixture(scope="session")
def robin_path() -> Path:
    return SAMPLES / "robin_44k_stereo.wav"


@pytest.fixture(scope="session")
def trumpet_path() -> Path:
    return SAMPLES / "trumpet_44k_stereo_24bit.wav"


class FakePlayer:
    """Player's interface without sound: records what the window asked for."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []
        self.state = "stopped"
        self.rate = 1.0
        self.volume = 1.0
        self.position = 0
        self.loop = None
        self.device = None
        self.on_finished = None
        self.queued = 0  # frames chained after the playing buffer (a test sets 0 to "switch")

    def play(self, samples, sample_rate, rate=1.0, start=0, end=None, loop=False, more=False):
        self.calls.append(("play", len(samples), sample_rate, rate, start, end, loop))
        self.state, self.rate, self.position, self.queued = "playing", rate, start, 0

    def queue_next(self, samples, last=True, play_id=None):
        self.calls.append(("queue_next", len(samples), last))
        self.queued += len(samples)
        return True

    def swap(self, samples, play_id=None):
        self.calls.append(("swap", len(samples)))
        return self.state != "stopped"

    def pause(self):
        self.calls.append(("pause",))
        self.state = "paused"

    def resume(self):
        self.calls.append(("resume",))
        self.state = "playing"

    def stop(self):
        self.calls.append(("stop",))
        self.state = "stopped"

    def seek(self, frame):
        self.calls.append(("seek", frame))
        self.position = frame
        return True

    def set_loop(self, region):
        self.calls.append(("set_loop", region))
        self.loop = region

    def set_rate(self, rate):
        self.calls.append(("set_rate", rate))
        self.rate = rate

    def set_volume(self, volume):
        self.calls.append(("set_volume", volume))
        self.volume = volume

    def set_device(self, device):
        self.calls.append(("set_device", device))
        self.device = device

    def wait(self, timeout=None):
        return True

    @property
    def position_seconds(self):
        return self.position

    def called(self, name):
        return [c for c in self.calls if c[0] == name]


@pytest.fixture
def fake_player():
    return FakePlayer()


class SmallDisk:
    """A private 1 MiB tmpfs: fill it up or make it read-only, then check what writers did."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def fill(self) -> None:
        """Write a filler file until the file system says ENOSPC."""
        import errno

        fd = os.open(self.root / ".filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC, exc
        finally:
            os.close(fd)

    def read_only(self) -> None:
        import subprocess

        subprocess.run(["mount", "-o", "remount,ro", str(self.root)], check=True,
                       capture_output=True)

    def files(self) -> dict[str, bytes]:
        """Every file under the root (the filler excepted) and its bytes."""
        return {str(p.relative_to(self.root)): p.read_bytes() for p in sorted(self.root.rglob("*"))
                if p.is_file() and p.name != ".filler"}


def _need_tmpfs(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MiB tmpfs mounted for this test (needs root: the tests run as root in CI), unmounted
    after it. Without root or mount: skipped here, a failure under CI=true."""
    import shutil
    import subprocess

    if os.geteuid() != 0:
        _need_tmpfs("mounting a tmpfs needs root")
    if shutil.which("mount") is None:
        _need_tmpfs("no mount command")
    root = tmp_path / "small-disk"
    root.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(root)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        _need_tmpfs(f"cannot mount a tmpfs: {done.stderr.strip()}")
    try:
        yield SmallDisk(root)
    finally:
        subprocess.run(["umount", "-l", str(root)], capture_output=True)

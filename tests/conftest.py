"""Shared test set-up: Qt offscreen, bundled samples, and the virtual sound card fixture."""

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

"""The CLI when the sound server goes away mid-playback (killed, terminated, frozen) or is frozen
while devices are listed: a message and exit code 2 within seconds, never a hang."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.private_pulse import PrivatePulse, loud, private_pulse  # noqa: F401 (fixture)

pytestmark = pytest.mark.sound

SIGNALS = {"killed": signal.SIGKILL, "terminated": signal.SIGTERM, "frozen": signal.SIGSTOP}


@pytest.mark.parametrize("how", list(SIGNALS))
def test_cli_play_reports_a_lost_server_within_two_seconds(private_pulse: PrivatePulse,  # noqa: F811
                                                          speech_path, how: str) -> None:
    rec = private_pulse.recorder()
    try:
        time.sleep(0.5)  # parec running before the sound starts
        proc = subprocess.Popen(
            [sys.executable, "-m", "explorer", "play", str(speech_path), "--rate", "0.5"],
            env=private_pulse.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(2.5)
        heard = loud(rec.samples())
    finally:
        rec.close()
    assert proc.poll() is None, proc.communicate()
    private_pulse.signal(SIGNALS[how])
    lost_at = time.monotonic()
    try:
        _out, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"playback still running 20 s after the server was {how}")
    took = time.monotonic() - lost_at
    print(f"server {how}: CLI exited {took:.2f} s later")
    assert heard > 0.3, f"no sound came out before the server was {how} ({heard:.2f} s loud)"
    assert proc.returncode == 2, err
    assert "audio-explorer: sound device lost: " in err
    assert "Traceback" not in err
    # the watchdog's 1.5 s plus the process's exit; the clip would play on for 25 s more
    assert took < 3.0, f"took {took:.2f} s to notice"


def test_devices_and_play_with_a_frozen_server_say_so_in_seconds(
        private_pulse: PrivatePulse, speech_path) -> None:  # noqa: F811
    def devices(*args: str) -> tuple[subprocess.CompletedProcess, float]:
        t0 = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "explorer", *(args or ["devices"])],
                                env=private_pulse.env(), capture_output=True, text=True,
                                timeout=30)
        return result, time.monotonic() - t0

    alive, _ = devices()
    assert alive.returncode == 0 and "default" in alive.stdout, alive.stderr
    private_pulse.signal(signal.SIGSTOP)
    frozen, took = devices()
    print(f"devices with a frozen server: exit {frozen.returncode} after {took:.2f} s")
    assert frozen.returncode == 2
    assert "the sound server did not answer within 3 s" in frozen.stderr
    assert took < 8.0  # interpreter start-up (~1 s, more under load) + the 3 s bound
    play, took = devices("play", str(speech_path))
    print(f"play with a frozen server: exit {play.returncode} after {took:.2f} s")
    assert play.returncode == 2 and "did not answer within 3 s" in play.stderr
    assert took < 8.0
    private_pulse.signal(signal.SIGCONT)
    thawed, _ = devices()
    assert thawed.returncode == 0 and "default" in thawed.stdout, thawed.stderr

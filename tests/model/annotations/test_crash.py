"""A process editing labels through LabelStore is SIGKILLed: a new store restores the edits from
the journal (the promise: all but at most the last 2 s; in fact every edit written, since each
journal line reaches the kernel at once and only the fsync waits)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from explorer.model.annotations.store import LabelStore
from explorer.model.annotations.tiers import Label

CHILD = textwrap.dedent("""
    import sys, time
    from explorer.model.annotations.edits import AddLabel, AddTier, ChangeLabel
    from explorer.model.annotations.store import LabelStore
    from explorer.model.annotations.tiers import Label

    store = LabelStore(sys.argv[1])
    store.load()
    store.apply(AddTier("calls", "box"))
    for i in range(20):                       # the early edits
        store.apply(AddLabel("calls", Label(i, i + 0.5, f"early {i} café", 100.0, 900.0)))
    store.apply(ChangeLabel("calls", Label(0, 0.5, "early 0 café", 100.0, 900.0),
                            Label(0, 0.75, "鳥 renamed", 100.0, 950.0)))
    time.sleep(2.3)                           # more than the fsync interval
    for i in range(5):                        # the late edits: within the last 2 s
        store.apply(AddLabel("calls", Label(100 + i, 100.5 + i, f"late {i}")))
    print("edited", flush=True)
    time.sleep(60)                            # killed here, never saved
""")


def test_sigkill_mid_edit_loses_at_most_the_last_two_seconds(tmp_path):
    audio = tmp_path / "a.wav"
    audio.write_bytes(b"")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(audio)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.strip() == "edited", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    store = LabelStore(audio)
    assert not store.sidecar.exists()  # never saved: only the journal holds the edits
    store.load()
    restored = store.restore()
    labels = store.annotations.tier("calls").labels
    early = [lab for lab in labels if lab.label.startswith("early")]
    assert len(early) == 19 and labels[0] == Label(0, 0.75, "鳥 renamed", 100.0, 950.0)
    assert restored >= 22  # the tier, 20 labels, the change: everything older than 2 s
    assert restored == 27  # and in fact the late ones too
    assert store.sidecar.is_file() and not store.journal.path.exists()
    again = LabelStore(audio)
    assert again.load().same_content(store.annotations) and again.restore() == 0

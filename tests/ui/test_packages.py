"""Each feature package exposes its widgets, and importing a package imports none of them."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import explorer.ui

PACKAGES = sorted(m.name for m in pkgutil.iter_modules(explorer.ui.__path__) if m.ispkg)


def test_every_exported_name_resolves_inside_its_package():
    assert {"common", "files", "playback", "shell", "spectrogram", "tones", "waveform"} <= set(PACKAGES)
    for name in PACKAGES:
        package = importlib.import_module(f"explorer.ui.{name}")
        for export in package.__all__:
            value = getattr(package, export)
            assert value.__module__.startswith(f"explorer.ui.{name}."), (name, export)


def test_importing_the_shell_package_loads_no_widget_module():
    code = ("import sys, explorer.ui.shell, explorer.ui.tones, explorer.ui.live; "
            "print(sorted(m for m in sys.modules if m.startswith('explorer.ui.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         check=True).stdout
    loaded = eval(out)
    assert "explorer.ui.shell.main_window" not in loaded
    assert "explorer.ui.tones.panel" not in loaded and "explorer.ui.live.view" not in loaded

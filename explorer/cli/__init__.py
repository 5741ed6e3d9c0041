"""The `audio-explorer` command: `main` (the window or a subcommand) and one module per subcommand
(info, spectrogram, tone, play, devices, export, desktop), sharing `common` and `progress`."""

from explorer.cli.main import main

__all__ = ["main"]

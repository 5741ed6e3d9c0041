"""Entry script of the frozen app: the same `audio-explorer` command (GUI without arguments)."""

import multiprocessing
import sys

from explorer.__main__ import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # export --jobs spawns workers from the frozen executable
    sys.exit(main())

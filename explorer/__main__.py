"""`python -m explorer` runs the same command as `audio-explorer`."""

import sys

from explorer.cli import main

if __name__ == "__main__":
    sys.exit(main())

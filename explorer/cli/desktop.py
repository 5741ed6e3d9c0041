"""`audio-explorer --install-desktop / --uninstall-desktop`: the XDG launcher, icon and types."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from explorer import desktop

    if args.install_desktop:
        files = desktop.install()
        print(f"installed for this user ({desktop.data_home()}):")
    else:
        files = desktop.uninstall()
        print(f"removed ({desktop.data_home()}):" if files else "nothing to remove")
    for path in files:
        print(f"  {path}")
    return 0

"""What a test needs from the machine: skipped where it is missing, a failure under CI=true.

CI installs every tool the suite uses, so a missing one there means a broken set-up that a skip
would hide; on a developer's machine a skip with the reason is the kind answer.
"""

from __future__ import annotations

import importlib
import os
import shutil
from types import ModuleType
from typing import NoReturn

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def missing(reason: str) -> NoReturn:
    """Skip with the reason, or fail with it under CI=true."""
    if in_ci():
        pytest.fail(f"CI=true, but {reason}", pytrace=False)
    pytest.skip(reason)


def tools(*names: str) -> None:
    """Every named program is on PATH."""
    absent = [name for name in names if shutil.which(name) is None]
    if absent:
        missing(f"needs {', '.join(absent)} on PATH")


def module(name: str, reason: str) -> ModuleType:
    """The imported module, as pytest.importorskip, but failing under CI=true."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        missing(f"{reason} ({exc})")

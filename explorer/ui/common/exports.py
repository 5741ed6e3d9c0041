"""Package-level names that import their module on first use (PEP 562).

Each feature package exposes its widgets from its `__init__`, but importing a package must not
import its widgets: the window imports the tone, scales and live panels only when first shown,
and a second launch hands its files over before any widget module is loaded.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable


def lazy_exports(package: str, names: dict[str, str]) -> tuple[Callable, Callable, list[str]]:
    """`__getattr__`, `__dir__` and `__all__` for a package: `names` maps a name to its module."""

    def __getattr__(name: str):
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{names[name]}"), name)

    def __dir__() -> list[str]:
        return sorted(names)

    return __getattr__, __dir__, sorted(names)

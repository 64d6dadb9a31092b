"""Attributes of a package imported from their modules on first use (PEP 562), for the
parts whose imports are slow: sinter's worker processes re-import the script that
started them, so every import the script makes is paid again by each worker."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(package: str, modules: Mapping[str, str]) -> Callable[[str], Any]:
    """A module-level `__getattr__` for `package` that imports attribute `name` from
    `modules[name]` when first asked for, and keeps it.

    Examples:
        >>> from qec import estimate
        >>> estimate.__module__
        'qec.sampling.estimate'
    """

    def __getattr__(name: str) -> Any:
        if name not in modules:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(modules[name]), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__

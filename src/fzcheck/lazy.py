"""Modules imported on first use, to keep the start-up of a run short."""
from __future__ import annotations

import importlib
from typing import Any


class LazyModule:
    """Stands for a module; the module is imported when one of its names is first used."""

    def __init__(self, name: str):
        self.__name = name

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self.__name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self.__name!r}>"


def lazy_module(name: str) -> Any:
    return LazyModule(name)

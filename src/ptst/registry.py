"""Classes chosen by name: the generation backends, the scorers and the training backends are each one
:class:`Registry`.

A class joins its registry with the registry's decorator (``@register_backend("hf")``), which also sets the
class's ``name``. The modules that define the shipped classes are imported the first time a registry is asked
for a name, so a light command that never looks a name up never imports them.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable, Generic, Sequence, TypeVar

from ptst.errors import PtstError

T = TypeVar("T")


class Registry(Generic[T]):
    """Registered classes by name. ``what`` names an entry in the unknown-name error (``unknown backend 'x';
    known: hf, openai``); ``modules`` are the modules that register the shipped entries."""

    def __init__(self, what: str, modules: Sequence[str] = ()):
        self.what = what
        self.modules = tuple(modules)
        self._classes: dict[str, type[T]] = {}

    def register(self, name: str) -> Callable[[type[T]], type[T]]:
        """Class decorator: the class is registered under ``name`` and its ``name`` attribute set to it."""

        def deco(cls: type[T]) -> type[T]:
            self._classes[name] = cls
            cls.name = name  # type: ignore[attr-defined]
            return cls

        return deco

    def _load(self) -> None:
        for mod in self.modules:
            importlib.import_module(mod)

    def find(self, name: str) -> type[T] | None:
        """The class registered as ``name``, None when there is none."""
        self._load()
        return self._classes.get(name)

    def get(self, name: str) -> type[T]:
        """The class registered as ``name``; an unknown name is a one-line error listing the known ones."""
        cls = self.find(name)
        if cls is None:
            raise PtstError(f"unknown {self.what} {name!r}; known: {', '.join(self.names())}")
        return cls

    def create(self, name: str, **options: Any) -> T:
        """An instance of the class registered as ``name``, constructed with ``options``."""
        return self.get(name)(**options)

    def names(self) -> list[str]:
        self._load()
        return sorted(self._classes)

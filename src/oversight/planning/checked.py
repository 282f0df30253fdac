"""Which subjects were already checked under a regime in a year, as the apps above planning
record checks (inspections today; feeds later).

Planning sits below inspections in the layers (ARCHITECTURE.md), so it cannot ask them itself:
each app that records checks registers, when it starts, a function giving the ids of the subjects
it holds a finished check of, under a regime, begun in a year (a query of ``subject_id`` values).
A random draw leaves those subjects out unless its task includes them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Source = Callable[[str, int], Any]  # (regime code, year) -> a query of subject_id values

_sources: list[Source] = []


def register(source: Source) -> None:
    """Add a source of checks (idempotent: a source registered twice counts once)."""
    if source not in _sources:
        _sources.append(source)


def subject_ids(regime: str, year: int) -> list[Any]:
    """The queries of the subjects each source holds a finished check of: exclude each."""
    return [source(regime, year) for source in _sources]

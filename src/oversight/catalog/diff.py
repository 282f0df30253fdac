"""What changed between two catalog documents. Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed", "changed"
    where: str  # e.g. "regime NEIBAO figures.unit_fine.values[0].max"
    before: Any = None
    after: Any = None
    path: Path = ()  # the same place as ``where``, one key or list index at a time

    def __str__(self) -> str:
        if self.kind == "changed":
            return f"changed {self.where}: {self.before!r} → {self.after!r}"
        return f"{self.kind} {self.where}"


def _walk(before: Any, after: Any, path: str, steps: Path = ()) -> list[Change]:
    if isinstance(before, dict) and isinstance(after, dict):
        changes: list[Change] = []
        for key in sorted(set(before) | set(after)):
            where, at = (f"{path}.{key}" if path else str(key)), (*steps, key)
            if key not in after:
                changes.append(Change("removed", where, before[key], None, at))
            elif key not in before:
                changes.append(Change("added", where, None, after[key], at))
            else:
                changes.extend(_walk(before[key], after[key], where, at))
        return changes
    if isinstance(before, list) and isinstance(after, list):
        keyed_before, keyed_after = _by_key(before), _by_key(after)
        if keyed_before is not None and keyed_after is not None:
            return _walk(keyed_before, keyed_after, path, steps)
        changes = []
        for i in range(max(len(before), len(after))):
            where, at = f"{path}[{i}]", (*steps, i)
            if i >= len(after):
                changes.append(Change("removed", where, before[i], None, at))
            elif i >= len(before):
                changes.append(Change("added", where, None, after[i], at))
            else:
                changes.extend(_walk(before[i], after[i], where, at))
        return changes
    if before != after:
        return [Change("changed", path, before, after, steps)]
    return []


def _by_key(items: list[Any]) -> dict[str, Any] | None:
    """Index a list of dicts by their "code" or "id", so that reordering is not a change."""
    if not items or not all(isinstance(i, dict) for i in items):
        return None
    for key in ("code", "id"):
        if all(key in i for i in items):
            values = [str(i[key]) for i in items]
            if len(set(values)) == len(values):
                return dict(zip(values, items, strict=True))
    return None


def diff_documents(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """List the changes from one catalog document to another, regime by regime."""
    return _walk(before, after, "")

"""Ids a request names, checked against the viewer's scope before anything else is validated.

Each app registers how to load a row of its kinds for a viewer (raising NotFound when the viewer
may not see it); pages and the API call ``check_refs`` on the raw input first, so another
jurisdiction's id answers 404 whatever the rest of the request holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from oversight.core.text import parse_id

Resolver = Callable[[Any, int], object]
_RESOLVERS: dict[str, Resolver] = {}


def register(kind: str, resolve: Resolver) -> None:
    """Say how a row of ``kind`` is loaded for a viewer: ``resolve(viewer, id)`` or NotFound."""
    _RESOLVERS[kind] = resolve


def check_refs(viewer: Any, refs: Mapping[str, str], values: Mapping[str, Any]) -> None:
    """Raise NotFound if a value in ``values`` names a row of its kind the viewer may not see.

    ``refs`` maps field names to kinds. Values that are not ids at all are left to validation,
    which refuses them with a field message.
    """
    for name, kind in refs.items():
        raw = values.get(name)
        if isinstance(raw, str):
            raw = raw.strip()
        number = parse_id(raw)
        if number is not None:
            _RESOLVERS[kind](viewer, number)

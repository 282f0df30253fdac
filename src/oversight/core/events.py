"""What happened, told to whoever registered for it: how a lower app tells a higher one.

The organisation does not know the subject registry exists (layers only point down); it publishes
"agency.changed" and the registry, which subscribed when it started, keeps its subjects in step —
in the same transaction. Not Django signals: the subscribers are few, named and called in order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

_SUBSCRIBERS: dict[str, list[Callable[..., Any]]] = defaultdict(list)


def subscribe(event: str, handler: Callable[..., Any]) -> None:
    """Call ``handler(**details)`` whenever ``event`` is published (once per handler)."""
    if handler not in _SUBSCRIBERS[event]:
        _SUBSCRIBERS[event].append(handler)


def publish(event: str, **details: Any) -> None:
    """Tell every subscriber of ``event``; an exception in one aborts the caller's transaction."""
    for handler in _SUBSCRIBERS[event]:
        handler(**details)

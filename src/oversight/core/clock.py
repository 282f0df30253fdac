"""The one clock of the application: injectable so tests and services agree on "now"."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_now: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return _now()


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Freeze ``now()`` at a given aware datetime for the duration of the block."""
    global _now
    if at.tzinfo is None:
        raise ValueError("frozen() needs an aware datetime")
    previous = _now
    _now = lambda: at  # noqa: E731
    try:
        yield
    finally:
        _now = previous

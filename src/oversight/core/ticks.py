"""Periodic jobs run by ``oversight worker`` every few minutes (and once by ``worker --once``).

Apps register their jobs from ``AppConfig.ready()`` with ``register_tick``; core knows none of
them (the audit app's daily anchor, for one). A job is run often, so it decides itself whether
there is anything to do (e.g. "once a day") and returns a short account of what it did.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.sessions.models import Session

from oversight.core import clock

log = logging.getLogger(__name__)

Job = Callable[[], object]
_TICKS: dict[str, Job] = {}


def register_tick(name: str, job: Job) -> None:
    """Run ``job`` at every tick under ``name``; a name is registered once (again: same job)."""
    held = _TICKS.get(name)
    if held is not None and held is not job:
        raise ValueError(f"a periodic job named {name!r} is already registered")
    _TICKS[name] = job


@dataclass(frozen=True)
class Failed:
    """A job that raised: the others still ran. The traceback is in the log."""

    error: str

    def __str__(self) -> str:
        return f"failed: {self.error}"


def run_tick() -> dict[str, object]:
    """Run every registered job once and return what each did (``Failed`` for one that raised)."""
    outcomes: dict[str, object] = {}
    for name, job in list(_TICKS.items()):
        try:
            outcomes[name] = job()
        except Exception as exc:  # one broken job must not stop the others; it is logged
            log.exception("periodic job %s failed", name)
            outcomes[name] = Failed(exc.__class__.__name__)
    return outcomes


def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=clock.now()).delete()
    return deleted


register_tick("clear_expired_sessions", clear_expired_sessions)

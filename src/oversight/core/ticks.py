"""Periodic housekeeping run by ``oversight worker`` (and ``oversight worker --once``)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.sessions.models import Session

from oversight.core import clock


def clear_expired_sessions() -> int:
    deleted, _ = Session.objects.filter(expire_date__lt=clock.now()).delete()
    return deleted


TICKS: dict[str, Callable[[], object]] = {"clear_expired_sessions": clear_expired_sessions}


def run_tick() -> dict[str, object]:
    """Run every periodic job once and return what each did."""
    return {name: job() for name, job in TICKS.items()}

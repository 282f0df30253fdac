"""The pool's rules and records in words, for pages and the console."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from oversight.pool import policy
from oversight.pool.selectors import span_of

REASONS: dict[str, Any] = {
    policy.INACTIVE: _("Deactivated"),
    policy.NO_QUALIFICATION: _("No law-enforcement qualification"),
    policy.QUALIFICATION_EXPIRED: _("Law-enforcement qualification expired"),
    policy.NO_REGIME_QUALIFICATION: _("Not qualified for this regime on that day"),
    policy.UNAVAILABLE: _("Away on that day (leave, secondment, training …)"),
    policy.RECUSED: _("Recused from the subject (a declared conflict)"),
}


def reasons_in_words(reasons: list[str]) -> list[str]:
    return [str(REASONS[code]) for code in reasons]


def state(record: Any, today: date) -> tuple[str, Any]:
    """Where a record stands today, as (state, words): "holds", "pending" (not yet begun),
    "ended" (revoked or ended by someone), "over" (past its last day)."""
    span = span_of(record)
    if span.covers(today):
        return "holds", _("In force")
    if record.ended_on is not None and record.ended_on <= today:
        return "ended", _("Ended")
    if span.over_by(today):
        return "over", _("Over")
    return "pending", _("Not yet begun")

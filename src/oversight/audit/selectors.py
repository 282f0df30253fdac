"""Reads of the audit trail: for the audit administrator only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet

from oversight.audit.models import AuditEvent
from oversight.audit.vocabulary import VOCABULARY


class AuditViewer(Protocol):
    def has(self, *roles: str) -> bool: ...


@dataclass(frozen=True)
class EventFilters:
    """What the auditor searches by. ``q`` matches action words or codes, the actor's user name,
    an object number, an address or a request id; ``action`` and ``object_type`` are codes chosen
    from lists in words; ``actor`` is (part of) a user name."""

    q: str = ""
    object_type: str = ""
    since: date | None = None
    until: date | None = None
    action: str = ""
    actor: str = ""


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _text_search(q: str) -> Q:
    """Words of an action label (in the active language) find that action; never summaries,
    which hold personal data the auditor sees only masked (a search would reveal it)."""
    match = (
        Q(action__icontains=q)
        | Q(actor_name__icontains=q)
        | Q(object_id=q)
        | Q(request_id=q)
        | Q(ip=q)
    )
    actions = VOCABULARY.actions_matching(q)
    return match | Q(action__in=actions) if actions else match


def event_search(
    *, viewer: AuditViewer, filters: EventFilters | None = None
) -> QuerySet[AuditEvent]:
    """Return matching events, newest first; nothing unless the viewer is the audit admin."""
    if not viewer.has("AUDIT_ADMIN"):
        return AuditEvent.objects.none()
    filters = filters or EventFilters()
    qs = AuditEvent.objects.all()
    if filters.q:
        qs = qs.filter(_text_search(filters.q))
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.actor:
        qs = qs.filter(actor_name__icontains=filters.actor)
    if filters.since:
        qs = qs.filter(occurred_at__gte=_local_midnight(filters.since))
    if filters.until:
        qs = qs.filter(occurred_at__lt=_local_midnight(filters.until + timedelta(days=1)))
    return qs.order_by("-seq")


def previous_login(*, user_id: int) -> tuple[AuditEvent | None, int]:
    """Return the user's login before the current one, and the failed attempts since it.

    Shown to the user after logging in (等保: tell a user of their last login), so that an
    intrusion or a guessing attempt on their account does not go unnoticed.
    """
    logins = list(
        AuditEvent.objects.filter(action="auth.login", actor_id=user_id)
        .order_by("-seq")
        .only("seq", "occurred_at", "ip")[:2]
    )
    if not logins:
        return None, 0
    current = logins[0]
    previous = logins[1] if len(logins) > 1 else None
    username = (
        AuditEvent.objects.filter(pk=current.pk).values_list("actor_name", flat=True).first() or ""
    )
    failures = AuditEvent.objects.filter(
        action="auth.login_failed",
        actor_name=username,
        seq__lt=current.seq,
        seq__gt=previous.seq if previous else 0,
    ).count()
    return previous, failures

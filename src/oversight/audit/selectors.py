"""Reads of the audit trail: for the audit administrator only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet

from oversight.audit.models import AuditEvent


class AuditViewer(Protocol):
    def has(self, *roles: str) -> bool: ...


@dataclass(frozen=True)
class EventFilters:
    q: str = ""
    object_type: str = ""
    since: date | None = None
    until: date | None = None


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def event_search(
    *, viewer: AuditViewer, filters: EventFilters | None = None
) -> QuerySet[AuditEvent]:
    """Return matching events, newest first; nothing unless the viewer is the audit admin."""
    if not viewer.has("AUDIT_ADMIN"):
        return AuditEvent.objects.none()
    filters = filters or EventFilters()
    qs = AuditEvent.objects.all()
    if filters.q:
        qs = qs.filter(
            Q(action__icontains=filters.q)
            | Q(actor_name__icontains=filters.q)
            | Q(object_id=filters.q)
            | Q(request_id=filters.q)
        )
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.since:
        qs = qs.filter(occurred_at__gte=_local_midnight(filters.since))
    if filters.until:
        qs = qs.filter(occurred_at__lt=_local_midnight(filters.until + timedelta(days=1)))
    return qs.order_by("-seq")

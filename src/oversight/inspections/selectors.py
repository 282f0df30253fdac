"""Reads of inspections, each scoped to the viewer's bureau first: a viewer sees the checks of
the subjects of their subtree (a county its own, the city every one); administrators none."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from oversight.inspections.models import Inspection
from oversight.org.policy import sees_business_data
from oversight.org.scope import Viewer


def inspections_visible(viewer: Viewer) -> QuerySet[Inspection]:
    """The checks of subjects in agencies of the viewer's subtree; none for administrators."""
    if not sees_business_data(viewer):
        return Inspection.objects.none()
    assert viewer.scope_path
    return Inspection.objects.filter(subject__agency__path__startswith=viewer.scope_path)


def finalised(qs: QuerySet[Inspection]) -> QuerySet[Inspection]:
    """The checks whose record is finalised: the only ones a rhythm counts."""
    return qs.filter(finalised_at__isnull=False)


def finalised_subject_ids(regime: str, year: int) -> Any:
    """The subjects with a finalised inspection under ``regime`` begun in ``year`` (local time),
    as ``subject_id`` values: what a random draw of the year leaves out (``planning.checked``).
    Not scoped: a draw's population is scoped by the draw's own query."""
    zone = timezone.get_current_timezone()
    first = datetime(year, 1, 1, tzinfo=zone)
    return Inspection.objects.filter(
        regime=regime,
        finalised_at__isnull=False,
        started_at__gte=first,
        started_at__lt=first.replace(year=year + 1),
    ).values("subject_id")

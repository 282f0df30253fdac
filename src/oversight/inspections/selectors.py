"""Reads of inspections, each scoped to the viewer's bureau first: a viewer sees the checks of
the subjects of their subtree (a county its own, the city every one); administrators none."""

from __future__ import annotations

from django.db.models import QuerySet

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

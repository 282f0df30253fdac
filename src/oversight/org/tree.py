"""The shape of the agency tree, read from the rows: which bureau an agency belongs to."""

from __future__ import annotations

from oversight.org.models import Agency, AgencyKind


def bureau_of(agency: Agency) -> Agency:
    """Return the nearest bureau at or above ``agency`` (itself if it is one).

    Structure, not data: it answers for any agency, so callers pass only agencies they have
    already loaded inside a scope.
    """
    codes = agency.path.rstrip("/").split("/")
    bureau = (
        Agency.objects.filter(code__in=codes, kind=AgencyKind.BUREAU).order_by("-depth").first()
    )
    return bureau or agency

"""Reads of the subject registry, each scoped to the viewer's bureau first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from oversight.core.errors import NotFound
from oversight.core.text import parse_id
from oversight.org.policy import Who, sees_business_data
from oversight.org.scope import Viewer
from oversight.subjects.models import Subject, SubjectChange

PAGE = 50


def may_read(who: Who) -> bool:
    """Every business role reads the registry of its scope."""
    return sees_business_data(who)


def may_write(who: Who) -> bool:
    """Leaders and inspectors keep the registry of their scope (type, edit, import)."""
    return sees_business_data(who) and bool(who.roles & {"LEADER", "INSPECTOR"})


def subjects_visible(viewer: Viewer) -> QuerySet[Subject]:
    """The subjects in agencies of the viewer's subtree; none for administrators."""
    if not sees_business_data(viewer):
        return Subject.objects.none()
    assert viewer.scope_path
    return Subject.objects.filter(agency__path__startswith=viewer.scope_path)


# What a list row shows: loading only these keeps a page of 50 cheap (no attributes, no notes).
LIST_COLUMNS = ("id", "kind", "name", "credit_code", "risk_grade", "status", "agency__name")


@dataclass(frozen=True)
class SubjectFilters:
    q: str = ""
    kind: str = ""
    agency_id: int | None = None
    risk_grade: str = ""
    status: str = ""


def subject_list(*, viewer: Viewer, filters: SubjectFilters | None = None) -> QuerySet[Subject]:
    """Matching subjects in scope, in id order (for keyset paging: ``keyset_page``)."""
    filters = filters or SubjectFilters()
    qs = subjects_visible(viewer).select_related("agency")
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(credit_code__startswith=filters.q.upper()))
    given = {
        "kind": filters.kind,
        "agency_id": filters.agency_id,
        "risk_grade": filters.risk_grade,
        "status": filters.status,
    }
    qs = qs.filter(**{k: v for k, v in given.items() if v not in (None, "")})
    return qs.order_by("id")


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list read by key, not by offset: page 1,000 costs what page 1 costs."""

    rows: list[Any]
    after: int | None  # the cursor of the next page, None on the last
    before: int | None  # the cursor that shows the previous page, None on the first


def keyset_page(qs: QuerySet[Any], *, after: Any = None, before: Any = None) -> KeysetPage:
    """Return the page after (or before) an id, ``PAGE`` rows, with the cursors around it."""
    after_id, before_id = parse_id(after), parse_id(before)
    if before_id is not None:
        rows = list(qs.filter(id__lt=before_id).order_by("-id")[: PAGE + 1])
        more_before = len(rows) > PAGE
        rows = list(reversed(rows[:PAGE]))
        return KeysetPage(
            rows=rows,
            after=rows[-1].id if rows else None,
            before=rows[0].id if rows and more_before else None,
        )
    if after_id is not None:
        qs = qs.filter(id__gt=after_id)
    rows = list(qs[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return KeysetPage(
        rows=rows,
        after=rows[-1].id if rows and more else None,
        before=rows[0].id if rows and after_id is not None else None,
    )


def subject_get(*, viewer: Viewer, subject_id: Any, for_update: bool = False) -> Subject:
    """One subject in scope; NotFound whether it is missing or out of scope."""
    pk = parse_id(subject_id)
    qs = subjects_visible(viewer).select_related("agency", "linked_agency")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    subject = qs.filter(pk=pk).first() if pk is not None else None
    if subject is None:
        raise NotFound()
    return subject


def subject_history(*, viewer: Viewer, subject: Subject, limit: int = 100) -> list[SubjectChange]:
    """The subject's changes, newest first (the subject was loaded in the viewer's scope)."""
    changes = SubjectChange.objects.filter(subject=subject).select_related("actor")
    return list(changes.order_by("-changed_at", "-id")[:limit])


def counts_by_kind(*, viewer: Viewer) -> dict[str, int]:
    """How many subjects of each kind the viewer's scope holds (not closed)."""
    rows = subjects_visible(viewer).exclude(status="CLOSED").values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}

"""Subjects that are rows of the organisation, kept in step with it, never typed twice.

An internal kind of the catalog names, in ``links``, which agencies are its subjects (by agency
kind and department). Each such agency has one subject of the kind, named as the agency and in its
jurisdiction; it closes when the agency is deactivated and reopens with it. Run for one agency
whenever the organisation changes it ("agency.changed"), and for all by ``oversight subjects
follow`` and the demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet

from oversight import audit
from oversight.catalog.selectors import catalog_in_force
from oversight.core import clock
from oversight.core.errors import NotFound
from oversight.org.models import Agency
from oversight.subjects import policy
from oversight.subjects.models import Subject, SubjectChange, SubjectStatus


@dataclass
class Followed:
    created: int = 0
    renamed: int = 0
    closed: int = 0
    reopened: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.renamed or self.closed or self.reopened)


def _matching(links: object, agencies: QuerySet[Agency]) -> QuerySet[Agency]:
    agency_kinds = list(getattr(links, "agency_kinds", []) or [])
    departments = list(getattr(links, "departments", []) or [])
    if agency_kinds:
        agencies = agencies.filter(kind__in=agency_kinds)
    if departments:
        agencies = agencies.filter(department__code__in=departments)
    return agencies


def subjects_follow(*, agency: Agency | None = None) -> Followed:
    """Bring the subjects of every linked kind in step with ``agency`` (or every agency)."""
    try:
        catalog = catalog_in_force()
    except NotFound:
        return Followed()
    done = Followed()
    scope = Agency.objects.filter(pk=agency.pk) if agency else Agency.objects.all()
    with transaction.atomic():
        for kind in [
            k for k in catalog.header.subject_kinds if k.internal and getattr(k, "links", None)
        ]:
            members = set(_matching(kind.links, scope).values_list("pk", flat=True))
            for row in scope.select_related("department"):
                _follow_one(kind.code, row, row.pk in members, done)
        if done.changed:
            audit.record(
                action="subjects.follow",
                object_type="org.agency" if agency else "",
                object_id=agency.pk if agency else "",
                detail=vars(done),
            )
    return done


def _follow_one(kind: str, agency: Agency, member: bool, done: Followed) -> None:
    key = policy.natural_key(
        credit_code="", linked_agency_id=agency.pk, agency_id=agency.pk, name=agency.name
    )
    subject = Subject.objects.filter(kind=kind, natural_key=key).first()
    now = clock.now()
    if subject is None:
        if member and agency.active:
            _create(kind, agency, key, now)
            done.created += 1
        return
    wanted = SubjectStatus.ACTIVE if member and agency.active else SubjectStatus.CLOSED
    before = {"name": subject.name, "status": subject.status}
    subject.name = agency.name
    if subject.status != wanted and (wanted == SubjectStatus.CLOSED or member):
        subject.status = wanted
        subject.closed_on = now.date() if wanted == SubjectStatus.CLOSED else None
        done.closed += wanted == SubjectStatus.CLOSED
        done.reopened += wanted == SubjectStatus.ACTIVE
    done.renamed += before["name"] != subject.name
    after = {"name": subject.name, "status": subject.status}
    if after != before:
        subject.updated_at = now
        subject.save()
        changed = policy.changed_fields(before, after)
        SubjectChange.objects.create(
            subject=subject,
            changed_at=now,
            source=SubjectChange.Source.SYNC,
            before={k: old for k, (old, _n) in changed.items()},
            after={k: new for k, (_o, new) in changed.items()},
        )


def _create(kind: str, agency: Agency, key: str, now: datetime) -> None:
    subject = Subject.objects.create(
        kind=kind,
        name=agency.name,
        agency=agency,
        linked_agency=agency,
        linked_department=agency.department,
        natural_key=key,
        created_at=now,
        updated_at=now,
    )
    SubjectChange.objects.create(
        subject=subject,
        changed_at=now,
        source=SubjectChange.Source.SYNC,
        after={"name": subject.name, "agency_id": agency.pk, "status": subject.status},
    )

"""Builders for the inspector pool's tests: a day to freeze, subjects, qualified officers.

Subjects are written as rows here (not through the registry's services): the pool only needs a
subject to point at, and its tests should not depend on how the catalog declares each kind.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from oversight.core import clock
from oversight.org.models import Agency, Officer
from oversight.pool import services
from oversight.subjects.models import Subject

# Noon in Shanghai on 2 March 2026: "today" for the pool is that local day.
NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
REGIME = "NEIBAO"  # the small catalog's one regime


def frozen() -> Any:
    return clock.frozen(NOW)


def make_subject(agency: Agency, name: str) -> Subject:
    return Subject.objects.create(
        kind="KEY_SECURITY_UNIT",
        name=name,
        agency=agency,
        natural_key=f"name:{agency.pk}:{name}",
        created_at=NOW,
        updated_at=NOW,
    )


def with_qualification(officer: Officer, level: str = "BASIC", expires_on: Any = None) -> Officer:
    """Give an officer a 执法资格 (arranged directly: the organisation's own tests cover its
    editing)."""
    Officer.objects.filter(pk=officer.pk).update(
        qualification=level, qualification_expires_on=expires_on
    )
    officer.refresh_from_db()
    return officer


def qualified(person: Any, by: Any, regime: str = REGIME, **values: Any) -> Officer:
    """An officer with a 执法资格 and qualified for ``regime`` by the leader ``by``."""
    officer = with_qualification(person.officer)
    services.qualification_grant(actor=by.viewer, officer_id=officer.pk, regime=regime, **values)
    return officer


def pool_world(city: Any) -> dict[str, int]:
    """Rows of the pool in county B (and a subject in each county), for the access matrix: a
    qualification, an absence not yet begun and a conflict, each of county B's inspector."""
    a_subject = make_subject(city.a_station, "甲县第一中学")
    b_subject = make_subject(city.b_station, "乙县第一中学")
    leader, officer = city.b_leader.viewer, city.b_inspector.officer.pk
    qualification = services.qualification_grant(actor=leader, officer_id=officer, regime=REGIME)
    absence = services.unavailability_record(
        actor=leader, officer_id=officer, kind="LEAVE", starts_on="2099-01-01"
    )
    conflict = services.conflict_declare(
        actor=leader, officer_id=officer, subject_id=b_subject.pk, kind="RELATIVE", note="亲属"
    )
    return {
        "a_subject": a_subject.pk,
        "b_subject": b_subject.pk,
        "b_qualification": qualification.pk,
        "b_absence": absence.pk,
        "b_conflict": conflict.pk,
    }

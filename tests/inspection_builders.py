"""Builders for the tests of inspections and the rhythms of checks: the full catalog (its custody
regime has the monthly rhythm), custody facilities as rows, finalised checks through the service.

Subjects are written as rows (as in ``tests.pool_builders``); checks go through
``inspection_record_finalised``, the one write of inspections so far.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from oversight.catalog.services import catalog_load
from oversight.core import clock
from oversight.inspections.models import Inspection
from oversight.inspections.services import inspection_record_finalised
from oversight.org import services as org
from oversight.org.models import Agency, Department
from oversight.subjects.models import Subject
from tests.conftest import CATALOG_ROOT

LOCAL = ZoneInfo("Asia/Shanghai")
# "Now" for these tests: 15 November 2026, noon in Shanghai. January to October are over.
NOW = datetime(2026, 11, 15, 4, 0, tzinfo=UTC)
TODAY = date(2026, 11, 15)
REGIME = "CUSTODY_OWN"


def full_catalog() -> None:
    catalog_load(actor=None, path=CATALOG_ROOT)


def facility(agency: Agency, name: str, kind: str = "CUSTODY_FACILITY", **values: Any) -> Subject:
    """A subject of ``kind`` (by default a custody facility) in ``agency``'s jurisdiction."""
    return Subject.objects.create(
        kind=kind,
        name=name,
        agency=agency,
        natural_key=f"name:{agency.pk}:{name}",
        created_at=NOW,
        updated_at=NOW,
        **values,
    )


def at(day: date, hour: int = 10) -> datetime:
    """``hour`` o'clock in Shanghai on ``day``."""
    return datetime.combine(day, time(hour), tzinfo=LOCAL)


def checked(
    person: Any, subject: Subject, day: date, method: str = "ON_SITE", **more: Any
) -> Inspection:
    """A finalised check of ``subject`` on ``day`` (10:00 to 12:00 in Shanghai), recorded by
    ``person`` at ``NOW``."""
    with clock.frozen(NOW):
        return inspection_record_finalised(
            actor=person.viewer,
            subject_id=subject.pk,
            regime=more.pop("regime", REGIME),
            method=method,
            started_at=at(day),
            ended_at=at(day, 12),
            **more,
        )


def monthly_but(person: Any, subject: Subject, skipped: int, months: range = range(1, 11)) -> None:
    """A check of ``subject`` on the 10th of each of ``months`` but the month ``skipped``."""
    for month in months:
        if month != skipped:
            checked(person, subject, date(2026, month, 10))


def unit(code: str, name: str, kind: str, parent: Agency, department: str) -> Agency:
    """An agency of a department under ``parent`` (a unit of the department subjects follow)."""
    return org.agency_create(
        actor=None,
        code=code,
        name=name,
        kind=kind,
        division_code="139901",
        parent_id=parent.pk,
        department_id=Department.objects.get(code=department).pk,
    )


def custody_world(city: Any) -> Any:
    """The full catalog; the city's custody detachment; county A's detention centre (a unit of
    its own, followed as a custody facility); a custody facility in county B."""
    full_catalog()
    city.custody = unit("CITY-JG", "监管支队", "DETACHMENT", city.root, "CUSTODY")
    city.a_kss = unit("CITY-A-KSS", "甲县看守所", "DETENTION_CENTER", city.a, "CUSTODY")
    city.a_facility = Subject.objects.get(kind="CUSTODY_FACILITY", linked_agency=city.a_kss)
    city.b_facility = facility(city.b, "乙县拘留所")
    return city

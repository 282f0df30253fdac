"""Recording a finalised check: who may, of which subjects (404 across counties), under which
regime and method, when; its task; the database's own constraints; the audit event in words."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from oversight.audit.models import AuditEvent
from oversight.audit.presentation import present
from oversight.core import clock
from oversight.core.errors import NotFound, PermissionDenied
from oversight.inspections import services
from oversight.inspections.models import Inspection
from oversight.inspections.selectors import inspections_visible
from oversight.org.scope import viewer_for
from oversight.planning import services as plans
from tests.inspection_builders import NOW, at, checked, facility, full_catalog
from tests.plan_builders import plan_of


@pytest.fixture
def world(city):
    full_catalog()
    city.a_facility = facility(city.a, "甲县看守所")
    city.b_facility = facility(city.b, "乙县看守所")
    return city


def _record(person, subject, **more):
    values = {
        "regime": "CUSTODY_OWN",
        "method": "ON_SITE",
        "started_at": at(date(2026, 3, 10)),
        "ended_at": at(date(2026, 3, 10), 12),
    } | more
    with clock.frozen(NOW):
        return services.inspection_record_finalised(
            actor=person.viewer, subject_id=subject.pk, **values
        )


def test_an_inspector_records_a_finalised_check_of_a_facility_of_the_county(world):
    inspection = _record(world.a_inspector, world.a_facility)

    inspection.refresh_from_db()
    assert (inspection.subject, inspection.regime, inspection.method) == (
        world.a_facility,
        "CUSTODY_OWN",
        "ON_SITE",
    )
    assert inspection.finalised_at == NOW and inspection.created_by == world.a_inspector.user
    assert inspection.ended_at - inspection.started_at == timedelta(hours=2)
    event = AuditEvent.objects.get(action="inspection.record")
    assert event.object_id == str(inspection.pk)
    assert event.summary["after"]["subject_id"] == world.a_facility.pk
    assert event.summary["after"]["method"] == "ON_SITE"


def test_the_city_records_checks_of_every_county_and_sees_them_all(world):
    _record(world.city_leader, world.a_facility)
    _record(world.city_leader, world.b_facility)
    assert inspections_visible(world.city_leader.viewer).count() == 2
    assert list(inspections_visible(world.a_leader.viewer).values_list("subject", flat=True)) == [
        world.a_facility.pk
    ]
    assert not inspections_visible(viewer_for(world.auditadmin)).exists()


@pytest.mark.parametrize("who", ["a_liaison", "b_viewer", "no_role"])
def test_only_inspectors_and_leaders_record_checks(world, who):
    with pytest.raises(PermissionDenied):
        _record(getattr(world, who), world.a_facility)
    assert not Inspection.objects.exists()


def test_another_countys_subject_is_not_found_whatever_else_the_request_holds(world):
    with pytest.raises(NotFound):
        _record(world.a_inspector, world.b_facility, regime="\x00", started_at="x")


def _custody_task(person, subject, title="年度检查计划"):
    with clock.frozen(NOW):
        plan = plan_of(person, title)
        return plans.task_add(
            actor=person.viewer,
            plan_id=plan.pk,
            regime="CUSTODY_OWN",
            mode="PERIODIC",
            announced=True,
            method="M01",
            starts_on="2026-03-01",
            ends_on="2026-03-31",
            inspectors_per_target=2,
            subject_ids=[subject.pk],
        )


def test_a_task_of_another_county_is_not_found(world):
    b_task = _custody_task(world.b_inspector, world.b_facility)
    with pytest.raises(NotFound):
        _record(world.a_inspector, world.a_facility, task_id=b_task.pk)


@pytest.mark.parametrize(
    "values, refusal",
    [
        ({"regime": "NOPE"}, "UnknownRegime"),
        ({"regime": "not a code"}, "DomainError"),
        ({"method": "CALLBACK"}, "NotARegimeMethod"),  # a method kind, not of this regime
        ({"started_at": datetime(2026, 3, 10, 10)}, "TimesRefused"),  # no time zone
        ({"ended_at": at(date(2026, 3, 9))}, "TimesRefused"),  # ends before it starts
        ({"ended_at": NOW + timedelta(minutes=1)}, "TimesRefused"),  # not over yet
    ],
)
def test_values_the_catalog_and_the_clock_refuse(world, values, refusal):
    with pytest.raises(services.DomainError) as caught:
        _record(world.a_inspector, world.a_facility, **values)
    assert type(caught.value).__name__ == refusal
    assert not Inspection.objects.exists()


def test_a_subject_of_a_kind_the_regime_does_not_check_is_refused(world):
    school = facility(world.a_station, "甲县第一中学", kind="KEY_SECURITY_UNIT")
    with pytest.raises(services.NotARegimeSubject):
        _record(world.a_inspector, school)


def test_a_bureau_does_not_check_itself(world):
    own = facility(world.a, "甲县公安局", kind="ENFORCEMENT_AGENCY", linked_agency=world.a)
    with pytest.raises(services.OwnBureau):
        _record(world.a_inspector, own, regime="ENFORCEMENT_QUALITY")
    # the city above it does
    _record(world.city_leader, own, regime="ENFORCEMENT_QUALITY")


def test_a_check_carries_out_an_approved_task_of_its_regime_naming_its_subject(world):
    school = facility(world.a_station, "甲县第一中学", kind="KEY_SECURITY_UNIT")
    task = _custody_task(world.a_inspector, world.a_facility)
    plan = task.plan
    with pytest.raises(services.TaskRefused) as caught:
        _record(world.a_inspector, world.a_facility, task_id=task.pk)
    assert "尚未批准" in str(caught.value.message)
    with clock.frozen(NOW):
        plans.plan_submit(actor=world.a_inspector.viewer, plan_id=plan.pk)
        plans.plan_approve(actor=world.a_leader.viewer, plan_id=plan.pk)
    with pytest.raises(services.TaskRefused):
        _record(world.a_inspector, school, regime="NEIBAO", task_id=task.pk)  # another regime
    other = facility(world.a, "甲县拘留所")
    with pytest.raises(services.TaskRefused):
        _record(world.a_inspector, other, task_id=task.pk)  # not named by the task
    done = _record(world.a_inspector, world.a_facility, task_id=task.pk)
    assert list(task.inspections.all()) == [done]


def test_the_database_holds_a_check_to_its_times(world):
    base = checked(world.a_inspector, world.a_facility, date(2026, 3, 10))
    for change in (
        {"ended_at": None},  # finalised before it ended
        {"ended_at": base.started_at - timedelta(minutes=1)},  # ended before it started
        {"finalised_at": base.ended_at - timedelta(minutes=1)},  # final before it ended
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Inspection.objects.filter(pk=base.pk).update(**change)


def test_the_audit_log_tells_a_check_in_words(world):
    checked(world.a_inspector, world.a_facility, date(2026, 3, 10))
    with translation.override("en"):
        row = present(AuditEvent.objects.filter(action="inspection.record"))[0]
        words = {str(c.label): c.after for c in row.changes}
    assert words["Regime"] == "对所属公安监管场所执法及安全管理工作的监督检查"
    assert words["Method"] == "实地检查"
    # A subject without a credit code may be a person: named masked, as in the registry's events.
    assert words["Subject"] == "甲*"
    assert "CUSTODY_OWN" not in row.object and "ON_SITE" not in row.object
    assert "甲县看守所" not in row.object and "2026-03-10" in row.object

"""Generating the periodic tasks the catalog's rhythms ask of a plan: which bureau owes which
rhythm, the windows and subjects of its tasks, twice adds nothing, who may, in which scope, on
which plans; audited."""

from __future__ import annotations

from datetime import date

import pytest

from oversight.audit.models import AuditEvent
from oversight.core.errors import NotFound, PermissionDenied
from oversight.planning import services
from oversight.planning.models import Task
from oversight.planning.services.obligations import plan_generate_obligations
from oversight.subjects.models import Subject
from tests.inspection_builders import custody_world, facility, unit
from tests.plan_builders import plan_of


@pytest.fixture
def world(city):
    """The custody world (``custody_world``); the city's narcotics detachment (followed as a
    narcotics office) and a precursor enterprise in county A."""
    custody_world(city)
    city.narcotics = unit("CITY-JD", "禁毒支队", "DETACHMENT", city.root, "NARCOTICS")
    city.office = Subject.objects.get(kind="NARCOTICS_OFFICE", linked_agency=city.narcotics)
    city.enterprise = facility(city.a_station, "甲县化工厂", kind="PRECURSOR_ENTERPRISE")
    return city


def _windows(tasks, method):
    return [(t.starts_on, t.ends_on) for t in tasks if t.method == method]


def test_a_county_with_its_own_facility_gets_twelve_monthly_visits_and_a_years_video_patrol(world):
    plan = plan_of(world.a_inspector)

    done = plan_generate_obligations(actor=world.a_inspector.viewer, plan_id=plan.pk)

    tasks = list(plan.tasks.order_by("starts_on", "method"))
    monthly = _windows(tasks, "M01")
    assert len(monthly) == 12
    assert monthly[0] == (date(2026, 1, 1), date(2026, 1, 31))
    assert monthly[1] == (date(2026, 2, 1), date(2026, 2, 28))
    assert monthly[11] == (date(2026, 12, 1), date(2026, 12, 31))
    assert _windows(tasks, "M02") == [(date(2026, 1, 1), date(2026, 12, 31))]
    assert {(t.regime, t.mode, t.announced) for t in tasks} == {("CUSTODY_OWN", "PERIODIC", True)}
    assert {t.note for t in tasks if t.method == "M01"} == {"每月对所属公安监管场所实地检查一次"}
    # county A's own facility; not county B's, and not the precursor regime (no narcotics unit)
    assert {s.pk for t in tasks for s in t.subjects.all()} == {world.a_facility.pk}
    assert [len(r.added) for r in done.rhythms] == [12, 1] and done.present == 0
    event = AuditEvent.objects.get(action="plan.obligations")
    assert event.object_id == str(plan.pk)
    assert sorted(event.summary["detail"]["task_ids"]) == sorted(t.pk for t in tasks)
    assert AuditEvent.objects.filter(action="task.add").count() == 13


def test_running_it_twice_adds_nothing_and_says_so(world):
    plan = plan_of(world.a_inspector)
    plan_generate_obligations(actor=world.a_inspector.viewer, plan_id=plan.pk)
    events = AuditEvent.objects.count()

    again = plan_generate_obligations(actor=world.a_leader.viewer, plan_id=plan.pk)

    assert again.added == [] and again.present == 13
    assert plan.tasks.count() == 13
    assert AuditEvent.objects.count() == events  # nothing written, nothing recorded


def test_a_window_removed_by_hand_is_added_again_alone(world):
    plan = plan_of(world.a_inspector)
    plan_generate_obligations(actor=world.a_inspector.viewer, plan_id=plan.pk)
    march = plan.tasks.get(method="M01", starts_on=date(2026, 3, 1))
    services.task_remove(actor=world.a_inspector.viewer, task_id=march.pk)

    again = plan_generate_obligations(actor=world.a_inspector.viewer, plan_id=plan.pk)

    assert [(t.starts_on, t.method) for t in again.added] == [(date(2026, 3, 1), "M01")]


def test_the_city_owes_every_facility_and_the_yearly_check_of_precursor_enterprises(world):
    plan = plan_of(world.city_leader)

    plan_generate_obligations(actor=world.city_leader.viewer, plan_id=plan.pk)

    by_regime = {}
    for task in plan.tasks.all():
        by_regime.setdefault(task.regime, []).append(task)
    # no legal or traffic unit of its own here: no assessment or ranking rhythm
    assert set(by_regime) == {"CUSTODY_OWN", "PRECURSOR_ENTERPRISES"}
    january = plan.tasks.get(regime="CUSTODY_OWN", method="M01", starts_on=date(2026, 1, 1))
    assert {s.pk for s in january.subjects.all()} == {world.a_facility.pk, world.b_facility.pk}
    [yearly] = by_regime["PRECURSOR_ENTERPRISES"]
    assert (yearly.starts_on, yearly.ends_on) == (date(2026, 1, 1), date(2026, 12, 31))
    # the enterprises are owed the yearly check (年检), not the narcotics office
    assert [s.pk for s in yearly.subjects.all()] == [world.enterprise.pk]
    assert yearly.subject_kinds == ["PRECURSOR_ENTERPRISE"]


def test_subjects_opened_in_the_year_are_owed_the_months_after_and_closed_ones_none(world):
    late = facility(world.a_kss, "甲县新看守所", registered_on=date(2026, 6, 10))
    facility(world.a_kss, "甲县旧看守所", status="CLOSED")
    plan = plan_of(world.a_inspector)

    plan_generate_obligations(actor=world.a_inspector.viewer, plan_id=plan.pk)

    named = {
        t.starts_on.month: {s.pk for s in t.subjects.all()} for t in plan.tasks.filter(method="M01")
    }
    assert named[6] == {world.a_facility.pk}  # opened within June: not owed June
    assert named[7] == {world.a_facility.pk, late.pk}
    assert all(len(ids) <= 2 for ids in named.values())


def test_a_county_owing_no_rhythm_gets_nothing_and_is_told_so(world):
    plan = plan_of(world.b_inspector)

    done = plan_generate_obligations(actor=world.b_inspector.viewer, plan_id=plan.pk)

    assert done.rhythms == [] and not plan.tasks.exists()
    assert not AuditEvent.objects.filter(action="plan.obligations").exists()


@pytest.mark.parametrize("who", ["a_liaison", "b_viewer", "no_role"])
def test_only_inspectors_and_leaders_generate(world, who):
    plan = plan_of(world.a_inspector)
    with pytest.raises(PermissionDenied):
        plan_generate_obligations(actor=getattr(world, who).viewer, plan_id=plan.pk)
    assert not Task.objects.exists()


def test_another_countys_plan_is_not_found(world):
    b_plan = plan_of(world.b_inspector)
    with pytest.raises(NotFound):
        plan_generate_obligations(actor=world.a_inspector.viewer, plan_id=b_plan.pk)


def test_a_submitted_or_published_plan_is_refused_a_returned_one_takes_them(world):
    plan = plan_of(world.a_inspector)
    services.task_add(
        actor=world.a_inspector.viewer,
        plan_id=plan.pk,
        regime="CUSTODY_OWN",
        mode="AD_HOC",
        announced=False,
        method="M02",
        starts_on="2026-05-01",
        ends_on="2026-05-02",
        inspectors_per_target=2,
        subject_ids=[world.a_facility.pk],
    )
    services.plan_submit(actor=world.a_inspector.viewer, plan_id=plan.pk)
    with pytest.raises(services.PlanNotEditable):
        plan_generate_obligations(actor=world.a_inspector.viewer, plan_id=plan.pk)
    services.plan_return(actor=world.a_leader.viewer, plan_id=plan.pk, reason="补充每月检查")
    assert len(plan_generate_obligations(actor=world.a_inspector.viewer, plan_id=plan.pk).added)
    services.plan_submit(actor=world.a_inspector.viewer, plan_id=plan.pk)
    services.plan_approve(actor=world.a_leader.viewer, plan_id=plan.pk)
    services.plan_publish(actor=world.a_leader.viewer, plan_id=plan.pk)
    with pytest.raises(services.PlanNotEditable):
        plan_generate_obligations(actor=world.a_leader.viewer, plan_id=plan.pk)

"""Plans and tasks on the database: the workflow's steps and who may take them, the refusals by
name, the audit events, the scope (404 across counties), the catalog references."""

from __future__ import annotations

import pytest

from oversight.audit.models import AuditEvent
from oversight.audit.presentation import present
from oversight.catalog.models import CatalogVersion
from oversight.catalog.services import catalog_load
from oversight.core.errors import DomainError, NotFound, PermissionDenied
from oversight.org.scope import viewer_for
from oversight.planning import selectors, services
from oversight.planning.models import Plan, Task
from oversight.subjects.models import Subject
from tests.conftest import CATALOG_ROOT
from tests.plan_builders import (
    YEAR,
    plan_of,
    plan_with_task,
    random_values,
    submitted,
    task_values,
)
from tests.pool_builders import frozen, make_subject


@pytest.fixture
def world(city, small_catalog):
    catalog_load(actor=None, path=small_catalog)
    with frozen():
        city.school = make_subject(city.a_station, "甲县第一中学")
        city.bank = make_subject(city.a, "甲县农商银行")
        city.b_school = make_subject(city.b_station, "乙县第一中学")
        yield city


def _actions(target) -> list[str]:
    events = AuditEvent.objects.filter(
        object_type=f"planning.{target._meta.model_name}", object_id=str(target.pk)
    )
    return list(events.order_by("seq").values_list("action", flat=True))


# --- the workflow ---------------------------------------------------------------------------------


def test_a_plan_goes_from_draft_to_published_each_step_by_its_role_and_audited(world):
    plan, _task = plan_with_task(world.a_inspector, world.school)
    assert plan.agency == world.a and plan.status == "DRAFT"
    assert plan.catalog_version == CatalogVersion.objects.get()

    services.plan_submit(actor=world.a_inspector.viewer, plan_id=plan.pk)
    services.plan_approve(actor=world.a_leader.viewer, plan_id=plan.pk)
    services.plan_publish(actor=world.a_leader.viewer, plan_id=plan.pk)

    plan.refresh_from_db()
    assert plan.status == "PUBLISHED"
    assert (plan.submitted_by, plan.approved_by, plan.published_by) == (
        world.a_inspector.user,
        world.a_leader.user,
        world.a_leader.user,
    )
    assert None not in (plan.submitted_at, plan.approved_at, plan.published_at)
    assert _actions(plan) == [
        "plan.create",
        "plan.submit",
        "plan.approve",
        "plan.publish",
    ]
    submit = AuditEvent.objects.get(action="plan.submit")
    assert submit.summary == {"before": {"status": "DRAFT"}, "after": {"status": "SUBMITTED"}}


def test_a_returned_plan_carries_its_reason_takes_changes_and_is_submitted_again(world):
    plan = submitted(world.a_inspector, world.school)
    services.plan_return(actor=world.a_leader.viewer, plan_id=plan.pk, reason="窗口太短")
    plan.refresh_from_db()
    assert (plan.status, plan.return_reason, plan.returned_by) == (
        "RETURNED",
        "窗口太短",
        world.a_leader.user,
    )
    task = plan.tasks.get()
    services.task_update(
        actor=world.a_inspector.viewer,
        task_id=task.pk,
        **task_values(ends_on="2026-05-31", subject_ids=[world.school.pk]),
    )
    services.plan_submit(actor=world.a_inspector.viewer, plan_id=plan.pk)
    assert Plan.objects.get(pk=plan.pk).status == "SUBMITTED"
    returned = AuditEvent.objects.get(action="plan.return")
    assert returned.summary["after"] == {"status": "RETURNED", "return_reason": "窗口太短"}


def test_returning_needs_a_reason(world):
    plan = submitted(world.a_inspector, world.school)
    with pytest.raises(DomainError) as refused:
        services.plan_return(actor=world.a_leader.viewer, plan_id=plan.pk, reason="  ")
    assert refused.value.field == "reason"
    assert Plan.objects.get(pk=plan.pk).status == "SUBMITTED"


def test_the_leader_who_submitted_a_plan_may_not_approve_or_return_it(world):
    plan = submitted(world.a_leader, world.school)
    for step in (services.plan_approve, services.plan_return):
        with pytest.raises(services.OwnSubmission):
            step(
                actor=world.a_leader.viewer,
                plan_id=plan.pk,
                **({"reason": "x"} if step is services.plan_return else {}),
            )
    assert Plan.objects.get(pk=plan.pk).status == "SUBMITTED"


def test_only_a_leader_of_the_plans_own_bureau_approves_it(world):
    plan = submitted(world.a_inspector, world.school)
    with pytest.raises(services.NotPlanLeader):  # sees the plan, but is not its bureau's
        services.plan_approve(actor=world.city_leader.viewer, plan_id=plan.pk)
    with pytest.raises(NotFound):  # another county
        services.plan_approve(actor=world.b_leader.viewer, plan_id=plan.pk)
    with pytest.raises(PermissionDenied):  # not a leader, whatever the plan
        services.plan_approve(actor=world.a_inspector.viewer, plan_id=plan.pk)
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=viewer_for(world.sysadmin), plan_id=plan.pk)


def test_a_leader_above_publishes_an_approved_plan(world):
    plan = submitted(world.a_inspector, world.school)
    services.plan_approve(actor=world.a_leader.viewer, plan_id=plan.pk)
    services.plan_publish(actor=world.city_leader.viewer, plan_id=plan.pk)
    assert Plan.objects.get(pk=plan.pk).published_by == world.city_leader.user


@pytest.mark.parametrize(
    "step, status",
    [
        ("approve", "DRAFT"),
        ("return", "DRAFT"),
        ("publish", "SUBMITTED"),
        ("submit", "SUBMITTED"),
        ("approve", "APPROVED"),
        ("publish", "PUBLISHED"),
    ],
)
def test_a_step_from_the_wrong_status_is_refused_by_name(world, step, status):
    plan, _task = plan_with_task(world.a_inspector, world.school)
    Plan.objects.filter(pk=plan.pk).update(
        status=status, approved_at=plan.created_at, published_at=plan.created_at
    )
    call = getattr(services, f"plan_{step}")
    person = world.a_inspector if step == "submit" else world.a_leader
    extra = {"reason": "理由"} if step == "return" else {}
    with pytest.raises(services.StepRefused):
        call(actor=person.viewer, plan_id=plan.pk, **extra)
    assert Plan.objects.get(pk=plan.pk).status == status


def test_a_plan_without_tasks_cannot_be_submitted(world):
    plan = plan_of(world.a_inspector)
    with pytest.raises(services.EmptyPlan):
        services.plan_submit(actor=world.a_inspector.viewer, plan_id=plan.pk)


def test_liaisons_viewers_and_administrators_draft_nothing(world):
    for person in (world.a_liaison.viewer, world.b_viewer.viewer, viewer_for(world.sysadmin)):
        with pytest.raises(PermissionDenied):
            services.plan_create(actor=person, year=YEAR, title="计划")
    assert not Plan.objects.exists()


# --- drafting a plan ------------------------------------------------------------------------------


def test_a_plan_is_a_bureaus_of_the_drafters_scope(world):
    for_a = services.plan_create(
        actor=world.city_leader.viewer, agency_id=world.a.pk, year=YEAR, title="甲县计划"
    )
    assert for_a.agency == world.a
    with pytest.raises(NotFound):
        services.plan_create(
            actor=world.a_leader.viewer, agency_id=world.b.pk, year="x", title="\x00"
        )
    with pytest.raises(services.NotABureau):
        services.plan_create(
            actor=world.a_leader.viewer, agency_id=world.a_station.pk, year=YEAR, title="所"
        )
    with pytest.raises(services.DuplicatePlan):
        services.plan_create(actor=world.a_inspector.viewer, year=YEAR, title="甲县计划")
    with pytest.raises(DomainError) as refused:
        services.plan_create(actor=world.a_inspector.viewer, year=1999, title="旧计划")
    assert refused.value.field == "year"


def test_a_plan_needs_a_catalog(city):
    with pytest.raises(services.NoCatalog):
        services.plan_create(actor=city.a_leader.viewer, year=YEAR, title="计划")


def test_a_submitted_plan_and_its_tasks_no_longer_change(world):
    plan = submitted(world.a_inspector, world.school)
    task = plan.tasks.get()
    viewer = world.a_inspector.viewer
    with pytest.raises(services.PlanNotEditable):
        services.plan_update(actor=viewer, plan_id=plan.pk, title="新标题")
    with pytest.raises(services.PlanNotEditable):
        services.task_add(
            actor=viewer, plan_id=plan.pk, **task_values(subject_ids=[world.school.pk])
        )
    with pytest.raises(services.PlanNotEditable):
        services.task_update(
            actor=viewer, task_id=task.pk, **task_values(subject_ids=[world.school.pk])
        )
    with pytest.raises(services.PlanNotEditable):
        services.task_remove(actor=viewer, task_id=task.pk)
    assert Task.objects.filter(plan=plan).count() == 1


def test_editing_a_draft_records_only_what_changed(world):
    plan = plan_of(world.a_inspector)
    services.plan_update(actor=world.a_leader.viewer, plan_id=plan.pk, title="新标题", notes="")
    event = AuditEvent.objects.get(action="plan.update")
    assert event.summary == {"before": {"title": "年度检查计划"}, "after": {"title": "新标题"}}


# --- tasks ----------------------------------------------------------------------------------------


def test_a_task_records_its_scope_and_the_catalog_version_in_force(world):
    plan = plan_of(world.a_inspector)
    task = services.task_add(
        actor=world.a_inspector.viewer,
        plan_id=plan.pk,
        **task_values(
            jurisdiction_ids=[world.a_station.pk],
            risk_grades=["C", "C"],
            subject_kinds=["KEY_SECURITY_UNIT"],
            subject_ids=[world.school.pk],
        ),
    )
    assert [a.pk for a in task.jurisdictions.all()] == [world.a_station.pk]
    assert (task.risk_grades, task.subject_kinds) == (["C"], ["KEY_SECURITY_UNIT"])
    assert [s.pk for s in task.subjects.all()] == [world.school.pk]
    assert task.catalog_version == plan.catalog_version
    after = AuditEvent.objects.get(action="task.add").summary["after"]
    assert after["subject_ids"] == [world.school.pk] and after["regime"] == "NEIBAO"

    catalog_load(actor=None, path=CATALOG_ROOT)  # a new version comes into force
    newer = services.task_add(actor=world.a_inspector.viewer, plan_id=plan.pk, **random_values())
    assert newer.catalog_version == CatalogVersion.objects.order_by("-id").first()
    assert Plan.objects.get(pk=plan.pk).catalog_version == task.catalog_version


def test_a_random_task_draws_a_number_and_names_no_subjects(world):
    plan = plan_of(world.a_inspector)
    task = services.task_add(
        actor=world.a_inspector.viewer, plan_id=plan.pk, **random_values(include_checked=True)
    )
    assert (task.target_count, task.include_checked, task.subjects.count()) == (3, True, 0)


@pytest.mark.parametrize(
    "values, field",
    [
        (random_values(target_count=None), "target_count"),
        (random_values(subject_ids=["SCHOOL"]), "subject_ids"),
        (task_values(target_count=3, subject_ids=["SCHOOL"]), "target_count"),
        (task_values(include_checked=True, subject_ids=["SCHOOL"]), "include_checked"),
        (task_values(), "subject_ids"),
    ],
)
def test_fixed_and_random_tasks_are_told_apart(world, values, field):
    plan = plan_of(world.a_inspector)
    if "subject_ids" in values:
        values = values | {"subject_ids": [world.school.pk]}
    with pytest.raises(services.TargetsRefused) as refused:
        services.task_add(actor=world.a_inspector.viewer, plan_id=plan.pk, **values)
    assert refused.value.field == field


@pytest.mark.parametrize(
    "change, refusal, field",
    [
        ({"regime": "TRAFFIC"}, services.UnknownRegime, "regime"),
        ({"method": "M09"}, services.UnknownMethod, "method"),
        ({"mode": "SPECIAL"}, services.MethodNotForMode, "method"),
        ({"subject_kinds": ["BANK"]}, services.ScopeRefused, "subject_kinds"),
        ({"starts_on": "2026-12-01", "ends_on": "2027-01-31"}, services.WindowRefused, "ends_on"),
        ({"starts_on": "2026-05-01", "ends_on": "2026-04-01"}, services.WindowRefused, "ends_on"),
        ({"inspectors_per_target": 1}, DomainError, "inspectors_per_target"),
        ({"mode": "LOTTERY"}, DomainError, "mode"),
        ({"risk_grades": ["E"]}, DomainError, "risk_grades"),
        ({"risk_grades": "A"}, DomainError, "risk_grades"),
    ],
)
def test_a_task_is_checked_against_the_catalog_in_force_and_its_plan(world, change, refusal, field):
    plan = plan_of(world.a_inspector)
    values = task_values(subject_ids=[world.school.pk]) | change
    with pytest.raises(refusal) as refused:
        services.task_add(actor=world.a_inspector.viewer, plan_id=plan.pk, **values)
    assert refused.value.field == field
    assert not Task.objects.exists()


def test_a_method_the_catalog_makes_announced_or_not_is_held_to_it():
    from oversight.planning import workflow

    always_unannounced = workflow.MethodFacts(modes=("AD_HOC",), announced=False)
    assert workflow.method_problem(always_unannounced, mode="AD_HOC", announced=True) == "announced"


def test_subjects_outside_the_tasks_scope_are_refused_with_their_name(world):
    plan = plan_of(world.a_inspector)
    closed = make_subject(world.a_station, "已关闭单位")
    Subject.objects.filter(pk=closed.pk).update(status="CLOSED")
    cases = [
        (
            {"jurisdiction_ids": [world.a_station.pk], "subject_ids": [world.bank.pk]},
            "甲县农商银行",
        ),
        ({"risk_grades": ["A"], "subject_ids": [world.school.pk]}, "甲县第一中学"),
        ({"subject_ids": [closed.pk]}, "已关闭单位"),
    ]
    for change, name in cases:
        with pytest.raises(services.ScopeRefused) as refused:
            services.task_add(
                actor=world.a_inspector.viewer, plan_id=plan.pk, **task_values(**change)
            )
        assert refused.value.field == "subject_ids" and name in str(refused.value.message)


def test_another_countys_ids_answer_404_whatever_the_rest_holds(world):
    plan = plan_of(world.a_inspector)
    junk = {"regime": "\x00", "mode": "x", "starts_on": "soon"}
    viewer = world.a_inspector.viewer
    for named in (
        {"subject_ids": [world.b_school.pk]},
        {"jurisdiction_ids": [world.a.pk, world.b.pk]},
    ):
        with pytest.raises(NotFound):
            services.task_add(actor=viewer, plan_id=plan.pk, **junk, **named)
    b_plan = plan_of(world.b_inspector)
    with pytest.raises(NotFound):
        services.task_add(actor=viewer, plan_id=b_plan.pk, **junk)
    _plan, b_task = plan_with_task(world.b_inspector, world.b_school, "乙县计划")
    with pytest.raises(NotFound):
        services.task_update(actor=viewer, task_id=b_task.pk, **junk)
    with pytest.raises(NotFound):
        services.task_remove(actor=viewer, task_id=b_task.pk)
    assert Task.objects.filter(plan__agency=world.a).count() == 0


def test_a_city_plans_jurisdictions_are_its_bureaus_own(world):
    plan = services.plan_create(
        actor=world.city_leader.viewer, agency_id=world.a.pk, year=YEAR, title="甲县计划"
    )
    with pytest.raises(services.ScopeRefused) as refused:  # the city sees county B's station
        services.task_add(
            actor=world.city_leader.viewer,
            plan_id=plan.pk,
            **random_values(jurisdiction_ids=[world.b_station.pk]),
        )
    assert refused.value.field == "jurisdiction_ids"


def test_a_task_is_removed_from_a_draft_with_its_audit_event(world):
    _plan, task = plan_with_task(world.a_inspector, world.school)
    services.task_remove(actor=world.a_leader.viewer, task_id=task.pk)
    assert not Task.objects.exists()
    removed = AuditEvent.objects.get(action="task.remove")
    assert removed.summary["before"]["subject_ids"] == [world.school.pk]


def test_the_audit_log_tells_a_task_in_words(world):
    _plan, _task = plan_with_task(world.a_inspector, world.school)
    row = present(AuditEvent.objects.filter(action="task.add"))[0]
    words = {c.label: c.after for c in row.changes}
    assert words["监督检查事项"] == "对单位内部治安保卫的监督检查"
    assert words["检查类型"] == "定期检查"
    # A subject without a credit code may be a person: named masked, as in the registry's events.
    assert words["检查对象"] == "甲*"
    assert "NEIBAO" not in row.object


# --- reading --------------------------------------------------------------------------------------


def test_each_viewer_sees_the_plans_of_their_subtree_and_administrators_none(world):
    a_plan = plan_of(world.a_inspector)
    b_plan = plan_of(world.b_inspector)

    def ids(person):
        return set(selectors.plan_list(viewer=person).values_list("pk", flat=True))

    assert ids(world.a_liaison.viewer) == {a_plan.pk}
    assert ids(world.b_viewer.viewer) == {b_plan.pk}
    assert ids(world.city_leader.viewer) == {a_plan.pk, b_plan.pk}
    assert ids(viewer_for(world.auditadmin)) == set()
    with pytest.raises(NotFound):
        selectors.plan_get(viewer=world.b_viewer.viewer, plan_id=a_plan.pk)


def test_the_calendar_puts_a_task_under_each_month_of_its_window(world):
    plan = plan_of(world.a_inspector)
    task = services.task_add(
        actor=world.a_inspector.viewer,
        plan_id=plan.pk,
        **random_values(starts_on="2026-03-20", ends_on="2026-05-10"),
    )
    months = selectors.calendar(viewer=world.a_leader.viewer, year=YEAR)
    assert [m for m, tasks in months.items() if task in tasks] == [3, 4, 5]
    assert selectors.calendar(viewer=world.b_leader.viewer, year=YEAR)[4] == []

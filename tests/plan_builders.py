"""Builders for the planning tests: a task's values, a plan with tasks, plans in each status.

Plans and tasks are written through the services (their rules are what is tested); subjects are
rows (``tests.pool_builders.make_subject``), as the registry's own tests cover its services.
"""

from __future__ import annotations

from typing import Any

from oversight.planning import services
from oversight.planning.models import Plan, Task
from tests.pool_builders import REGIME, make_subject

YEAR = 2026


def task_values(**more: Any) -> dict[str, Any]:
    """A valid periodic check under the small catalog's regime (fixed: name ``subject_ids``)."""
    return {
        "regime": REGIME,
        "mode": "PERIODIC",
        "announced": True,
        "method": "M01",
        "starts_on": "2026-04-01",
        "ends_on": "2026-04-30",
        "inspectors_per_target": 2,
        "note": "",
    } | more


def random_values(**more: Any) -> dict[str, Any]:
    """A valid random spot check under the small catalog's regime."""
    return task_values(**({"mode": "RANDOM", "method": "M04", "target_count": 3} | more))


def plan_of(person: Any, title: str = "年度检查计划", **more: Any) -> Plan:
    return services.plan_create(actor=person.viewer, year=YEAR, title=title, **more)


def plan_with_task(person: Any, subject: Any, title: str = "年度检查计划") -> tuple[Plan, Task]:
    """A draft plan of ``person``'s bureau with one fixed task naming ``subject``."""
    plan = plan_of(person, title)
    task = services.task_add(
        actor=person.viewer, plan_id=plan.pk, **task_values(subject_ids=[subject.pk])
    )
    return plan, task


def submitted(person: Any, subject: Any, title: str = "年度检查计划") -> Plan:
    plan, _task = plan_with_task(person, subject, title)
    return services.plan_submit(actor=person.viewer, plan_id=plan.pk)


def plan_world(city: Any) -> dict[str, int]:
    """Plans for the access matrix, all drafted by inspectors: in county A a submitted plan with a
    task and an approved one, in county B a draft with a task."""
    a_subject = make_subject(city.a_station, "甲县第三中学")
    b_subject = make_subject(city.b_station, "乙县第三中学")
    a_plan = submitted(city.a_inspector, a_subject)
    a_task = a_plan.tasks.get()
    approved = submitted(city.a_inspector, a_subject, "专项检查计划")
    services.plan_approve(actor=city.a_leader.viewer, plan_id=approved.pk)
    draft = plan_of(city.a_inspector, "临时检查计划")
    draft_task = services.task_add(
        actor=city.a_inspector.viewer,
        plan_id=draft.pk,
        **task_values(subject_ids=[a_subject.pk]),
    )
    b_plan, b_task = plan_with_task(city.b_inspector, b_subject)
    return {
        "a_plan": a_plan.pk,
        "a_task": a_task.pk,
        "a_approved": approved.pk,
        "a_draft": draft.pk,
        "a_draft_task": draft_task.pk,
        "a_plan_subject": a_subject.pk,
        "b_plan": b_plan.pk,
        "b_task": b_task.pk,
        "b_plan_subject": b_subject.pk,
    }

"""The demo's plans of checks: one per county for 2026, a few waiting for someone, the same every
time the demo is built."""

from __future__ import annotations

import pytest
from django.db import transaction

from oversight.cli.demo import build_demo
from oversight.org.models import User
from oversight.org.scope import viewer_for
from oversight.planning import selectors, verify
from oversight.planning.models import Draw, Plan, Task


def _plans() -> list[tuple]:
    tasks = Task.objects.order_by("plan__agency__code", "starts_on", "regime", "mode")
    return [
        (
            t.plan.agency.code,
            t.plan.status,
            t.regime,
            t.mode,
            t.method,
            t.starts_on,
            t.ends_on,
            t.target_count,
            sorted((s.agency.code, s.name) for s in t.subjects.select_related("agency")),
        )
        for t in tasks.select_related("plan__agency")
    ]


@pytest.mark.django_db
def test_each_county_has_a_2026_plan_one_waiting_for_its_leader_and_one_draft():
    with transaction.atomic():
        build_demo()
        first = _plans()
        transaction.set_rollback(True)
    with transaction.atomic():
        build_demo()
        second = _plans()
        statuses = dict(Plan.objects.values_list("agency__name", "status"))
        leader = viewer_for(User.objects.get(username="county1.leader"))
        waiting = selectors.plan_list(viewer=leader).get()
        steps = selectors.actor_on(leader, waiting)
        transaction.set_rollback(True)
    assert first == second
    assert len(statuses) == 10 and Plan.objects.count() == 0
    assert sorted(statuses.values()).count("PUBLISHED") == 8
    assert (statuses["东城区公安局"], statuses["西城区公安局"]) == ("SUBMITTED", "DRAFT")
    assert waiting.status == "SUBMITTED" and not steps.submitter and steps.own_bureau
    assert {row[2] for row in first} == {"NEIBAO", "FINANCE_SECURITY", "CYBER_PROTECTION"}
    fixed = [row for row in first if row[3] != "RANDOM"]
    assert all(row[8] for row in fixed)  # every fixed check names its subjects
    assert all(row[7] for row in first if row[3] == "RANDOM")


@pytest.mark.django_db
def test_the_published_plans_random_tasks_have_draws_that_verify_one_county_awaiting_its_seed():
    with transaction.atomic():
        build_demo()
        draws = list(Draw.objects.filter(kind="TARGETS").select_related("task__plan__agency"))
        states = {(d.task.plan.agency.code, d.state) for d in draws}
        problems = [verify.verify(d.file) for d in draws if d.state == "DRAWN"]
        random_published = Task.objects.filter(mode="RANDOM", plan__status="PUBLISHED").count()
        transaction.set_rollback(True)
    assert len(draws) == random_published == 16  # 8 published plans, 2 random tasks each
    assert problems == [[]] * 14  # every made draw verifies from its own file
    waiting = {code for code, state in states if state == "COMMITTED"}
    assert len(waiting) == 1 and {s for _c, s in states} == {"COMMITTED", "DRAWN"}


@pytest.mark.django_db
def test_every_subject_of_a_published_task_whose_subjects_are_known_has_a_team_that_verifies():
    with transaction.atomic():
        build_demo()
        teams = list(Draw.objects.filter(kind="INSPECTORS").prefetch_related("picks"))
        problems = [verify.verify(d.file) for d in teams]
        states = {d.state for d in teams}
        sizes = {len(d.picks.all()) for d in teams}
        waiting = set(
            Task.objects.filter(
                mode="RANDOM", plan__status="PUBLISHED", draws__state="COMMITTED"
            ).values_list("pk", flat=True)
        )
        known = 0  # subjects named by a published task, or drawn by one
        for task in Task.objects.filter(plan__status="PUBLISHED").exclude(pk__in=waiting):
            known += task.target_count if task.mode == "RANDOM" else task.subjects.count()
        transaction.set_rollback(True)
    assert len(waiting) == 2  # the last county's random tasks still wait for their seed
    assert len(teams) == known > 0  # one team per known subject, none for the waiting ones
    assert problems == [[]] * len(teams) and states == {"DRAWN"} and sizes == {2}

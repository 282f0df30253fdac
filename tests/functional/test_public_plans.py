"""一公开: anyone reads the published plans of checks, without logging in, and nothing else."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone

from oversight.core import clock
from oversight.planning import services, verify
from tests.draw_builders import approved_task, drawn, subjects
from tests.html import every, one
from tests.plan_builders import plan_of, random_values, task_values
from tests.pool_builders import make_subject


@pytest.fixture
def world(city, small_catalog):
    from oversight.catalog.services import catalog_load

    catalog_load(actor=None, path=small_catalog)
    subject = make_subject(city.a_station, "甲县保密单位名称")
    plan = plan_of(city.a_inspector, "甲县公开计划")
    add = services.task_add
    a = city.a_inspector.viewer
    shown = add(actor=a, plan_id=plan.pk, **task_values(subject_ids=[subject.pk]))
    secret = add(actor=a, plan_id=plan.pk, **random_values(announced=False, ends_on="2026-12-31"))
    past = add(
        actor=a,
        plan_id=plan.pk,
        **random_values(announced=False, starts_on="2026-03-01", ends_on="2026-03-31"),
    )
    services.plan_submit(actor=a, plan_id=plan.pk)
    services.plan_approve(actor=city.a_leader.viewer, plan_id=plan.pk)
    services.plan_publish(actor=city.a_leader.viewer, plan_id=plan.pk)
    unpublished = plan_of(city.b_inspector, "乙县草稿计划")
    return {"plan": plan, "shown": shown, "secret": secret, "past": past, "draft": unpublished}


def _on_nov_29():
    return clock.frozen(timezone.make_aware(datetime(2026, 11, 29, 10, 0)))


def test_anyone_reads_the_published_plans_without_a_cookie(world):
    response = Client().get("/public/")
    assert response.status_code == 200 and not response.cookies
    titles = [a.text for a in every(response, "[data-testid=public-plans] tbody a")]
    assert titles == ["甲县公开计划"]  # the draft of county B is not there


def test_a_published_plan_hides_unannounced_checks_until_their_window_is_over(world):
    with _on_nov_29():
        response = Client().get(f"/public/plans/{world['plan'].pk}/")
    rows = {int(r["data-task"]) for r in every(response, "[data-task]")}
    assert rows == {world["shown"].pk, world["past"].pk}  # not the unannounced one still open
    assert "甲县保密单位名称" not in response.content.decode()  # fixed tasks never name subjects


def test_a_plan_not_published_is_not_found(world):
    assert Client().get(f"/public/plans/{world['draft'].pk}/").status_code == 404
    assert Client().get("/public/plans/99999999999999999999/").status_code == 404


def test_an_address_asking_too_often_is_told_when_to_come_back(world, settings):
    settings.OVERSIGHT_PUBLIC_REQUESTS_PER_MINUTE = 3
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert [client.get("/public/").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/public/")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    assert Client(REMOTE_ADDR="203.0.113.10").get("/public/").status_code == 200


def test_the_public_list_costs_the_same_queries_however_many_plans(world, city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get("/public/").status_code == 200
        return len(ctx.captured_queries)

    before = queries()
    for n in range(3):
        plan = plan_of(city.b_inspector, f"乙县计划{n}")
        b = city.b_inspector.viewer
        services.task_add(actor=b, plan_id=plan.pk, **random_values())
        services.plan_submit(actor=b, plan_id=plan.pk)
        services.plan_approve(actor=city.b_leader.viewer, plan_id=plan.pk)
        services.plan_publish(actor=city.b_leader.viewer, plan_id=plan.pk)
    assert queries() == before
    assert len(every(Client().get("/public/"), "[data-testid=public-plans] tbody a")) == 4


def _published_draw(city, **task_values):
    """A published plan whose random task has its subjects drawn."""
    subjects(city.a_station, 8)
    plan, task = approved_task(city.a_inspector, city.a_leader, "甲县抽查计划", **task_values)
    draw = drawn(city.a_leader, task)
    services.plan_publish(actor=city.a_leader.viewer, plan_id=plan.pk)
    return plan, draw


def test_a_published_draw_shows_its_commitment_seed_and_subjects_and_its_file_verifies(world, city):
    plan, draw = _published_draw(city)
    page = Client().get(f"/public/plans/{plan.pk}/")
    card = one(page, f"[data-draw='{draw.pk}']")
    assert card.select_one("[data-ident]").text == draw.commitment
    drawn_names = [li.text for li in card.select("[data-testid=drawn] li")]
    assert drawn_names == [p.subject.name for p in draw.picks.order_by("position")]
    response = Client().get(f"/public/draws/{draw.pk}/file/")
    assert response.status_code == 200
    assert verify.verify(json.loads(response.content)) == []


def test_the_draw_of_an_unannounced_check_still_open_is_not_public(world, city):
    plan, draw = _published_draw(city, announced=False, ends_on="2026-12-31")
    with _on_nov_29():
        page = Client().get(f"/public/plans/{plan.pk}/")
        assert every(page, "[data-draw]") == []
        assert Client().get(f"/public/draws/{draw.pk}/file/").status_code == 404


def test_a_random_tasks_teams_are_public_by_badge_number_and_a_fixed_tasks_are_not(world, city):
    from oversight.planning.models import Draw
    from tests.conftest import make_officer
    from tests.pool_builders import frozen, qualified

    with frozen():
        officers = [qualified(city.a_inspector, city.a_leader)] + [
            qualified(make_officer(city.a_station, f"a.team{i}"), city.a_leader) for i in range(2)
        ]
    plan, draw = _published_draw(city, target_count=2)
    task = draw.task
    leader = city.a_leader.viewer
    with clock.frozen(timezone.make_aware(datetime(2026, 3, 10, 9, 0))):
        services.teams_commit(actor=leader, task_id=task.pk)
    with clock.frozen(timezone.make_aware(datetime(2026, 3, 11, 9, 0))):
        services.teams_seed(actor=leader, task_id=task.pk, seed="1 2 3 4 5 6", source="见证掷骰")
        fixed = services.teams_commit(actor=leader, task_id=world["shown"].pk)[0]
    page = Client().get(f"/public/plans/{plan.pk}/")
    rows = every(page, "[data-testid=public-teams] li")
    assert len(rows) == 2
    for row in rows:
        team = Draw.objects.get(pk=int(row["data-draw"]))
        badges = [p.officer.badge_number for p in team.picks.order_by("position")]
        assert [b.text for b in row.select(".ident")] == badges
        assert not any(o.name in row.text for o in officers)  # badge numbers only
        response = Client().get(f"/public/draws/{team.pk}/file/")
        assert verify.verify(json.loads(response.content)) == []
    # A fixed task's subjects are never told: nor is its team's file (its context names them).
    assert Client().get(f"/public/draws/{fixed.pk}/file/").status_code == 404

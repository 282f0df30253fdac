"""一公开: anyone reads the published plans of checks, without logging in, and nothing else."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone

from oversight.core import clock
from oversight.planning import services
from tests.html import every
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

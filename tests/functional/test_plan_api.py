"""Plans of checks over the API, as a client of each role uses it."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oversight.catalog.services import catalog_load
from oversight.org.services import token_issue
from oversight.planning.models import Plan, Task
from tests.plan_builders import plan_of, plan_with_task, random_values, submitted, task_values
from tests.pool_builders import frozen, make_subject


@pytest.fixture
def world(city, small_catalog):
    catalog_load(actor=None, path=small_catalog)
    with frozen():
        city.school = make_subject(city.a_station, "甲县第一中学")
        city.b_school = make_subject(city.b_station, "乙县第一中学")
        yield city


class Api:
    def __init__(self, username: str) -> None:
        _token, raw = token_issue(actor=None, username=username)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        self.client = Client()

    def get(self, url: str, **query):
        return self.client.get(f"/api/v1{url}", query, **self.headers)

    def send(self, method: str, url: str, body=None):
        call = getattr(self.client, method)
        data = json.dumps(body if body is not None else {})
        return call(f"/api/v1{url}", data=data, content_type="application/json", **self.headers)


def test_a_plan_walks_from_draft_to_published_over_the_api(world):
    inspector, leader = Api("a.inspector"), Api("a.leader")
    created = inspector.send("post", "/plans", {"year": 2026, "title": "年度计划"})
    assert created.status_code == 201, created.content
    plan = created.json()
    assert (plan["agency_id"], plan["status"], plan["steps"]) == (world.a.pk, "DRAFT", ["submit"])

    body = task_values(subject_ids=[world.school.pk], risk_grades=["C"])
    task = inspector.send("post", f"/plans/{plan['id']}/tasks", body)
    assert task.status_code == 201, task.content
    assert task.json()["subject_ids"] == [world.school.pk]
    assert task.json()["regime_title"] == "对单位内部治安保卫的监督检查"

    assert inspector.send("post", f"/plans/{plan['id']}/submit").json()["status"] == "SUBMITTED"
    assert leader.get(f"/plans/{plan['id']}").json()["steps"] == ["approve", "return"]
    assert leader.send("post", f"/plans/{plan['id']}/approve").json()["status"] == "APPROVED"
    published = leader.send("post", f"/plans/{plan['id']}/publish").json()
    assert published["status"] == "PUBLISHED" and published["published_by_id"] is not None
    tasks = leader.get(f"/plans/{plan['id']}/tasks").json()
    assert [t["id"] for t in tasks] == [task.json()["id"]]


def test_refusals_come_as_problems_with_their_status_and_field(world):
    inspector, leader = Api("a.inspector"), Api("a.leader")
    plan = plan_of(world.a_inspector)
    late = inspector.send("post", f"/plans/{plan.pk}/tasks", random_values(ends_on="2027-02-01"))
    assert (late.status_code, late.json()["field"]) == (422, "ends_on")
    assert late["Content-Type"] == "application/problem+json"
    bad_list = inspector.send("post", f"/plans/{plan.pk}/tasks", random_values(risk_grades="A"))
    assert (bad_list.status_code, bad_list.json()["errors"][0]["field"]) == (422, "risk_grades")
    early = leader.send("post", f"/plans/{plan.pk}/approve")
    assert early.status_code == 409
    own = submitted(world.a_leader, world.school, "自己报批")
    assert leader.send("post", f"/plans/{own.pk}/approve").status_code == 403
    waiting = submitted(world.a_inspector, world.school, "待批")
    no_reason = leader.send("post", f"/plans/{waiting.pk}/return", {})
    assert (no_reason.status_code, no_reason.json()["errors"][0]["field"]) == (422, "reason")


def test_another_countys_ids_in_a_tasks_lists_answer_404_whatever_the_body(world):
    inspector = Api("a.inspector")
    plan = plan_of(world.a_inspector)
    junk = {"regime": 7, "mode": "x", "starts_on": "soon"}
    for named in ({"subject_ids": [world.b_school.pk]}, {"jurisdiction_ids": [world.b.pk]}):
        response = inspector.send("post", f"/plans/{plan.pk}/tasks", junk | named)
        assert response.status_code == 404, (named, response.content)
    _plan, task = plan_with_task(world.a_inspector, world.school, "有任务的计划")
    foreign = inspector.send(
        "put", f"/tasks/{task.pk}", junk | {"subject_ids": [world.b_school.pk]}
    )
    assert foreign.status_code == 404
    assert not Task.objects.filter(plan=plan).exists()


def test_a_task_is_changed_and_removed_in_a_draft_only(world):
    inspector = Api("a.inspector")
    _plan, task = plan_with_task(world.a_inspector, world.school)
    changed = inspector.send("put", f"/tasks/{task.pk}", random_values(target_count=5))
    assert changed.status_code == 200 and changed.json()["target_count"] == 5
    assert inspector.send("delete", f"/tasks/{task.pk}").status_code == 204
    assert not Task.objects.exists()
    fixed = submitted(world.a_inspector, world.school, "已报批").tasks.get()
    assert inspector.send("delete", f"/tasks/{fixed.pk}").status_code == 409


def test_the_plan_list_is_scoped_and_costs_the_same_queries_however_many(world):
    plan_of(world.a_inspector, "甲")
    b_plan = plan_of(world.b_inspector, "乙")
    county_b = Api("b.viewer")
    assert [p["id"] for p in county_b.get("/plans").json()["items"]] == [b_plan.pk]
    city = Api("city.leader")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert city.get("/plans", year=2026).status_code == 200
        return len(ctx.captured_queries)

    queries()  # the token's first use is written down once
    few = queries()
    for n in range(5):
        plan_with_task(world.b_inspector, world.b_school, f"计划{n}")
    assert queries() == few
    assert city.get("/plans", status="NOPE").status_code == 422
    assert Plan.objects.count() == 7

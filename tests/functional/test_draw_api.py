"""Random draws over the API: commit, seed, read, the file; refusals as problems; the list keeps
its number of queries whatever the number of draws."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oversight.catalog.services import catalog_load
from oversight.core import clock
from oversight.org.services import token_issue
from oversight.planning import verify
from oversight.planning.models import Draw
from tests.draw_builders import (
    COMMITTED,
    SEED,
    SEEDED,
    SOURCE,
    approved_task,
    committed,
    drawn,
    subjects,
    with_cap,
)
from tests.pool_builders import frozen


class Api:
    def __init__(self, username: str) -> None:
        _token, raw = token_issue(actor=None, username=username)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        self.client = Client()

    def get(self, url: str, **query):
        return self.client.get(f"/api/v1{url}", query, **self.headers)

    def post(self, url: str, body=None):
        data = json.dumps(body if body is not None else {})
        return self.client.post(
            f"/api/v1{url}", data=data, content_type="application/json", **self.headers
        )


@pytest.fixture
def world(city, small_catalog):
    catalog_load(actor=None, path=with_cap(small_catalog, percent=50))
    with frozen():
        city.units = subjects(city.a_station, 10)
        city.b_units = subjects(city.b_station, 5, prefix="乙县")
        yield city


def test_a_leader_commits_and_seeds_a_draw_over_the_api(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    leader = Api("a.leader")
    with clock.frozen(COMMITTED):
        created = leader.post(f"/tasks/{task.pk}/draws")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["state"], body["k"], body["population_size"], body["picks"]) == (
        "COMMITTED",
        2,
        10,
        [],
    )
    file = leader.get(f"/draws/{body['id']}/file").json()
    assert file["commitment"] == body["commitment"] and file["seed"] is None

    with clock.frozen(SEEDED):
        made = leader.post(f"/draws/{body['id']}/seed", {"seed": SEED, "source": SOURCE})
    assert made.status_code == 200, made.content
    assert made.json()["state"] == "DRAWN" and made.json()["seed"] == SEED
    picks = made.json()["picks"]
    file = leader.get(f"/draws/{body['id']}/file").json()
    assert verify.verify(file) == []
    assert [p["subject_id"] for p in picks] == [r["id"] for r in file["result"]]
    assert [p["u"] for p in picks] == [r["u"] for r in file["result"]]

    with clock.frozen(SEEDED.replace(day=5)):
        again = leader.post(f"/draws/{body['id']}/seed", {"seed": "1 2 3", "source": SOURCE})
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    listed = Api("a.liaison").get("/draws", year=2026).json()
    assert [d["id"] for d in listed["items"]] == [body["id"]]


def test_the_cap_is_refused_with_its_numbers_as_a_problem(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=6)
    with clock.frozen(COMMITTED):
        refused = Api("a.leader").post(f"/tasks/{task.pk}/draws")
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    for number in ("6", "50", "10", "5"):
        assert number in detail
    assert not Draw.objects.exists()


def test_refusals_by_role_scope_and_value(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=1)
    with clock.frozen(COMMITTED):
        assert Api("a.inspector").post(f"/tasks/{task.pk}/draws").status_code == 403
        assert Api("city.leader").post(f"/tasks/{task.pk}/draws").status_code == 403
        assert Api("b.leader").post(f"/tasks/{task.pk}/draws").status_code == 404
    draw = committed(world.a_leader, task)
    with clock.frozen(SEEDED):
        junk = {"seed": "\x00", "source": 7}
        assert Api("b.leader").post(f"/draws/{draw.pk}/seed", junk).status_code == 404
        bad = Api("a.leader").post(f"/draws/{draw.pk}/seed", {"seed": "", "source": SOURCE})
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["seed"]
    assert Api("b.viewer").get(f"/draws/{draw.pk}").status_code == 404
    assert Api("b.viewer").get(f"/draws/{draw.pk}/file").status_code == 404


def test_the_draw_list_costs_the_same_queries_for_one_draw_or_many(world):
    leader, reader = world.a_leader, Api("a.liaison")
    _plan, task = approved_task(world.a_inspector, leader, "第一批", target_count=1)
    drawn(leader, task)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert reader.get("/draws").status_code == 200
        return len(queries)

    count()  # the token's first use is written down once
    one = count()
    for title in ("第二批", "第三批", "第四批"):
        _plan, task = approved_task(world.a_inspector, leader, title, target_count=1)
        committed(leader, task)
    assert reader.get("/draws").json()["count"] == 4
    assert count() == one


def _qualified_team(world, n=3):
    from tests.conftest import make_officer
    from tests.pool_builders import qualified

    with frozen():
        return [qualified(world.a_inspector, world.a_leader)] + [
            qualified(make_officer(world.a_station, f"a.team{i}"), world.a_leader)
            for i in range(n - 1)
        ]


def test_a_leader_draws_the_teams_of_a_tasks_subjects_over_the_api(world):
    officers = {o.pk: o for o in _qualified_team(world)}
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    leader = Api("a.leader")
    refused = leader.post(f"/tasks/{task.pk}/teams")
    assert refused.status_code == 409  # the subjects are drawn first
    assert "检查对象" in refused.json()["detail"]
    targets = drawn(world.a_leader, task)
    with clock.frozen(COMMITTED.replace(day=5)):
        made = leader.post(f"/tasks/{task.pk}/teams")
    assert made.status_code == 201
    body = made.json()
    assert [d["subject_id"] for d in body] == [
        p.subject_id for p in targets.picks.order_by("position")
    ]
    assert {(d["kind"], d["state"], d["k"], d["population_size"]) for d in body} == {
        ("INSPECTORS", "COMMITTED", 2, 3)
    }
    with clock.frozen(SEEDED.replace(day=6)):
        seeded = leader.post(f"/tasks/{task.pk}/teams/seed", {"seed": SEED, "source": SOURCE})
    assert seeded.status_code == 200
    for d in seeded.json():
        draw = Draw.objects.get(pk=d["id"])
        assert [p["officer_id"] for p in d["picks"]] == [
            p.officer_id for p in draw.picks.order_by("position")
        ]
        assert [p["badge_number"] for p in d["picks"]] == [
            officers[p["officer_id"]].badge_number for p in d["picks"]
        ]
        assert [p["leader"] for p in d["picks"]] == [True, False]
        assert verify.verify(leader.get(f"/draws/{d['id']}/file").json()) == []
    again = leader.post(f"/tasks/{task.pk}/teams/seed", {"seed": SEED, "source": SOURCE})
    assert again.status_code == 409

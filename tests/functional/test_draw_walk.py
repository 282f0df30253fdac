"""The whole of a random check's draw, as its users go through it (issue 9): an inspector drafts
the plan with a random task, the leader approves and publishes it, commits the draw, enters a
lottery result as seed; a citizen then reads the draw on the public page and verifies its file."""

from __future__ import annotations

import json

from django.test import Client

from oversight.catalog.services import catalog_load
from oversight.core import clock
from oversight.planning import verify
from tests.draw_builders import COMMITTED, SEED, SEEDED, SOURCE, subjects
from tests.functional.test_draw_api import Api
from tests.html import every
from tests.plan_builders import random_values
from tests.pool_builders import frozen


def test_a_plan_walks_from_draft_to_a_published_draw_anyone_verifies(city, small_catalog):
    catalog_load(actor=None, path=small_catalog)
    with frozen():
        units = {s.pk: s.name for s in subjects(city.a_station, 12)}
    inspector, leader = Api("a.inspector"), Api("a.leader")

    plan = inspector.post("/plans", {"year": 2026, "title": "甲县年度抽查计划"}).json()
    task = inspector.post(f"/plans/{plan['id']}/tasks", random_values(target_count=3)).json()
    assert inspector.post(f"/plans/{plan['id']}/submit").json()["status"] == "SUBMITTED"
    assert leader.post(f"/plans/{plan['id']}/approve").json()["status"] == "APPROVED"
    assert leader.post(f"/plans/{plan['id']}/publish").json()["status"] == "PUBLISHED"
    with clock.frozen(COMMITTED):
        draw = leader.post(f"/tasks/{task['id']}/draws").json()
    visitor = Client()
    committed = visitor.get(f"/public/draws/{draw['id']}/file/")
    assert json.loads(committed.content)["commitment"] == draw["commitment"]  # known before
    with clock.frozen(SEEDED):
        made = leader.post(f"/draws/{draw['id']}/seed", {"seed": SEED, "source": SOURCE}).json()

    page = visitor.get(f"/public/plans/{plan['id']}/")
    shown = [li.text for li in every(page, f"[data-draw='{draw['id']}'] [data-testid=drawn] li")]
    assert shown == [units[p["subject_id"]] for p in made["picks"]] and len(shown) == 3
    file = json.loads(visitor.get(f"/public/draws/{draw['id']}/file/").content)
    assert verify.verify(file) == []
    assert file["commitment"] == draw["commitment"] and file["seed"]["value"] == SEED

"""oversight plan list|show: the plans of checks on the console."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from oversight.catalog.services import catalog_load
from tests.plan_builders import plan_of, plan_with_task, submitted
from tests.pool_builders import frozen, make_subject


@pytest.fixture
def world(city, small_catalog):
    catalog_load(actor=None, path=small_catalog)
    with frozen():
        city.school = make_subject(city.a_station, "甲县第一中学")
        city.b_school = make_subject(city.b_station, "乙县第一中学")
        yield city


def plan(*args: str) -> str:
    out = StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


def test_the_operator_lists_every_plan_and_a_user_their_scope(world):
    a_plan = submitted(world.a_inspector, world.school)
    b_plan, _task = plan_with_task(world.b_inspector, world.b_school, "乙县计划")
    everyone = json.loads(plan("list", "--format", "json"))
    assert {p["id"] for p in everyone} == {a_plan.pk, b_plan.pk}
    county = json.loads(plan("list", "--as", "b.viewer", "--year", "2026", "--format", "json"))
    assert [(p["id"], p["status"], p["tasks"]) for p in county] == [(b_plan.pk, "DRAFT", 1)]
    assert json.loads(plan("list", "--year", "2025", "--format", "json")) == []
    assert "已报批" in plan("list")


def test_show_tells_a_plan_and_its_tasks(world):
    a_plan, task = plan_with_task(world.a_inspector, world.school)
    shown = json.loads(plan("show", str(a_plan.pk), "--as", "a.liaison", "--format", "json"))
    assert [t["id"] for t in shown["tasks"]] == [task.pk]
    assert shown["tasks"][0]["subjects"] == [world.school.pk]
    assert "对单位内部治安保卫的监督检查" in plan("show", str(a_plan.pk))


@pytest.mark.parametrize(
    "args, message",
    [
        (["show", "999999"], "not found"),
        (["list", "--as", "auditadmin"], "may read plans"),
        (["list", "--year", "20x6"], "请输入数字"),
    ],
)
def test_a_bad_question_gets_one_line_saying_why(world, args, message):
    with pytest.raises(CommandError) as refused:
        plan(*args)
    assert message in str(refused.value)


def test_another_countys_plan_is_not_found_as_a_county_user(world):
    b_plan = plan_of(world.b_inspector)
    with pytest.raises(CommandError) as refused:
        plan("show", str(b_plan.pk), "--as", "a.leader")
    assert "not found" in str(refused.value)

"""The issue's "done when": the compliance page flags a facility that missed its monthly check.

The custody detachment drafts the year's plan and has it take the periodic tasks the custody
regime's rhythm requires (每月对所属公安监管场所实地检查一次); a leader approves and publishes it;
the detachment checks each facility every month, carrying out the month's task — all but one
month at one facility. On 15 November the page, the API and the console flag exactly that
facility and that month, and nothing else.
"""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from oversight.core import clock
from oversight.org.services import token_issue
from oversight.planning import services
from tests.conftest import client_for, make_officer
from tests.html import every, one
from tests.inspection_builders import NOW, checked, custody_world
from tests.plan_builders import plan_of

MISSED_MONTH = 6


@pytest.fixture
def world(city):
    custody_world(city)
    city.checker = make_officer(city.custody, "city.custody", "INSPECTOR", department="CUSTODY")
    with clock.frozen(NOW):
        yield city


def _published_plan_with_monthly_tasks(world):
    leader = world.city_leader
    plan = plan_of(world.checker, "2026年度监管场所检查计划")
    client_for(world.checker.user).post(f"/plans/{plan.pk}/obligations/")
    services.plan_submit(actor=world.checker.viewer, plan_id=plan.pk)
    services.plan_approve(actor=leader.viewer, plan_id=plan.pk)
    services.plan_publish(actor=leader.viewer, plan_id=plan.pk)
    return plan


def test_a_facility_that_missed_one_monthly_check_is_flagged_for_that_month_only(world):
    plan = _published_plan_with_monthly_tasks(world)
    monthly = {t.starts_on.month: t for t in plan.tasks.filter(method="M01")}
    assert sorted(monthly) == list(range(1, 13))
    facilities = (world.a_facility, world.b_facility)
    for month in range(1, 11):  # January to October are over on 15 November
        for subject in facilities:
            if (subject, month) != (world.b_facility, MISSED_MONTH):
                checked(world.checker, subject, date(2026, month, 12), task_id=monthly[month].pk)

    # the page: the cell of that facility and month says missed, in words; no other cell does
    page = client_for(world.city_leader.user).get("/compliance/?regime=CUSTODY_OWN&year=2026")
    row = f"table[data-method=ON_SITE] tr[data-subject='{world.b_facility.pk}']"
    cell = one(page, f"{row} td[data-period='{MISSED_MONTH}']")
    assert cell["data-state"] == "missed"
    assert "0/1" in cell.get_text()
    missed = [
        (int(td.find_parent("tr")["data-subject"]), int(td["data-period"]))
        for td in every(page, "td[data-state=missed]")
    ]
    assert missed == [(world.b_facility.pk, MISSED_MONTH)]
    assert one(page, "[data-testid=summary]").get_text().split()[:1] == ["2"]

    # the API, as county B's viewer
    _token, raw = token_issue(actor=None, username="b.viewer")
    data = (
        Client()
        .get(
            "/api/v1/compliance",
            {"regime": "CUSTODY_OWN", "year": "2026"},
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
        .json()
    )
    [subject] = data["subjects"]
    periods = subject["rhythms"][0]["periods"]
    assert subject["id"] == world.b_facility.pk and data["missed"] == 1
    assert [p["index"] for p in periods if p["state"] == "missed"] == [MISSED_MONTH]

    # the console, as the operator
    out = StringIO()
    call_command(
        "compliance", "--regime", "CUSTODY_OWN", "--year", "2026", "--format", "json", stdout=out
    )
    console = json.loads(out.getvalue())
    flagged = [
        (s["id"], p["index"])
        for s in console["subjects"]
        for r in s["rhythms"]
        for p in r["periods"]
        if p["state"] == "missed"
    ]
    assert flagged == [(world.b_facility.pk, MISSED_MONTH)]

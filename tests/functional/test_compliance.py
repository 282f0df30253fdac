"""The rhythms of checks as a user meets them: the plan page's button and the compliance page, the
API and the console — scoped to the viewer, missed periods in words, constant queries."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oversight.core import clock
from oversight.org.services import token_issue
from oversight.planning import services
from tests.conftest import client_for
from tests.html import every, one, texts
from tests.inspection_builders import NOW, checked, custody_world, facility, monthly_but
from tests.plan_builders import plan_of


@pytest.fixture
def world(city):
    custody_world(city)
    with clock.frozen(NOW):
        yield city


def _api(person, method, url):
    _token, raw = token_issue(actor=None, username=person.user.username)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    if method == "POST":
        return Client().post(url, data="{}", content_type="application/json", **headers)
    return Client().get(url, **headers)


def _command(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- a plan's periodic tasks ----------------------------------------------------------------------


def test_a_drafter_generates_the_periodic_tasks_from_the_plan_page_once(world):
    plan = plan_of(world.a_inspector)
    client = client_for(world.a_inspector.user)
    page = client.get(f"/plans/{plan.pk}/")
    link = one(page, "[data-testid=obligations]")
    assert link["href"] == f"/plans/{plan.pk}/obligations/"

    ask = client.get(link["href"])
    assert ask.status_code == 200 and one(ask, "[data-testid=consequence]").text
    assert plan.tasks.count() == 0  # asking changes nothing

    done = client.post(link["href"], follow=True)
    assert plan.tasks.count() == 13
    assert "13" in " ".join(texts(done, ".alert"))
    again = client.post(link["href"], follow=True)
    assert plan.tasks.count() == 13
    assert len(texts(again, ".alert")) == 1 and "13" not in texts(again, ".alert")[0]


def test_the_button_is_for_drafters_of_a_plan_that_may_change(world):
    plan = plan_of(world.a_inspector)
    assert not every(
        client_for(world.a_liaison.user).get(f"/plans/{plan.pk}/"), "[data-testid=obligations]"
    )
    assert (
        client_for(world.a_liaison.user).post(f"/plans/{plan.pk}/obligations/").status_code == 403
    )
    client = client_for(world.a_inspector.user)
    client.post(f"/plans/{plan.pk}/obligations/")
    services.plan_submit(actor=world.a_inspector.viewer, plan_id=plan.pk)
    assert not every(client.get(f"/plans/{plan.pk}/"), "[data-testid=obligations]")
    refused = client.post(f"/plans/{plan.pk}/obligations/", follow=True)
    assert refused.redirect_chain[-1][0] == f"/plans/{plan.pk}/"
    assert plan.tasks.count() == 13


def test_the_api_generates_and_a_second_call_adds_nothing(world):
    plan = plan_of(world.a_inspector)
    first = _api(world.a_inspector, "POST", f"/api/v1/plans/{plan.pk}/obligations")
    assert first.status_code == 200
    body = first.json()
    assert body["added"] == 13 and body["present"] == 0
    assert [(r["method"], r["per"], r["added"]) for r in body["rhythms"]] == [
        ("ON_SITE", "month", 12),
        ("VIDEO_PATROL", "day", 1),
    ]
    assert sorted(body["task_ids"]) == sorted(plan.tasks.values_list("pk", flat=True))
    second = _api(world.a_leader, "POST", f"/api/v1/plans/{plan.pk}/obligations").json()
    assert (second["added"], second["present"], second["task_ids"]) == (0, 13, [])
    services.plan_submit(actor=world.a_inspector.viewer, plan_id=plan.pk)
    refused = _api(world.a_inspector, "POST", f"/api/v1/plans/{plan.pk}/obligations")
    assert refused.status_code == 409
    assert refused["Content-Type"] == "application/problem+json"


def test_the_console_generates_as_the_user_it_names(world):
    plan = plan_of(world.a_inspector)
    out = json.loads(
        _command("plan", "obligations", str(plan.pk), "--as", "a.inspector", "--format", "json")
    )
    assert out["added"] == 13 and out["plan_id"] == plan.pk
    again = _command("plan", "obligations", str(plan.pk), "--as", "a.leader")
    assert "nothing added" in again
    with pytest.raises(CommandError, match="--as"):
        _command("plan", "obligations", str(plan.pk))
    b_plan = plan_of(world.b_inspector)
    with pytest.raises(CommandError, match="not found"):
        _command("plan", "obligations", str(b_plan.pk), "--as", "a.inspector")
    with pytest.raises(CommandError):
        _command("plan", "obligations", str(plan.pk), "--as", "a.liaison")


# --- compliance -----------------------------------------------------------------------------------


def _cell(page, subject, month):
    return one(
        page,
        f"table[data-method=ON_SITE] tr[data-subject='{subject.pk}'] td[data-period='{month}']",
    )


def test_the_page_flags_each_missed_month_in_words_and_counts_them(world):
    monthly_but(world.city_leader, world.a_facility, skipped=4)
    checked(world.city_leader, world.b_facility, date(2026, 1, 20))
    page = client_for(world.city_leader.user).get("/compliance/")

    assert page.status_code == 200
    april = _cell(page, world.a_facility, 4)
    assert april["data-state"] == "missed" and "0/1" in april.text
    assert _cell(page, world.a_facility, 3)["data-state"] == "ok"
    assert _cell(page, world.a_facility, 11)["data-state"] == "due"  # November is not over
    b_states = [_cell(page, world.b_facility, m)["data-state"] for m in range(1, 13)]
    assert b_states == ["ok"] + ["missed"] * 9 + ["due"] * 2
    assert one(page, "[data-testid=summary]").text.split()[0] == "2"
    assert "10" in one(page, "[data-testid=summary]").text  # 1 + 9 missed
    # video patrol per day is not judged: said so, not 365 days missed
    assert len(every(page, "[data-testid=not-judged]")) == 1
    assert not every(page, "table[data-method=VIDEO_PATROL]")


def test_a_county_sees_its_own_subjects_only(world):
    page = client_for(world.a_leader.user).get(
        "/compliance/", {"regime": "CUSTODY_OWN", "year": "2026"}
    )
    shown = {int(tr["data-subject"]) for tr in every(page, "tr[data-subject]")}
    assert shown == {world.a_facility.pk}
    data = _api(world.b_viewer, "GET", "/api/v1/compliance?regime=CUSTODY_OWN&year=2026").json()
    assert [s["id"] for s in data["subjects"]] == [world.b_facility.pk]


def test_filters_the_year_the_regime_and_only_subjects_with_a_missed_period(world):
    monthly_but(world.city_leader, world.a_facility, skipped=0)  # every month checked
    client = client_for(world.city_leader.user)
    only_missed = client.get(
        "/compliance/", {"regime": "CUSTODY_OWN", "year": "2026", "missed": "true"}
    )
    assert {int(tr["data-subject"]) for tr in every(only_missed, "tr[data-subject]")} == {
        world.b_facility.pk
    }
    last_year = client.get("/compliance/", {"regime": "CUSTODY_OWN", "year": "2025"})
    assert {c["data-state"] for c in every(last_year, "td[data-state]")} == {"missed"}
    enterprise = facility(world.a_station, "甲县化工厂", kind="PRECURSOR_ENTERPRISE")
    yearly = client.get("/compliance/", {"regime": "PRECURSOR_ENTERPRISES", "year": "2026"})
    assert (
        one(yearly, f"tr[data-subject='{enterprise.pk}'] td[data-period='1']")["data-state"]
        == "due"
    )
    assert client.get("/compliance/", {"regime": "NOPE"}).status_code == 400
    assert client.get("/compliance/", {"year": "20x6"}).status_code == 400


def test_the_api_and_the_console_tell_the_same_periods(world):
    monthly_but(world.city_leader, world.a_facility, skipped=7)
    data = _api(world.a_leader, "GET", "/api/v1/compliance?regime=CUSTODY_OWN&year=2026").json()
    [subject] = data["subjects"]
    [rhythm] = subject["rhythms"]
    assert rhythm["method"] == "ON_SITE"
    assert [p["index"] for p in rhythm["periods"] if p["state"] == "missed"] == [7]
    assert (subject["missed"], data["missed"], data["today"]) == (1, 1, "2026-11-15")
    assert [r["judged"] for r in data["rules"]] == [True, False]
    console = json.loads(
        _command(
            "compliance",
            "--regime",
            "CUSTODY_OWN",
            "--year",
            "2026",
            "--as",
            "a.leader",
            "--format",
            "json",
        )
    )
    assert console["subjects"] == json.loads(json.dumps(data["subjects"]))
    text = _command("compliance", "--regime", "custody_own", "--year", "2026")
    assert "2 subjects, 11 missed periods" in text  # the operator: every subject (B: 10)
    refused = _api(world.a_leader, "GET", "/api/v1/compliance?regime=NOPE")
    assert refused.status_code == 422
    with pytest.raises(CommandError, match="没有该监督检查事项"):
        _command("compliance", "--regime", "NOPE")
    with pytest.raises(CommandError, match="may read plans"):
        _command("compliance", "--regime", "CUSTODY_OWN", "--as", "auditadmin")


def test_the_page_and_the_api_cost_the_same_queries_however_many_subjects(world):
    client = client_for(world.city_leader.user)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    page, api = "/compliance/?regime=CUSTODY_OWN&year=2026", "/api/v1/compliance?regime=CUSTODY_OWN"
    checked(world.city_leader, world.a_facility, date(2026, 2, 3))
    _token, raw = token_issue(actor=None, username="city.leader")

    def api_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(api, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
        return len(ctx.captured_queries)

    queries(page), api_queries()  # the catalog parsed, the token's first use noted
    few, few_api = queries(page), api_queries()
    for n in range(8):
        more = facility(world.a_kss, f"看守所{n}")
        checked(world.city_leader, more, date(2026, 1 + n, 5))
    assert queries(page) == few
    assert api_queries() == few_api


def test_compliance_is_in_the_menu_of_business_roles_only(world):
    assert "/compliance/" in [
        a["href"] for a in every(client_for(world.b_viewer.user).get("/"), "nav a")
    ]
    assert "/compliance/" not in [
        a["href"] for a in every(client_for(world.auditadmin).get("/"), "nav a")
    ]
    assert client_for(world.auditadmin).get("/compliance/").status_code == 403

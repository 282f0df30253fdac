"""Plans of checks as inspectors and leaders use them in the browser: draft, add tasks, submit,
approve or return, publish; the list, a plan's page, the calendar."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.catalog.services import catalog_load
from oversight.planning import services
from oversight.planning.models import Plan, Task
from tests.conftest import client_for
from tests.html import every, field_errors, form_errors, one, texts
from tests.plan_builders import plan_of, plan_with_task, random_values, submitted
from tests.pool_builders import frozen, make_subject
from tests.visible_text import identifier_like


@pytest.fixture
def world(city, small_catalog):
    catalog_load(actor=None, path=small_catalog)
    with frozen():
        city.school = make_subject(city.a_station, "甲县第一中学")
        city.b_school = make_subject(city.b_station, "乙县第一中学")
        yield city


def codes_in_main(page) -> list[str]:
    return identifier_like(str(one(page, "main")))


def _task_form(**more) -> dict:
    return {
        "mode": "PERIODIC",
        "announced": "true",
        "method": "M01",
        "starts_on": "2026-04-01",
        "ends_on": "2026-04-30",
        "inspectors_per_target": "2",
        "target_count": "",
        "include_checked": "",
        "note": "",
    } | more


def test_an_inspector_drafts_a_plan_adds_a_task_and_submits_it(world):
    client = client_for(world.a_inspector.user)
    form = client.get("/plans/new/")
    assert one(form, "select[name=agency_id] option[selected]").text == "甲县公安局"
    assert codes_in_main(form) == []
    created = client.post(
        "/plans/new/", {"agency_id": world.a.pk, "year": "2026", "title": "年度计划"}
    )
    plan = Plan.objects.get()
    assert created.status_code == 302 and created["Location"] == f"/plans/{plan.pk}/"

    choose = client.get(f"/plans/{plan.pk}/tasks/new/")
    assert texts(choose, "[data-testid=regimes] a") == ["对单位内部治安保卫的监督检查"]
    url = f"/plans/{plan.pk}/tasks/new/?regime=NEIBAO"
    page = client.get(url)
    assert texts(page, "select[name=method] option") == [
        "定期检查",
        "临时检查",
        "专项检查",
        "随机抽查",
    ]
    assert [b["value"] for b in every(page, "input[name=subject_ids]")] == [str(world.school.pk)]
    assert codes_in_main(page) == []
    added = client.post(url, _task_form(subject_ids=[world.school.pk], risk_grades=["C"]))
    assert added.status_code == 302
    task = Task.objects.get()
    assert (task.regime, task.risk_grades, [s.pk for s in task.subjects.all()]) == (
        "NEIBAO",
        ["C"],
        [world.school.pk],
    )

    detail = client.get(f"/plans/{plan.pk}/")
    assert texts(detail, "[data-testid=tasks] tbody td:first-child") == [
        "对单位内部治安保卫的监督检查"
    ]
    assert [a["data-step"] for a in every(detail, "[data-step]")] == ["submit"]
    assert codes_in_main(detail) == []
    assert one(client.get(f"/plans/{plan.pk}/submit/"), "[data-testid=consequence]").text
    client.post(f"/plans/{plan.pk}/submit/")
    assert Plan.objects.get().status == "SUBMITTED"
    after = client.get(f"/plans/{plan.pk}/")
    assert texts(after, "[data-testid=status]") == ["已报批"]
    assert every(after, "[data-step]") == [] and every(after, "a[href$='/edit/']") == []


def test_the_task_form_refuses_in_the_services_words_on_the_field(world):
    plan = plan_of(world.a_inspector)
    client = client_for(world.a_inspector.user)
    url = f"/plans/{plan.pk}/tasks/new/?regime=NEIBAO"
    late = client.post(url, _task_form(ends_on="2027-01-05", subject_ids=[world.school.pk]))
    assert field_errors(late, "ends_on") == ["检查时段须在计划年度内。"]
    random = client.post(
        url,
        _task_form(mode="RANDOM", method="M04", target_count="2", subject_ids=[world.school.pk]),
    )
    assert one(random, "#id_subject_ids").find_next_sibling(class_="invalid-feedback").text == (
        "随机抽查的对象由抽取产生：请勿选定对象。"
    )
    wrong_grade = client.post(url, _task_form(risk_grades=["E"], subject_ids=[world.school.pk]))
    assert "E" not in form_errors(wrong_grade) and not Task.objects.exists()


def test_a_task_naming_another_countys_subject_answers_404(world):
    plan = plan_of(world.a_inspector)
    client = client_for(world.a_inspector.user)
    url = f"/plans/{plan.pk}/tasks/new/?regime=NEIBAO"
    response = client.post(url, {"subject_ids": [world.b_school.pk], "mode": "x"})
    assert response.status_code == 404
    assert client.get(f"/plans/{plan_of(world.b_inspector).pk}/").status_code == 404


def test_a_leader_approves_or_returns_with_a_reason_and_the_drafters_see_it(world):
    plan = submitted(world.a_inspector, world.school)
    leader = client_for(world.a_leader.user)
    detail = leader.get(f"/plans/{plan.pk}/")
    assert [a["data-step"] for a in every(detail, "[data-step]")] == ["approve", "return"]
    empty = leader.post(f"/plans/{plan.pk}/return/", {"reason": ""})
    assert field_errors(empty, "reason") == ["此项必填。"]
    leader.post(f"/plans/{plan.pk}/return/", {"reason": "请补充专项检查"})
    page = client_for(world.a_inspector.user).get(f"/plans/{plan.pk}/")
    assert one(page, "[data-testid=return-reason]").text.endswith("请补充专项检查")
    assert [a["data-step"] for a in every(page, "[data-step]")] == ["submit"]


def test_the_submitting_leader_and_the_city_see_no_approve_button_and_get_403(world):
    plan = submitted(world.a_leader, world.school)
    for person in (world.a_leader, world.city_leader):
        client = client_for(person.user)
        assert every(client.get(f"/plans/{plan.pk}/"), "[data-step=approve]") == []
        assert client.get(f"/plans/{plan.pk}/approve/").status_code == 403
    assert Plan.objects.get(pk=plan.pk).status == "SUBMITTED"


def test_an_approved_plan_is_published_by_a_leader_and_then_stays_as_it_is(world):
    plan = submitted(world.a_inspector, world.school)
    services.plan_approve(actor=world.a_leader.viewer, plan_id=plan.pk)
    city = client_for(world.city_leader.user)
    assert [a["data-step"] for a in every(city.get(f"/plans/{plan.pk}/"), "[data-step]")] == [
        "publish"
    ]
    city.post(f"/plans/{plan.pk}/publish/")
    assert Plan.objects.get(pk=plan.pk).status == "PUBLISHED"
    task = plan.tasks.get()
    edit = client_for(world.a_inspector.user).get(f"/tasks/{task.pk}/edit/", follow=True)
    assert texts(edit, ".alert-danger") == ["只有草稿或已退回的计划可以修改。"]


def test_a_task_is_edited_and_removed_in_a_draft(world):
    plan, task = plan_with_task(world.a_inspector, world.school)
    client = client_for(world.a_inspector.user)
    form = client.get(f"/tasks/{task.pk}/edit/")
    assert one(form, "input[name=subject_ids][checked]")["value"] == str(world.school.pk)
    client.post(
        f"/tasks/{task.pk}/edit/", _task_form(ends_on="2026-06-30", subject_ids=[world.school.pk])
    )
    assert str(Task.objects.get().ends_on) == "2026-06-30"
    assert one(client.get(f"/tasks/{task.pk}/remove/"), "[data-testid=consequence]").text
    client.post(f"/tasks/{task.pk}/remove/")
    assert not Task.objects.filter(plan=plan).exists()


def test_the_list_filters_by_year_and_status_and_refuses_a_bad_year(world):
    plan_of(world.a_inspector, "甲")
    submitted(world.a_inspector, world.school, "乙")
    client = client_for(world.a_liaison.user)
    assert len(every(client.get("/plans/"), "[data-testid=plans] tbody tr")) == 2
    only = client.get("/plans/", {"year": "2026", "status": "SUBMITTED"})
    assert texts(only, "[data-testid=plans] tbody td:first-child") == ["乙"]
    assert client.get("/plans/", {"year": "20x6"}).status_code == 400
    assert codes_in_main(client.get("/plans/")) == []


def test_the_list_costs_the_same_queries_however_many_plans(world):
    client = client_for(world.city_leader.user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/plans/").status_code == 200
        return len(ctx.captured_queries)

    plan_with_task(world.a_inspector, world.school, "一")
    few = queries()
    for n in range(6):
        plan_with_task(world.b_inspector, world.b_school, f"计划{n}")
    assert queries() == few


def test_the_calendar_shows_each_task_under_the_months_of_its_window(world):
    plan = plan_of(world.a_inspector)
    services.task_add(
        actor=world.a_inspector.viewer,
        plan_id=plan.pk,
        **random_values(starts_on="2026-03-20", ends_on="2026-05-10"),
    )
    client = client_for(world.a_liaison.user)
    page = client.get("/plans/calendar/", {"year": "2026"})
    with_tasks = [int(tr["data-month"]) for tr in every(page, "tr[data-month]") if tr.select("li")]
    assert with_tasks == [3, 4, 5]
    assert codes_in_main(page) == []
    assert client.get("/plans/calendar/", {"year": "x"}).status_code == 400

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get("/plans/calendar/", {"year": "2026"})
        return len(ctx.captured_queries)

    few = queries()
    for _ in range(4):
        services.task_add(actor=world.a_inspector.viewer, plan_id=plan.pk, **random_values())
    assert queries() == few


def test_plans_are_in_the_menu_of_business_roles_only(world):
    assert "检查计划" in texts(client_for(world.b_viewer.user).get("/"), "nav a")
    assert "检查计划" not in texts(client_for(world.auditadmin).get("/"), "nav a")
    assert client_for(world.auditadmin).get("/plans/").status_code == 403

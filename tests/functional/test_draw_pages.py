"""The draw of a task's subjects in the browser: the task's page, commit, seed, the result, the
draw file; who sees which button, and another county's draw is 404."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from oversight.catalog.services import catalog_load
from oversight.core import clock
from oversight.planning import services, verify
from oversight.planning.models import Draw
from tests.conftest import client_for, make_officer
from tests.draw_builders import (
    COMMITTED,
    SEED,
    SEEDED,
    SOURCE,
    approved_task,
    committed,
    drawn,
    subjects,
)
from tests.html import every, field_errors, one, texts
from tests.plan_builders import plan_of, random_values
from tests.pool_builders import frozen
from tests.visible_text import identifier_like


@pytest.fixture
def world(city, small_catalog):
    catalog_load(actor=None, path=small_catalog)
    with frozen():
        city.units = subjects(city.a_station, 6)
        yield city


def codes_in_main(page) -> list[str]:
    return identifier_like(str(one(page, "main")))


def test_a_leader_commits_enters_the_seed_and_reads_the_result(world):
    plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    client = client_for(world.a_leader.user)
    # The pages run on the clock of the session: the commitment now, the seed a minute later.
    now = clock.now().replace(microsecond=0)
    page = client.get(f"/tasks/{task.pk}/")
    assert page.status_code == 200
    assert codes_in_main(page) == []
    assert "4" in one(page, "[data-testid=weights]").text  # A's weight, in force today
    link = one(page, "[data-testid=commit]")["href"]
    assert link == f"/tasks/{task.pk}/draw/"
    ask = client.get(link)
    assert ask.status_code == 200 and not Draw.objects.exists()  # the GET only asks

    with clock.frozen(now):
        done = client.post(link)
    assert done.status_code == 302 and done["Location"] == f"/tasks/{task.pk}/"
    draw = Draw.objects.get()
    with clock.frozen(now):
        page = client.get(f"/tasks/{task.pk}/")
    assert one(page, "[data-testid=commitment] .text-break").text == draw.commitment
    assert every(page, "[data-testid=commit]") == []
    assert codes_in_main(page) == []
    seed_url = one(page, "[data-testid=seed-link]")["href"]
    assert seed_url == f"/draws/{draw.pk}/seed/"

    with clock.frozen(now + timedelta(minutes=1)):
        made = client.post(seed_url, {"seed": SEED, "source": SOURCE})
        assert made.status_code == 302 and made["Location"] == f"/tasks/{task.pk}/"
        page = client.get(f"/tasks/{task.pk}/")
        plan_page = client.get(f"/plans/{plan.pk}/")
    draw.refresh_from_db()
    by_id = {s.pk: s.name for s in world.units}
    shown = texts(page, "[data-testid=picks] tbody td:nth-of-type(2)")
    assert shown == [by_id[p.subject_id] for p in draw.picks.order_by("position")]
    assert len(shown) == 2
    assert one(page, "[data-testid=seed]").text == SEED
    assert every(page, "[data-testid=seed-link]") == []
    assert codes_in_main(page) == []
    assert one(plan_page, f"[data-testid=tasks] a[href='/tasks/{task.pk}/']")


def test_the_draw_file_downloads_and_verifies(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    draw = drawn(world.a_leader, task)
    response = client_for(world.a_liaison.user).get(f"/draws/{draw.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="draw-{draw.pk}.json"'
    assert verify.verify(json.loads(response.content)) == []


def test_a_seed_refused_is_shown_on_its_field(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    draw = committed(world.a_leader, task)
    client = client_for(world.a_leader.user)
    with clock.frozen(SEEDED):
        page = client.post(f"/draws/{draw.pk}/seed/", {"seed": "", "source": SOURCE})
    assert page.status_code == 200 and field_errors(page, "seed")
    with clock.frozen(COMMITTED):  # the same second as the commitment
        page = client.post(f"/draws/{draw.pk}/seed/", {"seed": SEED, "source": SOURCE})
    assert page.status_code == 200
    assert Draw.objects.get().state == "COMMITTED"


def test_only_a_leader_of_the_plans_bureau_sees_the_buttons(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    for person in (world.a_inspector, world.city_leader, world.a_liaison):
        page = client_for(person.user).get(f"/tasks/{task.pk}/")
        assert every(page, "[data-testid=commit]") == [], person.user.username
        assert one(page, "[data-testid=not-yet]")
    assert client_for(world.city_leader.user).get(f"/tasks/{task.pk}/draw/").status_code == 403
    assert client_for(world.a_inspector.user).get(f"/tasks/{task.pk}/draw/").status_code == 403
    draw = committed(world.a_leader, task)
    page = client_for(world.city_leader.user).get(f"/tasks/{task.pk}/")
    assert every(page, "[data-testid=seed-link]") == []
    assert client_for(world.city_leader.user).get(f"/draws/{draw.pk}/seed/").status_code == 403


def test_a_task_of_a_plan_not_yet_approved_says_when_it_is_drawn(world):
    plan = plan_of(world.a_inspector, "草稿计划")
    task = services.task_add(
        actor=world.a_inspector.viewer, plan_id=plan.pk, **random_values(target_count=1)
    )
    page = client_for(world.a_leader.user).get(f"/tasks/{task.pk}/")
    assert one(page, "[data-testid=not-yet]")
    assert every(page, "[data-testid=commit]") == []
    refused = client_for(world.a_leader.user).post(f"/tasks/{task.pk}/draw/", follow=True)
    assert not Draw.objects.exists()
    assert refused.status_code == 200


def test_another_countys_task_and_draw_are_404(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    draw = drawn(world.a_leader, task)
    client = client_for(world.b_leader.user)
    for url in (
        f"/tasks/{task.pk}/",
        f"/tasks/{task.pk}/draw/",
        f"/draws/{draw.pk}/seed/",
        f"/draws/{draw.pk}/file/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/draws/{draw.pk}/seed/", {"seed": "\x00"}).status_code == 404


def test_a_leader_draws_the_team_of_each_drawn_subject_and_the_inspector_only_reads_it(world):
    from tests.pool_builders import qualified

    with frozen():
        officers = [qualified(world.a_inspector, world.a_leader)] + [
            qualified(make_officer(world.a_station, f"a.team{i}"), world.a_leader) for i in range(3)
        ]
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    client = client_for(world.a_leader.user)
    page = client.get(f"/tasks/{task.pk}/")
    assert one(page, "[data-testid=teams-not-yet]") is not None  # subjects first
    assert every(page, "[data-testid=commit-teams]") == []
    targets = drawn(world.a_leader, task)

    now = clock.now().replace(microsecond=0)
    with clock.frozen(now):
        page = client.get(f"/tasks/{task.pk}/")
        link = one(page, "[data-testid=commit-teams]")["href"]
        assert client.post(link).status_code == 302
    assert Draw.objects.filter(kind="INSPECTORS", state="COMMITTED").count() == 2
    with clock.frozen(now + timedelta(minutes=1)):
        page = client.get(f"/tasks/{task.pk}/")
        assert every(page, "[data-testid=commit-teams]") == []
        seed = one(page, "[data-testid=seed-teams]")["href"]
        assert client.post(seed, {"seed": SEED, "source": SOURCE}).status_code == 302
        page = client.get(f"/tasks/{task.pk}/")
    rows = every(page, "[data-testid=team-table] tbody tr")
    drawn_subjects = sorted(
        (p.subject.name, p.subject_id) for p in targets.picks.select_related("subject")
    )
    assert [int(r["data-subject"]) for r in rows] == [pk for _name, pk in drawn_subjects]
    badges = {o.pk: o.badge_number for o in officers}
    for row in rows:
        draw = Draw.objects.get(kind="INSPECTORS", subject_id=int(row["data-subject"]))
        team = [badges[p.officer_id] for p in draw.picks.order_by("position")]
        shown = [b.text for b in row.select("[data-testid=team] .ident")]
        assert shown == team and len(team) == 2
        assert verify.verify(draw.file) == []
    assert codes_in_main(page) == []
    inspector_page = client_for(world.a_inspector.user).get(f"/tasks/{task.pk}/")
    assert every(inspector_page, "[data-testid=seed-teams]") == []
    assert len(every(inspector_page, "[data-testid=team-table] tbody tr")) == 2


def test_a_large_draw_is_made_by_the_worker_while_the_page_shows_its_progress(
    world, settings, django_capture_on_commit_callbacks
):
    from tests.integration.test_draw_runs import work

    settings.OVERSIGHT_DRAW_INLINE_MAX = 3  # the task's scope holds 6 subjects
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    client = client_for(world.a_leader.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/tasks/{task.pk}/draw/").status_code == 302
    assert not Draw.objects.exists()
    page = client.get(f"/tasks/{task.pk}/")
    status = one(page, "[data-testid=draw-run]")
    assert status["hx-get"] == f"/tasks/{task.pk}/draw/progress/"
    assert one(page, "[data-testid=run-progress]") is not None
    assert every(page, "[data-testid=commit]") == []  # no second draw while one runs
    assert work() == ["DONE"]
    polled = client.get(f"/tasks/{task.pk}/draw/progress/", HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"  # ended: the page reloads
    page = client.get(f"/tasks/{task.pk}/")
    draw = Draw.objects.get()
    assert one(page, "[data-testid=commitment] .text-break").text == draw.commitment
    assert not one(page, "[data-testid=draw-run]").has_attr("hx-get")

"""Inspector draws on the database: one per subject of a task, committed before the seed, made
with one public seed exactly as the verifier draws; who is left out (unqualified, expired,
away, in conflict with the subject, of the checked unit where the check is upward), the load
across the year, the team's leader, the refusals and the scope."""

from __future__ import annotations

from datetime import date

import pytest

from oversight.catalog.services import catalog_load
from oversight.core import clock
from oversight.core.errors import NotFound, PermissionDenied
from oversight.planning import services, verify
from oversight.planning.models import Draw
from oversight.planning.services import teams
from oversight.pool import services as pool_services
from tests.conftest import make_officer
from tests.draw_builders import COMMITTED, SEED, SEEDED, SOURCE, approved_task, drawn, subjects
from tests.plan_builders import plan_of, task_values
from tests.pool_builders import frozen, qualified, with_qualification


@pytest.fixture
def world(city, small_catalog):
    catalog_load(actor=None, path=small_catalog)
    with frozen():
        city.units = subjects(city.a_station, 4)
        # Six officers of county A qualified for the regime, and one of county B.
        city.team = [qualified(city.a_inspector, city.a_leader)] + [
            qualified(make_officer(city.a_station, f"a.officer{i}"), city.a_leader)
            for i in range(5)
        ]
        city.b_officer = qualified(city.b_inspector, city.b_leader)
        yield city


def _fixed_task(w, subject_ids, title="定期检查计划", **values):
    """An approved periodic check of county A naming ``subject_ids``."""
    plan = plan_of(w.a_inspector, title)
    task = services.task_add(
        actor=w.a_inspector.viewer,
        plan_id=plan.pk,
        **task_values(subject_ids=subject_ids, **values),
    )
    services.plan_submit(actor=w.a_inspector.viewer, plan_id=plan.pk)
    services.plan_approve(actor=w.a_leader.viewer, plan_id=plan.pk)
    return task


def _commit(w, task):
    with clock.frozen(COMMITTED):
        return services.teams_commit(actor=w.a_leader.viewer, task_id=task.pk)


def _seed(w, task, seed=SEED):
    with clock.frozen(SEEDED):
        return services.teams_seed(
            actor=w.a_leader.viewer, task_id=task.pk, seed=seed, source=SOURCE
        )


def _team(draw):
    return [p.officer_id for p in draw.picks.order_by("position")]


def test_each_subject_gets_a_team_drawn_as_the_verifier_draws_it(world):
    task = _fixed_task(world, [u.pk for u in world.units[:2]], inspectors_per_target=3)
    draws = _commit(world, task)
    assert [d.subject_id for d in draws] == sorted(u.pk for u in world.units[:2])
    pool = sorted(o.pk for o in world.team)
    for draw in draws:
        assert (draw.kind, draw.state, draw.k) == ("INSPECTORS", "COMMITTED", 3)
        assert [m["id"] for m in draw.file["population"]] == pool  # county B's officer is not
        assert draw.file["seed"] is None
    made = _seed(world, task)
    for draw in made:
        draw = Draw.objects.get(pk=draw.pk)
        population = [
            verify.Member(m["id"], 1, None, m.get("load", 0)) for m in draw.file["population"]
        ]
        expected = verify.draw(SEED, population, 3, kind="INSPECTORS", context=draw.file["context"])
        assert _team(draw) == [p.id for p in expected]
        assert verify.verify(draw.file) == []
    assert made[0].file["seed"]["value"] == made[1].file["seed"]["value"] == SEED
    assert made[0].commitment != made[1].commitment


def test_the_unqualified_the_expired_the_absent_and_the_conflicted_are_never_drawn(world):
    subject = world.units[0]
    leader = world.a_leader.viewer
    expired, away, conflicted, unqualified = (
        world.team[1],
        world.team[2],
        world.team[3],
        world.team[4],
    )
    with_qualification(expired, expires_on=date(2026, 1, 1))
    pool_services.unavailability_record(
        actor=leader, officer_id=away.pk, kind="LEAVE", starts_on="2026-03-01", ends_on="2026-06-30"
    )
    pool_services.conflict_declare(
        actor=leader, officer_id=conflicted.pk, subject_id=subject.pk, kind="RELATIVE", note="亲属"
    )
    pool_services.qualification_revoke(
        actor=leader, qualification_id=unqualified.regime_qualifications.get().pk
    )
    task = _fixed_task(world, [subject.pk, world.units[1].pk])
    first, second = _commit(world, task)
    assert {m["id"] for m in first.file["population"]} == {world.team[0].pk, world.team[5].pk}
    # The conflict is with the first subject only.
    assert conflicted.pk in {m["id"] for m in second.file["population"]}


def test_officers_drawn_less_this_year_come_first_and_the_first_drawn_leads(world):
    first = _fixed_task(world, [world.units[0].pk])
    _commit(world, first)
    (made,) = _seed(world, first)
    busy = set(_team(made))
    second = _fixed_task(world, [world.units[1].pk], "第二次检查计划")
    (committed,) = _commit(world, second)
    loads = {m["id"]: m.get("load", 0) for m in committed.file["population"]}
    assert {pk for pk, load in loads.items() if load} == busy
    (again,) = _seed(world, second)
    assert not busy & set(_team(again))  # four officers with no load: two of them are drawn


def test_a_random_task_draws_inspectors_for_its_drawn_subjects_only_once_they_are_drawn(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    with pytest.raises(services.TeamsNotDrawable):
        _commit(world, task)
    targets = drawn(world.a_leader, task)
    draws = _commit(world, task)
    assert [d.subject_id for d in draws] == [
        p.subject_id for p in targets.picks.order_by("position")
    ]
    with pytest.raises(services.TeamsAlreadyCommitted):
        _commit(world, task)


def test_a_pool_too_small_is_refused_naming_the_subject_and_nothing_is_written(world):
    task = _fixed_task(world, [world.units[0].pk], inspectors_per_target=7)
    with pytest.raises(services.PoolTooSmall) as refused:
        _commit(world, task)
    message = str(refused.value.message)
    assert world.units[0].name in message and "6" in message and "7" in message
    assert not Draw.objects.filter(kind="INSPECTORS").exists()


def test_an_upward_check_draws_no_officer_of_the_checked_unit(world, monkeypatch):
    monkeypatch.setattr(teams, "_internal_kinds", lambda catalog: {"KEY_SECURITY_UNIT"})
    with frozen():
        station_unit = subjects(world.a_station, 1, prefix="派出所本身")[0]
        county_officers = [
            qualified(make_officer(world.a, f"a.county{i}"), world.a_leader) for i in range(2)
        ]
    task = _fixed_task(world, [station_unit.pk])
    (draw,) = _commit(world, task)
    # Every officer of the station (the checked unit) is left out; the county's two remain.
    assert [m["id"] for m in draw.file["population"]] == [o.pk for o in county_officers]


def test_only_a_leader_of_the_plans_bureau_draws_teams_and_another_county_gets_404(world):
    task = _fixed_task(world, [world.units[0].pk])
    with pytest.raises(PermissionDenied):
        services.teams_commit(actor=world.a_inspector.viewer, task_id=task.pk)
    with pytest.raises(NotFound):
        services.teams_commit(actor=world.b_leader.viewer, task_id=task.pk)
    _commit(world, task)
    with pytest.raises(NotFound):
        services.teams_seed(actor=world.b_leader.viewer, task_id=task.pk, seed=SEED, source=SOURCE)
    _seed(world, task)
    with pytest.raises(services.NoTeamToSeed):
        _seed(world, task)


def test_a_self_inspection_sends_no_one(world):
    task = _fixed_task(world, [world.units[0].pk], mode="SELF")
    with pytest.raises(services.TeamsNotDrawable):
        _commit(world, task)

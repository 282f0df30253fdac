"""Random draws of a task's subjects on the database: commit, then seed; the stored result is the
verifier's own draw on the same inputs, and the stored file verifies. The population (closed and
already-drawn subjects out), the yearly cap with its numbers, the scope (404 across counties),
who may draw, immutability and the audit events."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from oversight.audit.models import AuditEvent
from oversight.audit.presentation import present
from oversight.catalog.services import catalog_load
from oversight.core import clock
from oversight.core.errors import DomainError, NotFound, PermissionDenied
from oversight.org.scope import viewer_for
from oversight.planning import selectors, services, verify
from oversight.planning.models import Draw, DrawPick
from oversight.subjects.models import Subject
from tests.draw_builders import (
    COMMITTED,
    SEED,
    SEEDED,
    SOURCE,
    WEIGHTS,
    approved_task,
    committed,
    drawn,
    subjects,
    with_cap,
)
from tests.plan_builders import plan_of, plan_with_task, random_values
from tests.pool_builders import frozen


@pytest.fixture
def world(city, small_catalog):
    catalog_load(actor=None, path=small_catalog)
    with frozen():
        city.units = subjects(city.a_station, 8) + subjects(city.a, 4, prefix="局属")
        city.b_units = subjects(city.b_station, 4, prefix="乙县")
        yield city


def _expected(world_units: list[Subject], k: int, context: str) -> list[int]:
    population = [verify.Member(s.pk, WEIGHTS[s.risk_grade]) for s in world_units]
    picks = verify.draw(SEED, sorted(population, key=lambda m: m.id), k, context=context)
    return [p.id for p in picks]


def test_a_draw_is_committed_then_made_with_the_seed_exactly_as_the_verifier_draws(world):
    plan, task = approved_task(world.a_inspector, world.a_leader, target_count=3)
    draw = committed(world.a_leader, task)
    assert (draw.state, draw.k, draw.population_size) == ("COMMITTED", 3, 12)
    assert draw.file["seed"] is None and draw.file["result"] is None
    context = f"2026年 {plan.title} 任务{task.pk} 检查对象"
    assert draw.file["context"] == context
    assert draw.file["population"] == [
        {"id": s.pk, "weight": WEIGHTS[s.risk_grade]}
        for s in sorted(world.units, key=lambda s: s.pk)
    ]
    assert draw.commitment == verify.commitment(
        [verify.Member(m["id"], m["weight"]) for m in draw.file["population"]],
        context=context,
        k=3,
    )

    with clock.frozen(SEEDED):
        made = services.draw_seed(
            actor=world.a_leader.viewer, draw_id=draw.pk, seed=f"  {SEED} ", source=SOURCE
        )
    made = Draw.objects.get(pk=made.pk)
    picks = list(made.picks.order_by("position"))
    assert [p.subject_id for p in picks] == _expected(world.units, 3, context)
    assert [p.position for p in picks] == [1, 2, 3]
    assert [{"id": p.subject_id, "u": p.u} for p in picks] == made.file["result"]
    assert verify.verify(made.file) == []
    assert (made.state, made.seed, made.seed_source) == ("DRAWN", SEED, SOURCE)
    assert made.entered_by == world.a_leader.user and made.entered_at > made.committed_at
    assert made.file["seed"] == {
        "value": SEED,
        "source": SOURCE,
        "entered_by": world.a_leader.officer.badge_number,
        "entered_at": "2026-03-03T21:30:00+08:00",
    }
    assert made.file["committed_at"] == "2026-03-02T09:00:00+08:00"


def test_the_commitment_binds_the_file_and_a_tampered_file_no_longer_verifies(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    draw = drawn(world.a_leader, task)
    tampered = dict(draw.file, result=list(reversed(draw.file["result"])))
    assert verify.verify(tampered) != []
    population = [dict(m) for m in draw.file["population"]]
    population[0]["weight"] += 1
    assert any("commitment" in p for p in verify.verify(dict(draw.file, population=population)))


def test_the_population_is_the_tasks_scope_less_closed_subjects(world):
    closed = world.units[0]
    Subject.objects.filter(pk=closed.pk).update(status="CLOSED")
    Subject.objects.filter(pk=world.units[1].pk).update(status="SUSPENDED")
    _plan, task = approved_task(
        world.a_inspector,
        world.a_leader,
        target_count=1,
        jurisdiction_ids=[world.a_station.pk],
        risk_grades=["A", "B"],
    )
    draw = committed(world.a_leader, task)
    ids = [m["id"] for m in draw.file["population"]]
    station_ab = [s.pk for s in world.units[:8] if s.risk_grade in "AB" and s != closed]
    assert ids == sorted(station_ab)
    assert world.units[1].pk in ids  # suspended, not closed: still checked
    assert {m["weight"] for m in draw.file["population"]} == {3, 4}


def test_subjects_drawn_under_the_regime_this_year_are_left_out_unless_the_task_includes_them(
    world,
):
    _plan, first = approved_task(world.a_inspector, world.a_leader, target_count=4)
    taken = {p.subject_id for p in drawn(world.a_leader, first).picks.all()}
    _plan, second = approved_task(world.a_inspector, world.a_leader, "第二批抽查", target_count=2)
    again = {m["id"] for m in committed(world.a_leader, second).file["population"]}
    assert again == {s.pk for s in world.units} - taken
    _plan, third = approved_task(
        world.a_inspector, world.a_leader, "复查抽查", target_count=2, include_checked=True
    )
    everyone = {m["id"] for m in committed(world.a_leader, third).file["population"]}
    assert everyone == {s.pk for s in world.units}


def test_a_committed_draw_not_yet_made_leaves_the_population_of_the_next_whole(world):
    _plan, first = approved_task(world.a_inspector, world.a_leader, target_count=4)
    committed(world.a_leader, first)
    _plan, second = approved_task(world.a_inspector, world.a_leader, "第二批抽查", target_count=2)
    assert committed(world.a_leader, second).population_size == 12


def test_a_population_smaller_than_the_draw_is_refused_with_its_numbers(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=13)
    with pytest.raises(services.PopulationTooSmall) as refused:
        committed(world.a_leader, task)
    assert "12" in str(refused.value.message) and "13" in str(refused.value.message)
    assert not Draw.objects.exists()


# --- the yearly cap -------------------------------------------------------------------------------


@pytest.fixture
def capped(city, small_catalog):
    """The regime capped at 10% a year; 20 subjects in county A (2 a year), 10 in county B."""
    catalog_load(actor=None, path=with_cap(small_catalog))
    with frozen():
        city.units = subjects(city.a_station, 20)
        city.b_units = subjects(city.b_station, 10, prefix="乙县")
        yield city


def test_a_draw_past_the_yearly_cap_is_refused_with_the_numbers(capped):
    _plan, task = approved_task(capped.a_inspector, capped.a_leader, target_count=3)
    with pytest.raises(services.CapExceeded) as refused:
        committed(capped.a_leader, task)
    message = str(refused.value.message)
    for number in ("3", "10", "20", "2", "0"):
        assert number in message
    assert refused.value.status == 409
    cap = refused.value.refused
    assert (cap.requested, cap.population, cap.allowed, cap.drawn) == (3, 20, 2, 0)


def test_the_cap_counts_every_draw_of_the_year_committed_or_made(capped):
    _plan, first = approved_task(capped.a_inspector, capped.a_leader, target_count=1)
    drawn(capped.a_leader, first)
    _plan, second = approved_task(capped.a_inspector, capped.a_leader, "第二批", target_count=1)
    committed(capped.a_leader, second)  # 2 of 20 in the year: at the cap
    _plan, third = approved_task(capped.a_inspector, capped.a_leader, "第三批", target_count=1)
    with pytest.raises(services.CapExceeded) as refused:
        committed(capped.a_leader, third)
    assert (refused.value.refused.drawn, refused.value.refused.allowed) == (2, 2)
    # another county's cap is its own: 10% of its 10 subjects
    _plan, b_task = approved_task(capped.b_inspector, capped.b_leader, "乙县抽查", target_count=1)
    assert committed(capped.b_leader, b_task).k == 1


def test_the_cap_is_a_share_of_the_whole_population_not_of_what_is_left(capped):
    """Subjects drawn this year leave the next draw's population, never the cap's."""
    _plan, first = approved_task(capped.a_inspector, capped.a_leader, target_count=1)
    drawn(capped.a_leader, first)
    _plan, second = approved_task(capped.a_inspector, capped.a_leader, "第二批", target_count=1)
    draw = committed(capped.a_leader, second)
    assert draw.population_size == 19


# --- who, where, when ----------------------------------------------------------------------------


def test_only_a_leader_of_the_plans_bureau_draws_and_another_county_gets_404(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    with clock.frozen(COMMITTED):
        with pytest.raises(NotFound):
            services.draw_commit(actor=world.b_leader.viewer, task_id=task.pk)
        with pytest.raises(services.NotDrawLeader):  # sees the task, leads another bureau
            services.draw_commit(actor=world.city_leader.viewer, task_id=task.pk)
        with pytest.raises(PermissionDenied):
            services.draw_commit(actor=world.a_inspector.viewer, task_id=task.pk)
    draw = committed(world.a_leader, task)
    with clock.frozen(SEEDED):
        with pytest.raises(NotFound):  # whatever the seed holds
            services.draw_seed(actor=world.b_leader.viewer, draw_id=draw.pk, seed="\x00", source="")
        with pytest.raises(services.NotDrawLeader):
            services.draw_seed(
                actor=world.city_leader.viewer, draw_id=draw.pk, seed=SEED, source=SOURCE
            )
        with pytest.raises(PermissionDenied):
            services.draw_seed(
                actor=world.a_inspector.viewer, draw_id=draw.pk, seed=SEED, source=SOURCE
            )
    assert Draw.objects.get(pk=draw.pk).state == "COMMITTED"


def test_only_a_random_task_of_an_approved_or_published_plan_draws(world):
    plan = plan_of(world.a_inspector, "草稿计划")
    task = services.task_add(
        actor=world.a_inspector.viewer, plan_id=plan.pk, **random_values(target_count=1)
    )
    with pytest.raises(services.NotDrawable) as refused:
        committed(world.a_leader, task)
    assert refused.value.status == 409
    plan, fixed = approved_task(world.a_inspector, world.a_leader, "定期计划")
    services.plan_publish(actor=world.a_leader.viewer, plan_id=plan.pk)
    assert committed(world.a_leader, fixed).state == "COMMITTED"  # published: still drawn
    other, periodic = plan_with_task(world.a_inspector, world.units[0], "定期检查")
    services.plan_submit(actor=world.a_inspector.viewer, plan_id=other.pk)
    services.plan_approve(actor=world.a_leader.viewer, plan_id=other.pk)
    with pytest.raises(services.NotDrawable):
        committed(world.a_leader, periodic)


def test_a_seed_comes_after_the_commitment_and_is_a_publishable_text(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=1)
    draw = committed(world.a_leader, task)
    with clock.frozen(COMMITTED), pytest.raises(services.SeedTooEarly):
        services.draw_seed(actor=world.a_leader.viewer, draw_id=draw.pk, seed=SEED, source=SOURCE)
    with clock.frozen(SEEDED):
        for seed, source in (("", SOURCE), (SEED, ""), ("x" * 201, SOURCE), ("a\u200bb", SOURCE)):
            with pytest.raises(DomainError) as refused:
                services.draw_seed(
                    actor=world.a_leader.viewer, draw_id=draw.pk, seed=seed, source=source
                )
            assert refused.value.field in ("seed", "source")
    assert Draw.objects.get(pk=draw.pk).state == "COMMITTED"
    assert not DrawPick.objects.exists()


# --- immutability ---------------------------------------------------------------------------------


def test_a_made_draw_takes_no_second_seed_and_a_task_no_second_draw(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    draw = drawn(world.a_leader, task)
    before = (draw.file, list(draw.picks.values_list("subject_id", "u")))
    with clock.frozen(SEEDED.replace(day=4)), pytest.raises(services.AlreadyDrawn) as refused:
        services.draw_seed(
            actor=world.a_leader.viewer, draw_id=draw.pk, seed="other", source=SOURCE
        )
    assert refused.value.status == 409
    with pytest.raises(services.AlreadyCommitted):
        committed(world.a_leader, task)
    again = Draw.objects.get(pk=draw.pk)
    assert (again.file, list(again.picks.values_list("subject_id", "u"))) == before


def test_the_database_holds_a_made_draw_to_its_seed_and_a_task_to_one_draw(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    draw = drawn(world.a_leader, task)
    with pytest.raises(IntegrityError), transaction.atomic():
        Draw.objects.filter(pk=draw.pk).update(seed="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Draw.objects.create(
            task=task,
            file={},
            commitment="0" * 64,
            committed_at=COMMITTED,
            population_size=3,
            k=1,
            catalog_version=draw.catalog_version,
        )
    pick = draw.picks.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        DrawPick.objects.create(draw=draw, position=9, subject_id=pick.subject_id, u="1")


# --- audit and reads ------------------------------------------------------------------------------


def test_commit_and_seed_are_audited_in_words(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    draw = drawn(world.a_leader, task)
    events = AuditEvent.objects.filter(object_type="planning.draw", object_id=str(draw.pk))
    assert list(events.order_by("seq").values_list("action", flat=True)) == [
        "draw.commit",
        "draw.seed",
    ]
    seed = events.get(action="draw.seed")
    assert seed.summary["after"]["subject_ids"] == [p.subject_id for p in draw.picks.all()]
    assert seed.summary["after"]["seed"] == SEED
    shown = present([seed])[0]
    words = " ".join(str(part) for part in vars(shown).values())
    assert "planning.draw" not in words and "draw.seed" not in words


def test_reads_are_scoped_and_count_the_picks_of_each_regime(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=3)
    draw = drawn(world.a_leader, task)
    _plan, b_task = approved_task(world.b_inspector, world.b_leader, "乙县抽查", target_count=1)
    b_draw = committed(world.b_leader, b_task)
    assert [d.pk for d in selectors.draw_list(viewer=world.a_liaison.viewer)] == [draw.pk]
    assert {d.pk for d in selectors.draw_list(viewer=world.city_leader.viewer)} == {
        draw.pk,
        b_draw.pk,
    }
    assert list(selectors.draw_list(viewer=world.a_leader.viewer, year=2025)) == []
    with pytest.raises(NotFound):
        selectors.draw_get(viewer=world.b_viewer.viewer, draw_id=draw.pk)
    assert selectors.picks_per_regime(viewer=world.a_leader.viewer, year=2026) == {"NEIBAO": 3}
    assert selectors.picks_per_regime(viewer=world.b_viewer.viewer, year=2026) == {}
    assert selectors.draw_file(draw) == Draw.objects.get(pk=draw.pk).file
    assert list(selectors.draw_list(viewer=viewer_for(world.sysadmin))) == []


# --- strata: a number in each jurisdiction --------------------------------------------------------


@pytest.fixture
def two_stations(world):
    from tests.conftest import make_agency

    world.a_station2 = make_agency("CITY-A-P2", "甲县城南派出所", world.a, kind="POLICE_STATION")
    with frozen():
        world.south = subjects(world.a_station2, 5, prefix="城南")
    return world


def test_a_stratified_task_draws_its_quota_in_each_jurisdiction_as_the_verifier_does(two_stations):
    w = two_stations
    stations = [w.a_station.pk, w.a_station2.pk]
    _plan, task = approved_task(
        w.a_inspector, w.a_leader, target_count=None, per_jurisdiction=2, jurisdiction_ids=stations
    )
    assert (task.target_count, task.per_jurisdiction) == (4, 2)
    draw = drawn(w.a_leader, task)
    assert draw.file["parameters"] == {"k": 4, "quotas": {"CITY-A-P1": 2, "CITY-A-P2": 2}}
    strata = {m["id"]: m["stratum"] for m in draw.file["population"]}
    assert strata == {s.pk: "CITY-A-P1" for s in w.units[:8]} | {s.pk: "CITY-A-P2" for s in w.south}
    taken = [p.subject_id for p in draw.picks.order_by("position")]
    assert sorted(strata[pk] for pk in taken) == ["CITY-A-P1"] * 2 + ["CITY-A-P2"] * 2
    population = [
        verify.Member(m["id"], m["weight"], m["stratum"]) for m in draw.file["population"]
    ]
    expected = verify.draw(
        SEED, population, 4, {"CITY-A-P1": 2, "CITY-A-P2": 2}, context=draw.file["context"]
    )
    assert taken == [p.id for p in expected]
    assert verify.verify(draw.file) == []


def test_a_stratum_smaller_than_its_quota_is_refused_naming_it(two_stations):
    w = two_stations
    _plan, task = approved_task(
        w.a_inspector,
        w.a_leader,
        target_count=None,
        per_jurisdiction=6,
        jurisdiction_ids=[w.a_station.pk, w.a_station2.pk],
    )
    with pytest.raises(services.StratumTooSmall) as refused:
        committed(w.a_leader, task)
    message = str(refused.value.message)
    assert "甲县城南派出所" in message and "5" in message and "6" in message
    assert not Draw.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"target_count": 4}, "target_count"),  # a total and a quota
        ({"target_count": None, "jurisdiction_ids": "one"}, "jurisdiction_ids"),
        ({"target_count": None, "jurisdiction_ids": "nested"}, "jurisdiction_ids"),
        ({"target_count": None, "mode": "PERIODIC", "method": "M01"}, "per_jurisdiction"),
    ],
)
def test_a_quota_per_jurisdiction_is_refused_where_it_cannot_be_exact(two_stations, values, field):
    w = two_stations
    places = {
        "one": [w.a_station.pk],
        "nested": [w.a.pk, w.a_station.pk],
    }
    values = dict(values)
    values["jurisdiction_ids"] = places.get(
        values.get("jurisdiction_ids", ""), [w.a_station.pk, w.a_station2.pk]
    )
    if values.get("mode") == "PERIODIC":
        values |= {"subject_ids": [w.units[0].pk], "include_checked": None}
    plan = plan_of(w.a_inspector)
    with pytest.raises(DomainError) as refused:
        services.task_add(
            actor=w.a_inspector.viewer,
            plan_id=plan.pk,
            **random_values(per_jurisdiction=2, **values),
        )
    assert refused.value.field == field
    assert not plan.tasks.exists()


def test_a_subject_with_a_finalised_check_under_the_regime_this_year_is_left_out(world):
    from datetime import date

    from tests.inspection_builders import checked

    inspected, elsewhere, last_year = world.units[0], world.units[1], world.units[2]
    checked(world.a_leader, inspected, date(2026, 2, 10), regime="NEIBAO")
    checked(world.a_leader, last_year, date(2025, 12, 30), regime="NEIBAO")
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    ids = {m["id"] for m in committed(world.a_leader, task).file["population"]}
    assert inspected.pk not in ids
    assert {elsewhere.pk, last_year.pk} <= ids  # not checked, or checked in another year
    _plan, again = approved_task(
        world.a_inspector, world.a_leader, "复查抽查", target_count=2, include_checked=True
    )
    assert inspected.pk in {m["id"] for m in committed(world.a_leader, again).file["population"]}

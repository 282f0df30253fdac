"""Draws made by the worker: queued after every check the draw itself makes, run by the draw
service with its progress noted outside any transaction, ended with the draw or the refusal's
message; one at a time per task; an interrupted one closed; and a population that changed while
it was taken refused rather than stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from oversight.catalog.services import catalog_load
from oversight.core import clock
from oversight.core.errors import NotFound, PermissionDenied
from oversight.planning import services, verify
from oversight.planning.models import Draw, DrawRun
from oversight.planning.services import runs
from tests.draw_builders import COMMITTED, SEED, SEEDED, SOURCE, approved_task, drawn, subjects
from tests.pool_builders import frozen


@pytest.fixture
def world(city, small_catalog, settings):
    settings.OVERSIGHT_DRAW_INLINE_MAX = 0
    catalog_load(actor=None, path=small_catalog)
    with frozen():
        city.units = subjects(city.a_station, 8)
        yield city


def work() -> list[str]:
    """Run what waits for the worker, as its loop does; return each task's outcome."""
    outcomes = []
    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        task = result.task_result
        outcome = result.task.call(*task.args, **task.kwargs)
        result.set_successful(outcome)
        outcomes.append(outcome)
    return outcomes


def queue(world, task, **values):
    values = {"action": "COMMIT"} | values
    return runs.draw_run_queue(actor=world.a_leader.viewer, task_id=task.pk, **values)


def test_a_queued_commit_is_made_by_the_worker_with_its_progress(
    world, django_capture_on_commit_callbacks
):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    with django_capture_on_commit_callbacks(execute=True):
        run = queue(world, task)
    assert (run.state, run.draw_id) == ("QUEUED", None) and not Draw.objects.exists()
    with clock.frozen(COMMITTED):
        assert work() == ["DONE"]
    run.refresh_from_db()
    draw = Draw.objects.get()
    assert (run.state, run.draw_id, run.phase) == ("DONE", draw.pk, "SAVING")
    assert (run.done, run.total) == (8, 8) and run.finished_at is not None
    assert draw.population_size == 8 and draw.committed_at == COMMITTED.replace(microsecond=0)

    with django_capture_on_commit_callbacks(execute=True):
        seeding = queue(world, task, action="SEED", draw_id=draw.pk, seed=SEED, source=SOURCE)
    with clock.frozen(SEEDED):
        assert work() == ["DONE"]
    seeding.refresh_from_db()
    draw.refresh_from_db()
    assert (seeding.phase, seeding.done, seeding.total) == ("SAVING", 16, 16)
    assert draw.state == "DRAWN" and verify.verify(draw.file) == []


def test_a_refusal_ends_the_run_with_its_message_and_stores_nothing(
    world, django_capture_on_commit_callbacks
):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=9)
    with django_capture_on_commit_callbacks(execute=True):
        run = queue(world, task)
    assert work() == ["FAILED"]
    run.refresh_from_db()
    assert "8" in run.message and "9" in run.message  # the population's numbers
    assert not Draw.objects.exists()
    again = queue(world, task)  # a failed run leaves the task free for another
    assert again.state == "QUEUED"


def test_one_draw_at_a_time_per_task_and_an_interrupted_one_is_closed(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    first = queue(world, task)
    with pytest.raises(runs.RunOpen):
        queue(world, task)
    DrawRun.objects.filter(pk=first.pk).update(
        state="RUNNING", heartbeat_at=clock.now() - timedelta(hours=1)
    )
    second = queue(world, task)
    first.refresh_from_db()
    assert first.state == "FAILED" and first.message
    assert second.state == "QUEUED"


def test_every_check_comes_before_the_queue(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    with pytest.raises(PermissionDenied):
        runs.draw_run_queue(actor=world.a_inspector.viewer, task_id=task.pk, action="COMMIT")
    with pytest.raises(NotFound):
        runs.draw_run_queue(actor=world.b_leader.viewer, task_id=task.pk, action="COMMIT")
    draw = drawn(world.a_leader, task)
    with pytest.raises(services.AlreadyCommitted):
        queue(world, task)
    with pytest.raises(services.AlreadyDrawn):
        queue(world, task, action="SEED", draw_id=draw.pk, seed=SEED, source=SOURCE)
    assert not DrawRun.objects.exists()


def test_subjects_drawn_by_another_task_while_the_population_was_taken_refuse_the_commit(world):
    _plan, first = approved_task(world.a_inspector, world.a_leader, target_count=2)
    _plan, other = approved_task(world.a_inspector, world.a_leader, "另一抽查", target_count=2)

    def meanwhile(phase: str, done: int, total: int) -> None:
        if phase == "COMMITMENT":  # the population is taken; the draw is not stored yet
            with clock.frozen(COMMITTED - timedelta(days=1)):
                services.draw_commit(actor=world.a_leader.viewer, task_id=other.pk)
            with clock.frozen(SEEDED - timedelta(days=1)):
                made = Draw.objects.get(task=other)
                services.draw_seed(
                    actor=world.a_leader.viewer, draw_id=made.pk, seed=SEED, source=SOURCE
                )

    with clock.frozen(COMMITTED), pytest.raises(services.PopulationChanged):
        services.draw_commit(actor=world.a_leader.viewer, task_id=first.pk, progress=meanwhile)
    assert not Draw.objects.filter(task=first).exists()

"""Draws over large populations, made by ``oversight worker`` while the task's page shows how far
they got (``DrawRun``).

``draw_run_queue`` checks everything the draw service would check before any work (permission,
scope, the person, the seed's values, the state), records the run and hands it to the worker;
``draw_run_execute`` (the worker's task) runs the draw service itself — ``draw_commit`` or
``draw_seed``, the same code as a draw made at once — noting each phase and count as it goes,
outside any transaction so that a page polling it sees it at once. The outcome is the service's:
the draw, or the refusal's message.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from oversight import audit
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, require
from oversight.org.models import User
from oversight.org.scope import Viewer, viewer_for
from oversight.planning import workflow
from oversight.planning.models import DrawRun, DrawRunAction, DrawRunState, DrawState, Task
from oversight.planning.services import draws

OPEN = (DrawRunState.QUEUED, DrawRunState.RUNNING)


class RunOpen(Conflict):
    def __init__(self) -> None:
        super().__init__(_("A draw of this task is already being made: wait for it to end."))


def in_background(population_size: int) -> bool:
    """Is a draw over ``population_size`` members made by the worker (rather than at once)?"""
    return population_size > settings.OVERSIGHT_DRAW_INLINE_MAX


def interrupted(run: DrawRun) -> bool:
    """Did a running draw stop without finishing (its heartbeat went quiet)? It stored nothing."""
    if run.state != DrawRunState.RUNNING or run.heartbeat_at is None:
        return False
    stale = timedelta(minutes=settings.OVERSIGHT_DRAW_STALE_MINUTES)
    return clock.now() - run.heartbeat_at > stale


def _close_interrupted(task: Task) -> None:
    for run in DrawRun.objects.filter(task=task, state=DrawRunState.RUNNING):
        if interrupted(run):
            message = str(_("Interrupted: the worker stopped before the draw was stored."))
            _note(run, state=DrawRunState.FAILED, message=message, finished_at=clock.now())


def draw_run_queue(
    *,
    actor: Viewer,
    task_id: Any,
    action: str,
    draw_id: Any = None,
    seed: Any = None,
    source: Any = None,
) -> DrawRun:
    """Check a draw and queue it for the worker: the commitment of a random task's draw
    (``COMMIT``), or the seed of its committed draw ``draw_id`` (``SEED``).

    Raises what ``draws.draw_commit`` or ``draws.draw_seed`` raise before their work begins,
    and RunOpen when a draw of the task is already queued or running.
    """
    require(workflow.may_draw(actor))
    assert actor.pk is not None  # a leader is a user
    value = clean_source = ""
    draw = None
    if action == DrawRunAction.COMMIT:
        _plan, task = draws.checked_for_commit(actor, task_id)
    else:
        draw = draws.checked_for_seed(actor, draw_id)
        task = draw.task
        value, clean_source = draws.clean_seed(seed, source)
        if draw.state != DrawState.COMMITTED:
            raise draws.AlreadyDrawn()
    _close_interrupted(task)
    try:
        with transaction.atomic():
            run = DrawRun.objects.create(
                task=task,
                draw=draw,
                action=action,
                actor_id=actor.pk,
                seed=value,
                seed_source=clean_source,
                created_at=clock.now(),
            )
            audit.record(
                action="draw.queue",
                actor=actor,
                target=task,
                after={"run_id": run.pk, "action": action, "draw_id": run.draw_id},
            )
    except IntegrityError:
        raise RunOpen() from None
    from oversight.planning.tasks import run_draw

    transaction.on_commit(lambda: run_draw.enqueue(run.pk))
    return run


def _note(run: DrawRun, **values: Any) -> None:
    """Save a run's progress outside any transaction, so a page polling it sees it at once."""
    values["heartbeat_at"] = clock.now()
    DrawRun.objects.filter(pk=run.pk).update(**values)
    for name, value in values.items():
        setattr(run, name, value)


def draw_run_execute(*, run_id: int) -> DrawRun:
    """Make a queued draw (the worker's task): run the draw service as the user who asked, in
    their language, noting each phase and count; end DONE with the draw, or FAILED with the
    refusal's message. A run no longer queued is left as it is."""
    run = DrawRun.objects.get(pk=run_id)
    if run.state != DrawRunState.QUEUED:
        return run
    user = User.objects.filter(pk=run.actor_id).first()
    actor = viewer_for(user) if user else None
    _note(run, state=DrawRunState.RUNNING, started_at=clock.now())

    def noted(phase: str, done: int, total: int) -> None:
        _note(run, phase=phase, done=done, total=total)

    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            if actor is None:
                raise draws.NotDrawLeader()
            if run.action == DrawRunAction.COMMIT:
                draw = draws.draw_commit(actor=actor, task_id=run.task_id, progress=noted)
            else:
                draw = draws.draw_seed(
                    actor=actor,
                    draw_id=run.draw_id,
                    seed=run.seed,
                    source=run.seed_source,
                    progress=noted,
                )
    except DomainError as exc:
        message = str(exc.message)[:500]
        _note(run, state=DrawRunState.FAILED, message=message, finished_at=clock.now())
        return run
    _note(run, state=DrawRunState.DONE, draw_id=draw.pk, finished_at=clock.now())
    return run

"""Background work of planning, run by ``oversight worker`` (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from oversight.planning.services import runs


@task()
def run_draw(run_id: int) -> str:
    """Make a queued draw (``runs.draw_run_execute``); return the state it ended in."""
    return runs.draw_run_execute(run_id=run_id).state

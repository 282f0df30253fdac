"""Background work of the registry, run by ``oversight worker`` (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task

from oversight.subjects import imports


@task()
def run_import(import_id: int) -> str:
    """Run a queued import (``imports.import_run``); return the state it ended in."""
    return imports.import_run(import_id=import_id).state

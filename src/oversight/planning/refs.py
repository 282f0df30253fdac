"""How plans and tasks named by id are loaded for a viewer (the scope check of raw input), and the
same check for lists of ids (a task's jurisdictions and subjects)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from oversight.core import refs
from oversight.planning import selectors, workflow


def check_many(viewer: Any, kinds: Mapping[str, str], values: Callable[[str], Any]) -> None:
    """Raise NotFound if a list in the input names a row of its kind the viewer may not see.

    ``kinds`` maps field names to what their ids name; ``values(name)`` gives the raw list (a
    form's ``getlist``, a JSON body's member). Values that are not ids are left to validation.
    """
    for name, kind in kinds.items():
        raw = values(name)
        if isinstance(raw, list | tuple):
            for value in raw:
                refs.check_refs(viewer, {name: kind}, {name: value})


def decider(viewer: Any, pk: int) -> Any:
    """A plan the viewer is to approve or return: one of their scope (NotFound otherwise) whose
    bureau they lead and which they did not submit (PermissionDenied otherwise, before anything
    else the request holds is read)."""
    from oversight.planning.services.plans import refuse_person

    plan = selectors.plan_get(viewer=viewer, plan_id=pk)
    refuse_person(workflow.decider_problem(selectors.actor_on(viewer, plan)))
    return plan


def draw_leader(viewer: Any, pk: int) -> Any:
    """A draw whose seed the viewer is to enter: one of their scope (NotFound otherwise) of a
    plan of the bureau they lead (PermissionDenied otherwise, before the request is read)."""
    from oversight.planning.services.draws import NotDrawLeader

    draw = selectors.draw_get(viewer=viewer, draw_id=pk)
    if not selectors.actor_on(viewer, draw.task.plan).own_bureau:
        raise NotDrawLeader()
    return draw


def task_drawer(viewer: Any, pk: int) -> Any:
    """A task whose subjects the viewer is to draw: of their scope, of a plan of their bureau."""
    from oversight.planning.services.draws import NotDrawLeader

    task = selectors.task_get(viewer=viewer, task_id=pk)
    if not selectors.actor_on(viewer, task.plan).own_bureau:
        raise NotDrawLeader()
    return task


def register() -> None:
    refs.register("plan", lambda viewer, pk: selectors.plan_get(viewer=viewer, plan_id=pk))
    refs.register("task", lambda viewer, pk: selectors.task_get(viewer=viewer, task_id=pk))
    refs.register("plan_decider", decider)
    refs.register("draw", lambda viewer, pk: selectors.draw_get(viewer=viewer, draw_id=pk))
    refs.register("draw_leader", draw_leader)
    refs.register("task_drawer", task_drawer)

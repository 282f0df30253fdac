"""What the planning app's audit events mean, in words: registered from ``PlanningConfig.ready()``.

A task names its subjects by id; the audit log names them as the registry does (a person's name
masked), and its jurisdictions, regime, kinds of subject and mode in words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from oversight.audit.vocabulary import (
    Name,
    register_actions,
    register_fields,
    register_object_type,
    register_reference,
    register_values,
)
from oversight.core.text import parse_id
from oversight.planning.models import (
    Draw,
    DrawKind,
    DrawRunAction,
    DrawState,
    Plan,
    PlanStatus,
    Task,
    TaskMode,
)
from oversight.subjects.models import RiskGrade

ACTIONS = {
    "plan.create": _("Draft a plan of checks"),
    "plan.update": _("Edit a plan of checks"),
    "plan.submit": _("Submit a plan of checks for approval"),
    "plan.approve": _("Approve a plan of checks"),
    "plan.return": _("Return a plan of checks for changes"),
    "plan.publish": _("Publish a plan of checks"),
    "plan.obligations": _("Add the periodic checks the catalog requires to a plan"),
    "task.add": _("Add a task to a plan"),
    "task.update": _("Edit a task of a plan"),
    "task.remove": _("Remove a task from a plan"),
    "draw.commit": _("Commit a random draw"),
    "draw.seed": _("Enter the seed of a random draw and make it"),
    "draw.queue": _("Ask the worker to make a random draw"),
}
PLAN = "planning.plan"
TASK = "planning.task"
DRAW = "planning.draw"

PLAN_FIELDS = {
    "agency_id": _("Bureau"),
    "year": _("Year"),
    "title": _("Title"),
    "notes": _("Notes"),
    "status": _("Status"),
    "return_reason": _("Why it is returned"),
    "catalog_version_id": _("Catalog version"),
}
TASK_FIELDS = {
    "plan_id": _("Plan"),
    "regime": _("Regime"),
    "mode": _("Mode of check"),
    "announced": _("Announced or unannounced"),
    "method": _("Method"),
    "starts_on": _("From"),
    "ends_on": _("Until"),
    "note": _("Note"),
    "jurisdiction_ids": _("Jurisdictions"),
    "subject_kinds": _("Kinds of subject"),
    "risk_grades": _("Risk grades"),
    "subject_ids": _("Subjects"),
    "target_count": _("Subjects to draw"),
    "inspectors_per_target": _("Inspectors per subject"),
    "include_checked": _("Subjects already checked this year may be drawn again"),
    "per_jurisdiction": _("Subjects to draw in each jurisdiction"),
    "run_id": _("Background draw"),
    "action": _("What is asked"),
    "draw_id": _("Random draw"),
    "catalog_version_id": _("Catalog version"),
}
ANNOUNCED = {"True": _("Announced (明查)"), "False": _("Unannounced (暗访)")}
DRAW_FIELDS = {
    "task_id": _("Task"),
    "kind": _("What is drawn"),
    "state": _("Status"),
    "commitment": _("Commitment"),
    "population_size": _("Members that may be drawn"),
    "k": _("Members to draw"),
    "catalog_version_id": _("Catalog version"),
    "seed": _("Seed"),
    "seed_source": _("Source of the seed"),
    "subject_ids": _("Subjects drawn"),
    "subject_id": _("Subject checked"),
    "officer_ids": _("Inspectors drawn"),
}


def regime_title(code: Any) -> str:
    """A regime's title in the catalog in force (its code when the catalog no longer has it)."""
    from oversight.planning.selectors import regime_titles

    return regime_titles().get(str(code), str(code))


def kind_names(codes: Any) -> str:
    """The names of kinds of subject, in the catalog in force's words."""
    from oversight.subjects.audit_terms import kind_name

    items = codes if isinstance(codes, list) else [codes]
    return "、".join(kind_name(code) for code in items)


def plan_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    wanted = [n for n in (parse_id(i) for i in ids) if n is not None]
    rows = Plan.objects.filter(pk__in=wanted).select_related("agency")
    return {str(p.pk): Name(text=f"{p.year} {p.title}", note=p.agency.name) for p in rows}


def task_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    wanted = [n for n in (parse_id(i) for i in ids) if n is not None]
    modes = dict(TaskMode.choices)
    names = {}
    for task in Task.objects.filter(pk__in=wanted).select_related("plan"):
        window = f"{task.starts_on:%Y-%m-%d}—{task.ends_on:%Y-%m-%d}"
        names[str(task.pk)] = Name(
            text=f"{regime_title(task.regime)} · {modes.get(task.mode, task.mode)}",
            note=f"{task.plan.title} · {window}",
        )
    return names


def draw_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    wanted = [n for n in (parse_id(i) for i in ids) if n is not None]
    kinds = dict(DrawKind.choices)
    names = {}
    for draw in (
        Draw.objects.filter(pk__in=wanted).select_related("task", "task__plan").defer("file")
    ):
        names[str(draw.pk)] = Name(
            text=f"{regime_title(draw.task.regime)} · {kinds.get(draw.kind, draw.kind)}",
            note=f"{draw.task.plan.title} · {draw.commitment[:12]}",
        )
    return names


def register() -> None:
    """Register the planning app's words with the audit log."""
    register_actions(ACTIONS)
    register_object_type(PLAN, _("Plan of checks"), names=plan_names)
    register_object_type(TASK, _("Task of a plan"), names=task_names)
    register_fields(PLAN_FIELDS, object_type=PLAN)
    register_fields(TASK_FIELDS, object_type=TASK)
    register_reference("agency_id", "org.agency", object_type=PLAN)
    register_reference("catalog_version_id", "catalog.catalogversion", object_type=PLAN)
    register_values("status", dict(PlanStatus.choices), object_type=PLAN)
    register_reference("plan_id", PLAN, object_type=TASK)
    register_reference("jurisdiction_ids", "org.agency", object_type=TASK)
    register_reference("subject_ids", "subjects.subject", object_type=TASK)
    register_reference("catalog_version_id", "catalog.catalogversion", object_type=TASK)
    register_values("regime", regime_title, object_type=TASK)
    register_values("mode", dict(TaskMode.choices), object_type=TASK)
    register_values("announced", ANNOUNCED, object_type=TASK)
    register_values("subject_kinds", kind_names, object_type=TASK)
    register_values("risk_grades", dict(RiskGrade.choices), object_type=TASK)
    register_values("action", dict(DrawRunAction.choices), object_type=TASK)
    register_reference("draw_id", DRAW, object_type=TASK)
    register_object_type(DRAW, _("Random draw"), names=draw_names)
    register_fields(DRAW_FIELDS, object_type=DRAW)
    register_reference("task_id", TASK, object_type=DRAW)
    register_reference("catalog_version_id", "catalog.catalogversion", object_type=DRAW)
    register_reference("subject_ids", "subjects.subject", object_type=DRAW)
    register_reference("subject_id", "subjects.subject", object_type=DRAW)
    register_reference("officer_ids", "org.officer", object_type=DRAW)
    register_values("kind", dict(DrawKind.choices), object_type=DRAW)
    register_values("state", dict(DrawState.choices), object_type=DRAW)

"""Writes to a plan's tasks: add, change, remove. Each runs in one transaction, locks the plan (so
that a task never changes while its plan is being submitted) and records its audit event.

The order of checks is the project's: permission, then scope (the plan, and every jurisdiction
and subject the task names, loaded through the selectors: NotFound out of scope, whatever else the
input holds), then the values (declared fields), then the rules: the plan's status, the catalog
in force (regime, method, kinds of subject), the window, the inspectors, the scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight import audit
from oversight.catalog.schema import Regime
from oversight.catalog.selectors import catalog_in_force
from oversight.core import clock
from oversight.core.errors import DomainError, require
from oversight.core.fields import clean_value
from oversight.org import selectors as org_selectors
from oversight.org.models import Agency
from oversight.org.scope import Viewer
from oversight.planning import refs, selectors, workflow
from oversight.planning.fields import TASK, TASK_SCOPE, clean_many
from oversight.planning.models import Plan, Task
from oversight.planning.services.plans import PlanNotEditable, version_in_force
from oversight.subjects.models import SubjectStatus
from oversight.subjects.selectors import subjects_visible

# --- refusals -------------------------------------------------------------------------------------


class UnknownRegime(DomainError):
    def __init__(self) -> None:
        super().__init__(_("There is no such regime in the catalog in force."), field="regime")


class UnknownMethod(DomainError):
    def __init__(self) -> None:
        super().__init__(_("Choose a method of the regime."), field="method")


class MethodNotForMode(DomainError):
    """The regime's catalog says the method serves other modes, or is always (un)announced."""

    MESSAGES: dict[str, Any] = {
        "mode": _("The regime's catalog does not use this method for checks of this mode."),
        "announced": _("The regime's catalog makes this method unannounced (暗访)."),
        "unannounced": _("The regime's catalog makes this method announced (明查)."),
    }

    def __init__(self, problem: str) -> None:
        field = "method" if problem == "mode" else "announced"
        super().__init__(self.MESSAGES[problem], field=field)


class WindowRefused(DomainError):
    MESSAGES: dict[str, Any] = {
        "ends_before_start": _("The last day comes before the first."),
        "outside_year": _("The window must lie within the plan's year."),
    }

    def __init__(self, problem: str) -> None:
        super().__init__(self.MESSAGES[problem], field="ends_on")


class TooFewInspectors(DomainError):
    def __init__(self, least: int) -> None:
        super().__init__(
            _("Send at least %(n)d inspectors to each subject under this regime.") % {"n": least},
            field="inspectors_per_target",
        )


class TargetsRefused(DomainError):
    """A random spot check draws its subjects; a fixed check names them."""

    MESSAGES: dict[str, Any] = {
        "count_missing": (
            "target_count",
            _("Say how many subjects a random spot check draws."),
        ),
        "count_for_fixed": (
            "target_count",
            _("Only a random spot check draws subjects: leave this empty."),
        ),
        "checked_for_fixed": (
            "include_checked",
            _("Only a random spot check draws subjects: leave this empty."),
        ),
        "subjects_for_random": (
            "subject_ids",
            _("A random spot check draws its subjects: pick none."),
        ),
        "no_subjects": ("subject_ids", _("Pick the subjects to check.")),
        "strata_for_fixed": (
            "per_jurisdiction",
            _("Only a random spot check draws subjects: leave this empty."),
        ),
        "count_with_strata": (
            "target_count",
            _(
                "A stratified draw takes the number in each jurisdiction: leave the total "
                "empty, it is that number times the jurisdictions."
            ),
        ),
        "strata_need_jurisdictions": (
            "jurisdiction_ids",
            _("Name at least two jurisdictions to draw a number in each."),
        ),
        "nested_strata": (
            "jurisdiction_ids",
            _(
                "To draw a number in each jurisdiction, name none that lies under another: a "
                "subject would belong to both."
            ),
        ),
    }

    def __init__(self, problem: str) -> None:
        field, message = self.MESSAGES[problem]
        super().__init__(message, field=field)


class ScopeRefused(DomainError):
    """A jurisdiction, kind of subject or subject outside what the task may cover."""


SUBJECT_PROBLEMS: dict[str, Any] = {
    workflow.JURISDICTION: _("“%(name)s” is not in the task's jurisdictions."),
    workflow.KIND: _("“%(name)s” is not of the task's kinds of subject."),
    workflow.GRADE: _("“%(name)s” is not of the task's risk grades."),
    workflow.CLOSED: _("“%(name)s” is closed."),
}


# --- checks ---------------------------------------------------------------------------------------


def _regime(code: str) -> Regime:
    regime = catalog_in_force().regimes.get(code)
    if regime is None:
        raise UnknownRegime()
    return regime


def regime_minimum(regime: Regime, day: date) -> int | None:
    """The regime's minimum of inspectors on ``day`` (its ``min_inspectors`` figure), if any."""
    key = regime.procedure.rules.min_inspectors
    value = regime.figures[key].value_at(day) if key else None
    return int(value.value) if value is not None and value.value is not None else None


def _least_inspectors(regime: Regime, clean: Mapping[str, Any]) -> int:
    return workflow.least_inspectors(regime_minimum(regime, clean["starts_on"]))


def _check_method(regime: Regime, clean: Mapping[str, Any]) -> None:
    method = next((m for m in regime.methods.items if m.code == clean["method"]), None)
    if method is None:
        raise UnknownMethod()
    facts = workflow.MethodFacts(
        modes=tuple(method.modes), who=tuple(method.who), announced=method.announced
    )
    problem = workflow.method_problem(facts, mode=clean["mode"], announced=clean["announced"])
    if problem:
        raise MethodNotForMode(problem)


def _check_strata(clean: dict[str, Any], agencies: list[Agency]) -> None:
    """A stratified task draws ``per_jurisdiction`` in each jurisdiction: its total follows."""
    if clean["per_jurisdiction"] is None:
        return
    problem = workflow.strata_problem(
        mode=clean["mode"], target_count=clean["target_count"], paths=[a.path for a in agencies]
    )
    if problem:
        raise TargetsRefused(problem)
    clean["target_count"] = clean["per_jurisdiction"] * len(agencies)


def _check_targets(clean: Mapping[str, Any], subject_ids: list[int]) -> None:
    random = clean["mode"] == workflow.RANDOM
    problem = None
    if random and clean["target_count"] is None:
        problem = "count_missing"
    elif random and subject_ids:
        problem = "subjects_for_random"
    elif not random and clean["target_count"] is not None:
        problem = "count_for_fixed"
    elif not random and clean["include_checked"]:
        problem = "checked_for_fixed"
    elif not random and not subject_ids:
        problem = "no_subjects"
    if problem:
        raise TargetsRefused(problem)


def _jurisdictions(actor: Viewer, plan: Plan, ids: list[int]) -> list[Agency]:
    found = {a.pk: a for a in org_selectors.agencies_visible(actor).filter(pk__in=ids)}
    agencies = [found[pk] for pk in ids]
    if any(not a.path.startswith(plan.agency.path) for a in agencies):
        raise ScopeRefused(_("Choose agencies of the plan's bureau."), field="jurisdiction_ids")
    return agencies


def _check_subjects(
    actor: Viewer,
    regime: Regime,
    plan: Plan,
    scope: Mapping[str, Any],
    agencies: list[Agency],
) -> None:
    kinds = scope["subject_kinds"] or list(regime.objects.subject_kinds)
    if workflow.unknown(kinds, regime.objects.subject_kinds):
        raise ScopeRefused(_("Choose kinds of subject of the regime."), field="subject_kinds")
    paths = [a.path for a in agencies] or [plan.agency.path]
    subjects = subjects_visible(actor).filter(pk__in=scope["subject_ids"]).select_related("agency")
    for subject in sorted(subjects, key=lambda s: scope["subject_ids"].index(s.pk)):
        problem = workflow.subject_problem(
            agency_path=subject.agency.path,
            kind=subject.kind,
            risk_grade=subject.risk_grade,
            closed=subject.status == SubjectStatus.CLOSED,
            jurisdiction_paths=paths,
            kinds=kinds,
            grades=scope["risk_grades"],
        )
        if problem:
            message = SUBJECT_PROBLEMS[problem] % {"name": subject.name}
            raise ScopeRefused(message, field="subject_ids")


def _cleaned(
    actor: Viewer, plan: Plan, values: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check the task's values against the fields, the plan and the catalog in force; return
    (fields, scope lists). The scope of every id was checked before."""
    clean = {name: clean_value(TASK[name], values.get(name)) for name in TASK}
    clean["include_checked"] = bool(clean["include_checked"])
    scope = {name: clean_many(TASK_SCOPE[name], values.get(name)) for name in TASK_SCOPE}
    if not workflow.tasks_editable(plan.status):
        raise PlanNotEditable()
    regime = _regime(clean["regime"])
    _check_method(regime, clean)
    problem = workflow.window_problem(plan.year, clean["starts_on"], clean["ends_on"])
    if problem:
        raise WindowRefused(problem)
    least = _least_inspectors(regime, clean)
    if clean["inspectors_per_target"] < least:
        raise TooFewInspectors(least)
    agencies = _jurisdictions(actor, plan, scope["jurisdiction_ids"])
    _check_strata(clean, agencies)
    _check_targets(clean, scope["subject_ids"])
    _check_subjects(actor, regime, plan, scope, agencies)
    return clean, scope


def _check_scope(actor: Viewer, values: Mapping[str, Any]) -> None:
    """Every jurisdiction and subject the input names is of the actor's scope (NotFound)."""
    refs.check_many(actor, TASK_SCOPE.refs(), values.get)


AUDITED = (
    "plan_id",
    "regime",
    "mode",
    "announced",
    "method",
    "starts_on",
    "ends_on",
    "note",
    "subject_kinds",
    "risk_grades",
    "target_count",
    "per_jurisdiction",
    "inspectors_per_target",
    "include_checked",
    "catalog_version_id",
)


def _snapshot(task: Task) -> dict[str, Any]:
    data = {name: getattr(task, name) for name in AUDITED}
    data["jurisdiction_ids"] = sorted(a.pk for a in task.jurisdictions.all())
    data["subject_ids"] = sorted(s.pk for s in task.subjects.all())
    return data


def _write(task: Task, clean: dict[str, Any], scope: dict[str, Any]) -> None:
    for name, value in clean.items():
        setattr(task, name, value)
    task.subject_kinds = scope["subject_kinds"]
    task.risk_grades = scope["risk_grades"]
    task.catalog_version = version_in_force()
    task.updated_at = clock.now()
    task.save()
    task.jurisdictions.set(scope["jurisdiction_ids"])
    task.subjects.set(scope["subject_ids"])


# --- the services ---------------------------------------------------------------------------------


def task_add(*, actor: Viewer, plan_id: Any, **values: Any) -> Task:
    """Add a task to a draft or returned plan of the actor's scope (inspectors and leaders).

    ``values``: regime, mode, announced, method, starts_on, ends_on, inspectors_per_target,
    target_count or per_jurisdiction (a number in each jurisdiction) and include_checked (random
    spot checks), note; the scope lists
    jurisdiction_ids, subject_kinds, risk_grades, and subject_ids (fixed checks).

    Raises PermissionDenied, NotFound (the plan, a jurisdiction or a subject out of scope),
    DomainError (a value), PlanNotEditable, UnknownRegime, UnknownMethod, MethodNotForMode,
    WindowRefused, TooFewInspectors, TargetsRefused, ScopeRefused.
    """
    require(workflow.may_draft_plans(actor))
    with transaction.atomic():
        plan = selectors.plan_get(viewer=actor, plan_id=plan_id, for_update=True)
        _check_scope(actor, values)
        clean, scope = _cleaned(actor, plan, values)
        now = clock.now()
        task = Task(plan=plan, created_by_id=actor.pk, created_at=now)
        _write(task, clean, scope)
        audit.record(action="task.add", actor=actor, target=task, after=_snapshot(task))
    return task


def task_update(*, actor: Viewer, task_id: Any, **values: Any) -> Task:
    """Change a task of a draft or returned plan: every value is given again, as for
    ``task_add``. Raises what ``task_add`` raises."""
    require(workflow.may_draft_plans(actor))
    with transaction.atomic():
        found = selectors.task_get(viewer=actor, task_id=task_id)
        plan = selectors.plan_get(viewer=actor, plan_id=found.plan_id, for_update=True)
        task = selectors.task_get(viewer=actor, task_id=found.pk, for_update=True)
        _check_scope(actor, values)
        clean, scope = _cleaned(actor, plan, values)
        before = _snapshot(task)
        _write(task, clean, scope)
        task = selectors.task_get(viewer=actor, task_id=task.pk)
        after = _snapshot(task)
        changed = [k for k in after if after[k] != before[k]]
        audit.record(
            action="task.update",
            actor=actor,
            target=task,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return task


def task_remove(*, actor: Viewer, task_id: Any) -> Plan:
    """Remove a task from a draft or returned plan; return the plan. Raises PermissionDenied,
    NotFound, PlanNotEditable."""
    require(workflow.may_draft_plans(actor))
    with transaction.atomic():
        found = selectors.task_get(viewer=actor, task_id=task_id)
        plan = selectors.plan_get(viewer=actor, plan_id=found.plan_id, for_update=True)
        if not workflow.tasks_editable(plan.status):
            raise PlanNotEditable()
        task = selectors.task_get(viewer=actor, task_id=found.pk, for_update=True)
        before = _snapshot(task)
        audit.record(action="task.remove", actor=actor, target=task, before=before)
        task.jurisdictions.clear()
        task.subjects.clear()
        task.delete()
    return plan

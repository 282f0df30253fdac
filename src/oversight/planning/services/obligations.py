"""Generate the periodic tasks the catalog's rhythms ask of a plan (每月实地检查一次, 年检,
24小时视频巡查): for each regime with frequencies whose department is that of one of the
bureau's own units (``obligations.responsible``), one task per window of the rhythm (a month
each, or the year), naming the regime's subjects of the bureau's scope owed the window.

Every task is added through ``task_add``, so every rule of tasks applies once; a window the plan
already has a task for (same regime, method and window) is left as it is, so running it twice
adds nothing, and says so. One transaction; one audit event of its own besides each task's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction

from oversight import audit
from oversight.catalog.schema import Frequency, MethodItem, Regime
from oversight.catalog.selectors import catalog_in_force
from oversight.core.errors import NotFound, require
from oversight.org.models import Agency
from oversight.org.scope import Viewer
from oversight.planning import obligations, selectors, workflow
from oversight.planning.fields import TASK_SCOPE
from oversight.planning.models import Plan, Task
from oversight.planning.services.plans import NoCatalog, PlanNotEditable
from oversight.planning.services.tasks import task_add
from oversight.subjects.models import SubjectStatus
from oversight.subjects.selectors import subjects_visible

# The most subjects one task names: a larger list is split into several tasks of one window.
PER_TASK = TASK_SCOPE["subject_ids"].max_items
NOTE_LENGTH = 200


@dataclass
class Rhythm:
    """What generating did for one rhythm of one regime."""

    regime: Regime
    frequency: Frequency
    method_code: str | None  # the regime's method item the tasks use; None: none fits
    added: list[Task] = field(default_factory=list)
    present: int = 0  # windows the plan already had a task for
    without_subjects: int = 0  # windows no subject of the bureau's scope was owed


@dataclass
class Generated:
    """What ``plan_generate_obligations`` did to a plan."""

    plan: Plan
    rhythms: list[Rhythm]

    @property
    def added(self) -> list[Task]:
        return [t for r in self.rhythms for t in r.added]

    @property
    def present(self) -> int:
        return sum(r.present for r in self.rhythms)


def _method(regime: Regime, kind: str) -> tuple[MethodItem, str, bool] | None:
    """The regime's first method of ``kind`` a task may use, with the mode (periodic, unless the
    catalog gives the method other modes only) and announced (明查 unless the method is 暗访)."""
    for item in regime.methods.items:
        if item.kind != kind:
            continue
        facts = workflow.MethodFacts(
            modes=tuple(item.modes), who=tuple(item.who), announced=item.announced
        )
        announced = item.announced if item.announced is not None else True
        modes = [workflow.PERIODIC, *(m for m in item.modes if m != workflow.PERIODIC)]
        for mode in modes:
            if workflow.method_problem(facts, mode=mode, announced=announced) is None:
                return item, mode, announced
    return None


def _least(regime: Regime, on: date) -> int:
    key = regime.procedure.rules.min_inspectors
    value = regime.figures[key].value_at(on) if key else None
    minimum = int(value.value) if value is not None and value.value is not None else None
    return workflow.least_inspectors(minimum)


def _own_units(plan: Plan) -> list[obligations.Unit]:
    rows = Agency.objects.filter(path__startswith=plan.agency.path, active=True).values_list(
        "path", "kind", "department__code"
    )
    return obligations.own_units(plan.agency.path, [obligations.Unit(*row) for row in rows])


def _owed(actor: Viewer, plan: Plan, kinds: list[str]) -> list[tuple[int, date | None]]:
    """The subjects of ``kinds`` under the plan's bureau, not closed, the bureau itself left out
    (it does not check itself): their ids and the day each was opened, in the registry's order."""
    qs = subjects_visible(actor).filter(agency__path__startswith=plan.agency.path, kind__in=kinds)
    qs = qs.exclude(status=SubjectStatus.CLOSED).exclude(linked_agency=plan.agency)
    return list(qs.order_by("agency__path", "name", "id").values_list("pk", "registered_on"))


def _generate(actor: Viewer, plan: Plan, rhythm: Rhythm, have: set[tuple[Any, ...]]) -> None:
    regime, frequency = rhythm.regime, rhythm.frequency
    found = _method(regime, frequency.method)
    if found is None:
        return
    item, mode, announced = found
    rhythm.method_code = item.code
    kinds = frequency.applies_to or list(regime.objects.subject_kinds)
    subjects = _owed(actor, plan, kinds)
    for starts_on, ends_on in obligations.windows(plan.year, frequency.per):
        key = (regime.code, item.code, starts_on, ends_on)
        if key in have:
            rhythm.present += 1
            continue
        window = obligations.Period(0, starts_on, ends_on)
        ids = [pk for pk, opened in subjects if obligations.owed(window, opened)]
        if not ids:
            rhythm.without_subjects += 1
            continue
        for first in range(0, len(ids), PER_TASK):
            rhythm.added.append(
                task_add(
                    actor=actor,
                    plan_id=plan.pk,
                    regime=regime.code,
                    mode=mode,
                    announced=announced,
                    method=item.code,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    inspectors_per_target=_least(regime, starts_on),
                    note=frequency.text[:NOTE_LENGTH],
                    subject_kinds=kinds,
                    subject_ids=ids[first : first + PER_TASK],
                )
            )
        have.add(key)


def plan_generate_obligations(*, actor: Viewer, plan_id: Any) -> Generated:
    """Add to a draft or returned plan of the actor's scope (inspectors and leaders) the periodic
    tasks the rhythms of the catalog in force ask of its bureau, skipping the windows it already
    has; return what was added and what was there.

    Raises PermissionDenied, NotFound (the plan out of scope), PlanNotEditable, NoCatalog, and
    what ``task_add`` raises should a task break one of its rules.
    """
    require(workflow.may_draft_plans(actor))
    with transaction.atomic():
        plan = selectors.plan_get(viewer=actor, plan_id=plan_id, for_update=True)
        if not workflow.tasks_editable(plan.status):
            raise PlanNotEditable()
        try:
            catalog = catalog_in_force()
        except NotFound:
            raise NoCatalog() from None
        own = _own_units(plan)
        have = {(t.regime, t.method, t.starts_on, t.ends_on) for t in plan.tasks.only(*_KEY_FIELDS)}
        rhythms = [
            Rhythm(regime, frequency, None)
            for regime in catalog.regimes.values()
            if obligations.responsible(regime.department, own)
            for frequency in regime.procedure.rules.frequencies
        ]
        for rhythm in rhythms:
            _generate(actor, plan, rhythm, have)
        done = Generated(plan, rhythms)
        if done.added:
            audit.record(
                action="plan.obligations",
                actor=actor,
                target=plan,
                detail={
                    "task_ids": [t.pk for t in done.added],
                    "present": done.present,
                    "rhythms": [_said(r) for r in rhythms],
                },
            )
    return done


_KEY_FIELDS = ("regime", "method", "starts_on", "ends_on")


def _said(rhythm: Rhythm) -> dict[str, Any]:
    return {
        "regime": rhythm.regime.code,
        "method": rhythm.frequency.method,
        "per": rhythm.frequency.per,
        "added": len(rhythm.added),
        "present": rhythm.present,
        "without_subjects": rhythm.without_subjects,
    }


def rhythm_data(rhythm: Rhythm) -> dict[str, Any]:
    """One rhythm's outcome as the API and the CLI tell it."""
    return _said(rhythm) | {
        "regime_title": rhythm.regime.title,
        "text": rhythm.frequency.text,
        "method_code": rhythm.method_code,
        "task_ids": [t.pk for t in rhythm.added],
    }

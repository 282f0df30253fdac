"""Random draws of the officers who check each subject of a task (随机选派执法检查人员).

Each subject of the task gets its own inspector draw, because who may check it depends on it:
the pool's rules (active, 执法资格 in force, qualified for the regime, not away), no declared
conflict with it, and, where the regime checks police bodies from above (a subject kind marked
``internal``), no officer of the checked unit or of any unit under it. Officers who were drawn
less this year come first (``load``), so the work spreads over the year; among equals the seed
decides. The first officer drawn leads the team.

``teams_commit`` commits every subject's draw at once, before any seed exists; ``teams_seed``
makes them all with one public seed (each draw's own commitment makes its keys its own). The
checks come in the project's order: permission, scope, the person, the values, the rules.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight import audit
from oversight.catalog.loader import Catalog
from oversight.catalog.selectors import catalog_in_force
from oversight.core import clock
from oversight.core.errors import Conflict, PermissionDenied, require
from oversight.org.models import Officer
from oversight.org.scope import Viewer
from oversight.planning import policy, selectors, verify, workflow
from oversight.planning.models import Draw, DrawKind, DrawPick, DrawState, Plan, Task
from oversight.planning.services.draws import (
    NotDrawLeader,
    clean_seed,
    complete,
    regime_of,
    snapshot,
    stamp,
    store,
)
from oversight.planning.services.plans import version_in_force
from oversight.planning.services.tasks import regime_minimum
from oversight.pool.selectors import facts_of
from oversight.subjects.models import Subject

# --- refusals -------------------------------------------------------------------------------------


class TeamsNotDrawable(Conflict):
    MESSAGES: dict[str, Any] = {
        workflow.SELF_CHECK: _("A self-inspection is done by the subject itself: no one is sent."),
        workflow.NOT_DECIDED: _(
            "Inspectors are drawn for the tasks of an approved or published plan only."
        ),
        workflow.TARGETS_NOT_DRAWN: _(
            "Draw the subjects of this random spot check first: inspectors are drawn for each."
        ),
    }

    def __init__(self, problem: str) -> None:
        super().__init__(self.MESSAGES[problem])


class TeamsAlreadyCommitted(Conflict):
    def __init__(self) -> None:
        super().__init__(_("The inspectors of every subject of this task are already drawn."))


class TeamTooSmall(Conflict):
    def __init__(self, refused: policy.TeamTooSmall) -> None:
        super().__init__(
            _("A team of %(n)d is too small: at least %(least)d must check under this regime.")
            % {"n": refused.requested, "least": refused.minimum}
        )


class PoolTooSmall(Conflict):
    def __init__(self, *, subject: str, needed: int, available: int) -> None:
        super().__init__(
            _(
                "Only %(available)d officers may be drawn to check “%(subject)s” (qualified, "
                "available, free of conflict), fewer than the %(needed)d of a team."
            )
            % {"available": available, "subject": subject, "needed": needed}
        )


class NoTeamToSeed(Conflict):
    def __init__(self) -> None:
        super().__init__(_("No inspector draw of this task awaits its seed."))


# --- the pool -------------------------------------------------------------------------------------


def _refuse_person(actor: Viewer, plan: Plan, task: Task) -> None:
    targets_drawn = task.draws.filter(kind=DrawKind.TARGETS, state=DrawState.DRAWN).exists()
    problem = workflow.team_draw_problem(
        selectors.actor_on(actor, plan),
        mode=task.mode,
        status=plan.status,
        targets_drawn=targets_drawn,
    )
    if problem == workflow.NOT_PERMITTED:
        raise PermissionDenied()
    if problem == workflow.NOT_DRAW_LEADER:
        raise NotDrawLeader()
    if problem:
        raise TeamsNotDrawable(problem)


def task_subjects(task: Task) -> list[Subject]:
    """The subjects a task checks: a random task's drawn ones in draw order, else its list by
    name."""
    if task.mode == workflow.RANDOM:
        picks = DrawPick.objects.filter(draw__task=task, draw__kind=DrawKind.TARGETS)
        rows = picks.select_related("subject__agency").order_by("position")
        return [p.subject for p in rows if p.subject is not None]
    return list(task.subjects.select_related("agency").order_by("name", "id"))


def inspectors(plan: Plan, regime: str) -> list[policy.Inspector]:
    """Every officer under the plan's bureau as an inspector draw sees them: the facts the pool's
    rules need and the load, the number of inspector draws of the plan's year the officer was
    drawn in. Four queries, however many officers."""
    officers = list(
        Officer.objects.filter(agency__path__startswith=plan.agency.path)
        .select_related("agency")
        .order_by("id")
    )
    facts = facts_of(officers, regime=regime)
    loads = dict(
        DrawPick.objects.filter(
            officer__in=officers,
            draw__kind=DrawKind.INSPECTORS,
            draw__state=DrawState.DRAWN,
            draw__task__plan__year=plan.year,
        )
        .values_list("officer_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        policy.Inspector(o.pk, o.agency.path, facts[o.pk], loads.get(o.pk, 0)) for o in officers
    ]


def _internal_kinds(catalog: Catalog) -> set[str]:
    return {k.code for k in catalog.header.subject_kinds if k.internal}


def _team_size(catalog: Catalog, task: Task) -> int:
    minimum = regime_minimum(regime_of(catalog, task.regime), task.starts_on)
    try:
        return policy.team_size(task.inspectors_per_target, minimum)
    except policy.TeamTooSmall as refused:
        raise TeamTooSmall(refused) from None


def check_day(task: Task, today: date) -> date:
    """The day on which an officer must be qualified and available: the first day of the task's
    window, or today when the window has begun."""
    return max(task.starts_on, today)


def _context(plan: Plan, task: Task, subject: Subject) -> str:
    words = f"{plan.year}年 {plan.title} 任务{task.pk} {subject.name} 检查人员"
    text = verify.canonical_text(words)
    if verify.text_problem(text, empty_ok=True):
        return f"{plan.year}年 任务{task.pk} 对象{subject.pk} 检查人员"
    return text


# --- the services ---------------------------------------------------------------------------------


def teams_commit(*, actor: Viewer, task_id: Any) -> list[Draw]:
    """Commit an inspector draw for each subject of the task that has none: the officers who may
    be drawn to check it, with their loads, fixed before any seed exists. Returns the new draws
    in the order of the task's subjects.

    For a leader of the plan's bureau, on a task of an approved or published plan (a random one
    once its subjects are drawn; never a self-inspection). Raises PermissionDenied, NotFound,
    NotDrawLeader, TeamsNotDrawable, TeamsAlreadyCommitted, UnknownRegime, NoCatalog,
    TeamTooSmall, PoolTooSmall (naming the subject).
    """
    require(workflow.may_draw(actor))
    with transaction.atomic():
        found = selectors.task_get(viewer=actor, task_id=task_id)
        plan = selectors.plan_get(viewer=actor, plan_id=found.plan_id, for_update=True)
        task = selectors.task_get(viewer=actor, task_id=found.pk, for_update=True)
        _refuse_person(actor, plan, task)
        done = set(task.draws.filter(kind=DrawKind.INSPECTORS).values_list("subject_id", flat=True))
        todo = [s for s in task_subjects(task) if s.pk not in done]
        if not todo:
            raise TeamsAlreadyCommitted()
        version = version_in_force()
        catalog = catalog_in_force()
        size = _team_size(catalog, task)
        internal = _internal_kinds(catalog)
        now = clock.now().replace(microsecond=0)
        day = check_day(task, timezone.localdate(now))
        everyone = inspectors(plan, task.regime)
        draws = []
        for subject in todo:
            members = policy.inspector_population(
                everyone,
                regime=task.regime,
                on=day,
                subject_id=subject.pk,
                subject_agency_path=subject.agency.path,
                upward=subject.kind in internal,
            )
            if len(members) < size:
                raise PoolTooSmall(subject=subject.name, needed=size, available=len(members))
            committed = verify.commit_file(
                kind=DrawKind.INSPECTORS,
                context=_context(plan, task, subject),
                population=members,
                k=size,
                committed_at=stamp(now),
            )
            draw = Draw.objects.create(
                task=task,
                kind=DrawKind.INSPECTORS,
                subject=subject,
                state=DrawState.COMMITTED,
                file=committed,
                commitment=committed["commitment"],
                committed_at=now,
                population_size=len(members),
                k=size,
                catalog_version=version,
                created_by_id=actor.pk,
            )
            after = snapshot(draw) | {"subject_id": subject.pk}
            audit.record(action="draw.commit", actor=actor, target=draw, after=after)
            draws.append(draw)
    return draws


def teams_seed(*, actor: Viewer, task_id: Any, seed: Any = None, source: Any = None) -> list[Draw]:
    """Enter one public seed for every inspector draw of the task that awaits it, and make them;
    returns them in order of id.

    For a leader of the plan's bureau. Raises PermissionDenied, NotFound, NotDrawLeader,
    DomainError (a value), SeedRefused, NoTeamToSeed, SeedTooEarly.
    """
    require(workflow.may_draw(actor))
    with transaction.atomic():
        found = selectors.task_get(viewer=actor, task_id=task_id)
        plan = selectors.plan_get(viewer=actor, plan_id=found.plan_id, for_update=True)
        if not selectors.actor_on(actor, plan).own_bureau:
            raise NotDrawLeader()
        value, clean_source = clean_seed(seed, source)
        waiting = list(
            Draw.objects.select_for_update()
            .filter(task_id=found.pk, kind=DrawKind.INSPECTORS, state=DrawState.COMMITTED)
            .order_by("id")
        )
        if not waiting:
            raise NoTeamToSeed()
        for draw in waiting:
            done, now = complete(draw, actor=actor, seed=value, source=clean_source)
            store(draw, done, now, actor=actor)
    return waiting

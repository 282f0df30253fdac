"""Reads of plans and tasks, each scoped to the viewer's bureau first: a viewer sees the plans of
the agencies of their subtree (a county its own, the city every one); administrators none."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from oversight.catalog.schema import Regime
from oversight.catalog.selectors import catalog_in_force
from oversight.core.errors import NotFound
from oversight.core.text import parse_id
from oversight.org.models import Agency
from oversight.org.policy import sees_business_data
from oversight.org.scope import Viewer
from oversight.planning import workflow
from oversight.planning.models import Draw, DrawKind, DrawPick, DrawRun, DrawState, Plan, Task
from oversight.subjects.models import Subject, SubjectStatus
from oversight.subjects.selectors import subjects_visible


def plans_visible(viewer: Viewer) -> QuerySet[Plan]:
    """The plans of agencies in the viewer's subtree; none for administrators."""
    if not sees_business_data(viewer):
        return Plan.objects.none()
    assert viewer.scope_path
    return Plan.objects.filter(agency__path__startswith=viewer.scope_path)


def tasks_visible(viewer: Viewer) -> QuerySet[Task]:
    """The tasks of the plans the viewer sees."""
    if not sees_business_data(viewer):
        return Task.objects.none()
    assert viewer.scope_path
    return Task.objects.filter(plan__agency__path__startswith=viewer.scope_path)


@dataclass(frozen=True)
class PlanFilters:
    year: int | None = None
    status: str = ""


def plan_list(*, viewer: Viewer, filters: PlanFilters | None = None) -> QuerySet[Plan]:
    """Matching plans in scope with their bureau and number of tasks: newest year first, then
    by bureau (the tree's order) and id. One query, however many plans."""
    filters = filters or PlanFilters()
    qs = plans_visible(viewer).select_related("agency").annotate(task_count=Count("tasks"))
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("-year", "agency__path", "id")


def plan_get(*, viewer: Viewer, plan_id: Any, for_update: bool = False) -> Plan:
    """One plan in scope; NotFound whether it is missing or out of scope. ``for_update`` locks
    it, so that its steps and the changes of its tasks take turns."""
    pk = parse_id(plan_id)
    qs = plans_visible(viewer).select_related(
        "agency", "created_by", "submitted_by", "approved_by", "returned_by", "published_by"
    )
    if for_update:
        qs = qs.select_for_update(of=("self",))
    plan = qs.filter(pk=pk).first() if pk is not None else None
    if plan is None:
        raise NotFound()
    return plan


def actor_on(viewer: Viewer, plan: Plan) -> workflow.Actor:
    """What the workflow's rules need to know of the viewer taking a step on ``plan``."""
    return workflow.Actor(
        roles=viewer.roles,
        own_bureau=viewer.scope_path == plan.agency.path,
        submitter=plan.submitted_by_id is not None and plan.submitted_by_id == viewer.pk,
    )


def _with_scope(qs: QuerySet[Task]) -> QuerySet[Task]:
    """Tasks with their jurisdictions and subjects, two queries for any number of tasks."""
    return qs.prefetch_related(
        Prefetch("jurisdictions", queryset=Agency.objects.only("id", "name", "path")),
        Prefetch("subjects", queryset=Subject.objects.only("id", "name", "agency_id")),
    )


def plan_tasks(*, plan: Plan) -> list[Task]:
    """The tasks of a plan (loaded in the viewer's scope), by window, with their scope."""
    return list(_with_scope(plan.tasks.all()).order_by("starts_on", "ends_on", "id"))


def task_list(*, viewer: Viewer, plan_id: Any) -> list[Task]:
    """The tasks of a plan in scope; NotFound for a plan out of scope."""
    return plan_tasks(plan=plan_get(viewer=viewer, plan_id=plan_id))


def task_get(*, viewer: Viewer, task_id: Any, for_update: bool = False) -> Task:
    """One task of a plan in scope; NotFound whether it is missing or out of scope."""
    pk = parse_id(task_id)
    qs = tasks_visible(viewer).select_related("plan", "plan__agency")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    task = _with_scope(qs).filter(pk=pk).first() if pk is not None else None
    if task is None:
        raise NotFound()
    return task


def calendar(*, viewer: Viewer, year: int) -> dict[int, list[Task]]:
    """The tasks of the year's plans in scope, by month (1–12): a task is under every month its
    window touches, with their plans, bureaus and scope: three queries, however many."""
    tasks = _with_scope(
        tasks_visible(viewer).filter(plan__year=year).select_related("plan", "plan__agency")
    ).order_by("starts_on", "ends_on", "id")
    months: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        for month in workflow.months_covered(task.starts_on.month, task.ends_on.month):
            months[month].append(task)
    return {month: months[month] for month in range(1, 13)}


# --- what a form offers ---------------------------------------------------------------------------


def regimes() -> list[Regime]:
    """The regimes of the catalog in force, in the catalog's order; none before one is loaded."""
    try:
        return list(catalog_in_force().regimes.values())
    except NotFound:
        return []


def regime_titles() -> dict[str, str]:
    return {r.code: r.title for r in regimes()}


def bureaus(*, viewer: Viewer) -> QuerySet[Agency]:
    """The bureaus of the viewer's scope: those a plan may be drafted for."""
    if not sees_business_data(viewer):
        return Agency.objects.none()
    assert viewer.scope_path
    return Agency.objects.filter(
        path__startswith=viewer.scope_path, kind="BUREAU", active=True
    ).order_by("path")


def jurisdictions(*, plan: Plan) -> QuerySet[Agency]:
    """The agencies a task of the plan may cover: the plan's bureau and the units under it."""
    return Agency.objects.filter(path__startswith=plan.agency.path, active=True).order_by("path")


SUBJECT_CHOICES = 500


def subject_choices(*, viewer: Viewer, plan: Plan, kinds: list[str]) -> list[Subject]:
    """Subjects a fixed task of the plan may name: of ``kinds``, under the plan's bureau, not
    closed; at most ``SUBJECT_CHOICES``, by jurisdiction and name."""
    qs = subjects_visible(viewer).filter(agency__path__startswith=plan.agency.path, kind__in=kinds)
    qs = qs.exclude(status=SubjectStatus.CLOSED).select_related("agency")
    return list(qs.order_by("agency__path", "name", "id")[:SUBJECT_CHOICES])


# --- random draws (双随机) ---------------------------------------------------------------------


def draws_visible(viewer: Viewer) -> QuerySet[Draw]:
    """The draws of the tasks the viewer sees."""
    if not sees_business_data(viewer):
        return Draw.objects.none()
    assert viewer.scope_path
    return Draw.objects.filter(task__plan__agency__path__startswith=viewer.scope_path)


# What a list of draws loads: never the files, which hold whole populations.
_DRAW_ROW = ("task", "task__plan", "task__plan__agency", "entered_by", "created_by")


def draw_rows(qs: QuerySet[Draw]) -> QuerySet[Draw]:
    """Draws with their task, plan, bureau and people, without their files: newest first."""
    return qs.select_related(*_DRAW_ROW).defer("file").order_by("-committed_at", "-id")


def draw_list(*, viewer: Viewer, year: int | None = None) -> QuerySet[Draw]:
    """The draws in scope (of the plans of ``year``, if given), newest first. One query, however
    many draws."""
    qs = draws_visible(viewer)
    if year is not None:
        qs = qs.filter(task__plan__year=year)
    return draw_rows(qs)


def draw_get(*, viewer: Viewer, draw_id: Any, for_update: bool = False) -> Draw:
    """One draw in scope, with its file; NotFound whether it is missing or out of scope.
    ``for_update`` locks it, so that two seeds cannot both be entered."""
    pk = parse_id(draw_id)
    qs = draws_visible(viewer).select_related(*_DRAW_ROW)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    found = qs.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound()
    return found


def task_draw(*, task: Task) -> Draw | None:
    """The draw of a task's subjects (loaded in the viewer's scope), if one was committed."""
    return task.draws.filter(kind=DrawKind.TARGETS).select_related("entered_by").first()


def draw_picks(*, draw: Draw) -> list[DrawPick]:
    """The subjects (or officers) a draw took, in draw order, with their agencies: one query."""
    member = "officer" if draw.kind == DrawKind.INSPECTORS else "subject"
    return list(draw.picks.select_related(member, f"{member}__agency").order_by("position"))


@dataclass(frozen=True)
class Team:
    """A subject's inspector draw, with the officers it took (leader first) once made."""

    draw: Draw
    picks: list[DrawPick]


def task_teams(*, task: Task) -> list[Team]:
    """The inspector draws of a task, by subject name, with their officers: two queries."""
    officers = Prefetch(
        "picks", DrawPick.objects.select_related("officer", "officer__agency").order_by("position")
    )
    draws = (
        task.draws.filter(kind=DrawKind.INSPECTORS)
        .select_related("subject", "subject__agency")
        .prefetch_related(officers)
        .defer("file")
        .order_by("subject__name", "id")
    )
    return [Team(draw=d, picks=list(d.picks.all())) for d in draws]


def task_awaits_teams(*, task: Task) -> bool:
    """Has the task a subject with no inspector draw yet (a random task's drawn subjects, or a
    fixed task's list)?"""
    teamed = task.draws.filter(kind=DrawKind.INSPECTORS).values("subject_id")
    if task.mode == "RANDOM":
        picks = DrawPick.objects.filter(draw__task=task, draw__kind=DrawKind.TARGETS)
        return picks.exclude(subject_id__in=teamed).exists()
    return task.subjects.exclude(pk__in=teamed).exists()


def latest_run(*, task: Task) -> DrawRun | None:
    """The latest draw the worker made or makes for a task (loaded in the viewer's scope)."""
    return task.draw_runs.order_by("-id").first()


def draw_file(draw: Draw) -> dict[str, Any]:
    """The draw file (``oversight.planning.verify``): committed, or completed once drawn."""
    return dict(draw.file)


def picks_per_regime(*, viewer: Viewer, year: int) -> dict[str, int]:
    """How many subjects the drawn target draws in scope took in ``year``, by regime code."""
    rows = (
        DrawPick.objects.filter(
            draw__in=draws_visible(viewer),
            draw__kind=DrawKind.TARGETS,
            draw__state=DrawState.DRAWN,
            draw__task__plan__year=year,
        )
        .values_list("draw__task__regime")
        .annotate(n=Count("id"))
        .order_by("draw__task__regime")
    )
    return dict(rows)

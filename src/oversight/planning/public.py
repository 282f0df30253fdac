"""What 一公开 shows anyone, without logging in: published plans and their tasks.

Deliberately not scoped to a viewer (there is none): the filter is the publication itself. An
unannounced task (暗访) is shown only once its window has ended, so publishing a plan never warns
the subjects of a check meant to be unannounced. Fixed tasks never name their subjects here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from oversight.core.errors import NotFound
from oversight.core.text import parse_id
from oversight.planning.models import (
    Draw,
    DrawKind,
    DrawPick,
    Plan,
    PlanStatus,
    Task,
)


def _public_task_rule(today: date, prefix: str = "") -> Q:
    """A task the public may see: announced, or its window over (an unannounced check is not
    told before it has happened)."""
    return Q(**{f"{prefix}announced": True}) | Q(**{f"{prefix}ends_on__lt": today})


def published_plans() -> QuerySet[Plan]:
    """Published plans with their bureau and the number of tasks, newest year first."""
    return (
        Plan.objects.filter(status=PlanStatus.PUBLISHED)
        .select_related("agency")
        .annotate(task_count=Count("tasks"))
        .order_by("-year", "agency__path", "id")
    )


def published_plan(plan_id: Any) -> Plan:
    """One published plan; NotFound for any other (missing, draft, submitted, approved)."""
    pk = parse_id(plan_id)
    plan = published_plans().filter(pk=pk).first() if pk is not None else None
    if plan is None:
        raise NotFound()
    return plan


def public_tasks(plan: Plan, today: date) -> list[Task]:
    """The tasks of a published plan the public may see on ``today``: every announced one, and
    the unannounced ones whose window is over."""
    return list(
        plan.tasks.filter(_public_task_rule(today))
        .prefetch_related("jurisdictions", "subjects")  # subjects: never shown here
        .order_by("starts_on", "ends_on", "id")
    )


@dataclass(frozen=True)
class PublicTeam:
    """The inspector draw of one subject of a random task: the officers by badge number only,
    the leader first."""

    draw: Draw
    subject: str
    badges: list[str]


@dataclass(frozen=True)
class PublicDraw:
    """A target draw of a task the public may see: its commitment, and once made its seed and
    the names of the subjects drawn (units, not people), with each one's team."""

    draw: Draw
    task: Task
    subjects: list[str]
    teams: list[PublicTeam]


def public_draws(tasks: list[Task]) -> list[PublicDraw]:
    """The target draws of ``tasks`` (from ``public_tasks``), in the tasks' order, each with the
    inspector draws of its subjects. Four queries, however many."""
    picks = Prefetch("picks", DrawPick.objects.select_related("subject").order_by("position"))
    officers = Prefetch("picks", DrawPick.objects.select_related("officer").order_by("position"))
    draws = {
        d.task_id: d
        for d in Draw.objects.filter(task__in=tasks, kind=DrawKind.TARGETS).prefetch_related(picks)
    }
    teams: dict[int, list[PublicTeam]] = {}
    for team in (
        Draw.objects.filter(task__in=list(draws), kind=DrawKind.INSPECTORS)
        .select_related("subject")
        .prefetch_related(officers)
        .order_by("id")
    ):
        badges = [p.officer.badge_number for p in team.picks.all() if p.officer]
        name = team.subject.name if team.subject else ""
        teams.setdefault(team.task_id, []).append(PublicTeam(team, name, badges))
    return [
        PublicDraw(
            draw=draws[task.pk],
            task=task,
            subjects=[pick.subject.name for pick in draws[task.pk].picks.all() if pick.subject],
            teams=teams.get(task.pk, []),
        )
        for task in tasks
        if task.pk in draws
    ]


def public_draw_file(draw_id: Any, today: date) -> dict[str, Any]:
    """The file of a draw of a task the public may see (as committed, or whole once made): its
    target draw, or the inspector draw of a subject of a random task (a fixed task's subjects are
    never told). NotFound for any other draw."""
    pk = parse_id(draw_id)
    which = Q(kind=DrawKind.TARGETS) | Q(kind=DrawKind.INSPECTORS, task__mode="RANDOM")
    found = (
        Draw.objects.filter(which, pk=pk, task__plan__status=PlanStatus.PUBLISHED)
        .filter(_public_task_rule(today, prefix="task__"))
        .first()
        if pk is not None
        else None
    )
    if found is None:
        raise NotFound()
    return dict(found.file)

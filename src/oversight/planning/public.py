"""What 一公开 shows anyone, without logging in: published plans and their tasks.

Deliberately not scoped to a viewer (there is none): the filter is the publication itself. An
unannounced task (暗访) is shown only once its window has ended, so publishing a plan never warns
the subjects of a check meant to be unannounced. Fixed tasks never name their subjects here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from oversight.core.errors import NotFound
from oversight.core.text import parse_id
from oversight.planning.models import Plan, PlanStatus, Task


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
    shown = Q(announced=True) | Q(ends_on__lt=today)
    return list(
        plan.tasks.filter(shown)
        .prefetch_related("jurisdictions", "subjects")  # subjects: never shown here
        .order_by("starts_on", "ends_on", "id")
    )

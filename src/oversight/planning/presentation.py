"""Plans and tasks in words, for pages and the console: a regime by its title, a method by its
text, a kind of subject by its name, as the catalog in force calls them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from oversight.catalog.loader import Catalog
from oversight.catalog.selectors import catalog_in_force
from oversight.core.errors import NotFound
from oversight.planning import workflow
from oversight.planning.models import DrawPick, Plan, Task, TaskMode
from oversight.subjects.models import RiskGrade


def step_words() -> dict[str, str]:
    """The buttons of the workflow's steps."""
    return {
        workflow.SUBMIT: _("Submit for approval"),
        workflow.APPROVE: _("Approve"),
        workflow.RETURN: _("Return for changes"),
        workflow.PUBLISH: _("Publish"),
    }


def _catalog() -> Catalog | None:
    try:
        return catalog_in_force()
    except NotFound:
        return None


@dataclass(frozen=True)
class TaskWords:
    """A task as a page or the console tells it."""

    task: Task
    regime: str
    mode: str
    announced: str
    method: str
    window: str
    jurisdictions: str
    kinds: str
    grades: str
    subjects: list[str]
    random: bool


def announced_words(announced: bool) -> str:
    return _("Announced (明查)") if announced else _("Unannounced (暗访)")


def task_words(tasks: list[Task], catalog: Catalog | None = None) -> list[TaskWords]:
    """Each task in words (the tasks' scope prefetched: ``selectors.plan_tasks``)."""
    catalog = catalog if catalog is not None else _catalog()
    regimes = catalog.regimes if catalog else {}
    kinds = {k.code: k.name for k in catalog.header.subject_kinds} if catalog else {}
    modes = dict(TaskMode.choices)
    grades = dict(RiskGrade.choices)
    rows = []
    for task in tasks:
        regime = regimes.get(task.regime)
        methods = {m.code: m.text for m in regime.methods.items} if regime else {}
        places = [a.name for a in task.jurisdictions.all()]
        rows.append(
            TaskWords(
                task=task,
                regime=regime.title if regime else _("a regime no longer in the catalog"),
                mode=str(modes.get(task.mode, task.mode)),
                announced=announced_words(task.announced),
                method=methods.get(task.method, _("a method no longer in the catalog")),
                window=f"{task.starts_on:%Y-%m-%d} — {task.ends_on:%Y-%m-%d}",
                jurisdictions="、".join(places) or _("the whole bureau"),
                kinds="、".join(kinds.get(k, k) for k in task.subject_kinds)
                or _("every kind of the regime"),
                grades="、".join(str(grades.get(g, g)) for g in task.risk_grades)
                or _("every grade"),
                subjects=[s.name for s in task.subjects.all()],
                random=task.mode == workflow.RANDOM,
            )
        )
    return rows


def step_record(plan: Plan) -> list[tuple[str, Any, Any]]:
    """Who took each step of the plan and when, as (step in words, user, time), in order."""
    rows = [(_("Drafted"), plan.created_by, plan.created_at)]
    if plan.submitted_at:
        rows.append((_("Submitted for approval"), plan.submitted_by, plan.submitted_at))
    if plan.returned_at:
        rows.append((_("Returned for changes"), plan.returned_by, plan.returned_at))
    if plan.approved_at:
        rows.append((_("Approved"), plan.approved_by, plan.approved_at))
    if plan.published_at:
        rows.append((_("Published"), plan.published_by, plan.published_at))
    return sorted(rows, key=lambda row: row[2])


@dataclass(frozen=True)
class PickWords:
    """One member a draw took, as pages, the API and the console tell it: a subject (name,
    jurisdiction, risk grade) or an officer (name, badge number, agency; the first leads)."""

    position: int
    u: str
    subject_id: int | None
    officer_id: int | None
    name: str
    agency: str
    risk_grade: str | None
    risk_grade_words: str | None
    badge_number: str | None
    leader: bool


def pick_words(picks: list[DrawPick]) -> list[PickWords]:
    """The picks of a draw in words (``selectors.draw_picks`` loads what they need)."""
    grades = dict(RiskGrade.choices)
    rows = []
    for p in picks:
        if p.officer is not None:
            rows.append(
                PickWords(
                    position=p.position,
                    u=p.u,
                    subject_id=None,
                    officer_id=p.officer_id,
                    name=p.officer.name,
                    agency=p.officer.agency.name,
                    risk_grade=None,
                    risk_grade_words=None,
                    badge_number=p.officer.badge_number,
                    leader=p.position == 1,
                )
            )
        elif p.subject is not None:
            rows.append(
                PickWords(
                    position=p.position,
                    u=p.u,
                    subject_id=p.subject_id,
                    officer_id=None,
                    name=p.subject.name,
                    agency=p.subject.agency.name,
                    risk_grade=p.subject.risk_grade,
                    risk_grade_words=str(grades.get(p.subject.risk_grade, "")),
                    badge_number=None,
                    leader=False,
                )
            )
    return rows

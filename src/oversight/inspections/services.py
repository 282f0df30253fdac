"""Writes of inspections. For now one: record a check that took place and whose record is final,
so that the rhythms of the catalog (每月实地检查一次) can be judged; the recording workflow
(items, findings, signatures) comes with the next issue.

The order of checks is the project's: permission, then scope (the subject and the task, loaded
through the selectors: NotFound out of scope), then the values, then the rules of the domain.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from oversight import audit
from oversight.catalog.schema import Regime
from oversight.catalog.selectors import catalog_in_force
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, NotFound, require
from oversight.core.fields import clean_value
from oversight.inspections import policy
from oversight.inspections.fields import INSPECTION
from oversight.inspections.models import Inspection
from oversight.org.scope import Viewer
from oversight.planning import selectors as plan_selectors
from oversight.planning import workflow
from oversight.planning.models import Task
from oversight.planning.services.plans import version_in_force
from oversight.subjects.models import Subject
from oversight.subjects.selectors import subject_get

# --- refusals -------------------------------------------------------------------------------------


class UnknownRegime(DomainError):
    def __init__(self) -> None:
        super().__init__(_("There is no such regime in the catalog in force."), field="regime")


class NotARegimeMethod(DomainError):
    def __init__(self) -> None:
        super().__init__(_("Choose a method of the regime."), field="method")


class NotARegimeSubject(DomainError):
    def __init__(self) -> None:
        super().__init__(_("The subject is not of a kind the regime checks."), field="subject_id")


class TimesRefused(DomainError):
    MESSAGES: dict[str, Any] = {
        "not_a_time": ("started_at", _("Give the time with its time zone.")),
        "ends_before_start": ("ended_at", _("The check ends before it starts.")),
        "in_the_future": ("ended_at", _("A check is recorded once it has ended.")),
    }

    def __init__(self, problem: str) -> None:
        field, message = self.MESSAGES[problem]
        super().__init__(message, field=field)


class OwnBureau(Conflict):
    """A bureau's officers check the units under it, never the bureau itself."""

    def __init__(self) -> None:
        super().__init__(_("A bureau does not check itself."), field="subject_id")


class TaskRefused(Conflict):
    MESSAGES: dict[str, Any] = {
        "regime": _("The task is of another regime."),
        "subject": _("The task does not name this subject."),
        "undecided": _("The task's plan is not approved yet."),
    }

    def __init__(self, problem: str) -> None:
        super().__init__(self.MESSAGES[problem], field="task_id")


# --- checks ---------------------------------------------------------------------------------------


def _regime(code: str) -> Regime:
    try:
        regime = catalog_in_force().regimes.get(code)
    except NotFound:
        regime = None
    if regime is None:
        raise UnknownRegime()
    return regime


def _check_times(started_at: Any, ended_at: Any) -> None:
    for value in (started_at, ended_at):
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise TimesRefused("not_a_time")
    if ended_at < started_at:
        raise TimesRefused("ends_before_start")
    if ended_at > clock.now():
        raise TimesRefused("in_the_future")


def _check_rules(actor: Viewer, subject: Subject, regime: Regime, method: str) -> None:
    if subject.kind not in regime.objects.subject_kinds:
        raise NotARegimeSubject()
    if method not in {m.kind for m in regime.methods.items}:
        raise NotARegimeMethod()
    linked = subject.linked_agency
    if linked is not None and linked.path == actor.scope_path:
        raise OwnBureau()


def _check_task(task: Task, subject: Subject, regime: str) -> None:
    if task.regime != regime:
        raise TaskRefused("regime")
    if not task.subjects.filter(pk=subject.pk).exists():
        raise TaskRefused("subject")
    if task.plan.status not in workflow.DRAWABLE:
        raise TaskRefused("undecided")


AUDITED = (
    "subject_id",
    "regime",
    "method",
    "task_id",
    "started_at",
    "ended_at",
    "finalised_at",
    "catalog_version_id",
)


# --- the service ----------------------------------------------------------------------------------


def inspection_record_finalised(
    *,
    actor: Viewer,
    subject_id: Any,
    regime: Any,
    method: Any,
    started_at: Any,
    ended_at: Any,
    task_id: Any = None,
) -> Inspection:
    """Record a check of a subject that took place from ``started_at`` to ``ended_at`` (aware
    datetimes, ended by now), its record final now: by an inspector or leader of a bureau above
    the subject, under a regime of the catalog in force that checks the subject's kind, by a
    method kind of the regime's methods (e.g. ON_SITE), carrying out a task of an approved plan
    naming the subject, or none.

    Raises PermissionDenied, NotFound (the subject or the task out of scope), DomainError (a
    value), UnknownRegime, NotARegimeSubject, NotARegimeMethod, TimesRefused, OwnBureau,
    TaskRefused.
    """
    require(policy.may_record_inspections(actor))
    with transaction.atomic():
        subject = subject_get(viewer=actor, subject_id=subject_id)
        task = None
        if task_id not in (None, ""):
            task = plan_selectors.task_get(viewer=actor, task_id=task_id)
        values = {"regime": regime, "method": method}
        clean = {name: clean_value(INSPECTION[name], values[name]) for name in values}
        _check_times(started_at, ended_at)
        found = _regime(clean["regime"])
        _check_rules(actor, subject, found, clean["method"])
        if task is not None:
            _check_task(task, subject, found.code)
        now = clock.now()
        inspection = Inspection.objects.create(
            subject=subject,
            regime=found.code,
            method=clean["method"],
            task=task,
            started_at=started_at,
            ended_at=ended_at,
            finalised_at=now,
            catalog_version=version_in_force(),
            created_by_id=actor.pk,
            created_at=now,
        )
        after = {name: getattr(inspection, name) for name in AUDITED}
        audit.record(action="inspection.record", actor=actor, target=inspection, after=after)
    return inspection

"""Writes to the inspector pool. Each runs in one transaction and records its audit event.

The order of checks is the project's: permission (``policy.write_problem``), then scope (the
officer, the subject, the record, loaded through the selectors: NotFound out of scope), then the
values, then the pool's rules (dates, overlaps). A record is ended, never deleted; ending one that
no longer holds, or declaring what is already on record, is a Conflict, never a silent success.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oversight import audit
from oversight.core import clock
from oversight.core.errors import Conflict as AlreadyRecorded
from oversight.core.errors import DomainError, PermissionDenied, require
from oversight.core.fields import Fields, clean_value
from oversight.core.text import parse_id
from oversight.org.models import Officer
from oversight.org.scope import Viewer
from oversight.pool import policy, selectors
from oversight.pool.fields import CONFLICT, QUALIFICATION, UNAVAILABILITY
from oversight.pool.models import Conflict, RegimeQualification, Unavailability
from oversight.subjects.selectors import subject_get

DATE_PROBLEMS: dict[str, Any] = {
    "ends_before_start": gettext_lazy("The last day comes before the first."),
    "already_over": gettext_lazy("The last day is already past."),
}


def _clean(fields: Fields, values: dict[str, Any]) -> dict[str, Any]:
    return {name: clean_value(fields[name], values.get(name)) for name in fields}


def _officer_for(actor: Viewer, officer_id: Any, action: str) -> Officer:
    """Check who may act on the officer's record, load the officer in scope and lock it.

    The lock makes two writers of one officer's pool take turns, so that the overlap checks see
    each other's records.
    """
    own = actor.officer_id is not None and parse_id(officer_id) == actor.officer_id
    leader = policy.may_manage_pool(actor)
    problem = policy.write_problem(leader=leader, own=own, action=action)
    if problem == "not_permitted":
        raise PermissionDenied()
    officer = selectors.officer_get(viewer=actor, officer_id=officer_id)
    if problem == "own_record":
        raise DomainError(_("You cannot change your own standing in the pool."))
    locked = Officer.objects.select_for_update().filter(pk=officer.pk).first()
    assert locked is not None
    return officer


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    problem = policy.dates_problem(starts_on, ends_on, selectors.today())
    if problem:
        raise DomainError(DATE_PROBLEMS[problem], field="ends_on")


def _end(record: Any, actor: Viewer, *, who: str, when: str, done: Any, over: Any) -> date:
    """Mark a record ended from today on; refuse one already ended or over."""
    if record.officer_id == actor.officer_id:
        raise DomainError(_("You cannot change your own standing in the pool."))
    if record.ended_on is not None:
        raise AlreadyRecorded(done)
    if selectors.span_of(record).over_by(selectors.today()):
        raise AlreadyRecorded(over)
    record.ended_on = selectors.today()
    setattr(record, who, actor.pk)
    setattr(record, when, clock.now())
    record.save(update_fields=["ended_on", who, when])
    return record.ended_on


# --- regime qualifications ------------------------------------------------------------------------


def qualification_grant(*, actor: Viewer, officer_id: Any, **values: Any) -> RegimeQualification:
    """Let an officer of the actor's scope inspect under a regime of the catalog (leaders; never
    to themselves). ``values``: regime, starts_on (empty: today), ends_on (empty: no end), note.

    Raises PermissionDenied, NotFound (officer out of scope), DomainError (a value, an unknown
    regime, a deactivated officer, dates), Conflict (a qualification for the regime already holds
    on some of those days).
    """
    require(policy.may_manage_pool(actor))
    with transaction.atomic():
        officer = _officer_for(actor, officer_id, "grant")
        clean = _clean(QUALIFICATION, values)
        if clean["regime"] not in selectors.regime_titles():
            raise DomainError(_("There is no such regime in the catalog."), field="regime")
        if not officer.active:
            raise DomainError(_("The officer is deactivated."))
        starts_on = clean["starts_on"] or selectors.today()
        _check_dates(starts_on, clean["ends_on"])
        new = policy.Span(starts_on, clean["ends_on"])
        held = RegimeQualification.objects.filter(officer=officer, regime=clean["regime"])
        if any(policy.overlaps(new, selectors.span_of(q)) for q in held):
            raise AlreadyRecorded(
                _("The officer already holds this regime on some of these days."), field="regime"
            )
        qualification = RegimeQualification.objects.create(
            officer=officer,
            regime=clean["regime"],
            starts_on=starts_on,
            ends_on=clean["ends_on"],
            note=clean["note"],
            granted_by_id=actor.pk,
            granted_at=clock.now(),
        )
        audit.record(
            action="qualification.grant",
            actor=actor,
            target=qualification,
            after={
                "officer_id": officer.pk,
                "regime": qualification.regime,
                "starts_on": starts_on,
                "ends_on": qualification.ends_on,
                "note": qualification.note,
            },
        )
    return qualification


def qualification_revoke(*, actor: Viewer, qualification_id: Any) -> RegimeQualification:
    """Revoke a regime qualification from today on (leaders, inside their scope; not their own).
    It stays on record. Raises PermissionDenied, NotFound, Conflict (already revoked, or over).
    """
    require(policy.may_manage_pool(actor))
    with transaction.atomic():
        qualification = selectors.qualification_get(
            viewer=actor, qualification_id=qualification_id, for_update=True
        )
        ended_on = _end(
            qualification,
            actor,
            who="revoked_by_id",
            when="revoked_at",
            done=_("This qualification has already been revoked."),
            over=_("This qualification has already expired."),
        )
        audit.record(
            action="qualification.revoke",
            actor=actor,
            target=qualification,
            before={"ended_on": None},
            after={"ended_on": ended_on},
        )
    return qualification


# --- unavailability -------------------------------------------------------------------------------


def unavailability_record(*, actor: Viewer, officer_id: Any, **values: Any) -> Unavailability:
    """Record that an officer of the actor's scope is away (leave, secondment, training …) on
    some days (leaders; not their own: leave is approved by someone else). ``values``: kind,
    starts_on, ends_on (empty: until further notice), reason.

    Raises PermissionDenied, NotFound, DomainError (a value, dates), Conflict (the officer is
    already recorded away on some of those days).
    """
    require(policy.may_manage_pool(actor))
    with transaction.atomic():
        officer = _officer_for(actor, officer_id, "record_unavailability")
        clean = _clean(UNAVAILABILITY, values)
        _check_dates(clean["starts_on"], clean["ends_on"])
        new = policy.Span(clean["starts_on"], clean["ends_on"])
        if any(policy.overlaps(new, selectors.span_of(u)) for u in officer.unavailability.all()):
            raise AlreadyRecorded(
                _("The officer is already recorded away on some of these days."),
                field="starts_on",
            )
        away = Unavailability.objects.create(
            officer=officer,
            recorded_by_id=actor.pk,
            recorded_at=clock.now(),
            **clean,
        )
        audit.record(
            action="unavailability.record",
            actor=actor,
            target=away,
            after={"officer_id": officer.pk, **clean},
        )
    return away


def unavailability_end(*, actor: Viewer, unavailability_id: Any) -> Unavailability:
    """End a spell of unavailability: the officer is available again from today (a spell not yet
    begun is cancelled). Leaders, inside their scope, not their own. Raises PermissionDenied,
    NotFound, Conflict (already ended, or over)."""
    require(policy.may_manage_pool(actor))
    with transaction.atomic():
        away = selectors.unavailability_get(
            viewer=actor, unavailability_id=unavailability_id, for_update=True
        )
        ended_on = _end(
            away,
            actor,
            who="ended_by_id",
            when="ended_at",
            done=_("This absence has already been ended."),
            over=_("This absence is already over."),
        )
        audit.record(
            action="unavailability.end",
            actor=actor,
            target=away,
            before={"ended_on": None},
            after={"ended_on": ended_on},
        )
    return away


# --- conflicts ------------------------------------------------------------------------------------


def conflict_declare(*, actor: Viewer, officer_id: Any, **values: Any) -> Conflict:
    """Declare that an officer has a conflict with a subject: from then on the officer is never
    drawn for it while the conflict holds. The officer declares their own; a leader records one
    for an officer of their scope. The subject must be in the actor's scope. ``values``:
    subject_id, kind, starts_on (empty: always), ends_on (empty: no end), note.

    Raises PermissionDenied, NotFound (officer or subject out of scope), DomainError (a value,
    dates), Conflict (the same kind of conflict with the subject already holds on some days).
    """
    require(policy.may_declare_conflict(actor))
    with transaction.atomic():
        officer = _officer_for(actor, officer_id, policy.DECLARE)
        subject_id = clean_value(CONFLICT["subject_id"], values.get("subject_id"))
        subject = subject_get(viewer=actor, subject_id=subject_id)
        clean = _clean(CONFLICT.without("subject_id"), values)
        _check_dates(clean["starts_on"], clean["ends_on"])
        new = policy.Span(clean["starts_on"], clean["ends_on"])
        same = Conflict.objects.filter(officer=officer, subject=subject, kind=clean["kind"])
        if any(policy.overlaps(new, selectors.span_of(c)) for c in same):
            raise AlreadyRecorded(
                _("This conflict with the subject is already on record."), field="subject_id"
            )
        conflict = Conflict.objects.create(
            officer=officer,
            subject=subject,
            declared_by_id=actor.pk,
            declared_at=clock.now(),
            **clean,
        )
        audit.record(
            action="conflict.declare",
            actor=actor,
            target=conflict,
            after={"officer_id": officer.pk, "subject_id": subject.pk, **clean},
        )
    return conflict


def conflict_end(*, actor: Viewer, conflict_id: Any) -> Conflict:
    """End a conflict from today on: the officer may be drawn for the subject again. Leaders,
    inside their scope, never their own (it would put them back into draws for the subject).
    Raises PermissionDenied, NotFound, Conflict (already ended, or over)."""
    require(policy.may_manage_pool(actor))
    with transaction.atomic():
        conflict = selectors.conflict_get(viewer=actor, conflict_id=conflict_id, for_update=True)
        ended_on = _end(
            conflict,
            actor,
            who="ended_by_id",
            when="ended_at",
            done=_("This conflict has already been ended."),
            over=_("This conflict is already over."),
        )
        audit.record(
            action="conflict.end",
            actor=actor,
            target=conflict,
            before={"ended_on": None},
            after={"ended_on": ended_on},
        )
    return conflict

"""Officers and liaisons: registered, edited, moved, deactivated; never deleted."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oversight import audit
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, require
from oversight.core.fields import clean_value
from oversight.org import policy, selectors
from oversight.org.fields import AGENCY_REF, LIAISON, LIAISON_REF, OFFICER, OFFICER_REF
from oversight.org.models import Liaison, Officer, Qualification, User
from oversight.org.scope import Viewer
from oversight.org.services._common import (
    active_department,
    check_username,
    create_audited,
    require_active,
    scoped_agency,
    scoped_officer,
    set_active_audited,
    snapshot,
)
from oversight.org.tree import bureau_of

OFFICER_FIELDS = (
    "name",
    "badge_number",
    "warrant_number",
    "agency_id",
    "department_id",
    "title",
    "phone",
    "qualification",
    "qualification_expires_on",
    "active",
)
# The fields an officer's details are given in, as officer_create and officer_update take them.
DETAIL_FIELDS = (
    "name",
    "badge_number",
    "warrant_number",
    "title",
    "phone",
    "qualification",
    "qualification_expires_on",
)

_SAME = (
    gettext_lazy("The officer is already active."),
    gettext_lazy("The officer is already deactivated."),
)
QUALIFICATION_RULES = {
    "expiry_without_level": gettext_lazy("An officer without a qualification has no expiry date."),
    "already_expired": gettext_lazy(
        "This date has passed: an expired qualification is recorded as none."
    ),
}


def _details(values: dict[str, Any]) -> dict[str, Any]:
    """Clean an officer's details and check the qualification against today's date."""
    clean = {name: clean_value(OFFICER[name], values[name]) for name in DETAIL_FIELDS}
    problem = policy.qualification_problem(
        clean["qualification"], clean["qualification_expires_on"], clock.now().date()
    )
    if problem:
        field, rule = problem
        raise DomainError(QUALIFICATION_RULES[rule], field=field)
    return clean


def _check_unique(details: dict[str, Any], exclude_pk: int | None = None) -> None:
    others = Officer.objects.exclude(pk=exclude_pk) if exclude_pk else Officer.objects.all()
    if others.filter(badge_number=details["badge_number"]).exists():
        raise Conflict(_("This badge number is already registered."), field="badge_number")
    if others.filter(warrant_number=details["warrant_number"]).exists():
        raise Conflict(_("This warrant number is already registered."), field="warrant_number")


def officer_create(
    *,
    actor: Viewer | None,
    username: str,
    name: str,
    badge_number: str,
    warrant_number: str,
    agency_id: Any,
    department_id: Any = None,
    title: str = "",
    phone: str = "",
    qualification: str = Qualification.NONE,
    qualification_expires_on: date | str | None = None,
) -> Officer:
    """Register an officer with a login account that has no password yet.

    The account is opened through an activation (see ``docs/accounts.md``); the security
    administrator grants roles. Raises PermissionDenied, NotFound (agency out of scope),
    DomainError, Conflict.
    """
    if actor is not None:
        require(policy.may_manage_org(actor))
    with transaction.atomic():
        agency = scoped_agency(actor, AGENCY_REF, agency_id)
        require_active(agency, "agency_id")
        department = active_department(actor, OFFICER["department_id"], department_id)
        username = check_username(username)
        details = _details(locals())
        _check_unique(details)
        if User.objects.filter(username=username).exists():
            raise Conflict(_("This user name is taken."), field="username")
        user = User(username=username, display_name=details["name"], must_change_password=True)
        user.set_unusable_password()
        user.save()
        return create_audited(
            Officer,
            actor=actor,
            action="officer.create",
            audited=OFFICER_FIELDS,
            also={"username": username},
            user=user,
            agency=agency,
            department=department,
            **details,
        )


def _officer_and_agency(actor: Viewer, officer_id: Any, agency_id: Any) -> tuple[Officer, Any]:
    """Load the officer and the agency named, in scope; refuse a change to one's own record."""
    officer = scoped_officer(actor, OFFICER_REF, officer_id)
    agency = scoped_agency(actor, AGENCY_REF, agency_id)
    if officer.pk == actor.officer_id:
        raise DomainError(_("Your own record is kept by another leader."))
    return officer, agency


def officer_update(
    *,
    actor: Viewer,
    officer_id: Any,
    name: str,
    badge_number: str,
    warrant_number: str,
    agency_id: Any,
    department_id: Any,
    title: str,
    phone: str,
    qualification: str,
    qualification_expires_on: date | str | None,
) -> Officer:
    """Change an officer's details or move them to another agency inside the actor's scope.

    No one edits their own record: a leader's details, qualification and post are kept by
    another leader, as no one grants themselves a role.
    """
    require(policy.may_manage_org(actor))
    with transaction.atomic():
        officer, agency = _officer_and_agency(actor, officer_id, agency_id)
        if agency.pk != officer.agency_id:
            require_active(agency, "agency_id")
            if bureau_of(agency).pk != bureau_of(officer.agency).pk:
                raise DomainError(
                    _("A move to another bureau is a transfer, made by a leader above both."),
                    field="agency_id",
                )
        department = active_department(actor, OFFICER["department_id"], department_id)
        details = _details(locals())
        _check_unique(details, exclude_pk=officer.pk)
        before = snapshot(officer, OFFICER_FIELDS)
        for field, value in details.items():
            setattr(officer, field, value)
        officer.agency, officer.department = agency, department
        officer.updated_at = clock.now()
        officer.save()
        if officer.user.display_name != officer.name:
            User.objects.filter(pk=officer.user_id).update(display_name=officer.name)
        after = snapshot(officer, OFFICER_FIELDS)
        if after != before:
            audit.record(
                action="officer.update", actor=actor, target=officer, before=before, after=after
            )
    return officer


def officer_transfer(*, actor: Viewer, officer_id: Any, agency_id: Any) -> Officer:
    """Transfer an officer to an agency of another bureau (调动), which changes their scope.

    Only a leader whose scope holds both the officer and the new agency (so, above both
    bureaus), never for themselves. Ends the officer's liaison appointments, which belong to
    the bureau they leave.
    """
    require(policy.may_manage_org(actor))
    with transaction.atomic():
        officer, agency = _officer_and_agency(actor, officer_id, agency_id)
        require_active(agency, "agency_id")
        if not officer.active:
            raise DomainError(_("Reactivate the officer first."))
        if bureau_of(agency).pk == bureau_of(officer.agency).pk:
            raise DomainError(
                _("The agency is in the same bureau: change it on the officer's page."),
                field="agency_id",
            )
        before = {"agency_id": officer.agency_id}
        officer.agency, officer.updated_at = agency, clock.now()
        officer.save(update_fields=["agency", "updated_at"])
        ended = _end_liaisons(officer)
        audit.record(
            action="officer.transfer",
            actor=actor,
            target=officer,
            before=before,
            after={"agency_id": agency.pk},
            detail={"liaisons_ended": ended} if ended else None,
        )
    return officer


def _end_liaisons(officer: Officer) -> list[int]:
    """End the officer's active liaison appointments; return their ids."""
    ended = list(Liaison.objects.filter(officer=officer, active=True).values_list("pk", flat=True))
    Liaison.objects.filter(pk__in=ended).update(active=False, updated_at=clock.now())
    return ended


def officer_set_active(*, actor: Viewer, officer_id: Any, active: bool) -> Officer:
    """Deactivate (or reactivate) an officer and their login account; never delete.

    Deactivating ends the officer's liaison appointments.
    """
    require(policy.may_manage_org(actor))
    with transaction.atomic():
        officer = scoped_officer(actor, OFFICER_REF, officer_id)
        if officer.pk == actor.officer_id:
            raise DomainError(_("You cannot deactivate your own account."))
        if active:
            require_active(officer.agency, "agency_id")
        ended = [] if active or not officer.active else _end_liaisons(officer)
        action = "officer.activate" if active else "officer.deactivate"
        detail = {"liaisons_ended": ended} if ended else None
        set_active_audited(
            officer, actor, action=action, active=active, already=_SAME, detail=detail
        )
        User.objects.filter(pk=officer.user_id).update(is_active=active)
    return officer


# --- liaisons --------------------------------------------------------------------------------


def liaison_appoint(
    *,
    actor: Viewer | None,
    agency_id: Any,
    department_id: Any,
    officer_id: Any,
    phone: str = "",
    appointed_on: date | None = None,
) -> Liaison:
    """Name an officer of the agency's subtree as its liaison for a department's work.

    Replaces the agency's active liaison for that department, if any.
    """
    if actor is not None:
        require(policy.may_manage_org(actor))
    with transaction.atomic():
        agency = scoped_agency(actor, AGENCY_REF, agency_id)
        officer = scoped_officer(actor, OFFICER_REF, officer_id)
        department = active_department(actor, LIAISON["department_id"], department_id)
        assert department is not None  # required by the declaration
        phone = clean_value(LIAISON["phone"], phone)
        if not officer.active or not officer.agency.path.startswith(agency.path):
            raise DomainError(
                _("The liaison must be an active officer of this agency."), field="officer_id"
            )
        replaced = list(Liaison.objects.filter(agency=agency, department=department, active=True))
        Liaison.objects.filter(pk__in=[old.pk for old in replaced]).update(
            active=False, updated_at=clock.now()
        )
        return create_audited(
            Liaison,
            actor=actor,
            action="liaison.appoint",
            audited=("agency_id", "department_id", "officer_id"),
            before={"officer_ids": [old.officer_id for old in replaced]},
            agency=agency,
            department=department,
            officer=officer,
            phone=phone,
            appointed_on=appointed_on or clock.now().date(),
        )


def liaison_end(*, actor: Viewer, liaison_id: Any) -> Liaison:
    """End a liaison appointment; refuses one that has already ended."""
    require(policy.may_manage_org(actor))
    with transaction.atomic():
        liaison = selectors.liaison_get(
            viewer=actor, liaison_id=clean_value(LIAISON_REF, liaison_id)
        )
        if not liaison.active:
            raise Conflict(_("This appointment has already ended."))
        liaison.active, liaison.updated_at = False, clock.now()
        liaison.save(update_fields=["active", "updated_at"])
        audit.record(action="liaison.end", actor=actor, target=liaison, after={"active": False})
    return liaison

"""Officers and liaisons: registered, edited, moved, deactivated; never deleted."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from oversight import audit
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, NotFound
from oversight.org import selectors
from oversight.org.models import Agency, Department, Liaison, Officer, Qualification, User
from oversight.org.policy import BADGE_NUMBER, WARRANT_NUMBER
from oversight.org.scope import Viewer
from oversight.org.services._common import check_username, choice, require_org_manager, snapshot

# --- officers --------------------------------------------------------------------------------

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


def _check_officer_values(
    *,
    name: str,
    badge_number: str,
    warrant_number: str,
    qualification: str,
    department_id: int | None,
    exclude_pk: int | None = None,
) -> None:
    if not name.strip():
        raise DomainError(_("A name is required."), field="name")
    if not BADGE_NUMBER.match(badge_number):
        raise DomainError(_("A badge number has six digits."), field="badge_number")
    if not WARRANT_NUMBER.match(warrant_number):
        raise DomainError(
            _("A warrant number has 6–20 digits or upper-case letters."), field="warrant_number"
        )
    choice(qualification, Qualification, "qualification")
    if department_id is not None and not Department.objects.filter(pk=department_id).exists():
        raise DomainError(_("Unknown department."), field="department")
    others = Officer.objects.exclude(pk=exclude_pk) if exclude_pk else Officer.objects.all()
    if others.filter(badge_number=badge_number).exists():
        raise Conflict(_("This badge number is already registered."), field="badge_number")
    if others.filter(warrant_number=warrant_number).exists():
        raise Conflict(_("This warrant number is already registered."), field="warrant_number")


def officer_create(
    *,
    actor: Viewer | None,
    username: str,
    name: str,
    badge_number: str,
    warrant_number: str,
    agency_id: int,
    department_id: int | None = None,
    title: str = "",
    phone: str = "",
    qualification: str = Qualification.NONE,
    qualification_expires_on: date | None = None,
) -> Officer:
    """Register an officer with a login account that has no password yet.

    The system administrator sets the first password; the security administrator grants roles.
    """
    if actor is not None:
        # Before any check that could tell a caller which badge or user names exist.
        require_org_manager(actor)
    username = username.strip()
    check_username(username)
    _check_officer_values(
        name=name,
        badge_number=badge_number,
        warrant_number=warrant_number,
        qualification=qualification,
        department_id=department_id,
    )
    with transaction.atomic():
        if actor is not None:
            agency = selectors.agency_get(viewer=actor, agency_id=agency_id)
        else:
            found = Agency.objects.filter(pk=agency_id).first()
            if found is None:
                raise NotFound()
            agency = found
        if not agency.active:
            raise DomainError(_("The agency is deactivated."), field="agency")
        if User.objects.filter(username=username).exists():
            raise Conflict(_("This user name is taken."), field="username")
        now = clock.now()
        user = User(username=username, display_name=name.strip(), must_change_password=True)
        user.set_unusable_password()
        user.save()
        officer = Officer.objects.create(
            user=user,
            name=name.strip(),
            badge_number=badge_number,
            warrant_number=warrant_number,
            agency=agency,
            department_id=department_id,
            title=title.strip(),
            phone=phone.strip(),
            qualification=qualification,
            qualification_expires_on=qualification_expires_on,
            created_at=now,
            updated_at=now,
        )
        audit.record(
            action="officer.create",
            actor=actor,
            target=officer,
            after={"username": username, **snapshot(officer, OFFICER_FIELDS)},
        )
    return officer


def officer_update(
    *,
    actor: Viewer,
    officer_id: int,
    name: str,
    badge_number: str,
    warrant_number: str,
    agency_id: int,
    department_id: int | None,
    title: str,
    phone: str,
    qualification: str,
    qualification_expires_on: date | None,
) -> Officer:
    """Change an officer's details or move them to another agency inside the actor's scope."""
    require_org_manager(actor)
    _check_officer_values(
        name=name,
        badge_number=badge_number,
        warrant_number=warrant_number,
        qualification=qualification,
        department_id=department_id,
        exclude_pk=officer_id,
    )
    with transaction.atomic():
        officer = selectors.officer_get(viewer=actor, officer_id=officer_id)
        agency = selectors.agency_get(viewer=actor, agency_id=agency_id)
        if not agency.active:
            raise DomainError(_("The agency is deactivated."), field="agency")
        before = snapshot(officer, OFFICER_FIELDS)
        officer.name, officer.badge_number, officer.warrant_number = (
            name.strip(),
            badge_number,
            warrant_number,
        )
        officer.agency, officer.department_id = agency, department_id
        officer.title, officer.phone = title.strip(), phone.strip()
        officer.qualification = qualification
        officer.qualification_expires_on = qualification_expires_on
        officer.updated_at = clock.now()
        officer.save()
        audit.record(
            action="officer.update",
            actor=actor,
            target=officer,
            before=before,
            after=snapshot(officer, OFFICER_FIELDS),
        )
    return officer


def officer_set_active(*, actor: Viewer, officer_id: int, active: bool) -> Officer:
    """Deactivate (or reactivate) an officer and their login account; never delete."""
    require_org_manager(actor)
    with transaction.atomic():
        officer = selectors.officer_get(viewer=actor, officer_id=officer_id)
        if officer.pk == actor.officer_id:
            raise DomainError(_("You cannot deactivate your own account."))
        if active and not officer.agency.active:
            raise DomainError(_("The agency is deactivated."), field="agency")
        if officer.active == active:
            return officer
        officer.active, officer.updated_at = active, clock.now()
        officer.save(update_fields=["active", "updated_at"])
        User.objects.filter(pk=officer.user_id).update(is_active=active)
        if not active:
            Liaison.objects.filter(officer=officer, active=True).update(
                active=False, updated_at=officer.updated_at
            )
        audit.record(
            action="officer.activate" if active else "officer.deactivate",
            actor=actor,
            target=officer,
            before={"active": not active},
            after={"active": active},
        )
    return officer


# --- liaisons --------------------------------------------------------------------------------


def liaison_appoint(
    *,
    actor: Viewer | None,
    agency_id: int,
    department_id: int,
    officer_id: int,
    phone: str = "",
    appointed_on: date | None = None,
) -> Liaison:
    """Name an officer of the agency's subtree as its liaison for a department's work.

    Replaces the agency's active liaison for that department, if any.
    """
    with transaction.atomic():
        if actor is not None:
            agency = selectors.agency_get(viewer=actor, agency_id=agency_id)
            officer = selectors.officer_get(viewer=actor, officer_id=officer_id)
        else:
            agency = Agency.objects.get(pk=agency_id)
            officer = Officer.objects.select_related("agency").get(pk=officer_id)
        department = Department.objects.filter(pk=department_id, active=True).first()
        if department is None:
            raise DomainError(_("Unknown department."), field="department")
        if not officer.active or not officer.agency.path.startswith(agency.path):
            raise DomainError(
                _("The liaison must be an active officer of this agency."), field="officer"
            )
        now = clock.now()
        replaced = list(Liaison.objects.filter(agency=agency, department=department, active=True))
        for old in replaced:
            old.active, old.updated_at = False, now
            old.save(update_fields=["active", "updated_at"])
        liaison = Liaison.objects.create(
            agency=agency,
            department=department,
            officer=officer,
            phone=phone.strip(),
            appointed_on=appointed_on or clock.now().date(),
            created_at=now,
            updated_at=now,
        )
        audit.record(
            action="liaison.appoint",
            actor=actor,
            target=liaison,
            before={"officer_ids": [o.officer_id for o in replaced]},
            after={
                "agency_id": agency.pk,
                "department_id": department.pk,
                "officer_id": officer.pk,
            },
        )
    return liaison


def liaison_end(*, actor: Viewer, liaison_id: int) -> Liaison:
    require_org_manager(actor)
    with transaction.atomic():
        liaison = selectors.liaison_get(viewer=actor, liaison_id=liaison_id)
        if liaison.active:
            liaison.active, liaison.updated_at = False, clock.now()
            liaison.save(update_fields=["active", "updated_at"])
            audit.record(action="liaison.end", actor=actor, target=liaison, after={"active": False})
    return liaison

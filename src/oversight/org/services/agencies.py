"""Agencies and departments: created, edited, deactivated; never deleted."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from oversight import audit
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from oversight.org import selectors
from oversight.org.models import Agency, AgencyKind, AgencyLevel, Department
from oversight.org.policy import AGENCY_CODE, DEPARTMENT_CODE, DIVISION_CODE, child_path
from oversight.org.scope import Viewer
from oversight.org.services._common import choice, require_org_manager, snapshot

# --- agencies --------------------------------------------------------------------------------

AGENCY_FIELDS = ("code", "name", "kind", "level", "division_code", "parent_id", "department_id")


def _check_agency_values(
    *, name: str, kind: str, level: str, division_code: str, department_id: int | None
) -> None:
    if not name.strip():
        raise DomainError(_("A name is required."), field="name")
    choice(kind, AgencyKind, "kind")
    choice(level, AgencyLevel, "level")
    if not DIVISION_CODE.match(division_code):
        raise DomainError(
            _("An administrative-division code has six digits, e.g. 130602."),
            field="division_code",
        )
    if department_id is not None and not Department.objects.filter(pk=department_id).exists():
        raise DomainError(_("Unknown department."), field="department")


def agency_create(
    *,
    actor: Viewer | None,
    code: str,
    name: str,
    kind: str,
    level: str,
    division_code: str,
    parent_id: int | None,
    department_id: int | None = None,
) -> Agency:
    """Create an agency under ``parent_id`` (inside the actor's scope).

    ``actor`` None is the system itself (``oversight init`` / ``demo``), which may create roots.
    Raises DomainError (bad values), PermissionDenied, NotFound (parent out of scope), Conflict.
    """
    code = code.strip().upper()
    if actor is not None:
        require_org_manager(actor)
    if not AGENCY_CODE.match(code):
        raise DomainError(
            _(
                "A code has 2–32 upper-case letters, digits or hyphens, "
                "and starts with a letter or digit."
            ),
            field="code",
        )
    _check_agency_values(
        name=name, kind=kind, level=level, division_code=division_code, department_id=department_id
    )
    with transaction.atomic():
        if actor is not None:
            if parent_id is None:
                raise DomainError(_("Choose the parent agency."), field="parent")
            parent: Agency | None = selectors.agency_get(viewer=actor, agency_id=parent_id)
        else:
            parent = Agency.objects.filter(pk=parent_id).first() if parent_id else None
            if parent_id and parent is None:
                raise NotFound()
        if parent is not None and not parent.active:
            raise DomainError(_("The parent agency is deactivated."), field="parent")
        if Agency.objects.filter(code=code).exists():
            raise Conflict(_("The code %(code)s is already used.") % {"code": code}, field="code")
        if Agency.objects.filter(parent=parent, name=name.strip()).exists():
            raise Conflict(_("A sibling agency already has this name."), field="name")
        now = clock.now()
        agency = Agency.objects.create(
            code=code,
            name=name.strip(),
            kind=kind,
            level=level,
            division_code=division_code,
            parent=parent,
            path=child_path(parent.path if parent else None, code),
            depth=(parent.depth + 1) if parent else 0,
            department_id=department_id,
            created_at=now,
            updated_at=now,
        )
        audit.record(
            action="agency.create",
            actor=actor,
            target=agency,
            after=snapshot(agency, AGENCY_FIELDS),
        )
    return agency


def agency_update(
    *,
    actor: Viewer,
    agency_id: int,
    name: str,
    kind: str,
    level: str,
    division_code: str,
    department_id: int | None,
) -> Agency:
    """Change an agency's name, kind, level, division code or department (code and place stay)."""
    require_org_manager(actor)
    _check_agency_values(
        name=name, kind=kind, level=level, division_code=division_code, department_id=department_id
    )
    with transaction.atomic():
        agency = selectors.agency_get(viewer=actor, agency_id=agency_id)
        before = snapshot(agency, AGENCY_FIELDS)
        name = name.strip()
        if (
            Agency.objects.filter(parent_id=agency.parent_id, name=name)
            .exclude(pk=agency.pk)
            .exists()
        ):
            raise Conflict(_("A sibling agency already has this name."), field="name")
        agency.name, agency.kind, agency.level = name, kind, level
        agency.division_code, agency.department_id = division_code, department_id
        agency.updated_at = clock.now()
        agency.save()
        audit.record(
            action="agency.update",
            actor=actor,
            target=agency,
            before=before,
            after=snapshot(agency, AGENCY_FIELDS),
        )
    return agency


def agency_set_active(*, actor: Viewer, agency_id: int, active: bool) -> Agency:
    """Deactivate or reactivate an agency; never delete. Refuses while it has active members."""
    require_org_manager(actor)
    with transaction.atomic():
        agency = selectors.agency_get(viewer=actor, agency_id=agency_id)
        if agency.path == actor.scope_path and not active:
            raise DomainError(_("You cannot deactivate your own bureau."))
        if not active:
            if agency.children.filter(active=True).exists():
                raise DomainError(_("Deactivate or move its active sub-units first."))
            if agency.officers.filter(active=True).exists():
                raise DomainError(_("Move or deactivate its active officers first."))
        elif agency.parent is not None and not agency.parent.active:
            raise DomainError(_("Reactivate the parent agency first."))
        if agency.active == active:
            return agency
        agency.active = active
        agency.updated_at = clock.now()
        agency.save(update_fields=["active", "updated_at"])
        audit.record(
            action="agency.activate" if active else "agency.deactivate",
            actor=actor,
            target=agency,
            before={"active": not active},
            after={"active": active},
        )
    return agency


# --- departments -----------------------------------------------------------------------------


def department_save(
    *, actor: Viewer | None, code: str, name: str, department_id: int | None = None
) -> Department:
    """Create a department, or rename one. City-level leaders only (or the system, actor None)."""
    if actor is not None and not actor.can_manage_departments:
        raise PermissionDenied()
    code, name = code.strip().upper(), name.strip()
    if not DEPARTMENT_CODE.match(code):
        raise DomainError(
            _(
                "A department code has 2–20 upper-case letters, digits or underscores, "
                "and starts with a letter."
            ),
            field="code",
        )
    if not name:
        raise DomainError(_("A name is required."), field="name")
    with transaction.atomic():
        now = clock.now()
        others = Department.objects.exclude(pk=department_id) if department_id else None
        others = others if others is not None else Department.objects.all()
        if others.filter(code=code).exists():
            raise Conflict(_("The code %(code)s is already used.") % {"code": code}, field="code")
        if others.filter(name=name).exists():
            raise Conflict(_("This name is already used."), field="name")
        if department_id is None:
            dept = Department.objects.create(code=code, name=name, created_at=now, updated_at=now)
            audit.record(
                action="department.create",
                actor=actor,
                target=dept,
                after={"code": code, "name": name},
            )
            return dept
        found = Department.objects.filter(pk=department_id).first()
        if found is None:
            raise NotFound()
        dept = found
        before = {"code": dept.code, "name": dept.name}
        dept.code, dept.name, dept.updated_at = code, name, now
        dept.save()
        audit.record(
            action="department.update",
            actor=actor,
            target=dept,
            before=before,
            after={"code": code, "name": name},
        )
        return dept


def department_set_active(*, actor: Viewer, department_id: int, active: bool) -> Department:
    if not actor.can_manage_departments:
        raise PermissionDenied()
    with transaction.atomic():
        dept = Department.objects.filter(pk=department_id).first()
        if dept is None:
            raise NotFound()
        if dept.active != active:
            dept.active, dept.updated_at = active, clock.now()
            dept.save(update_fields=["active", "updated_at"])
            audit.record(
                action="department.activate" if active else "department.deactivate",
                actor=actor,
                target=dept,
                after={"active": active},
            )
    return dept

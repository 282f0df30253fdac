"""Helpers shared by the organisation services: loading rows in the actor's scope, snapshots."""

from __future__ import annotations

from typing import Any, TypeVar

from django.utils.translation import gettext as _

from oversight import audit
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, NotFound
from oversight.core.fields import FieldSpec, clean_value
from oversight.org import selectors
from oversight.org.fields import OFFICER
from oversight.org.models import Agency, Department, Officer
from oversight.org.policy import Place
from oversight.org.scope import Viewer

M = TypeVar("M")


def check_username(username: str) -> str:
    """Return a clean user name (letters, digits, @.+-_) or raise DomainError on "username"."""
    return str(clean_value(OFFICER["username"], username))


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def create_audited(
    model: type[M],
    *,
    actor: Any,
    action: str,
    audited: tuple[str, ...],
    before: dict[str, Any] | None = None,
    also: dict[str, Any] | None = None,
    **values: Any,
) -> M:
    """Create a row stamped now and record ``action`` with the ``audited`` fields it holds.

    ``also`` adds to what the event records after the change (e.g. the new user name).
    """
    now = clock.now()
    row = model.objects.create(created_at=now, updated_at=now, **values)  # type: ignore[attr-defined]
    after = {**(also or {}), **snapshot(row, audited)}
    audit.record(action=action, actor=actor, target=row, before=before, after=after)
    return row


def set_active_audited(
    row: Any,
    actor: Any,
    *,
    action: str,
    active: bool,
    already: tuple[Any, Any],
    field: str = "active",
    detail: dict[str, Any] | None = None,
) -> None:
    """Switch a row's active flag and record ``action`` (its activate or deactivate).

    ``already`` holds the refusals (already active, already deactivated): a switch to the state
    a row is in is a Conflict, never a silent success.
    """
    if getattr(row, field) == active:
        raise Conflict(already[0] if active else already[1])
    setattr(row, field, active)
    fields = [field]
    if hasattr(row, "updated_at"):
        row.updated_at = clock.now()
        fields.append("updated_at")
    row.save(update_fields=fields)
    audit.record(
        action=action,
        actor=actor,
        target=row,
        before={field: not active},
        after={field: active},
        detail=detail,
    )


def scoped_agency(actor: Viewer | None, spec: FieldSpec, raw: Any) -> Agency:
    """Return the agency ``raw`` names if the actor may see it (the system sees all); else 404."""
    agency_id = clean_value(spec, raw)
    if actor is not None:
        return selectors.agency_get(viewer=actor, agency_id=agency_id)
    found = Agency.objects.filter(pk=agency_id).first()
    if found is None:
        raise NotFound()
    return found


def scoped_officer(actor: Viewer | None, spec: FieldSpec, raw: Any) -> Officer:
    officer_id = clean_value(spec, raw)
    if actor is not None:
        return selectors.officer_get(viewer=actor, officer_id=officer_id)
    found = Officer.objects.select_related("agency").filter(pk=officer_id).first()
    if found is None:
        raise NotFound()
    return found


def active_department(actor: Viewer | None, spec: FieldSpec, raw: Any) -> Department | None:
    """Return the active department ``raw`` names, None for none (if optional); else refuse."""
    department_id = clean_value(spec, raw)
    if department_id is None:
        return None
    if actor is not None:
        department = selectors.department_get(viewer=actor, department_id=department_id)
    else:
        found = Department.objects.filter(pk=department_id).first()
        if found is None:
            raise NotFound()
        department = found
    if not department.active:
        raise DomainError(_("The department is deactivated."), field=spec.name)
    return department


def require_active(agency: Agency, field: str) -> None:
    if not agency.active:
        raise DomainError(_("The agency is deactivated."), field=field)


def place_of(agency: Agency | None) -> Place | None:
    if agency is None:
        return None
    return Place(
        code=agency.code,
        kind=agency.kind,
        level=agency.level,
        depth=agency.depth,
        division_code=agency.division_code,
    )

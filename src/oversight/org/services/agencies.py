"""Agencies and departments: created, edited, deactivated; never deleted.

The tree decides an agency's level, and its kind and place decide whose scope it roots, so no
ordinary edit touches them: kind and division code change only strictly below the actor's own
bureau, and never to or from a bureau (``oversight.org.policy``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oversight import audit
from oversight.core import clock, events
from oversight.core.errors import Conflict, DomainError, NotFound, require
from oversight.core.fields import clean_value
from oversight.org import policy
from oversight.org.fields import AGENCY, AGENCY_REF, DEPARTMENT_FIELDS, DEPARTMENT_REF, DIVISION
from oversight.org.models import Agency, AgencyLevel, Department
from oversight.org.scope import Viewer
from oversight.org.services._common import (
    active_department,
    create_audited,
    place_of,
    require_active,
    scoped_agency,
    set_active_audited,
    snapshot,
)
from oversight.org.tree import bureau_of

AGENCY_FIELDS = ("code", "name", "kind", "level", "division_code", "parent_id", "department_id")

PLACEMENT_RULES = {
    "root_is_city_bureau": gettext_lazy("The root of the tree is the city bureau."),
    "bureau_only_under_city": gettext_lazy(
        "A public security bureau stands directly under the city bureau; create a unit instead."
    ),
    "code_follows_parent": gettext_lazy(
        "The code starts with the parent's code and a hyphen, e.g. %(example)s."
    ),
    "division_outside_area": gettext_lazy(
        "The administrative-division code lies outside the bureau's area (%(area)s)."
    ),
    "bureau_fixed": gettext_lazy(
        "A bureau roots the scope of everyone in it: it cannot become a unit, nor a unit a bureau."
    ),
    "not_below_own_bureau": gettext_lazy(
        "Kind and division code are changed by a leader above the agency, not at or above your "
        "own bureau."
    ),
    "level_follows_tree": gettext_lazy("The level follows from the place in the tree: %(level)s."),
}


_ALREADY = (
    gettext_lazy("The agency is already active."),
    gettext_lazy("The agency is already deactivated."),
)
_SAME = (
    gettext_lazy("The department is already active."),
    gettext_lazy("The department is already deactivated."),
)


def _refuse(field: str, rule: str, **params: Any) -> DomainError:
    return DomainError(str(PLACEMENT_RULES[rule]) % params, field=field)


def _bureau(agency: Agency | None) -> Agency | None:
    return bureau_of(agency) if agency is not None else None


def agency_create(
    *,
    actor: Viewer | None,
    code: str,
    name: str,
    kind: str,
    parent_id: Any,
    level: str = "",
    division_code: str = "",
    department_id: Any = None,
) -> Agency:
    """Create an agency under ``parent_id``, inside the actor's scope, where the tree allows it.

    ``actor`` None is the system itself (``oversight init`` / ``demo``), which alone creates the
    root. ``level`` and ``division_code`` may be left empty: the tree gives them.
    Raises PermissionDenied, NotFound (parent out of scope), DomainError, Conflict.
    """
    if actor is not None:
        require(policy.may_manage_org(actor))
    with transaction.atomic():
        parent = None
        if actor is not None or parent_id is not None:
            parent = scoped_agency(actor, AGENCY["parent_id"], parent_id)
            require_active(parent, "parent_id")
        department = active_department(actor, AGENCY["department_id"], department_id)
        values = _placed(parent, code=code, kind=kind, level=level, division_code=division_code)
        name = clean_value(AGENCY["name"], name)
        if Agency.objects.filter(parent=parent, name=name).exists():
            raise Conflict(_("A sibling agency already has this name."), field="name")
        agency = create_audited(
            Agency,
            actor=actor,
            action="agency.create",
            audited=AGENCY_FIELDS,
            name=name,
            parent=parent,
            department=department,
            **values,
        )
        events.publish("agency.changed", agency=agency)
        return agency


def _placed(
    parent: Agency | None, *, code: str, kind: str, level: str, division_code: str
) -> dict[str, Any]:
    """Check where a new agency would stand; return what the tree gives it (level, path…)."""
    code = clean_value(AGENCY["code"], code)
    kind = clean_value(AGENCY["kind"], kind)
    division = clean_value(AGENCY["division_code"], division_code) or _default_division(
        parent, kind
    )
    _check_placement(parent, _bureau(parent), kind=kind, code=code, division_code=division)
    derived = policy.level_under(place_of(parent), kind)
    _check_level(clean_value(AGENCY["level"], level), derived)
    if Agency.objects.filter(code=code).exists():
        raise Conflict(_("The code %(code)s is already used.") % {"code": code}, field="code")
    return {
        "code": code,
        "kind": kind,
        "level": derived,
        "division_code": division,
        "path": policy.child_path(parent.path if parent else None, code),
        "depth": (parent.depth + 1) if parent else 0,
    }


def _default_division(parent: Agency | None, kind: str) -> str:
    if parent is None or kind == policy.BUREAU:
        raise DomainError(_("This field is required."), field="division_code")
    return parent.division_code


def _check_placement(
    parent: Agency | None, bureau: Agency | None, *, kind: str, code: str, division_code: str
) -> None:
    problem = policy.placement_problem(
        parent=place_of(parent),
        bureau=place_of(bureau),
        kind=kind,
        code=code,
        division_code=division_code,
    )
    if problem is None:
        return
    field, rule = problem
    area = parent if kind == policy.BUREAU else bureau
    raise _refuse(
        field,
        rule,
        example=f"{parent.code}-P01" if parent else "",
        area=area.division_code if area else "",
    )


def _check_level(given: str, derived: str) -> None:
    if given and given != derived:
        raise _refuse("level", "level_follows_tree", level=AgencyLevel(derived).label)


def agency_update(
    *,
    actor: Viewer,
    agency_id: Any,
    name: str,
    department_id: Any,
    kind: str | None = None,
    division_code: str | None = None,
    level: str | None = None,
) -> Agency:
    """Change an agency's name and department; its kind and division code only where allowed.

    ``kind``, ``division_code`` and ``level`` left empty (None or "") stay as they are. A change
    of kind or division code is a reshape: only strictly below the actor's own bureau, never to
    or from a bureau. The level is never changed: the tree gives it.
    """
    require(policy.may_manage_org(actor))
    with transaction.atomic():
        agency = scoped_agency(actor, AGENCY_REF, agency_id)
        department = active_department(actor, AGENCY["department_id"], department_id)
        before = snapshot(agency, AGENCY_FIELDS)
        name = clean_value(AGENCY["name"], name)
        if level:
            _check_level(clean_value(AGENCY["level"], level), agency.level)
        _reshape(actor, agency, kind=kind, division_code=division_code)
        siblings = Agency.objects.filter(parent_id=agency.parent_id, name=name)
        if siblings.exclude(pk=agency.pk).exists():
            raise Conflict(_("A sibling agency already has this name."), field="name")
        agency.name, agency.department = name, department
        agency.updated_at = clock.now()
        agency.save()
        after = snapshot(agency, AGENCY_FIELDS)
        if after != before:
            audit.record(
                action="agency.update", actor=actor, target=agency, before=before, after=after
            )
            events.publish("agency.changed", agency=agency)
    return agency


def _reshape(actor: Viewer, agency: Agency, *, kind: str | None, division_code: str | None) -> None:
    """Apply a change of kind or division code, if any, under the reshape rules."""
    new_kind = clean_value(AGENCY["kind"], kind) if kind else agency.kind
    new_division = clean_value(DIVISION, division_code) if division_code else agency.division_code
    if (new_kind, new_division) == (agency.kind, agency.division_code):
        return
    if not policy.may_reshape(actor.scope_path, agency.path):
        field = "kind" if new_kind != agency.kind else "division_code"
        raise _refuse(field, "not_below_own_bureau")
    if policy.reclassify_problem(current_kind=agency.kind, new_kind=new_kind):
        raise _refuse("kind", "bureau_fixed")
    parent = agency.parent
    area = parent if agency.kind == policy.BUREAU else _bureau(parent)
    area_place = place_of(area)
    if area_place is not None and not policy.division_within(
        area_place, new_division, new_bureau=agency.kind == policy.BUREAU
    ):
        assert area is not None
        raise _refuse("division_code", "division_outside_area", area=area.division_code)
    agency.kind, agency.division_code = new_kind, new_division


def agency_set_active(*, actor: Viewer, agency_id: Any, active: bool) -> Agency:
    """Deactivate or reactivate an agency; never delete. Refuses while it has active members."""
    require(policy.may_manage_org(actor))
    with transaction.atomic():
        agency = scoped_agency(actor, AGENCY_REF, agency_id)
        if not active and agency.active:
            _check_can_deactivate(actor, agency)
        elif active and agency.parent is not None and not agency.parent.active:
            raise DomainError(_("Reactivate the parent agency first."))
        action = "agency.activate" if active else "agency.deactivate"
        set_active_audited(agency, actor, action=action, active=active, already=_ALREADY)
        events.publish("agency.changed", agency=agency)
    return agency


def _check_can_deactivate(actor: Viewer, agency: Agency) -> None:
    if agency.path == actor.scope_path:
        raise DomainError(_("You cannot deactivate your own bureau."))
    if agency.children.filter(active=True).exists():
        raise DomainError(_("Deactivate or move its active sub-units first."))
    if agency.officers.filter(active=True).exists():
        raise DomainError(_("Move or deactivate its active officers first."))


# --- departments -----------------------------------------------------------------------------


def department_save(
    *, actor: Viewer | None, code: str, name: str, department_id: Any = None
) -> Department:
    """Create a department, or rename one. City-level leaders only (or the system, actor None)."""
    if actor is not None:
        require(policy.may_manage_departments(actor))
    with transaction.atomic():
        department = None
        if department_id is not None:
            department = _department(actor, department_id)
        code = clean_value(DEPARTMENT_FIELDS["code"], code)
        name = clean_value(DEPARTMENT_FIELDS["name"], name)
        others = Department.objects.exclude(pk=department.pk) if department else Department.objects
        if others.filter(code=code).exists():
            raise Conflict(_("The code %(code)s is already used.") % {"code": code}, field="code")
        if others.filter(name=name).exists():
            raise Conflict(_("This name is already used."), field="name")
        if department is None:
            return create_audited(
                Department,
                actor=actor,
                action="department.create",
                audited=("code", "name"),
                code=code,
                name=name,
            )
        before = {"code": department.code, "name": department.name}
        if before == {"code": code, "name": name}:
            return department
        department.code, department.name, department.updated_at = code, name, clock.now()
        department.save()
        audit.record(
            action="department.update",
            actor=actor,
            target=department,
            before=before,
            after={"code": code, "name": name},
        )
        return department


def _department(actor: Viewer | None, department_id: Any) -> Department:
    pk = clean_value(DEPARTMENT_REF, department_id)
    found = Department.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def department_set_active(*, actor: Viewer, department_id: Any, active: bool) -> Department:
    """Deactivate (or reactivate) a department; agencies and officers keep their reference."""
    require(policy.may_manage_departments(actor))
    with transaction.atomic():
        department = _department(actor, department_id)
        action = "department.activate" if active else "department.deactivate"
        set_active_audited(department, actor, action=action, active=active, already=_SAME)
    return department

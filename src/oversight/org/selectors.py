"""Reads of the organisation, each scoped to the viewer first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from oversight.core.errors import NotFound
from oversight.org.models import Agency, ApiToken, Department, Liaison, Officer, RoleGrant, User
from oversight.org.scope import Viewer
from oversight.org.tree import bureau_of


@dataclass(frozen=True)
class AgencyFilters:
    q: str = ""
    kind: str = ""
    level: str = ""
    active: bool | None = True


def _scope(viewer: Viewer) -> str:
    """Return the viewer's scope prefix; callers have checked ``sees_business_data``."""
    assert viewer.scope_path, "scope asked of a viewer without one"
    return viewer.scope_path


def _narrowed(qs: QuerySet[Any], **conditions: Any) -> QuerySet[Any]:
    """Apply each condition that was given: None or "" means "not filtered on" (False filters)."""
    return qs.filter(**{k: v for k, v in conditions.items() if v is not None and v != ""})


def agencies_visible(viewer: Viewer) -> QuerySet[Agency]:
    """Return the agencies in the viewer's subtree; nothing for administrators or the role-less."""
    if not viewer.sees_business_data:
        return Agency.objects.none()
    return Agency.objects.filter(path__startswith=_scope(viewer))


def agency_list(*, viewer: Viewer, filters: AgencyFilters | None = None) -> QuerySet[Agency]:
    filters = filters or AgencyFilters()
    qs = agencies_visible(viewer).select_related("parent", "department")
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(code__icontains=filters.q))
    qs = _narrowed(qs, kind=filters.kind, level=filters.level, active=filters.active)
    return qs.order_by("path")


def agency_get(*, viewer: Viewer, agency_id: int) -> Agency:
    """Return one agency in scope, or raise NotFound whether it is missing or out of scope."""
    agency = (
        agencies_visible(viewer).select_related("parent", "department").filter(pk=agency_id).first()
    )
    if agency is None:
        raise NotFound()
    return agency


@dataclass(frozen=True)
class OfficerFilters:
    q: str = ""
    agency_id: int | None = None
    department_id: int | None = None
    active: bool | None = True


def officers_visible(viewer: Viewer) -> QuerySet[Officer]:
    if not viewer.sees_business_data:
        return Officer.objects.none()
    return Officer.objects.filter(agency__path__startswith=_scope(viewer))


def officer_list(*, viewer: Viewer, filters: OfficerFilters | None = None) -> QuerySet[Officer]:
    filters = filters or OfficerFilters()
    qs = officers_visible(viewer).select_related("agency", "department", "user")
    if filters.q:
        qs = qs.filter(
            Q(name__icontains=filters.q)
            | Q(badge_number__startswith=filters.q)
            | Q(user__username__icontains=filters.q)
        )
    qs = _narrowed(
        qs,
        agency_id=filters.agency_id,
        department_id=filters.department_id,
        active=filters.active,
    )
    return qs.order_by("badge_number")


def officer_get(*, viewer: Viewer, officer_id: int) -> Officer:
    officer = (
        officers_visible(viewer)
        .select_related("agency", "department", "user")
        .filter(pk=officer_id)
        .first()
    )
    if officer is None:
        raise NotFound()
    return officer


def transfer_targets(*, viewer: Viewer, officer: Officer) -> QuerySet[Agency]:
    """Active agencies in the viewer's scope outside the officer's bureau, in tree order."""
    return agency_list(viewer=viewer).exclude(path__startswith=bureau_of(officer.agency).path)


def officer_self(*, viewer: Viewer) -> Officer | None:
    """Return the viewer's own officer record (whatever their roles), if they are an officer."""
    if viewer.officer_id is None:
        return None
    return Officer.objects.select_related("user").filter(pk=viewer.officer_id).first()


def department_list(*, viewer: Viewer, include_inactive: bool = False) -> QuerySet[Department]:
    if not viewer.sees_business_data:
        return Department.objects.none()
    qs = Department.objects.all()
    if not include_inactive:
        qs = qs.filter(active=True)
    return qs.order_by("code")


def department_get(*, viewer: Viewer, department_id: int) -> Department:
    department = department_list(viewer=viewer, include_inactive=True).filter(pk=department_id)
    found = department.first()
    if found is None:
        raise NotFound()
    return found


def liaison_list(*, viewer: Viewer, active: bool | None = True) -> QuerySet[Liaison]:
    if not viewer.sees_business_data:
        return Liaison.objects.none()
    qs = Liaison.objects.filter(agency__path__startswith=_scope(viewer)).select_related(
        "agency", "department", "officer"
    )
    if active is not None:
        qs = qs.filter(active=active)
    return qs.order_by("agency__path", "department__code", "id")


def liaison_get(*, viewer: Viewer, liaison_id: int) -> Liaison:
    found = liaison_list(viewer=viewer, active=None).filter(pk=liaison_id).first()
    if found is None:
        raise NotFound()
    return found


# --- administrators' views: accounts and roles, never business data ----------------------------


def account_list(*, viewer: Viewer, q: str = "") -> QuerySet[User]:
    """Accounts for the system and security administrators: login facts, no officer details."""
    if not viewer.has("SYSTEM_ADMIN", "SECURITY_ADMIN"):
        return User.objects.none()
    qs = User.objects.only(
        "id", "username", "display_name", "is_active", "last_login", "password_changed_at"
    )
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    return qs.order_by("username")


def account_get(*, viewer: Viewer, user_id: int) -> User:
    found = account_list(viewer=viewer).filter(pk=user_id).first()
    if found is None:
        raise NotFound()
    return found


def active_roles_by_user(user_ids: list[int]) -> dict[int, list[str]]:
    """Return the active roles of each user id, in one query."""
    result: dict[int, list[str]] = {uid: [] for uid in user_ids}
    grants = RoleGrant.objects.filter(user_id__in=user_ids, revoked_at__isnull=True)
    for user_id, role in grants.order_by("role").values_list("user_id", "role"):
        result[user_id].append(role)
    return result


def token_list(*, viewer: Viewer) -> QuerySet[ApiToken]:
    if not viewer.has("SECURITY_ADMIN"):
        return ApiToken.objects.none()
    return ApiToken.objects.select_related("user").order_by("-created_at", "id")


def mfa_enrolled(*, viewer: Viewer, user_ids: list[int]) -> set[int]:
    """Return which of ``user_ids`` have a confirmed second factor (system administrator)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not viewer.has("SYSTEM_ADMIN"):
        return set()
    devices = TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True)
    return set(devices.values_list("user_id", flat=True))

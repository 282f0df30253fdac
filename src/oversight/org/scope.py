"""Who is looking: the viewer's roles and the part of the agency tree they may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from oversight.org import policy
from oversight.org.models import Officer, RoleGrant
from oversight.org.policy import ADMIN_ROLES
from oversight.org.tree import bureau_of


@dataclass(frozen=True)
class Viewer:
    """The caller of a selector or service. Acts as the audit actor (``pk``, ``get_username``)."""

    pk: int | None
    username: str
    roles: frozenset[str] = field(default_factory=frozenset)
    officer_id: int | None = None
    agency_id: int | None = None
    # Root of the subtree this viewer may see: their bureau (the nearest 公安局 above them).
    scope_path: str | None = None
    scope_depth: int | None = None
    department_id: int | None = None

    def get_username(self) -> str:
        return self.username

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_admin(self) -> bool:
        return bool(self.roles & ADMIN_ROLES)

    @property
    def sees_business_data(self) -> bool:
        """Administrators never do (三权分立); business roles do, inside their scope."""
        return policy.sees_business_data(self)

    @property
    def is_city_level(self) -> bool:
        return self.scope_depth == 0


ANONYMOUS = Viewer(pk=None, username="")


def viewer_for(user: Any) -> Viewer:
    """Build the viewer of an authenticated user with two queries (roles, officer and agency)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    roles = frozenset(
        RoleGrant.objects.filter(user_id=user.pk, revoked_at__isnull=True).values_list(
            "role", flat=True
        )
    )
    officer = (
        Officer.objects.filter(user_id=user.pk, active=True)
        .select_related("agency")
        .only("id", "department_id", "agency__path", "agency__id", "agency__active")
        .first()
    )
    if officer is None or not officer.agency.active:
        return Viewer(pk=user.pk, username=user.get_username(), roles=roles)
    bureau = bureau_of(officer.agency)
    return Viewer(
        pk=user.pk,
        username=user.get_username(),
        roles=roles,
        officer_id=officer.pk,
        agency_id=officer.agency_id,
        scope_path=bureau.path,
        scope_depth=bureau.depth,
        department_id=officer.department_id,
    )

"""Roles, granted and revoked by the security administrator only (三权分立)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from oversight import audit
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, NotFound
from oversight.org.models import Officer, Role, RoleGrant, User
from oversight.org.policy import BUSINESS_ROLES, role_conflict
from oversight.org.scope import Viewer

ROLE_CONFLICTS = {
    "unknown_role": _lazy("Unknown role."),
    "admin_role_alone": _lazy(
        "Separation of duties: an administrator role cannot be combined with any other role."
    ),
    "business_role_for_admin": _lazy(
        "Separation of duties: a business role cannot be given to an administrator."
    ),
}


def role_grant(*, actor: Viewer | None, user_id: int, role: str) -> RoleGrant:
    """Grant a role. Only the security administrator may (actor None: the system at setup)."""
    if actor is not None:
        actor.require(Role.SECURITY_ADMIN)
        if actor.pk == user_id:
            raise DomainError(_("You cannot change your own roles."))
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            raise NotFound()
        held = list(
            RoleGrant.objects.filter(user=user, revoked_at__isnull=True).values_list(
                "role", flat=True
            )
        )
        if role in held:
            raise Conflict(_("The user already holds this role."), field="role")
        conflict = role_conflict(held, role)
        if conflict:
            raise DomainError(ROLE_CONFLICTS[conflict], field="role")
        if role in BUSINESS_ROLES and not Officer.objects.filter(user=user, active=True).exists():
            raise DomainError(_("Business roles are for active officers only."), field="role")
        try:
            grant = RoleGrant.objects.create(
                user=user,
                role=role,
                granted_by_id=actor.pk if actor else None,
                granted_at=clock.now(),
            )
        except IntegrityError:
            raise Conflict(_("The user already holds this role."), field="role") from None
        audit.record(
            action="role.grant",
            actor=actor,
            target=user,
            before={"roles": held},
            after={"roles": sorted([*held, role])},
        )
    return grant


def role_revoke(*, actor: Viewer, user_id: int, role: str) -> None:
    actor.require(Role.SECURITY_ADMIN)
    if actor.pk == user_id:
        raise DomainError(_("You cannot change your own roles."))
    with transaction.atomic():
        grant = RoleGrant.objects.filter(
            user_id=user_id, role=role, revoked_at__isnull=True
        ).first()
        if grant is None:
            raise NotFound()
        grant.revoked_at = clock.now()
        grant.save(update_fields=["revoked_at"])
        audit.record(
            action="role.revoke",
            actor=actor,
            object_type="org.user",
            object_id=user_id,
            detail={"role": role},
        )

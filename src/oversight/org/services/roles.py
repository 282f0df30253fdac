"""Roles, granted and revoked by the security administrator only (三权分立)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oversight import audit
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, NotFound, require
from oversight.org import policy
from oversight.org.models import Officer, Role, RoleGrant, User
from oversight.org.policy import ADMIN_ROLES, role_conflict
from oversight.org.scope import Viewer

# Spelled gettext_lazy, not an alias: makemessages only extracts the names it knows, and an alias
# ("_lazy") left these sentences out of the catalog, so the roles page showed them in English.
ROLE_CONFLICTS: dict[str, Any] = {
    "unknown_role": gettext_lazy("Unknown role."),
    "admin_role_alone": gettext_lazy(
        "Separation of duties: an administrator role cannot be combined with any other role."
    ),
    "business_role_for_admin": gettext_lazy(
        "Separation of duties: a business role cannot be given to an administrator."
    ),
    "admin_role_for_officer": gettext_lazy(
        "Separation of duties: an officer's account cannot hold an administrator role."
    ),
    "business_role_for_non_officer": gettext_lazy("Business roles are for active officers only."),
}


def refuse_last_holder(user: User, role: str | None = None) -> None:
    """Raise DomainError if ``user`` is the last active holder of an administrator role.

    ``role`` limits the check to one role (a revocation); without it, every administrator role
    the user holds is checked (a deactivation). The holders' grants are locked first, so two
    administrators removed at once cannot both pass.
    """
    held = RoleGrant.objects.filter(user=user, revoked_at__isnull=True, role__in=ADMIN_ROLES)
    for grant_role in held.values_list("role", flat=True):
        if role is not None and grant_role != role:
            continue
        holders = list(
            RoleGrant.objects.select_for_update()
            .filter(role=grant_role, revoked_at__isnull=True, user__is_active=True)
            .values_list("user_id", flat=True)
        )
        if holders == [user.pk]:
            raise DomainError(
                _(
                    "%(role)s: this is its last active holder. Grant the role to another "
                    "account first."
                )
                % {"role": Role(grant_role).label}
            )


def role_grant(*, actor: Viewer | None, user_id: int, role: str) -> RoleGrant:
    """Grant a role. Only the security administrator may (actor None: the system at setup).

    Administrator roles go to accounts with no officer, business roles to active officers, and an
    administrator role to no one who holds another role.
    """
    if actor is not None:
        require(policy.may_manage_access(actor))
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
        officer = Officer.objects.filter(user=user, active=True).exists()
        conflict = role_conflict(held, role, officer=officer)
        if conflict:
            raise DomainError(ROLE_CONFLICTS[conflict], field="role")
        try:
            with transaction.atomic():
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
    """Revoke a role (security administrator); never the last active holder of an administrator
    role, so that 三权分立 always has someone in each seat."""
    require(policy.may_manage_access(actor))
    if actor.pk == user_id:
        raise DomainError(_("You cannot change your own roles."))
    with transaction.atomic():
        grant = (
            RoleGrant.objects.select_for_update()
            .select_related("user")
            .filter(user_id=user_id, role=role, revoked_at__isnull=True)
            .first()
        )
        if grant is None:
            raise NotFound()
        if grant.user.is_active:
            refuse_last_holder(grant.user, role)
        held = sorted(
            RoleGrant.objects.filter(user_id=user_id, revoked_at__isnull=True).values_list(
                "role", flat=True
            )
        )
        grant.revoked_at = clock.now()
        grant.save(update_fields=["revoked_at"])
        audit.record(
            action="role.revoke",
            actor=actor,
            target=grant.user,
            before={"roles": held},
            after={"roles": [r for r in held if r != role]},
        )

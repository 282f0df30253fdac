"""What a new installation needs before anyone can log in: the three administrators."""

from __future__ import annotations

import secrets

from django.db import transaction

from oversight.org.models import RoleGrant, User
from oversight.org.services.accounts import account_create_admin, account_set_password
from oversight.org.services.roles import role_grant

ADMINISTRATORS = [
    ("sysadmin", "系统管理员", "SYSTEM_ADMIN"),
    ("secadmin", "安全管理员", "SECURITY_ADMIN"),
    ("auditadmin", "审计管理员", "AUDIT_ADMIN"),
]


def _first_password() -> str:
    # token_urlsafe may lack a class; the suffix guarantees lower, upper, digit and symbol.
    return secrets.token_urlsafe(12) + "aA1-"


def administrators_ensure(*, password: str | None = None) -> list[dict[str, str]]:
    """Create each of the three administrators whose role no one holds yet.

    Returns the accounts created with their first passwords: generated ones must be changed at
    first login; a given ``password`` (the demo's) need not be. Run by ``oversight init`` and
    the demo builder on the server, as the system itself.
    """
    created = []
    with transaction.atomic():
        for username, display_name, role in ADMINISTRATORS:
            if RoleGrant.objects.filter(role=role, revoked_at__isnull=True).exists():
                continue
            user = User.objects.filter(username=username).first() or account_create_admin(
                actor=None, username=username, display_name=display_name
            )
            first = password or _first_password()
            account_set_password(
                actor=None, user_id=user.pk, password=first, must_change=password is None
            )
            role_grant(actor=None, user_id=user.pk, role=role)
            created.append({"username": username, "role": role, "password": first})
    return created

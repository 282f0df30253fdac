"""oversight init — migrate and load reference data; safe to run again."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from oversight.catalog.services import CatalogInvalid, catalog_load
from oversight.cli.output import add_format, emit
from oversight.org import services
from oversight.org.models import RoleGrant, User
from oversight.org.reference import load_departments

ADMINS = [
    ("sysadmin", "系统管理员", "SYSTEM_ADMIN"),
    ("secadmin", "安全管理员", "SECURITY_ADMIN"),
    ("auditadmin", "审计管理员", "AUDIT_ADMIN"),
]


def _strong_password() -> str:
    # token_urlsafe may lack a class; the suffix guarantees lower, upper, digit and symbol.
    return secrets.token_urlsafe(12) + "aA1-"


def ensure_admins(password: str | None = None) -> list[dict[str, str]]:
    """Create the three separated administrators if no one holds their roles yet.

    Returns the accounts created with their first passwords (to be changed at first login).
    """
    created = []
    with transaction.atomic():
        for username, display_name, role in ADMINS:
            if RoleGrant.objects.filter(role=role, revoked_at__isnull=True).exists():
                continue
            user = User.objects.filter(username=username).first() or services.account_create_admin(
                actor=None, username=username, display_name=display_name
            )
            first = password or _strong_password()
            services.account_set_password(actor=None, user_id=user.pk, password=first)
            if password is None:
                User.objects.filter(pk=user.pk).update(must_change_password=True)
            services.role_grant(actor=None, user_id=user.pk, role=role)
            created.append({"username": username, "role": role, "password": first})
    return created


class Command(BaseCommand):
    help = "Apply migrations, load reference data and create the three administrators (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_format(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        departments = load_departments()
        admins = ensure_admins()
        try:
            version, created = catalog_load(actor=None, path=settings.OVERSIGHT_CATALOG_DIR)
        except CatalogInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"the catalog does not load ({len(exc.problems)} problems)"
            ) from None
        data = {
            "migrated": True,
            "departments_created": departments,
            "admins_created": admins,
            "catalog_version": version.pk,
            "catalog_loaded": created,
        }
        if options["format"] == "json":
            emit(self, "json", data)
            return
        self.stdout.write(
            f"database migrated; {departments} departments created; catalog version {version.pk}"
            + (" loaded" if created else " unchanged")
        )
        for admin in admins:
            self.stdout.write(
                f"created {admin['role']} account {admin['username']} with first password "
                f"{admin['password']} (must be changed at first login)"
            )

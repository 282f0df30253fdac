"""oversight init — migrate and load reference data; safe to run again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.catalog.services import CatalogInvalid, catalog_load
from oversight.cli.output import add_format, emit
from oversight.org import services
from oversight.org.reference import load_departments


class Command(BaseCommand):
    help = "Apply migrations, load reference data and create the three administrators (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        add_format(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        departments = load_departments()
        admins = services.administrators_ensure()
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

"""oversight catalog check|load|export|show|diff — the regimes as data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.catalog.loader import CatalogError, load
from oversight.catalog.policy import run_cases
from oversight.cli.output import add_format, emit


class Command(BaseCommand):
    help = "Check, load, export, show or compare the catalog of regimes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="validate a catalog directory and run its test cases")
        check.add_argument(
            "--path", default=None, help="catalog directory (default: the configured one)"
        )
        add_format(check)

    def handle(self, *args: Any, **options: Any) -> None:
        handler = getattr(self, f"_{options['action']}")
        handler(options)

    def _path(self, options: dict[str, Any]) -> Path:
        return Path(options.get("path") or settings.OVERSIGHT_CATALOG_DIR)

    def _check(self, options: dict[str, Any]) -> None:
        path = self._path(options)
        try:
            catalog = load(path)
        except CatalogError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problems in {path}") from None
        failures = run_cases(catalog)
        for failure in failures:
            self.stderr.write(failure)
        data = {
            "path": str(path),
            "regimes": len(catalog.regimes),
            "provisions": len(catalog.provisions),
            "cases": sum(len(c.cases) for c in catalog.cases.values()),
            "failed_cases": len(failures),
            "content_hash": catalog.content_hash(),
        }
        if failures:
            raise CommandError(f"{len(failures)} catalog test cases fail")
        emit(self, options["format"], data)

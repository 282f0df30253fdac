"""oversight catalog check|load|export|show|diff|versions|schema — the regimes as data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.catalog import selectors
from oversight.catalog.diff import diff_documents
from oversight.catalog.export import export_document, export_schema
from oversight.catalog.loader import Catalog, CatalogError, load
from oversight.catalog.policy import run_cases
from oversight.catalog.services import CatalogInvalid, catalog_load
from oversight.cli.output import add_format, emit
from oversight.core.errors import NotFound


class Command(BaseCommand):
    help = "Check, load, export, show or compare the catalog of regimes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="validate a catalog directory and run its test cases")
        check.add_argument("--path", help="catalog directory (default: the configured one)")
        add_format(check)
        load_cmd = sub.add_parser("load", help="load the catalog files as the version in force")
        load_cmd.add_argument("--path", help="catalog directory (default: the configured one)")
        add_format(load_cmd)
        export = sub.add_parser("export", help="print the whole catalog (JSON)")
        export.add_argument("--path", help="export these files instead of the version in force")
        export.add_argument("--format", choices=["json"], default="json")
        show = sub.add_parser("show", help="print one regime's six parts")
        show.add_argument("code")
        show.add_argument("--path", help="read these files instead of the version in force")
        add_format(show)
        diff = sub.add_parser("diff", help="what changed between two versions (ids)")
        diff.add_argument("old", type=int)
        diff.add_argument("new", type=int)
        add_format(diff)
        versions = sub.add_parser("versions", help="list the loaded versions")
        add_format(versions)
        sub.add_parser("schema", help="print the JSON Schema of the export")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    # --- helpers ------------------------------------------------------------------------

    def _files(self, options: dict[str, Any]) -> Catalog:
        path = Path(options.get("path") or settings.OVERSIGHT_CATALOG_DIR)
        try:
            return load(path)
        except CatalogError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problems in {path}") from None

    def _catalog(self, options: dict[str, Any]) -> Catalog:
        if options.get("path"):
            return self._files(options)
        try:
            return selectors.catalog_in_force()
        except NotFound:
            raise CommandError("no catalog loaded yet: run `oversight catalog load`") from None

    # --- actions ------------------------------------------------------------------------

    def _check(self, options: dict[str, Any]) -> None:
        catalog = self._files(options)
        failures = run_cases(catalog)
        for failure in failures:
            self.stderr.write(failure)
        if failures:
            raise CommandError(f"{len(failures)} catalog test cases fail")
        data = {
            "regimes": len(catalog.regimes),
            "provisions": len(catalog.provisions),
            "cases": sum(len(c.cases) for c in catalog.cases.values()),
            "content_hash": catalog.content_hash(),
        }
        emit(self, options["format"], data)

    def _load(self, options: dict[str, Any]) -> None:
        path = Path(options.get("path") or settings.OVERSIGHT_CATALOG_DIR)
        try:
            version, created = catalog_load(actor=None, path=path)
        except CatalogInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(f"catalog not loaded: {len(exc.problems)} problems") from None
        data = {
            "version": version.pk,
            "created": created,
            "content_hash": version.content_hash,
            "regimes": version.regime_count,
        }
        emit(self, options["format"], data)

    def _export(self, options: dict[str, Any]) -> None:
        document = export_document(self._catalog(options))
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str))

    def _show(self, options: dict[str, Any]) -> None:
        catalog = self._catalog(options)
        regime = catalog.regimes.get(options["code"].upper())
        if regime is None:
            raise CommandError(f"no regime {options['code']}; known: {', '.join(catalog.regimes)}")
        if options["format"] == "json":
            emit(self, "json", regime.model_dump(mode="json", by_alias=True))
            return
        self.stdout.write(f"{regime.section} {regime.title} [{regime.code}, {regime.department}]")
        parts = [
            ("监督检查对象", [regime.objects.text]),
            ("监督检查内容", [i.text for i in regime.content.items]),
            ("监督检查方式", [i.text for i in regime.methods.items]),
            ("监督检查措施", [i.text for i in regime.measures.items]),
            ("监督检查程序", [i.text for i in regime.procedure.items] or [regime.procedure.intro]),
            ("监督检查处理", [i.text for i in regime.handling.items] or [regime.handling.intro]),
        ]
        for title, lines in parts:
            self.stdout.write(f"\n{title}")
            for n, line in enumerate(filter(None, lines), start=1):
                self.stdout.write(f"  {n}. {line}")
        for key, figure in regime.figures.items():
            status = catalog.provisions[figure.reference].status
            self.stdout.write(
                f"\n[{status}] {key}: {figure.label} ({figure.unit}) ← {figure.reference}"
            )

    def _diff(self, options: dict[str, Any]) -> None:
        try:
            old = selectors.version_get(version_id=options["old"])
            new = selectors.version_get(version_id=options["new"])
        except NotFound:
            raise CommandError("no such version: see `oversight catalog versions`") from None
        changes = diff_documents(old.document, new.document)
        data = [
            {"kind": c.kind, "where": c.where, "before": c.before, "after": c.after}
            for c in changes
        ]
        if options["format"] == "json":
            emit(self, "json", data)
            return
        for change in changes:
            self.stdout.write(str(change))
        self.stdout.write(f"{len(changes)} changes from v{old.pk} to v{new.pk}")

    def _versions(self, options: dict[str, Any]) -> None:
        rows: list[dict[str, Any]] = [
            {
                "version": v.pk,
                "content_hash": v.content_hash,
                "regimes": v.regime_count,
                "loaded_at": v.loaded_at.isoformat(),
                "loaded_by": v.loaded_by.username if v.loaded_by else "",
            }
            for v in selectors.version_list()
        ]
        table = [["version", "hash", "regimes", "loaded at", "by"]] + [
            [r["version"], r["content_hash"][:12], r["regimes"], r["loaded_at"], r["loaded_by"]]
            for r in rows
        ]
        emit(self, options["format"], rows, table)

    def _schema(self, options: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(export_schema(), ensure_ascii=False, indent=2))

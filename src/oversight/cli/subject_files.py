"""oversight subjects template|import|export — spreadsheets of the subject registry on the console.

The import runs here, in this process, with the code the worker runs (``imports.import_run``),
and shows its progress on stderr. ``--as USERNAME`` acts as that user: a county's officer imports
and exports only their county's subjects.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from oversight.cli.output import add_format
from oversight.org.scope import Viewer
from oversight.subjects import import_rows, imports, selectors, services, workbooks
from oversight.subjects.models import Subject, SubjectImport

PHASES = {
    SubjectImport.Phase.READING: "reading",
    SubjectImport.Phase.CHECKING: "checking",
    SubjectImport.Phase.WRITING: "writing",
}


def add_parsers(sub: Any, add_acting_user: Callable[[CommandParser], None]) -> None:
    template = sub.add_parser("template", help="write a kind's import template (.xlsx or .csv)")
    template.add_argument("--kind", required=True)
    template.add_argument("--output", "-o", help="file to write (.xlsx or .csv)")
    add_acting_user(template)
    run = sub.add_parser("import", help="import a spreadsheet of subjects: all rows or none")
    run.add_argument("file", help="an .xlsx or .csv file, laid out as the kind's template")
    run.add_argument("--kind", required=True)
    run.add_argument("--dry-run", action="store_true", help="check and count; write nothing")
    add_acting_user(run)
    add_format(run)
    export = sub.add_parser("export", help="export subjects of a kind in the template's columns")
    export.add_argument("--kind", required=True)
    export.add_argument("--output", "-o", help="file to write (.xlsx or .csv; - for CSV out)")
    export.add_argument("--status", default="", choices=["", "ACTIVE", "SUSPENDED", "CLOSED"])
    add_acting_user(export)


def _kind(code: str) -> services.KindFields:
    return services.kind_fields(code)


def template(command: BaseCommand, viewer: Viewer | None, options: dict[str, Any]) -> None:
    kind = _kind(options["kind"])
    if not import_rows.importable(kind):
        raise CommandError("subjects of this kind follow the organisation: they are not imported")
    out = Path(options["output"] or f"{import_rows.sheet_name(kind)}-template.xlsx")
    if out.suffix.lower() == ".csv":
        out.write_bytes(workbooks.template_csv(kind, viewer))
    else:
        workbooks.template_xlsx(kind, viewer, out)
    command.stdout.write(str(out))


class Bar:
    """A progress bar on stderr: redrawn in place on a terminal, a line per phase otherwise."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        name = PHASES.get(phase, phase)  # type: ignore[call-overload]
        if self.tty:
            width = 30
            filled = width * done // total if total else 0
            bar = "#" * filled + "." * (width - filled)
            self.stream.write(f"\r{name:<8} [{bar}] {done}/{total}", ending="")
            self.stream.flush()
        elif name != self.phase:
            self.stream.write(f"{name}…")
        self.phase = name

    def end(self) -> None:
        if self.tty and self.phase:
            self.stream.write("")


def run_import(command: BaseCommand, viewer: Viewer | None, options: dict[str, Any]) -> None:
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    record = imports.import_receive(
        actor=viewer,
        kind=options["kind"],
        source=path,
        file_name=path.name,
        dry_run=options["dry_run"],
    )
    bar = Bar(command.stderr)
    try:
        done = imports.import_run(import_id=record.pk, progress=bar)
    finally:
        bar.end()
    errors = imports.import_errors(done) if done.state == SubjectImport.State.FAILED else []
    workbook = imports.error_workbook_path(done)
    data = {
        "import": done.pk,
        "state": done.state,
        "dry_run": done.dry_run,
        "rows": done.rows_total,
        "added": done.added,
        "changed": done.changed,
        "unchanged": done.unchanged,
        "skipped": done.skipped,
        "error_count": done.errors,
        "message": done.message,
        "errors": [vars(e) for e in errors],
        "error_workbook": str(workbook) if errors else None,
        "file_sha256": done.file_hash,
        "changeset_sha256": done.changeset_hash or None,
    }
    if options["format"] == "json":
        command.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for e in errors:
            command.stdout.write(f"row {e.row}, {e.column} [{e.cell}] “{e.value}”: {e.reason}")
        if done.state in (SubjectImport.State.DONE, SubjectImport.State.PREVIEWED):
            command.stdout.write(
                f"{done.added} added, {done.changed} changed, {done.unchanged} unchanged,"
                f" {done.skipped} example rows skipped"
                + (" (dry run: nothing written)" if done.dry_run else "")
            )
    if done.state == SubjectImport.State.FAILED:
        where = f" (marked in {workbook})" if errors else ""
        raise CommandError(f"nothing imported: {done.message}{where}")


def export(command: BaseCommand, viewer: Viewer | None, options: dict[str, Any]) -> None:
    kind = _kind(options["kind"])
    qs = selectors.subjects_visible(viewer) if viewer else Subject.objects.all()
    qs = qs.filter(kind=kind.code).order_by("id")
    if options["status"]:
        qs = qs.filter(status=options["status"])
    target = options["output"] or f"{import_rows.sheet_name(kind)}.xlsx"
    rows = qs.iterator(chunk_size=2000)
    if target == "-" or target.lower().endswith(".csv"):
        chunks = workbooks.csv_bytes(workbooks.export_rows(kind, rows, viewer))
        if target == "-":
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.flush()
            return
        with open(target, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        command.stdout.write(target)
        return
    count = workbooks.export_xlsx(kind, rows, viewer, Path(target))
    command.stdout.write(f"{target} ({count} subjects)")

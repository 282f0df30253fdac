"""oversight doctor — report what this machine has and lacks for Oversight."""

from __future__ import annotations

import ctypes.util
import importlib.util
import shutil
import subprocess
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from oversight.audit.anchors import folder_health
from oversight.cli.output import add_format, emit


def _database() -> tuple[bool, str]:
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # any failure to reach the database is the finding itself
        return False, f"unreachable: {exc.__class__.__name__}"
    state = f"{len(pending)} migrations pending (run oversight init)" if pending else "migrated"
    return True, f"{connection.vendor}, {state}"


def _cjk_fonts() -> tuple[bool, str]:
    if not shutil.which("fc-list"):
        return False, "fc-list not found (install fontconfig and fonts-noto-cjk)"
    fc_list = shutil.which("fc-list") or "fc-list"
    out = subprocess.run(  # noqa: S603 - fixed arguments
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False
    )
    families = sorted(
        {line.split(",")[0].strip() for line in out.stdout.splitlines() if line.strip()}
    )
    return (
        bool(families),
        ", ".join(families[:3]) if families else "none (install fonts-noto-cjk)",
    )


def _pdf() -> tuple[bool, str]:
    pango = ctypes.util.find_library("pango-1.0")
    has_weasy = importlib.util.find_spec("weasyprint") is not None
    if pango and has_weasy:
        return True, "WeasyPrint with Pango"
    missing = [
        n for n, ok in (("Pango (libpango-1.0-0)", pango), ("weasyprint", has_weasy)) if not ok
    ]
    return False, "missing: " + ", ".join(str(m) for m in missing)


def _browser() -> tuple[bool, str]:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    return (
        bool(path),
        path or "chromium not found (apt-get install chromium); needed for UI tests",
    )


class Command(BaseCommand):
    help = (
        "Report missing optional system parts (CJK fonts, PDF libraries, browser) and warn about "
        "an audit anchor folder that is missing, not writable or on the database's disk."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_format(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        checks = [
            ("database", True, *_database()),
            ("data_dir", True, settings.DATA_DIR.is_dir(), str(settings.DATA_DIR)),
            ("cjk_fonts", False, *_cjk_fonts()),
            ("pdf", False, *_pdf()),
            ("browser", False, *_browser()),
            ("audit_anchors", False, *folder_health()),
        ]
        data = [
            {"check": name, "required": required, "ok": ok, "detail": detail}
            for name, required, ok, detail in checks
        ]
        rows = [["check", "status", "detail"]] + [
            [
                d["check"],
                "ok" if d["ok"] else ("MISSING" if d["required"] else "warning"),
                d["detail"],
            ]
            for d in data
        ]
        emit(self, options["format"], data, rows)
        failed = [str(d["check"]) for d in data if d["required"] and not d["ok"]]
        if failed:
            raise CommandError("required parts missing: " + ", ".join(failed))

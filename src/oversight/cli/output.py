"""Printing for commands: a table for people, ``--format json`` for scripts."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def add_format(parser: CommandParser) -> None:
    parser.add_argument(
        "--format", choices=["text", "json"], default="text", help="output format (default text)"
    )


def emit(
    command: BaseCommand, fmt: str, data: Any, rows: Sequence[Sequence[Any]] | None = None
) -> None:
    """Write ``data`` as JSON, or ``rows`` (first row = header) as an aligned table."""
    if fmt == "json":
        command.stdout.write(json.dumps(data, ensure_ascii=False, default=str, indent=2))
        return
    if rows is None:
        for key, value in data.items():
            command.stdout.write(f"{key}: {value}")
        return
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        command.stdout.write(
            "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        )

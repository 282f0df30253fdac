"""oversight audit verify|anchor — check the audit chain, or print its head to record elsewhere."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight import audit
from oversight.audit.canonical import GENESIS
from oversight.audit.chain import hash_at
from oversight.cli.output import add_format, emit

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


class Command(BaseCommand):
    help = "Verify the audit chain, or print its head (anchor) to record outside the system."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="recompute the chain; non-zero exit if it is broken")
        verify.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="COUNT:HASH",
            help="an anchor printed earlier; fails if the chain no longer holds it",
        )
        add_format(verify)
        anchor = sub.add_parser("anchor", help="print the head hash, count and time")
        add_format(anchor)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "anchor":
            head = audit.anchor()
            data = {"count": head.count, "head_hash": head.head_hash, "at": head.at.isoformat()}
            emit(self, options["format"], data)
            return
        anchors = []
        for raw in options["anchor"]:
            match = ANCHOR.match(raw)
            if not match:
                raise CommandError(f"an anchor is COUNT:HASH (64 hex digits), not {raw!r}")
            anchors.append((int(match[1]), match[2]))
        result = audit.verify()
        data = {
            "ok": result.ok,
            "count": result.count,
            "head_hash": result.head_hash,
            "bad_position": result.bad_position,
            "reason": result.reason,
        }
        if not result.ok:
            if options["format"] == "json":
                emit(self, "json", data)
            raise CommandError(
                f"audit chain broken at position {result.bad_position}: {result.reason}"
            )
        for count, expected in anchors:
            if count > result.count:
                raise CommandError(
                    f"anchor {count} is past the end of the chain ({result.count} events): "
                    "events were removed from the end"
                )
            held = hash_at(count) if count else GENESIS
            if held != expected:
                raise CommandError(f"anchor {count} does not match: the chain was rewritten")
        emit(self, options["format"], data)

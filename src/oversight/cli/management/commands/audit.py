"""oversight audit verify|anchor — check the audit chain, or print its head to record elsewhere."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight import audit
from oversight.audit.canonical import GENESIS
from oversight.audit.chain import hash_at
from oversight.audit.selectors import EventFilters, event_search
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
        listing = sub.add_parser("list", help="list events, newest first (for the audit admin)")
        listing.add_argument("--q", default="", help="action, actor, object id or request id")
        listing.add_argument("--object-type", default="")
        listing.add_argument("--since", type=date.fromisoformat, help="YYYY-MM-DD (local time)")
        listing.add_argument("--until", type=date.fromisoformat, help="YYYY-MM-DD (local time)")
        listing.add_argument("--limit", type=int, default=100, help="at most this many (100)")
        add_format(listing)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list(options)
            return
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

    def _list(self, options: dict[str, Any]) -> None:
        if not 1 <= options["limit"] <= 100_000:
            raise CommandError("--limit must be between 1 and 100000")
        filters = EventFilters(
            q=options["q"],
            object_type=options["object_type"],
            since=options["since"],
            until=options["until"],
        )
        # The console is the operator's: it reads as the audit administrator would.
        events = event_search(viewer=_AUDITOR, filters=filters)[: options["limit"]]
        rows = [
            {
                "seq": e.seq,
                "occurred_at": e.occurred_at.isoformat(),
                "actor": e.actor_name,
                "action": e.action,
                "object": f"{e.object_type}:{e.object_id}" if e.object_type else "",
                "ip": e.ip,
                "request_id": e.request_id,
                "summary": e.summary,
                "hash": e.hash,
            }
            for e in events
        ]
        table = [["seq", "time", "actor", "action", "object", "ip"]] + [
            [
                r["seq"],
                r["occurred_at"][:19],
                r["actor"] or "-",
                r["action"],
                r["object"] or "-",
                r["ip"] or "-",
            ]
            for r in rows
        ]
        emit(self, options["format"], rows, table)


class _Auditor:
    def has(self, *roles: str) -> bool:
        return "AUDIT_ADMIN" in roles


_AUDITOR = _Auditor()

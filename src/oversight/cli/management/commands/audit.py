"""oversight audit verify|anchor|list — check the audit chain and its anchors, take an anchor,
or read the trail in words as the audit administrator does (personal data masked)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight import audit
from oversight.audit.anchors import AnchorProblem, AuditCheck, write_now
from oversight.audit.models import AuditEvent
from oversight.audit.presentation import EventRow, masked_summary, present
from oversight.audit.selectors import EventFilters, event_search
from oversight.audit.vocabulary import VOCABULARY
from oversight.cli.output import add_format, emit

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


class Command(BaseCommand):
    help = "Verify the audit chain and its anchors, take an anchor, or list events in words."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify",
            help="recompute the chain and check every anchor in the anchor folder; "
            "non-zero exit if the chain is broken or does not hold an anchor",
        )
        verify.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="COUNT:HASH",
            help="an anchor recorded elsewhere; fails if the chain no longer holds it",
        )
        add_format(verify)
        anchor = sub.add_parser("anchor", help="print the head hash, count and time")
        anchor.add_argument(
            "--write",
            action="store_true",
            help="also write it to the anchor folder (OVERSIGHT_AUDIT_ANCHOR_DIR) now",
        )
        add_format(anchor)
        listing = sub.add_parser("list", help="list events in words, newest first (masked)")
        listing.add_argument("--q", default="", help="action words, user name, object number, …")
        listing.add_argument(
            "--action",
            dest="action_code",
            default="",
            help="an action, by its code or its words",
        )
        listing.add_argument(
            "--object-type", default="", help="an object type, by its code or its words"
        )
        listing.add_argument("--actor", default="", help="(part of) the actor's user name")
        listing.add_argument("--since", type=date.fromisoformat, help="YYYY-MM-DD (local time)")
        listing.add_argument("--until", type=date.fromisoformat, help="YYYY-MM-DD (local time)")
        listing.add_argument("--limit", type=int, default=100, help="at most this many (100)")
        add_format(listing)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self._list(options)
        elif options["action"] == "anchor":
            self._anchor(options)
        else:
            self._verify(options)

    # --- anchor ----------------------------------------------------------------------------

    def _anchor(self, options: dict[str, Any]) -> None:
        if not options["write"]:
            head = audit.anchor()
            data = {"count": head.count, "head_hash": head.head_hash, "at": head.at.isoformat()}
            emit(self, options["format"], data)
            return
        try:
            path, head = write_now()
        except FileExistsError as exc:
            raise CommandError(f"an anchor named {exc} exists already: try again") from None
        except OSError as exc:
            raise CommandError(f"cannot write the anchor: {exc}") from None
        data = {
            "count": head.count,
            "head_hash": head.head_hash,
            "at": head.at.isoformat(),
            "file": str(path),
        }
        emit(self, options["format"], data)

    # --- verify ----------------------------------------------------------------------------

    def _verify(self, options: dict[str, Any]) -> None:
        extra = []
        for raw in options["anchor"]:
            match = ANCHOR.match(raw)
            if not match:
                raise CommandError(f"an anchor is COUNT:HASH (64 hex digits), not {raw!r}")
            extra.append(("--anchor", int(match[1]), match[2]))
        checked = audit.check(extra=extra)
        result = checked.chain
        data: dict[str, Any] = {
            "ok": checked.ok,
            "count": result.count,
            "head_hash": result.head_hash,
            "bad_position": result.bad_position,
            "reason": result.reason,
            "anchor_dir": str(checked.folder),
            "anchors_checked": checked.anchors_checked,
            "anchor_problems": [
                {"source": p.source, "kind": p.kind, "count": p.count, "detail": p.detail}
                for p in checked.problems
            ],
        }
        if not checked.folder_found:
            self.stderr.write(
                f"warning: no anchor folder at {checked.folder}: only the chain itself was checked"
            )
        if not checked.ok and options["format"] == "json":
            emit(self, "json", data)
        if not result.ok:
            raise CommandError(
                f"audit chain broken at position {result.bad_position}: {result.reason}"
            )
        if checked.problems:
            raise CommandError("; ".join(_problem(p, checked) for p in checked.problems))
        if options["format"] == "json":
            emit(self, "json", data)
            return
        emit(self, "text", {k: v for k, v in data.items() if k != "anchor_problems"})

    # --- list ------------------------------------------------------------------------------

    def _list(self, options: dict[str, Any]) -> None:
        if not 1 <= options["limit"] <= 100_000:
            raise CommandError("--limit must be between 1 and 100000")
        filters = EventFilters(
            q=options["q"],
            action=_code(options["action_code"], VOCABULARY.action_choices(), "--action"),
            object_type=_code(
                options["object_type"], VOCABULARY.object_type_choices(), "--object-type"
            ),
            actor=options["actor"],
            since=options["since"],
            until=options["until"],
        )
        # The console is the operator's: it reads as the audit administrator would.
        events = list(event_search(viewer=_AUDITOR, filters=filters)[: options["limit"]])
        rows = present(events)
        if options["format"] == "json":
            emit(self, "json", [_json_row(e, r) for e, r in zip(events, rows, strict=True)])
            return
        if not rows:
            self.stdout.write(_("Nothing found."))
        for row in rows:
            self.stdout.write(_text_row(row))


def _problem(problem: AnchorProblem, checked: AuditCheck) -> str:
    if problem.kind == "mismatch":
        return f"{problem.source}: anchor {problem.count} does not match: the chain was rewritten"
    if problem.kind == "past_end":
        return (
            f"{problem.source}: anchor {problem.count} is past the end of the chain "
            f"({checked.stored} events): events were removed from the end"
        )
    return f"{problem.source}: not an anchor ({problem.detail})"


def _code(value: str, choices: list[tuple[str, str]], option: str) -> str:
    """Accept a code or its words (民警 for org.officer); refuse what is neither."""
    value = value.strip()
    if not value:
        return ""
    for code, label in choices:
        if value in (code, label):
            return code
    raise CommandError(f"{option}: unknown value {value!r}")


def _json_row(event: AuditEvent, row: EventRow) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor_name,
        "action": event.action,
        "object": f"{event.object_type}:{event.object_id}" if event.object_type else "",
        "ip": event.ip,
        "request_id": event.request_id,
        "summary": masked_summary(event),
        "hash": event.hash,
        "actor_label": row.actor,
        "action_label": row.action,
        "object_label": row.object,
        "channel_label": row.channel,
        "changes": [
            {"field": c.field, "label": c.label, "before": c.before, "after": c.after}
            for c in row.changes
        ],
        "details": [{"field": d.field, "label": d.label, "value": d.value} for d in row.details],
    }


def _text_row(row: EventRow) -> str:
    at = timezone.localtime(row.occurred_at).strftime("%Y-%m-%d %H:%M:%S")
    where = " ".join(part for part in (row.ip, row.channel) if part)
    lines = [
        "  ".join(
            part
            for part in (f"#{row.seq}", at, row.actor, row.action, row.object, where)
            if part and part != "—"
        )
    ]
    lines += [f"    {c.label}：{c.before} → {c.after}" for c in row.changes]
    lines += [f"    {d.label}：{d.value}" for d in row.details]
    return "\n".join(lines)


class _Auditor:
    def has(self, *roles: str) -> bool:
        return "AUDIT_ADMIN" in roles


_AUDITOR = _Auditor()

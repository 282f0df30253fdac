"""Write and check the audit chain.

Each event stores the hash of the one before it, so editing, deleting or reordering any row breaks
the chain from that row on. Appends are serialised: on PostgreSQL by a transaction-scoped advisory
lock, on SQLite by the write lock an IMMEDIATE transaction takes when it starts. The unique ``seq``
is the last guard: two writers can never both append at the same position.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.db import connection, transaction

from oversight.audit.canonical import GENESIS, event_hash, jsonable, storable_text
from oversight.audit.models import AuditEvent
from oversight.core import clock
from oversight.core.context import current

_PG_LOCK_KEY = 0x0A0D17  # arbitrary constant naming "the audit chain" for pg_advisory_xact_lock


class Actor(Protocol):
    pk: Any

    def get_username(self) -> str: ...


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


def record(
    *,
    action: str,
    actor: Actor | None = None,
    actor_name: str | None = None,
    target: Any = None,
    object_type: str = "",
    object_id: Any = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event to the audit chain, inside the caller's transaction.

    ``target`` (a model instance) fills ``object_type`` and ``object_id``. ``before`` and
    ``after`` summarise the change; ``detail`` carries anything else worth keeping.
    """
    if target is not None:
        object_type = object_type or f"{target._meta.app_label}.{target._meta.model_name}"
        object_id = object_id or target.pk
    summary: dict[str, Any] = {}
    if before is not None:
        summary["before"] = jsonable(before)
    if after is not None:
        summary["after"] = jsonable(after)
    if detail is not None:
        summary["detail"] = jsonable(detail)
    ctx = current()
    occurred_at = at or clock.now()
    actor_pk = actor.pk if actor is not None else None
    name = actor_name if actor_name is not None else (actor.get_username() if actor else "")
    with transaction.atomic():
        _lock_chain()
        head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS)
        fields: dict[str, Any] = {
            "seq": seq,
            "occurred_at": occurred_at,
            "actor_id": actor_pk,
            "actor_name": storable_text(name)[:150],
            "action": action,
            "object_type": object_type,
            "object_id": storable_text(str(object_id))[:64],
            "summary": summary,
            "request_id": ctx.request_id if ctx else "",
            "ip": (ctx.ip or "") if ctx else "",
            "channel": ctx.channel if ctx else "",
            "prev_hash": prev_hash,
        }
        return AuditEvent.objects.create(hash=event_hash(**fields), **fields)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    head_hash: str
    bad_position: int | None = None
    reason: str = ""
    # "gap" (an event deleted or renumbered), "link" (rows deleted, inserted or reordered) or
    # "content" (an event edited): for the pages, which say it in the reader's language.
    kind: str = ""


_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "summary",
    "request_id",
    "ip",
    "channel",
    "prev_hash",
    "hash",
)


def verify(*, chunk_size: int = 5000) -> VerifyResult:
    """Recompute the whole chain; report the first position (1-based, in seq order) that is bad."""
    prev = GENESIS
    position = 0
    rows = AuditEvent.objects.order_by("seq").values_list(*_FIELDS).iterator(chunk_size=chunk_size)
    for row in rows:
        position += 1
        fields = dict(zip(_FIELDS, row, strict=True))
        stored = fields.pop("hash")
        if fields["seq"] != position:
            return VerifyResult(
                False,
                position - 1,
                prev,
                position,
                f"sequence {fields['seq']} found at position "
                f"{position}: an event before it was deleted or the rows were renumbered",
                "gap",
            )
        if fields["prev_hash"] != prev:
            return VerifyResult(
                False,
                position - 1,
                prev,
                position,
                "the link to the previous event is broken: rows deleted, inserted or reordered",
                "link",
            )
        if event_hash(**fields) != stored:
            return VerifyResult(
                False,
                position - 1,
                prev,
                position,
                "the event's content does not match its hash",
                "content",
            )
        prev = stored
    return VerifyResult(True, position, prev)


@dataclass(frozen=True)
class Anchor:
    count: int
    head_hash: str
    at: datetime


def anchor() -> Anchor:
    """Return the head of the chain: record it outside the system to detect a truncated tail."""
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    count, head_hash = head if head else (0, GENESIS)
    return Anchor(count=count, head_hash=head_hash, at=clock.now())

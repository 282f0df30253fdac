"""The canonical serialisation an audit hash is computed over. Pure: no Django."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

GENESIS = "0" * 64


def storable_text(text: str) -> str:
    """Return text every database stores as given: NUL and lone surrogates become escapes.

    PostgreSQL refuses NUL in text and jsonb, and a lone surrogate cannot be encoded as UTF-8;
    either may arrive in a request body. Ordinary text is returned unchanged.
    """
    if "\x00" in text:
        text = text.replace("\x00", "\\x00")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def jsonable(value: Any) -> Any:
    """Turn a summary value into plain JSON types, so that what is hashed is what is stored."""
    if isinstance(value, str):
        return storable_text(value)
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {storable_text(str(k)): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return str(value)


def timestamp(at: datetime) -> str:
    """Format an aware datetime as UTC with microseconds, e.g. 2026-01-02T03:04:05.000006Z."""
    if at.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    *,
    seq: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    summary: dict[str, Any],
    request_id: str,
    ip: str,
    channel: str,
    prev_hash: str,
) -> str:
    """Return the SHA-256 hex digest of an event's canonical JSON, chained to ``prev_hash``."""
    body = {
        "seq": seq,
        "occurred_at": timestamp(occurred_at),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "summary": summary,
        "request_id": request_id,
        "ip": ip,
        "channel": channel,
        "prev_hash": prev_hash,
    }
    data = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()

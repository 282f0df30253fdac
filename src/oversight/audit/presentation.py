"""Audit events in words, for the audit administrator's page and the ``oversight audit list``.

Turns a page of events into rows: when, who, what, to which object, and which fields changed
from what to what, in the words the apps registered (``oversight.audit.vocabulary``), with
personal data masked. Masking is done here, on display only: the stored summary is never changed,
and the hash chain still covers the full values.

Names are looked up once per object type for the whole page (the objects, the actors and the
objects a field refers to), so the number of queries does not grow with the number of rows.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from oversight.audit.models import AuditEvent
from oversight.audit.vocabulary import CHANNELS, VOCABULARY, Name, Vocabulary, actor_type

PARTS = ("before", "after", "detail")


class _Missing:
    """A field one side of a change does not have (created, or no longer recorded)."""


MISSING = _Missing()


@dataclass(frozen=True)
class Change:
    """One field that changed: its label and its value before and after, in words."""

    field: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    """One fact recorded with an event that is not a change (``detail``), in words."""

    field: str
    label: str
    value: str


@dataclass(frozen=True)
class EventRow:
    seq: int
    occurred_at: datetime
    actor: str
    action: str
    object: str
    changes: list[Change]
    details: list[Entry]
    ip: str
    channel: str
    request_id: str


def _ids(value: Any) -> Iterable[str]:
    items = value if isinstance(value, list) else [value]
    return (str(v) for v in items if v is not None and v != "")


class _Page:
    """The names a page of events needs, looked up once per object type."""

    def __init__(self, events: Sequence[AuditEvent], vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        wanted: dict[str, set[str]] = defaultdict(set)
        for event in events:
            if event.object_type and event.object_id:
                wanted[event.object_type].add(event.object_id)
            if event.actor_id is not None:
                wanted[actor_type()].add(str(event.actor_id))
            for part in _parts(event).values():
                for field, value in part.items():
                    target = vocabulary.reference(event.object_type, field)
                    if target:
                        wanted[target].update(_ids(value))
        self.names: dict[str, Mapping[str, Name | str]] = {}
        for object_type, ids in wanted.items():
            known = vocabulary.object_types.get(object_type)
            if known is not None and known.names is not None:
                self.names[object_type] = known.names(sorted(ids))

    def name(self, object_type: str, object_id: str) -> str | None:
        found = self.names.get(object_type, {}).get(object_id)
        if found is None:
            return None
        return found.words() if isinstance(found, Name) else found

    def object_words(self, object_type: str, object_id: str) -> str:
        if not object_type:
            return "—"
        known = self.vocabulary.object_types.get(object_type)
        if known is None:
            return _("an object of an unnamed kind (%(code)s)") % {"code": object_type}
        label = str(known.label)
        if not object_id:
            return label
        if known.names is None:
            return _("%(type)s no. %(id)s") % {"type": label, "id": object_id}
        name = self.name(object_type, object_id)
        if name is None:
            return _("%(type)s no. %(id)s (no longer exists)") % {"type": label, "id": object_id}
        return f"{label} {name}"

    def actor_words(self, event: AuditEvent) -> str:
        if event.actor_id is not None:
            name = self.name(actor_type(), str(event.actor_id))
            return name or event.actor_name or _("account no. %(id)s") % {"id": event.actor_id}
        if event.actor_name:
            return _("%(name)s (not signed in)") % {"name": event.actor_name}
        return _("the system")

    def value_words(self, object_type: str, field: str, value: Any) -> str:
        if value is MISSING:
            return "—"
        if value is None or value == "" or value == []:
            return _("empty")
        words = self.vocabulary.value_words(object_type, field)
        if callable(words):
            return words(value)
        if isinstance(value, list):
            return "、".join(self.value_words(object_type, field, v) for v in value)
        target = self.vocabulary.reference(object_type, field)
        if target:
            name = self.name(target, str(value))
            return name if name is not None else _("no. %(id)s (no longer exists)") % {"id": value}
        mask = self.vocabulary.mask(object_type, field)
        if mask is not None:
            return mask(str(value))
        if words is not None and str(value) in words:
            return str(words[str(value)])
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False, sort_keys=True)
        return str(value)

    def field_words(self, object_type: str, field: str) -> str:
        label = self.vocabulary.field_label(object_type, field)
        return str(label) if label is not None else field

    def changes(self, event: AuditEvent) -> list[Change]:
        parts = _parts(event)
        before, after = parts.get("before", {}), parts.get("after", {})
        fields = sorted(
            {*after, *before}, key=lambda f: self.vocabulary.field_order(event.object_type, f)
        )
        rows = []
        for field in fields:
            old, new = before.get(field, MISSING), after.get(field, MISSING)
            if old == new or {_kind(old), _kind(new)} == {"missing", "empty"}:
                continue  # unchanged, or "nothing" on one side and "not recorded" on the other
            rows.append(
                Change(
                    field=field,
                    label=self.field_words(event.object_type, field),
                    before=self.value_words(event.object_type, field, old),
                    after=self.value_words(event.object_type, field, new),
                )
            )
        return rows

    def details(self, event: AuditEvent) -> list[Entry]:
        return [
            Entry(
                field=field,
                label=self.field_words(event.object_type, field),
                value=self.value_words(event.object_type, field, value),
            )
            for field, value in sorted(
                _parts(event).get("detail", {}).items(),
                key=lambda item: self.vocabulary.field_order(event.object_type, item[0]),
            )
        ]

    def row(self, event: AuditEvent) -> EventRow:
        label = self.vocabulary.action_label(event.action)
        channel = CHANNELS.get(event.channel)
        return EventRow(
            seq=event.seq,
            occurred_at=event.occurred_at,
            actor=self.actor_words(event),
            action=str(label)
            if label is not None
            else _("an unnamed action (%(code)s)") % {"code": event.action},
            object=self.object_words(event.object_type, event.object_id),
            changes=self.changes(event),
            details=self.details(event),
            ip=event.ip,
            channel=str(channel) if channel is not None else event.channel,
            request_id=event.request_id,
        )


def _kind(value: Any) -> str:
    if value is MISSING:
        return "missing"
    return "empty" if value is None or value == "" or value == [] else "value"


def _parts(event: AuditEvent) -> dict[str, dict[str, Any]]:
    """The summary's before/after/detail dictionaries (anything else is kept as one entry)."""
    summary = event.summary if isinstance(event.summary, dict) else {"detail": event.summary}
    parts: dict[str, dict[str, Any]] = {}
    for part in PARTS:
        value = summary.get(part)
        if value is None:
            continue
        parts[part] = value if isinstance(value, dict) else {part: value}
    return parts


def present(events: Iterable[AuditEvent], vocabulary: Vocabulary = VOCABULARY) -> list[EventRow]:
    """Return the events as rows in words, with personal data masked, in the order given."""
    listed = list(events)
    page = _Page(listed, vocabulary)
    return [page.row(event) for event in listed]


def _mask_value(mask: Any, value: Any) -> Any:
    if isinstance(value, list):
        return [_mask_value(mask, v) for v in value]
    if isinstance(value, str):
        return mask(value)
    return value


def masked_summary(event: AuditEvent, vocabulary: Vocabulary = VOCABULARY) -> Any:
    """Return a copy of the event's stored summary with its personal fields masked."""
    if not isinstance(event.summary, dict):
        return event.summary
    summary = dict(event.summary)
    for part, fields in _parts(event).items():
        if part not in summary or not isinstance(summary[part], dict):
            continue
        masked = {}
        for field, value in fields.items():
            mask = vocabulary.mask(event.object_type, field)
            masked[field] = _mask_value(mask, value) if mask is not None else value
        summary[part] = masked
    return summary

"""The words of the audit log: each app registers what its events mean, from its ``ready()``.

The audit package knows no other app (it sits below them all), yet the audit administrator must
read "城关派出所 · 修改民警信息 · 联系电话 138****5678 → 139****0000", not
``officer.update org.officer:57 {'phone': ...}``. So every app that records events registers:

- an action label for each action it records (a test fails on an action without one);
- its object types: a label, and a batched name lookup ``ids -> {id: Name}`` so that a page of
  fifty events costs one query per object type, however many rows it has;
- labels for the fields its summaries hold, words for the values of its choice fields, the fields
  that refer to other objects (resolved to their names with the same lookups), and masks for the
  fields that hold personal data (``oversight.audit.policy``).

Lookups are by ``(object_type, field)`` first, then by ``field`` alone for words every app shares.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from oversight.audit import policy

Label = str | Promise
Mask = Callable[[str], str]
ValueWords = Mapping[str, Label] | Callable[[Any], str]


@dataclass(frozen=True)
class Name:
    """How an object is named to the auditor: plain ``text``, a ``person``'s name (shown masked)
    and a ``note`` (plain). ``Name(text="city.leader", person="王小明")`` reads
    "city.leader（王*）"; ``Name(person="王小明", note="警号 100001")`` reads
    "王*（警号 100001）"."""

    text: str = ""
    person: str = ""
    note: str = ""

    def words(self) -> str:
        masked = policy.mask_name(self.person) if self.person else ""
        lead = self.text or masked
        extras = [part for part in (masked if self.text else "", self.note) if part]
        return f"{lead}（{'，'.join(extras)}）" if extras and lead else lead or "，".join(extras)


NameLookup = Callable[[Sequence[str]], Mapping[str, Name | str]]


@dataclass(frozen=True)
class ObjectType:
    label: Label
    names: NameLookup | None = None


class Vocabulary:
    """What the registered apps said their events mean. One instance: ``VOCABULARY``."""

    def __init__(self) -> None:
        self.actions: dict[str, Label] = {}
        self.object_types: dict[str, ObjectType] = {}
        self.fields: dict[tuple[str, str], Label] = {}
        self.values: dict[tuple[str, str], ValueWords] = {}
        self.masks: dict[tuple[str, str], Mask] = {}
        self.references: dict[tuple[str, str], str] = {}
        # Fields named only at run time (a subject kind's own fields, from the catalog in force).
        self.field_resolvers: dict[str, Callable[[str], Label | None]] = {}

    # --- lookups ---------------------------------------------------------------------------

    @staticmethod
    def _scoped(table: Mapping[tuple[str, str], Any], object_type: str, field: str) -> Any:
        found = table.get((object_type, field))
        return found if found is not None else table.get(("", field))

    def action_label(self, action: str) -> Label | None:
        return self.actions.get(action)

    def field_label(self, object_type: str, field: str) -> Label | None:
        found = self._scoped(self.fields, object_type, field)
        resolve = self.field_resolvers.get(object_type)
        return found if found is not None or resolve is None else resolve(field)

    def field_order(self, object_type: str, field: str) -> tuple[int, str]:
        """Sort key showing fields in the order they were registered (a form's order), since
        a stored summary's key order is not kept (PostgreSQL's jsonb sorts keys)."""
        for key in ((object_type, field), ("", field)):
            if key in self.fields:
                return list(self.fields).index(key), field
        return len(self.fields), field

    def value_words(self, object_type: str, field: str) -> ValueWords | None:
        return self._scoped(self.values, object_type, field)

    def mask(self, object_type: str, field: str) -> Mask | None:
        return self._scoped(self.masks, object_type, field)

    def reference(self, object_type: str, field: str) -> str | None:
        return self._scoped(self.references, object_type, field)

    def actions_matching(self, words: str) -> list[str]:
        """Return the actions whose label (in the active language) contains ``words``."""
        words = words.strip().casefold()
        return sorted(
            c for c, label in self.actions.items() if words and words in str(label).casefold()
        )

    def action_choices(self) -> list[tuple[str, str]]:
        """(action, label) pairs for a filter, ordered by label."""
        return sorted(((c, str(label)) for c, label in self.actions.items()), key=lambda p: p[1])

    def object_type_choices(self) -> list[tuple[str, str]]:
        """(object type, label) pairs for a filter, ordered by label."""
        pairs = ((c, str(t.label)) for c, t in self.object_types.items())
        return sorted(pairs, key=lambda p: p[1])

    # --- registration ----------------------------------------------------------------------

    @staticmethod
    def _put(table: dict[Any, Any], key: Any, value: Any, what: str) -> None:
        held = table.get(key)
        if held is not None and held is not value and held != value:
            raise ValueError(f"audit vocabulary: {what} {key!r} is already registered otherwise")
        table[key] = value


VOCABULARY = Vocabulary()


def register_actions(labels: Mapping[str, Label]) -> None:
    """Give each action code (``officer.update``) the words the auditor reads (修改民警信息)."""
    for action, label in labels.items():
        VOCABULARY._put(VOCABULARY.actions, action, label, "action")


def register_object_type(code: str, label: Label, *, names: NameLookup | None = None) -> None:
    """Name an object type (``org.officer`` → 民警); ``names`` looks up many objects' names at
    once (one query) and leaves out the ids it does not find (a deleted or unknown object)."""
    VOCABULARY._put(VOCABULARY.object_types, code, ObjectType(label, names), "object type")


def register_fields(labels: Mapping[str, Label], *, object_type: str = "") -> None:
    """Label the fields a summary holds, for one object type or (``""``) for every type."""
    for field, label in labels.items():
        VOCABULARY._put(VOCABULARY.fields, (object_type, field), label, "field")


def register_field_resolver(object_type: str, resolve: Callable[[str], Label | None]) -> None:
    """Name the fields of ``object_type`` that no table lists, by asking ``resolve(field)``
    when a page needs the word (a subject kind's own fields come from the catalog in force)."""
    VOCABULARY._put(VOCABULARY.field_resolvers, object_type, resolve, "field resolver of")


def register_values(field: str, words: ValueWords, *, object_type: str = "") -> None:
    """Words for a field's values: a mapping (a choice field's codes) or a function."""
    VOCABULARY._put(VOCABULARY.values, (object_type, field), words, "values of")


def register_mask(field: str, mask: Mask, *, object_type: str = "") -> None:
    """Mask a field that holds personal data, wherever it is shown to the auditor."""
    VOCABULARY._put(VOCABULARY.masks, (object_type, field), mask, "mask of")


def register_reference(field: str, target_type: str, *, object_type: str = "") -> None:
    """Say that a field holds the id (or a list of ids) of an object of ``target_type``."""
    VOCABULARY._put(VOCABULARY.references, (object_type, field), target_type, "reference")


def actor_type() -> str:
    """The object type of the accounts that act (``org.user``), named as ``record`` names it."""
    app_label, model = settings.AUTH_USER_MODEL.split(".")
    return f"{app_label}.{model.lower()}"


def local_time(value: Any) -> str:
    """Words for a stored ISO date-time: local time to the minute, e.g. 2026-03-01 16:30."""
    try:
        at = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if timezone.is_naive(at):
        return at.strftime("%Y-%m-%d %H:%M")
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


CHANNELS: dict[str, Label] = {
    "web": _("web page"),
    "api": _("API"),
    "cli": _("command line"),
    "worker": _("background job"),
}


def register_defaults() -> None:
    """Masks every app gets without asking: fields with these names hold personal data."""
    for field in ("phone", "mobile"):
        register_mask(field, policy.mask_phone)
    for field in ("id_number", "id_card_number"):
        register_mask(field, policy.mask_id_number)
    register_mask("warrant_number", policy.mask_warrant_number)

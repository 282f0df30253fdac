"""Declared fields: one declaration per entity, from which the services' checks, the page forms
(``oversight.web.declared``) and the API schemas (``oversight.api.declared``) all come.

A field is declared once with its label, kind, length, pattern and choices; ``clean_value`` is the
one check of a value against it, so a page, the API and the CLI refuse the same input in the same
words, naming the field.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from oversight.core.errors import DomainError
from oversight.core.inputs import date_field, text_field
from oversight.core.text import parse_id

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class FieldSpec:
    """One field as services and the API name it (``agency_id``), with what a user is told."""

    name: str
    label: Any
    kind: str = "text"  # text | choice | date | ref
    required: bool = True
    max_length: int | None = None
    pattern: str | None = None
    pattern_message: Any = None
    choices: Any = None  # a TextChoices class, for kind "choice"
    ref: str | None = None  # what a "ref" names ("agency", "department"), for the scope check
    help_text: Any = ""
    upper: bool = False  # codes are upper-cased before they are checked

    def choice_values(self) -> list[str]:
        return list(self.choices.values) if self.choices is not None else []


class Fields(Mapping[str, FieldSpec]):
    """The declared fields of an entity, in the order a form shows them."""

    def __init__(self, *specs: FieldSpec) -> None:
        self.specs = specs
        self._index = {s.name: s for s in specs}

    def __getitem__(self, name: str) -> FieldSpec:
        return self._index[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self.specs)

    def __add__(self, other: Fields) -> Fields:
        return Fields(*self.specs, *(s for s in other.specs if s.name not in self._index))

    def only(self, *names: str) -> Fields:
        return Fields(*(self._index[n] for n in names))

    def without(self, *names: str) -> Fields:
        return Fields(*(s for s in self.specs if s.name not in names))

    def refs(self) -> dict[str, str]:
        """Return {field name: what it names} for the fields that name rows."""
        return {s.name: s.ref for s in self.specs if s.kind == "ref" and s.ref}


def clean_value(spec: FieldSpec, raw: Any) -> Any:
    """Return the clean value of ``raw`` for ``spec``, or raise DomainError naming the field.

    Empty input ("" or None) is None for an optional date or reference and "" for optional text.
    """
    empty = raw is None or (isinstance(raw, str) and raw.strip() == "")
    if empty and not spec.required:
        return "" if spec.kind in ("text", "choice") else None
    if empty:
        raise DomainError(_("This field is required."), field=spec.name)
    cleaner = _CLEANERS[spec.kind]
    return cleaner(spec, raw)


def _clean_text(spec: FieldSpec, raw: Any) -> str:
    if not isinstance(raw, str):
        raise DomainError(_("Enter text."), field=spec.name)
    text = text_field(raw, field=spec.name, max_length=spec.max_length)
    if spec.upper:
        text = text.upper()
    if spec.pattern and not re.fullmatch(spec.pattern, text):
        raise DomainError(spec.pattern_message or _("The format is not valid."), field=spec.name)
    return text


def _clean_choice(spec: FieldSpec, raw: Any) -> str:
    if raw not in spec.choice_values():
        labels = "、".join(str(label) for _value, label in spec.choices.choices)
        raise DomainError(_("Choose one of: %(labels)s.") % {"labels": labels}, field=spec.name)
    return str(raw)


def _clean_date(spec: FieldSpec, raw: Any) -> date:
    if isinstance(raw, str) and _ISO_DATE.match(raw.strip()):
        with contextlib.suppress(ValueError):
            raw = date.fromisoformat(raw.strip())
    if not isinstance(raw, date):
        raise DomainError(_("Enter a date as YYYY-MM-DD."), field=spec.name)
    checked = date_field(raw, field=spec.name)
    assert checked is not None
    return checked


def _clean_ref(spec: FieldSpec, raw: Any) -> int:
    number = parse_id(raw.strip() if isinstance(raw, str) else raw)
    if number is None:
        raise DomainError(_("Choose an entry from the list."), field=spec.name)
    return number


_CLEANERS = {"text": _clean_text, "choice": _clean_choice, "date": _clean_date, "ref": _clean_ref}

"""Declared fields: one declaration per entity, from which the services' checks, the page forms
(``oversight.web.declared``) and the API schemas (``oversight.api.declared``) all come.

A field is declared once with its label, kind, length, pattern and choices; ``clean_value`` is the
one check of a value against it, so a page, the API and the CLI refuse the same input in the same
words, naming the field.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from oversight.core.errors import DomainError
from oversight.core.inputs import date_field, text_field
from oversight.core.text import parse_id

_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_NUMBER = re.compile(r"^[+-]?[0-9]{1,15}(\.[0-9]{1,15})?$")


@dataclass(frozen=True)
class FieldSpec:
    """One field as services and the API name it (``agency_id``), with what a user is told."""

    name: str
    label: Any
    kind: str = "text"  # text | choice | date | ref | integer | decimal | boolean
    required: bool = True
    max_length: int | None = None
    pattern: str | None = None
    pattern_message: Any = None
    # For "choice": (value, label) pairs, or a TextChoices class (turned into its pairs).
    choices: Any = ()
    ref: str | None = None  # what a "ref" names ("agency", "department"), for the scope check
    help_text: Any = ""
    upper: bool = False  # codes are upper-cased before they are checked
    minimum: Decimal | None = None  # for "integer" and "decimal"
    maximum: Decimal | None = None
    decimals: int | None = None  # for "decimal": digits after the point
    unit: str = ""  # what a number counts (千克, 人), shown beside it
    example: Any = None  # a value that passes, for a template's 填写示例 row and the demo

    def __post_init__(self) -> None:
        if hasattr(self.choices, "choices"):  # a TextChoices class
            object.__setattr__(self, "choices", tuple(self.choices.choices))
        else:
            object.__setattr__(self, "choices", tuple(tuple(pair) for pair in self.choices))

    def choice_values(self) -> list[str]:
        return [str(value) for value, _label in self.choices]


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
        labels = "、".join(str(label) for _value, label in spec.choices)
        raise DomainError(_("Choose one of: %(labels)s.") % {"labels": labels}, field=spec.name)
    return str(raw)


def _number(spec: FieldSpec, raw: Any) -> Decimal:
    """Read a number typed, sent as JSON or read from a spreadsheet (where 3 arrives as 3.0)."""
    if isinstance(raw, bool):
        raise DomainError(_("Enter a number."), field=spec.name)
    if isinstance(raw, float):
        raw = repr(raw)
    # Full-width digits (１２．５), as Chinese input methods type them, read as ASCII ones.
    text = unicodedata.normalize("NFKC", raw).strip() if isinstance(raw, str) else str(raw)
    if not _NUMBER.match(text):
        raise DomainError(_("Enter a number."), field=spec.name)
    number = Decimal(text)
    if spec.minimum is not None and number < spec.minimum:
        raise DomainError(_("Enter at least %(n)s.") % {"n": spec.minimum}, field=spec.name)
    if spec.maximum is not None and number > spec.maximum:
        raise DomainError(_("Enter at most %(n)s.") % {"n": spec.maximum}, field=spec.name)
    return number


def _clean_integer(spec: FieldSpec, raw: Any) -> int:
    number = _number(spec, raw)
    if number != number.to_integral_value():
        raise DomainError(_("Enter a whole number."), field=spec.name)
    return int(number)


def _clean_decimal(spec: FieldSpec, raw: Any) -> Decimal:
    number = _number(spec, raw)
    places = spec.decimals if spec.decimals is not None else 2
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise DomainError(
            _("Enter at most %(n)d digits after the point.") % {"n": places}, field=spec.name
        )
    return number


_YES = {"true", "1", "是", "yes", "y"}
_NO = {"false", "0", "否", "no", "n"}


def _clean_boolean(spec: FieldSpec, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise DomainError(_("Enter 是 or 否."), field=spec.name)


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


_CLEANERS = {
    "text": _clean_text,
    "choice": _clean_choice,
    "date": _clean_date,
    "ref": _clean_ref,
    "integer": _clean_integer,
    "decimal": _clean_decimal,
    "boolean": _clean_boolean,
}
KINDS = frozenset(_CLEANERS)

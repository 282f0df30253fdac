"""A subject's fields in words, for its page and its history: labels, choices, units."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from oversight.core.fields import Fields, FieldSpec


@dataclass(frozen=True)
class Shown:
    label: str
    value: str
    ident: bool = False  # an identifier (credit code, licence number): kept whole, not words


IDENTIFIERS = {"credit_code", "contact_phone"}


def in_words(spec: FieldSpec, value: Any, names: dict[int, str] | None = None) -> str:
    """One value as a person reads it: a choice's label, 是/否, a number with its unit, the name
    of a row it names (from ``names``)."""
    if value is None or value == "":
        return "—"
    if spec.kind == "ref":
        return (names or {}).get(value, "—")
    if spec.kind == "choice":
        return str(dict(spec.choices).get(value, value))
    if spec.kind == "boolean":
        return _("Yes") if value in (True, "true") else _("No")
    if spec.kind in ("integer", "decimal") and spec.unit:
        return f"{value} {spec.unit}"
    return str(value)


def shown_fields(
    fields: Fields, values: dict[str, Any], names: dict[int, str] | None = None
) -> list[Shown]:
    """Every declared field with its value in words, in the declaration's order."""
    return [
        Shown(
            str(spec.label),
            in_words(spec, values.get(spec.name), names),
            ident=spec.name in IDENTIFIERS or bool(spec.pattern and spec.kind == "text"),
        )
        for spec in fields.specs
    ]


def change_in_words(
    fields: Fields, before: dict, after: dict, names: dict[int, str] | None = None
) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field a change touched, in words."""
    return [
        (
            str(fields[name].label),
            in_words(fields[name], before.get(name), names),
            in_words(fields[name], after.get(name), names),
        )
        for name in fields
        if name in before or name in after
    ]

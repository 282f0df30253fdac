"""API schemas built from declared fields (``oversight.core.fields``): one declaration per entity.

Each field validates with ``clean_value`` — the check the service runs — so the API refuses what
a page refuses, in the same words; its OpenAPI description carries the label, length, pattern
and allowed values, so a client knows the rules before it sends anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import BeforeValidator, Field, WithJsonSchema, create_model
from pydantic_core import PydanticCustomError

from oversight.core.errors import DomainError
from oversight.core.fields import Fields, FieldSpec, clean_value
from oversight.core.text import MAX_ID

_TYPES: dict[str, type] = {
    "text": str,
    "choice": str,
    "date": date,
    "ref": int,
    "integer": int,
    "decimal": Decimal,
    "boolean": bool,
}
# What JSON a field takes, as its schema says: a number is a number, not a string of digits.
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "ref": (int,),
    "integer": (int,),
    "decimal": (int, float),
    "boolean": (bool,),
}


def _checker(spec: FieldSpec) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if value == "" and spec.kind not in ("text", "choice"):
            # A form sends "" for an empty choice; the API says "none" with null, as documented.
            raise PydanticCustomError("invalid", _("Send null, or leave the field out, for none."))
        allowed = _JSON_TYPES.get(spec.kind)
        wrong_bool = isinstance(value, bool) and spec.kind != "boolean"
        if value is not None and allowed and (wrong_bool or not isinstance(value, allowed)):
            raise PydanticCustomError("invalid", _("The value has the wrong type."))
        try:
            return clean_value(spec, value)
        except DomainError as exc:
            raise PydanticCustomError("invalid", str(exc.message)) from None

    return check


def _value_schema(spec: FieldSpec) -> dict[str, Any]:
    """The JSON schema of a present, non-empty value of ``spec``."""
    if spec.kind == "ref":
        return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    if spec.kind == "date":
        return {"type": "string", "format": "date"}
    if spec.kind == "boolean":
        return {"type": "boolean"}
    if spec.kind in ("integer", "decimal"):
        return _number_schema(spec)
    schema: dict[str, Any] = {"type": "string"}
    if spec.required and spec.kind == "text":
        schema["minLength"] = 1
    if spec.kind == "choice":
        schema["enum"] = spec.choice_values()
    if spec.max_length:
        schema["maxLength"] = spec.max_length
    if spec.pattern:
        schema["pattern"] = spec.pattern
    return schema


def _number_schema(spec: FieldSpec) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer" if spec.kind == "integer" else "number"}
    if spec.minimum is not None:
        schema["minimum"] = float(spec.minimum)
    if spec.maximum is not None:
        schema["maximum"] = float(spec.maximum)
    return schema


def _json_schema(spec: FieldSpec, *, nullable: bool, default: Any) -> dict[str, Any]:
    """The whole JSON schema of the field: what it accepts, exactly, and what it means.

    An optional field of the declaration also takes null and, for text, "" (both: nothing);
    a field only this request may leave out takes neither (leaving it out means "unchanged").
    """
    schema = _value_schema(spec)
    if nullable:
        empty = [{"type": "string", "maxLength": 0}] if spec.kind in ("text", "choice") else []
        schema = {"anyOf": [schema, *empty, {"type": "null"}]}
    schema["title"] = str(spec.label)
    if spec.help_text:
        schema["description"] = str(spec.help_text)
    if spec.kind == "choice":
        schema["x-labels"] = {value: str(label) for value, label in spec.choices}
    if spec.unit:
        schema["x-unit"] = spec.unit
    if default is not ... and (default is not None or nullable):
        schema["default"] = default
    return schema


def _default(spec: FieldSpec) -> Any:
    """What a field left out of a request means: nothing given (None), or empty optional text."""
    if not spec.required and spec.kind in ("text", "choice"):
        return ""
    return None


def _field(spec: FieldSpec, required: bool, default: Any) -> tuple[Any, Any]:
    base = _TYPES[spec.kind]
    default = ... if required else default
    schema = _json_schema(spec, nullable=not spec.required, default=default)
    annotation: Any = Annotated[
        base | None, BeforeValidator(_checker(spec)), WithJsonSchema(schema)
    ]
    return annotation, Field(default)


def declared_schema(
    name: str,
    fields: Fields,
    *,
    optional: Iterable[str] = (),
    defaults: dict[str, Any] | None = None,
    base: type[Schema] = Schema,
) -> type[Schema]:
    """Return a request schema of ``fields``.

    Fields in ``optional`` may be left out even where the declaration requires them: they then
    arrive as ``defaults[name]``, or None ("not given").
    """
    leave_out, given = set(optional), defaults or {}
    model_fields = {
        spec.name: _field(
            spec,
            spec.required and spec.name not in leave_out,
            given.get(spec.name, _default(spec)),
        )
        for spec in fields.specs
    }
    model: type[Schema] = create_model(name, __base__=base, **model_fields)  # type: ignore[call-overload]
    return model

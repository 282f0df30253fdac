"""A kind of subject's declared fields (catalog.yaml) as the declared fields the forms, the API
schemas, the import templates and ``oversight.core.fields.clean_value`` work from.

Catalog labels, help texts and choice labels are already Chinese: they are used as written.
"""

from __future__ import annotations

from dataclasses import replace

from oversight.catalog.schema import DEFAULT_TEXT_LENGTH, SubjectField, SubjectKind
from oversight.core.fields import Fields, FieldSpec, clean_value


def field_spec(declared: SubjectField) -> FieldSpec:
    """Return the FieldSpec of one declaration, its example as the clean value it stands for.

    Raises DomainError if the example does not pass the field's own checks (the loader reports it).
    """
    text = declared.type == "text"
    spec = FieldSpec(
        name=declared.name,
        label=declared.label,
        kind=declared.type,
        required=declared.required,
        max_length=(declared.max_length or DEFAULT_TEXT_LENGTH) if text else None,
        pattern=declared.pattern,
        pattern_message=declared.pattern_message or None,
        choices=[(c.value, c.label) for c in declared.choices],
        help_text=declared.help,
        minimum=declared.minimum,
        maximum=declared.maximum,
        decimals=declared.decimals,
        unit=declared.unit,
    )
    if declared.example is None:
        return spec
    return replace(spec, example=clean_value(spec, declared.example))


def field_specs(kind: SubjectKind) -> Fields:
    """Return a kind's own fields, in the order catalog.yaml declares them."""
    return Fields(*(field_spec(f) for f in kind.fields))

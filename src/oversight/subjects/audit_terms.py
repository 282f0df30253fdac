"""What the registry's audit events mean, in words: registered from ``SubjectsConfig.ready()``.

A subject's name is a person's name when it has no credit code (an individual who buys
precursor chemicals), so it is shown masked then; contact names and phones always are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext_lazy as _

from oversight.audit import policy
from oversight.audit.vocabulary import (
    Label,
    Name,
    register_actions,
    register_field_resolver,
    register_fields,
    register_mask,
    register_object_type,
    register_reference,
    register_values,
)
from oversight.core.errors import NotFound
from oversight.core.text import parse_id
from oversight.subjects.fields import COMMON
from oversight.subjects.models import RiskGrade, Subject, SubjectImport, SubjectStatus

ACTIONS = {
    "subject.create": _("Register a subject"),
    "subject.update": _("Edit a subject"),
    "subjects.follow": _("Keep the registry in step with the organisation"),
    "subjects.import": _("Import subjects from a spreadsheet"),
}
IMPORT_OBJECT = "subjects.subjectimport"
IMPORT_FIELDS = {
    "file_sha256": _("File's SHA-256"),
    "changeset_sha256": _("Change set's SHA-256"),
    "rows": _("Rows read"),
    "added": _("Subjects added"),
    "changed": _("Subjects changed"),
    "unchanged": _("Subjects left as they were"),
    "skipped": _("Example rows skipped"),
}
OBJECT = "subjects.subject"


def subject_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    wanted = [n for n in (parse_id(i) for i in ids) if n is not None]
    rows = Subject.objects.filter(pk__in=wanted).values_list("pk", "name", "credit_code")
    return {
        str(pk): Name(text=name, note=code) if code else Name(person=name)
        for pk, name, code in rows
    }


def own_field_label(field: str) -> Label | None:
    """The label a kind of the catalog in force gives one of its own fields."""
    from oversight.catalog.selectors import catalog_in_force

    try:
        catalog = catalog_in_force()
    except NotFound:
        return None
    for kind in catalog.header.subject_kinds:
        fields = catalog.subject_fields(kind.code)
        if field in fields:
            return fields[field].label
    return None


def import_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    wanted = [n for n in (parse_id(i) for i in ids) if n is not None]
    rows = SubjectImport.objects.filter(pk__in=wanted).values_list("pk", "file_name")
    return {str(pk): Name(text=name) for pk, name in rows}


def kind_name(code: object) -> str:
    """The name the catalog in force gives a kind of subject (the code if it has none)."""
    from oversight.catalog.selectors import catalog_in_force

    try:
        return catalog_in_force().subject_kind(str(code)).name
    except (NotFound, KeyError):
        return str(code)


def register() -> None:
    register_actions(ACTIONS)
    register_values("kind", kind_name, object_type=IMPORT_OBJECT)
    register_object_type(IMPORT_OBJECT, _("Import of subjects"), names=import_names)
    register_fields(IMPORT_FIELDS, object_type=IMPORT_OBJECT)
    register_fields({"kind": _("Kind of subject")}, object_type=IMPORT_OBJECT)
    register_object_type(OBJECT, _("Subject"), names=subject_names)
    register_fields({spec.name: spec.label for spec in COMMON.specs}, object_type=OBJECT)
    register_fields(
        {
            "created": _("Created"),
            "renamed": _("Renamed"),
            "closed": _("Closed"),
            "reopened": _("Reopened"),
        },
        object_type="",
    )
    register_field_resolver(OBJECT, own_field_label)
    register_reference("agency_id", "org.agency", object_type=OBJECT)
    register_values("risk_grade", dict(RiskGrade.choices), object_type=OBJECT)
    register_values("status", dict(SubjectStatus.choices), object_type=OBJECT)
    register_mask("contact_name", policy.mask_name, object_type=OBJECT)
    register_mask("contact_phone", policy.mask_phone, object_type=OBJECT)
    # An individual's 公民身份号码, which precursor buyers without a credit code give.
    register_mask("id_number", policy.mask_id_number, object_type=OBJECT)

"""The subject registry over the API: kinds and their fields, find, read, register, edit.

A subject's common fields are members of the body; the fields its kind declares in the catalog
go in ``attributes`` (``GET /subject-kinds`` says which, with their rules). Lists are read by
key: ``after`` (or ``before``) is the id the next (previous) page starts from.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status

from oversight.api.auth import guard, viewer
from oversight.api.declared import declared_schema
from oversight.api.problems import READ_ERRORS, WRITE_ERRORS
from oversight.api.schemas import PathId
from oversight.catalog.selectors import catalog_in_force
from oversight.core.fields import Fields, FieldSpec
from oversight.core.text import MAX_ID
from oversight.subjects import selectors, services
from oversight.subjects.fields import COMMON, FILTERS
from oversight.subjects.models import RiskGrade, Subject, SubjectChange, SubjectStatus

router = Router(tags=["subjects"])
READ = guard(selectors.may_read)


class FieldOut(Schema):
    name: str
    label: str
    type: str
    required: bool
    choices: dict[str, str]
    max_length: int | None
    pattern: str | None
    unit: str
    help: str


class KindOut(Schema):
    code: str
    name: str
    internal: bool
    follows_organisation: bool
    fields: list[FieldOut]


class SubjectOut(Schema):
    id: int
    kind: str
    name: str
    credit_code: str
    agency_id: int
    address: str
    contact_name: str
    contact_phone: str
    risk_grade: RiskGrade
    status: SubjectStatus
    registered_on: date | None
    closed_on: date | None
    notes: str
    attributes: dict[str, Any]
    updated_at: datetime


class SubjectPage(Schema):
    items: list[SubjectOut]
    next_after: int | None = Field(description="Pass as `after` for the next page.")
    previous_before: int | None = Field(description="Pass as `before` for the previous page.")


class ChangeOut(Schema):
    changed_at: datetime
    source: SubjectChange.Source
    actor: str | None
    before: dict[str, Any]
    after: dict[str, Any]


class KeysetQuery(Schema):
    after: int | None = Field(None, ge=1, le=MAX_ID, description="The id the next page follows.")
    before: int | None = Field(None, ge=1, le=MAX_ID, description="The id the page precedes.")


# The page's filters, checked by the same declaration; the kind is a code here (the catalog in
# force decides which, so the schema cannot list them) and must name a kind of the catalog.
_KIND_CODE = FieldSpec(
    "kind", _("Kind of subject"), required=False, max_length=40, pattern=r"^[A-Z][A-Z0-9_]*$"
)
_Query: Any = declared_schema(
    "SubjectQueryFields",
    Fields(*(_KIND_CODE if spec.name == "kind" else spec for spec in FILTERS.specs)),
    base=KeysetQuery,
)


class SubjectQuery(_Query):
    """Filters of the subject list, and where the page starts."""


# Whether a kind needs a credit code is the kind's rule, so the schema leaves every common field
# optional and the registry refuses, naming the field, what the kind requires.
_Common: Any = declared_schema("SubjectCommon", COMMON, optional=list(COMMON))


class SubjectFields(_Common):
    """A subject's common fields, and its kind's own in ``attributes``."""

    attributes: dict[str, Any] = Field(
        default_factory=dict, description="The kind's own fields: see GET /subject-kinds."
    )

    def values(self) -> dict[str, Any]:
        data = self.dict(exclude={"attributes", "kind"}, exclude_unset=True)
        return data | self.attributes


class SubjectIn(SubjectFields):
    kind: str


def _field_out(spec: Any) -> dict[str, Any]:
    return {
        "name": spec.name,
        "label": str(spec.label),
        "type": spec.kind,
        "required": spec.required,
        "choices": {value: str(label) for value, label in spec.choices},
        "max_length": spec.max_length,
        "pattern": spec.pattern,
        "unit": spec.unit,
        "help": str(spec.help_text),
    }


@router.get("/subject-kinds", response={200: list[KindOut], **READ_ERRORS}, auth=READ)
def kind_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every kind of subject with all its fields (common and its own) and their rules."""
    kinds = []
    for kind in catalog_in_force().header.subject_kinds:
        spec = services.kind_fields(kind.code)
        kinds.append(
            {
                "code": spec.code,
                "name": spec.name,
                "internal": spec.internal,
                "follows_organisation": spec.linked,
                "fields": [_field_out(f) for f in spec.all.specs],
            }
        )
    return kinds


@router.get(
    "/subjects",
    response={200: SubjectPage, **READ_ERRORS},
    auth=guard(selectors.may_read, agency_id="agency"),
)
def subject_list(request: HttpRequest, query: Query[SubjectQuery]) -> dict[str, Any]:
    if query.kind:
        services.kind_fields(query.kind)  # an unknown kind is refused, not listed as empty
    filters = selectors.SubjectFilters(
        q=query.q or "",
        kind=query.kind or "",
        agency_id=query.agency_id,
        risk_grade=query.risk_grade or "",
        status=query.status or "",
    )
    qs = selectors.subject_list(viewer=viewer(request), filters=filters)
    page = selectors.keyset_page(qs, after=query.after, before=query.before)
    return {"items": page.rows, "next_after": page.after, "previous_before": page.before}


@router.get(
    "/subjects/{id:subject_id}",
    response={200: SubjectOut, **READ_ERRORS},
    auth=guard(selectors.may_read, subject_id="subject"),
)
def subject_get(request: HttpRequest, subject_id: PathId) -> Subject:
    return selectors.subject_get(viewer=viewer(request), subject_id=subject_id)


@router.get(
    "/subjects/{id:subject_id}/history",
    response={200: list[ChangeOut], **READ_ERRORS},
    auth=guard(selectors.may_read, subject_id="subject"),
)
def subject_history(request: HttpRequest, subject_id: PathId) -> list[dict[str, Any]]:
    subject = selectors.subject_get(viewer=viewer(request), subject_id=subject_id)
    return [
        {
            "changed_at": c.changed_at,
            "source": c.source,
            "actor": c.actor.username if c.actor else None,
            "before": c.before,
            "after": c.after,
        }
        for c in selectors.subject_history(viewer=viewer(request), subject=subject)
    ]


@router.post(
    "/subjects",
    response={201: SubjectOut, **WRITE_ERRORS},
    auth=guard(selectors.may_write, agency_id="agency"),
)
def subject_create(request: HttpRequest, payload: SubjectIn) -> Any:
    subject = services.subject_create(
        actor=viewer(request),
        kind=payload.kind,
        values=payload.values(),
        source=SubjectChange.Source.API,
    )
    return Status(201, subject)


@router.put(
    "/subjects/{id:subject_id}",
    response={200: SubjectOut, **WRITE_ERRORS},
    auth=guard(selectors.may_write, subject_id="subject", agency_id="agency"),
)
def subject_update(request: HttpRequest, subject_id: PathId, payload: SubjectFields) -> Subject:
    return services.subject_update(
        actor=viewer(request),
        subject_id=subject_id,
        values=payload.values(),
        source=SubjectChange.Source.API,
    )

"""Writes to the subject registry: by hand (page, API), and kept in step with the organisation.

Each runs in one transaction, records the subject's history (``SubjectChange``) and an audit
event. Imports write in bulk through ``oversight.subjects.imports``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from oversight import audit
from oversight.catalog.selectors import catalog_in_force
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, require
from oversight.core.fields import Fields, clean_value
from oversight.org import selectors as org_selectors
from oversight.org.models import Agency
from oversight.org.scope import Viewer
from oversight.subjects import policy, selectors
from oversight.subjects.fields import JURISDICTION, common_fields
from oversight.subjects.models import Subject, SubjectChange

COLUMNS = (
    "name",
    "credit_code",
    "agency_id",
    "address",
    "contact_name",
    "contact_phone",
    "risk_grade",
    "status",
    "registered_on",
    "notes",
)


@dataclass(frozen=True)
class KindFields:
    """A kind of subject and its fields: the common ones, and its own from the catalog."""

    code: str
    name: str
    internal: bool
    linked: bool  # its subjects are rows of the organisation, kept in step with it
    common: Fields
    own: Fields

    @property
    def all(self) -> Fields:
        return self.common + self.own


def kind_fields(code: str) -> KindFields:
    """Return a kind of the catalog in force with its fields; refuse a kind it does not have."""
    catalog = catalog_in_force()
    try:
        kind = catalog.subject_kind(code)
    except KeyError:
        raise DomainError(_("There is no such kind of subject."), field="kind") from None
    return KindFields(
        code=kind.code,
        name=kind.name,
        internal=kind.internal,
        linked=bool(kind.internal and kind.links),
        common=common_fields(kind.credit_code),
        own=catalog.subject_fields(code),
    )


def storable(value: Any) -> Any:
    """A clean value as JSON keeps it: dates as ISO text, decimals as text (no rounding)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def clean_subject(kind: KindFields, values: Mapping[str, Any]) -> tuple[dict, dict]:
    """Check every value against the kind's fields; return (columns, attributes).

    Raises DomainError naming the first field refused, or a name the kind does not know.
    """
    fields = kind.all
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise DomainError(_("The kind has no field “%(f)s”.") % {"f": unknown[0]}, field=unknown[0])
    clean = {name: clean_value(fields[name], values.get(name)) for name in fields}
    code = clean.get("credit_code") or ""
    problem = policy.credit_code_problem(code) if code else None
    if problem:
        raise DomainError(
            _("The credit code's check character does not match: check each character.")
            if problem == "check"
            else _("A unified social credit code has 18 digits or capital letters."),
            field="credit_code",
        )
    columns = {name: clean.get(name, "") for name in COLUMNS if name != "agency_id"}
    columns["credit_code"] = code
    attributes = {name: storable(clean[name]) for name in kind.own}
    return columns, attributes


def _snapshot(subject: Subject) -> dict[str, Any]:
    data = {name: storable(getattr(subject, name)) for name in COLUMNS}
    return data | dict(subject.attributes)


def _record(subject: Subject, actor: Viewer | None, source: str, before: dict, after: dict) -> None:
    changed = policy.changed_fields(before, after)
    if not changed:
        return
    SubjectChange.objects.create(
        subject=subject,
        changed_at=subject.updated_at,
        actor_id=actor.pk if actor else None,
        source=source,
        before={k: old for k, (old, _new) in changed.items() if k in before},
        after={k: new for k, (_old, new) in changed.items()},
    )


def subject_create(
    *, actor: Viewer, kind: str, values: Mapping[str, Any], source: str = SubjectChange.Source.FORM
) -> Subject:
    """Register a subject of ``kind`` in an agency of the actor's scope.

    Subjects of a kind that stands for rows of the organisation are not typed: they follow the
    organisation. Raises PermissionDenied, NotFound (jurisdiction out of scope), DomainError,
    Conflict (the natural key is taken).
    """
    require(selectors.may_write(actor))
    with transaction.atomic():
        agency = _jurisdiction(actor, values.get("agency_id"))
        spec = kind_fields(kind)
        if spec.linked:
            raise DomainError(_("Subjects of this kind follow the organisation."), field="kind")
        columns, attributes = clean_subject(spec, values)
        key = policy.natural_key(
            credit_code=columns["credit_code"],
            linked_agency_id=None,
            agency_id=agency.pk,
            name=columns["name"],
        )
        if Subject.objects.filter(kind=spec.code, natural_key=key).exists():
            raise Conflict(_("This subject is already registered."), field="credit_code")
        now = clock.now()
        subject = Subject.objects.create(
            kind=spec.code,
            agency=agency,
            attributes=attributes,
            natural_key=key,
            created_at=now,
            updated_at=now,
            **columns,
        )
        _record(subject, actor, source, {}, _snapshot(subject))
        audit.record(action="subject.create", actor=actor, target=subject, after=_snapshot(subject))
    return subject


def _jurisdiction(actor: Viewer, raw: Any) -> Agency:
    agency_id = clean_value(JURISDICTION, raw)
    agency = org_selectors.agency_get(viewer=actor, agency_id=agency_id)
    if not agency.active:
        raise DomainError(_("The agency is deactivated."), field="agency_id")
    return agency


def subject_update(
    *,
    actor: Viewer,
    subject_id: Any,
    values: Mapping[str, Any],
    source: str = SubjectChange.Source.FORM,
) -> Subject:
    """Change a subject's details. A subject that stands for a row of the organisation keeps
    the name and jurisdiction the organisation gives it; its own fields and grade change here."""
    require(selectors.may_write(actor))
    with transaction.atomic():
        subject = selectors.subject_get(viewer=actor, subject_id=subject_id, for_update=True)
        spec = kind_fields(subject.kind)
        values = dict(values)
        if spec.linked:
            values |= {"name": subject.name, "agency_id": subject.agency_id}
        agency = _jurisdiction(actor, values.get("agency_id"))
        columns, attributes = clean_subject(spec, values)
        key = subject.natural_key
        if not spec.linked:
            key = policy.natural_key(
                credit_code=columns["credit_code"],
                linked_agency_id=None,
                agency_id=agency.pk,
                name=columns["name"],
            )
        taken = Subject.objects.filter(kind=subject.kind, natural_key=key).exclude(pk=subject.pk)
        if taken.exists():
            raise Conflict(_("This subject is already registered."), field="credit_code")
        before = _snapshot(subject)
        for name, value in columns.items():
            setattr(subject, name, value)
        subject.agency, subject.attributes, subject.natural_key = agency, attributes, key
        subject.closed_on = _closed_on(subject, before)
        subject.updated_at = clock.now()
        subject.save()
        after = _snapshot(subject)
        if after != before:
            _record(subject, actor, source, before, after)
            changed = policy.changed_fields(before, after)
            audit.record(
                action="subject.update",
                actor=actor,
                target=subject,
                before={k: old for k, (old, _n) in changed.items()},
                after={k: new for k, (_o, new) in changed.items()},
            )
    return subject


def _closed_on(subject: Subject, before: Mapping[str, Any]) -> date | None:
    """The day a subject closed: set when it becomes closed, cleared when it reopens."""
    if subject.status != "CLOSED":
        return None
    if before.get("status") == "CLOSED" and subject.closed_on:
        return subject.closed_on
    return clock.now().date()

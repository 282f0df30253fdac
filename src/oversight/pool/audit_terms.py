"""What the pool's audit events mean, in words: registered from ``PoolConfig.ready()``.

Officers are named masked, as everywhere in the audit log; the reason for an absence (often
medical) and the note of a conflict (often a relative's name) are hidden from the auditor
altogether: they are free text about people. The chain still covers the full values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from oversight.audit.vocabulary import (
    Name,
    register_actions,
    register_fields,
    register_mask,
    register_object_type,
    register_reference,
    register_values,
)
from oversight.core.text import parse_id
from oversight.pool.models import (
    Conflict,
    ConflictKind,
    RegimeQualification,
    Unavailability,
    UnavailabilityKind,
)

ACTIONS = {
    "qualification.grant": _("Grant a regime qualification"),
    "qualification.revoke": _("Revoke a regime qualification"),
    "unavailability.record": _("Record an officer's absence"),
    "unavailability.end": _("End an officer's absence"),
    "conflict.declare": _("Declare a conflict with a subject"),
    "conflict.end": _("End a conflict with a subject"),
}
QUALIFICATION = "pool.regimequalification"
UNAVAILABILITY = "pool.unavailability"
CONFLICT = "pool.conflict"

COMMON_FIELDS = {
    "officer_id": _("Officer"),
    "starts_on": _("From"),
    "ends_on": _("Until"),
    "ended_on": _("Ended from"),
}
FIELDS = {
    QUALIFICATION: {"regime": _("Regime"), "note": _("Note")},
    UNAVAILABILITY: {"kind": _("Kind of absence"), "reason": _("Reason")},
    CONFLICT: {
        "subject_id": _("Supervised subject"),
        "kind": _("Kind of conflict"),
        "note": _("Note"),
    },
}
HIDDEN = "***"


def hidden(value: str) -> str:
    """Free text about people: nothing of it is shown to the auditor, only that there is some."""
    return HIDDEN if value else value


def regime_title(code: Any) -> str:
    """A regime's title in the catalog in force (its code when the catalog no longer has it)."""
    from oversight.pool.selectors import regime_titles

    return regime_titles().get(str(code), str(code))


def _names(model: Any, ids: Sequence[str], note: Any) -> Mapping[str, Name | str]:
    wanted = [n for n in (parse_id(i) for i in ids) if n is not None]
    rows = model.objects.filter(pk__in=wanted).select_related("officer")
    return {str(row.pk): Name(person=row.officer.name, note=note(row)) for row in rows}


def qualification_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    from oversight.pool.selectors import regime_titles

    titles = regime_titles()
    return _names(RegimeQualification, ids, lambda q: titles.get(q.regime, q.regime))


def unavailability_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    kinds = dict(UnavailabilityKind.choices)
    return _names(Unavailability, ids, lambda u: f"{kinds[u.kind]} {u.starts_on:%Y-%m-%d}")


def conflict_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    kinds = dict(ConflictKind.choices)
    return _names(Conflict, ids, lambda c: str(kinds[c.kind]))


def register() -> None:
    """Register the pool's words with the audit log."""
    register_actions(ACTIONS)
    register_object_type(QUALIFICATION, _("Regime qualification"), names=qualification_names)
    register_object_type(UNAVAILABILITY, _("Absence"), names=unavailability_names)
    register_object_type(CONFLICT, _("Conflict with a subject"), names=conflict_names)
    for object_type, labels in FIELDS.items():
        register_fields(COMMON_FIELDS | labels, object_type=object_type)
        register_reference("officer_id", "org.officer", object_type=object_type)
    register_reference("subject_id", "subjects.subject", object_type=CONFLICT)
    register_values("regime", regime_title, object_type=QUALIFICATION)
    register_values("kind", dict(UnavailabilityKind.choices), object_type=UNAVAILABILITY)
    register_values("kind", dict(ConflictKind.choices), object_type=CONFLICT)
    register_mask("reason", hidden, object_type=UNAVAILABILITY)
    register_mask("note", hidden, object_type=CONFLICT)

"""What the inspections app's audit events mean, in words: registered from
``InspectionsConfig.ready()``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.audit.vocabulary import (
    Name,
    register_actions,
    register_fields,
    register_object_type,
    register_reference,
    register_values,
)
from oversight.core.text import parse_id
from oversight.inspections.models import Inspection
from oversight.planning.audit_terms import regime_title

ACTIONS = {
    "inspection.record": _("Record a finalised check"),
}
INSPECTION = "inspections.inspection"
FIELDS = {
    "subject_id": _("Subject"),
    "regime": _("Regime"),
    "method": _("Method"),
    "task_id": _("Task"),
    "started_at": _("Started"),
    "ended_at": _("Ended"),
    "finalised_at": _("Finalised"),
    "catalog_version_id": _("Catalog version"),
}


def method_name(code: Any) -> str:
    """A method kind's name in the catalog in force (its code when it has none such)."""
    from oversight.catalog.selectors import catalog_in_force
    from oversight.core.errors import NotFound

    try:
        names = {m.code: m.name for m in catalog_in_force().header.method_kinds}
    except NotFound:
        names = {}
    return names.get(str(code), str(code))


def inspection_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    wanted = [n for n in (parse_id(i) for i in ids) if n is not None]
    # The subject is not named here: it may be a person, whose name the log masks (its own
    # field, subject_id, names it as the registry does).
    rows = Inspection.objects.filter(pk__in=wanted)
    return {
        str(i.pk): Name(
            text=f"{regime_title(i.regime)} · {method_name(i.method)}",
            note=f"{timezone.localdate(i.started_at):%Y-%m-%d}",
        )
        for i in rows
    }


def register() -> None:
    """Register the inspections app's words with the audit log."""
    register_actions(ACTIONS)
    register_object_type(INSPECTION, _("Check"), names=inspection_names)
    register_fields(FIELDS, object_type=INSPECTION)
    register_reference("subject_id", "subjects.subject", object_type=INSPECTION)
    register_reference("task_id", "planning.task", object_type=INSPECTION)
    register_reference("catalog_version_id", "catalog.catalogversion", object_type=INSPECTION)
    register_values("regime", regime_title, object_type=INSPECTION)
    register_values("method", method_name, object_type=INSPECTION)

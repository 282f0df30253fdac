"""An inspection as declared fields (see ``oversight.core.fields``): what the service checks of
the subject, regime, method and task it is given. The times are checked by the service."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from oversight.core.fields import Fields, FieldSpec

CODE_PATTERN = r"[A-Z][A-Z0-9_]{1,39}"

INSPECTION = Fields(
    FieldSpec("subject_id", _("Subject"), kind="ref", ref="subject"),
    FieldSpec(
        "regime",
        _("Regime"),
        max_length=40,
        upper=True,
        pattern=CODE_PATTERN,
        pattern_message=_("Choose a regime of the catalog."),
    ),
    FieldSpec(
        "method",
        _("Method"),
        max_length=40,
        upper=True,
        pattern=CODE_PATTERN,
        pattern_message=_("Choose a method of the regime."),
    ),
    FieldSpec("task_id", _("Task"), kind="ref", ref="task", required=False),
)

# The compliance page's filters; the regimes offered are those with a rhythm (set by the page).
COMPLIANCE_FILTERS = Fields(
    FieldSpec("regime", _("Regime"), kind="choice", required=False),
    FieldSpec(
        "year",
        _("Year"),
        kind="integer",
        required=False,
        minimum=Decimal(2000),
        maximum=Decimal(2100),
    ),
    FieldSpec("missed", _("Only subjects with a missed period"), kind="boolean", required=False),
)

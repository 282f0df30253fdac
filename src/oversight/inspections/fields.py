"""An inspection as declared fields (see ``oversight.core.fields``): what the service checks of
the subject, regime, method and task it is given (a regime as a task names it, a method as a
method kind's code); the times are checked by the service. And the compliance page's filters."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from oversight.core.fields import Fields, FieldSpec
from oversight.planning.fields import PLAN_FILTERS, TASK

INSPECTION = Fields(
    FieldSpec("subject_id", _("Subject"), kind="ref", ref="subject"),
    TASK["regime"],
    replace(
        TASK["regime"],
        name="method",
        label=_("Method"),
        pattern_message=_("Choose a method of the regime."),
    ),
    FieldSpec("task_id", _("Task"), kind="ref", ref="task", required=False),
)

# The regimes offered are those with a rhythm of checks (the page sets the choices).
COMPLIANCE_FILTERS = Fields(
    FieldSpec("regime", _("Regime"), kind="choice", required=False),
    PLAN_FILTERS["year"],
    FieldSpec("missed", _("Only subjects with a missed period"), kind="boolean", required=False),
)

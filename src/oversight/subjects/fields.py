"""A subject's fields: the common ones declared here, the kind's own from the catalog."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from oversight.core.fields import Fields, FieldSpec
from oversight.org.fields import AGENCY_REF, PHONE_NUMBER
from oversight.org.policy import PHONE
from oversight.subjects.models import RiskGrade, SubjectStatus

CREDIT_CODE = FieldSpec(
    "credit_code",
    _("Unified social credit code"),
    max_length=18,
    upper=True,
    pattern=r"[0-9A-HJ-NPQRTUWXY]{18}",
    pattern_message=_("A unified social credit code has 18 digits or capital letters."),
    help_text=_("The 18-character code on the business licence (GB 32100)."),
)
JURISDICTION = replace(AGENCY_REF, label=_("Jurisdiction (agency in charge)"))

COMMON = Fields(
    FieldSpec("name", _("Name"), max_length=120),
    CREDIT_CODE,
    JURISDICTION,
    FieldSpec("address", _("Address"), required=False, max_length=200),
    FieldSpec("contact_name", _("Contact person"), required=False, max_length=40),
    replace(PHONE_NUMBER, name="contact_phone", label=_("Contact phone"), pattern=PHONE.pattern),
    FieldSpec("risk_grade", _("Risk grade"), kind="choice", choices=RiskGrade),
    FieldSpec("status", _("Status"), kind="choice", choices=SubjectStatus),
    FieldSpec("registered_on", _("Registered on"), kind="date", required=False),
    FieldSpec("notes", _("Notes"), required=False, max_length=500),
)
# Names a kind's own fields may not take: the common ones, and the row's own.
RESERVED = frozenset({*COMMON, "id", "kind", "closed_on"})


def common_fields(credit_code: str) -> Fields:
    """The common fields of a kind whose credit code is "required", "optional" or "none"."""
    if credit_code == "none":
        return COMMON.without("credit_code")
    if credit_code == "optional":
        optional = replace(CREDIT_CODE, required=False)
        return Fields(*(optional if s.name == "credit_code" else s for s in COMMON.specs))
    return COMMON


SEARCH = FieldSpec("q", _("Name or credit code"), required=False, max_length=80)
FILTERS = Fields(
    SEARCH,
    FieldSpec("kind", _("Kind of subject"), kind="choice", required=False),
    FieldSpec("agency_id", _("Jurisdiction"), kind="ref", ref="agency", required=False),
    FieldSpec("risk_grade", _("Risk grade"), kind="choice", choices=RiskGrade, required=False),
    FieldSpec("status", _("Status"), kind="choice", choices=SubjectStatus, required=False),
)

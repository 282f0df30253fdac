"""The organisation's entities as declared fields: services check with them, pages and the API
build their forms and schemas from them (see ``oversight.core.fields``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from oversight.core.fields import Fields, FieldSpec
from oversight.org.models import AgencyKind, AgencyLevel, Qualification
from oversight.org.policy import (
    AGENCY_CODE,
    BADGE_NUMBER,
    DEPARTMENT_CODE,
    DIVISION_CODE,
    PHONE,
    WARRANT_NUMBER,
)

NAME = FieldSpec("name", _("Name"), max_length=80)
# References to rows, checked against the actor's scope before anything else.
AGENCY_REF = FieldSpec("agency_id", _("Agency"), kind="ref", ref="agency")
OFFICER_REF = FieldSpec("officer_id", _("Officer"), kind="ref", ref="officer")
LIAISON_REF = FieldSpec("liaison_id", _("Liaison"), kind="ref", ref="liaison")
DEPARTMENT_REF = FieldSpec("department_id", _("Department"), kind="ref", ref="department")
DEPARTMENT = FieldSpec(
    "department_id", _("Department"), kind="ref", ref="department", required=False
)
DIVISION = FieldSpec(
    "division_code",
    _("Administrative-division code"),
    max_length=6,
    pattern=DIVISION_CODE.pattern,
    pattern_message=_("An administrative-division code has six digits, e.g. 130602."),
)
PHONE_NUMBER = FieldSpec(
    "phone",
    _("Phone"),
    required=False,
    max_length=20,
    pattern=PHONE.pattern,
    pattern_message=_("Enter a phone number of digits, spaces, + or -."),
)

AGENCY = Fields(
    FieldSpec(
        "code",
        _("Code"),
        max_length=32,
        upper=True,
        pattern=AGENCY_CODE.pattern,
        pattern_message=_(
            "A code has 2–32 upper-case letters, digits or hyphens, and starts with a letter or "
            "digit."
        ),
        help_text=_("The parent's code, a hyphen, and this unit's own part."),
    ),
    NAME,
    FieldSpec("kind", _("Kind"), kind="choice", choices=AgencyKind),
    FieldSpec(
        "level",
        _("Level"),
        kind="choice",
        choices=AgencyLevel,
        required=False,
        help_text=_("Follows from the place in the tree; leave empty."),
    ),
    FieldSpec(
        "division_code",
        DIVISION.label,
        required=False,
        max_length=6,
        pattern=DIVISION_CODE.pattern,
        pattern_message=DIVISION.pattern_message,
        help_text=_("Leave empty for the code of the bureau the unit belongs to."),
    ),
    FieldSpec("parent_id", _("Parent agency"), kind="ref", ref="agency"),
    DEPARTMENT,
)
AGENCY_EDIT = AGENCY.only("name", "department_id")
AGENCY_RECLASSIFY = Fields(AGENCY["kind"], DIVISION)

OFFICER = Fields(
    FieldSpec(
        "username",
        _("User name"),
        max_length=150,
        pattern=r"[\w.@+-]+",
        pattern_message=_("Enter a valid user name (letters, digits, @.+-_)."),
    ),
    FieldSpec("name", _("Full name"), max_length=40),
    FieldSpec(
        "badge_number",
        _("Badge number"),
        max_length=6,
        pattern=BADGE_NUMBER.pattern,
        pattern_message=_("A badge number has six digits."),
    ),
    FieldSpec(
        "warrant_number",
        _("Warrant number"),
        max_length=20,
        upper=True,
        pattern=WARRANT_NUMBER.pattern,
        pattern_message=_("A warrant number has 6–20 digits or upper-case letters."),
    ),
    AGENCY_REF,
    DEPARTMENT,
    FieldSpec("title", _("Post"), required=False, max_length=40),
    PHONE_NUMBER,
    FieldSpec(
        "qualification",
        _("Law-enforcement qualification"),
        kind="choice",
        choices=Qualification,
    ),
    FieldSpec(
        "qualification_expires_on",
        _("Qualification valid until"),
        kind="date",
        required=False,
        help_text=_("Leave empty when the officer has no qualification."),
    ),
)
OFFICER_EDIT = OFFICER.without("username")
OFFICER_TRANSFER = Fields(
    FieldSpec(
        "agency_id",
        _("New agency"),
        kind="ref",
        ref="agency",
        help_text=_("An agency of another bureau; within the same bureau, edit the officer."),
    )
)

DEPARTMENT_FIELDS = Fields(
    FieldSpec(
        "code",
        _("Code"),
        max_length=20,
        upper=True,
        pattern=DEPARTMENT_CODE.pattern,
        pattern_message=_(
            "A department code has 2–20 upper-case letters, digits or underscores, and starts "
            "with a letter."
        ),
    ),
    FieldSpec("name", _("Name"), max_length=40),
)

LIAISON = Fields(AGENCY_REF, DEPARTMENT_REF, OFFICER_REF, PHONE_NUMBER)
# On the page a liaison is named by badge number, as officers know each other.
LIAISON_FORM = Fields(
    AGENCY_REF,
    DEPARTMENT_REF,
    FieldSpec(
        "badge_number",
        _("Officer (badge number)"),
        max_length=6,
        pattern=BADGE_NUMBER.pattern,
        pattern_message=_("A badge number has six digits."),
        help_text=_("The six-digit badge number of an officer of that agency."),
    ),
    PHONE_NUMBER,
)


class ActiveFilter(models.TextChoices):
    """Which rows a list shows: in use (the default), deactivated, or all."""

    ACTIVE = "1", _("Active")
    INACTIVE = "0", _("Deactivated")
    ALL = "all", _("All")


def active_filter(value: str) -> bool | None:
    """Return the ``active`` filter a list's choice stands for (in use when none was chosen)."""
    if value == ActiveFilter.INACTIVE:
        return False
    if value == ActiveFilter.ALL:
        return None
    return True


SEARCH = FieldSpec("q", _("Search"), required=False, max_length=80)
ACTIVE = FieldSpec("active", _("Status"), kind="choice", choices=ActiveFilter, required=False)
AGENCY_FILTERS = Fields(
    SEARCH,
    FieldSpec("kind", _("Kind"), kind="choice", choices=AgencyKind, required=False),
    ACTIVE,
)
OFFICER_FILTERS = Fields(
    SEARCH,
    FieldSpec("agency_id", _("Agency"), kind="ref", ref="agency", required=False),
    ACTIVE,
)

"""The pool's records as declared fields: services check with them, pages and the API build their
forms and schemas from them (see ``oversight.core.fields``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.core.fields import Fields, FieldSpec
from oversight.pool.models import ConflictKind, UnavailabilityKind

REGIME = FieldSpec(
    "regime",
    _("Regime"),
    max_length=40,
    upper=True,
    pattern=r"[A-Z][A-Z0-9_]{1,39}",
    pattern_message=_("Choose a regime of the catalog."),
    help_text=_("The regime of the catalog the officer may inspect under."),
)
UNTIL = FieldSpec(
    "ends_on",
    _("Until"),
    kind="date",
    required=False,
    help_text=_("The last day; leave empty for no end."),
)

QUALIFICATION = Fields(
    REGIME,
    FieldSpec(
        "starts_on",
        _("From"),
        kind="date",
        required=False,
        help_text=_("The first day; leave empty for today."),
    ),
    UNTIL,
    FieldSpec(
        "note",
        _("Note"),
        required=False,
        max_length=200,
        help_text=_("For example the training or the certificate it rests on."),
    ),
)

UNAVAILABILITY = Fields(
    FieldSpec("kind", _("Kind of absence"), kind="choice", choices=UnavailabilityKind),
    FieldSpec("starts_on", _("From"), kind="date", help_text=_("The first day away.")),
    FieldSpec(
        "ends_on",
        _("Until"),
        kind="date",
        required=False,
        help_text=_("The last day away; leave empty until further notice."),
    ),
    FieldSpec("reason", _("Reason"), required=False, max_length=200),
)

CONFLICT = Fields(
    FieldSpec("subject_id", _("Supervised subject"), kind="ref", ref="subject"),
    FieldSpec("kind", _("Kind of conflict"), kind="choice", choices=ConflictKind),
    FieldSpec(
        "starts_on",
        _("Since"),
        kind="date",
        required=False,
        help_text=_("Leave empty when it has always been so."),
    ),
    UNTIL,
    FieldSpec(
        "note",
        _("What the conflict is"),
        max_length=200,
        help_text=_("For example: spouse is head of security there; worked there until 2023."),
    ),
)

DAY = FieldSpec("on", _("Day"), kind="date", required=False)
POOL_QUERY = Fields(DAY)
SUBJECT_SEARCH = FieldSpec("q", _("Search for a subject"), required=False, max_length=80)

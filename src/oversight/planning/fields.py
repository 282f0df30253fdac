"""Plans and tasks as declared fields: services check with them, pages and the API build their
forms and schemas from them (see ``oversight.core.fields``).

A task's scope holds lists (jurisdictions, kinds of subject, risk grades, subjects). Each list is
declared as ``Many``: the field of one value, checked by ``clean_value`` like any other, and the
most values it takes; ``clean_many`` checks a whole list with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from oversight.core.errors import DomainError
from oversight.core.fields import Fields, FieldSpec, clean_value
from oversight.planning.models import PlanStatus, TaskMode
from oversight.subjects.models import RiskGrade

CODE_PATTERN = r"[A-Z][A-Z0-9_]{1,39}"

PLAN = Fields(
    FieldSpec(
        "agency_id",
        _("Bureau"),
        kind="ref",
        ref="agency",
        required=False,
        help_text=_("The bureau whose plan it is; leave empty for your own."),
    ),
    FieldSpec(
        "year",
        _("Year"),
        kind="integer",
        minimum=Decimal(2000),
        maximum=Decimal(2100),
    ),
    FieldSpec("title", _("Title"), max_length=120),
    FieldSpec("notes", _("Notes"), required=False, max_length=500),
)
PLAN_EDIT = PLAN.only("title", "notes")
RETURN = Fields(
    FieldSpec(
        "reason",
        _("Why it is returned"),
        max_length=500,
        help_text=_("What the drafters should change before submitting it again."),
    )
)
PLAN_FILTERS = Fields(
    FieldSpec(
        "year",
        _("Year"),
        kind="integer",
        required=False,
        minimum=Decimal(2000),
        maximum=Decimal(2100),
    ),
    FieldSpec("status", _("Status"), kind="choice", choices=PlanStatus, required=False),
)
CALENDAR = PLAN_FILTERS.only("year")

TASK = Fields(
    FieldSpec(
        "regime",
        _("Regime"),
        max_length=40,
        upper=True,
        pattern=CODE_PATTERN,
        pattern_message=_("Choose a regime of the catalog."),
    ),
    FieldSpec("mode", _("Mode of check"), kind="choice", choices=TaskMode),
    FieldSpec(
        "announced",
        _("Announced or unannounced"),
        kind="boolean",
        help_text=_("Announced (明查): the subject is told; unannounced (暗访): not."),
    ),
    FieldSpec(
        "method",
        _("Method"),
        max_length=20,
        upper=True,
        pattern=r"[A-Z][A-Z0-9_]{0,19}",
        pattern_message=_("Choose a method of the regime."),
    ),
    FieldSpec("starts_on", _("From"), kind="date"),
    FieldSpec(
        "ends_on",
        _("Until"),
        kind="date",
        help_text=_("Both days within the plan's year."),
    ),
    FieldSpec(
        "inspectors_per_target",
        _("Inspectors per subject"),
        kind="integer",
        minimum=Decimal(2),
        maximum=Decimal(20),
        unit="人",
        help_text=_("At least two, and at least the regime's minimum."),
    ),
    FieldSpec(
        "target_count",
        _("Subjects to draw"),
        kind="integer",
        required=False,
        minimum=Decimal(1),
        maximum=Decimal(1_000_000),
        help_text=_("Random spot checks only: how many subjects are drawn."),
    ),
    FieldSpec(
        "per_jurisdiction",
        _("Subjects to draw in each jurisdiction"),
        kind="integer",
        required=False,
        minimum=Decimal(1),
        maximum=Decimal(100_000),
        help_text=_(
            "Random spot checks only, instead of a total: the same number is drawn in each "
            "jurisdiction named (stratified draw)."
        ),
    ),
    FieldSpec(
        "include_checked",
        _("Subjects already checked this year may be drawn again"),
        kind="boolean",
        required=False,
        help_text=_("Random spot checks only."),
    ),
    FieldSpec("note", _("Note"), required=False, max_length=200),
)


@dataclass(frozen=True)
class Many:
    """A field of several values: each checked against ``item``, at most ``max_items``."""

    item: FieldSpec
    max_items: int
    help_text: Any = ""

    @property
    def name(self) -> str:
        return self.item.name

    @property
    def label(self) -> Any:
        return self.item.label


def clean_many(many: Many, raw: Any) -> list[Any]:
    """Return the clean values of a list (each through ``clean_value``; repeats dropped, order
    kept), or raise DomainError naming the field. None and "" are the empty list."""
    if raw is None or raw == "":
        return []
    if not isinstance(raw, list | tuple):
        raise DomainError(_("Send a list."), field=many.name)
    if len(raw) > many.max_items:
        raise DomainError(_("Choose at most %(n)d.") % {"n": many.max_items}, field=many.name)
    clean: list[Any] = []
    for value in raw:
        try:
            item = clean_value(many.item, value)
        except DomainError as exc:
            raise DomainError(exc.message, field=many.name) from None
        if item not in clean:
            clean.append(item)
    return clean


class ManyFields:
    """The list fields of an entity, by name, in the order a form shows them."""

    def __init__(self, *fields: Many) -> None:
        self.fields = fields
        self._index = {f.name: f for f in fields}

    def __getitem__(self, name: str) -> Many:
        return self._index[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def refs(self) -> dict[str, str]:
        """Return {field name: what its values name} for the lists of row ids."""
        return {f.name: f.item.ref for f in self.fields if f.item.kind == "ref" and f.item.ref}


TASK_SCOPE = ManyFields(
    Many(
        FieldSpec("jurisdiction_ids", _("Jurisdictions"), kind="ref", ref="agency"),
        max_items=500,
        help_text=_("Agencies of the plan's bureau; none: the whole bureau."),
    ),
    Many(
        FieldSpec(
            "subject_kinds",
            _("Kinds of subject"),
            max_length=40,
            pattern=CODE_PATTERN,
            pattern_message=_("Choose a kind of subject of the regime."),
        ),
        max_items=50,
        help_text=_("Of the regime's kinds; none: all of them."),
    ),
    Many(
        FieldSpec("risk_grades", _("Risk grades"), kind="choice", choices=RiskGrade),
        max_items=4,
        help_text=_("None: every grade."),
    ),
    Many(
        FieldSpec("subject_ids", _("Subjects"), kind="ref", ref="subject"),
        max_items=1000,
        help_text=_("Fixed checks only: the subjects to check, within the scope above."),
    ),
)


# --- draws ----------------------------------------------------------------------------------------

SEED = Fields(
    FieldSpec(
        "seed",
        _("Seed"),
        max_length=200,
        help_text=_(
            "The public randomness, exactly as published after the commitment: e.g. the winning "
            "numbers of a lottery draw of a later date, or the numbers of witnessed dice."
        ),
    ),
    FieldSpec(
        "source",
        _("Source of the seed"),
        max_length=200,
        help_text=_("Where anyone can check the seed, e.g. the lottery, its issue and date."),
    ),
)
DRAW_FILTERS = PLAN_FILTERS.only("year")

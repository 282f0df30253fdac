"""Compliance with the catalog's rhythms of checks (每月实地检查一次, 年检): for one regime and
year, each subject of the viewer's scope owed a rhythm, and each period of it — checks required,
checks done (finalised inspections of the regime and method), ok, missed or due.

Two queries whatever the number of subjects: the subjects, then their checks of the year. Only
visits on site are judged now (``obligations.JUDGED_METHODS``): a remote patrol's rhythm waits
for patrol logs, an assessment's for the assessment records, and says so rather than showing
every period missed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from oversight.catalog.schema import Frequency, Regime
from oversight.catalog.selectors import catalog_in_force
from oversight.core.errors import NotFound
from oversight.inspections.models import Inspection
from oversight.inspections.selectors import finalised
from oversight.inspections.services import UnknownRegime
from oversight.org.scope import Viewer
from oversight.planning import obligations
from oversight.planning.obligations import Period, PeriodState
from oversight.subjects.models import Subject, SubjectStatus
from oversight.subjects.selectors import subjects_visible


@dataclass(frozen=True)
class Rule:
    """One rhythm of the regime as the page tells it. ``periods`` and ``required`` (one count
    per period) only where it is judged now."""

    frequency: Frequency
    method_name: str
    remote: bool
    kinds: tuple[str, ...]
    judged: bool
    periods: list[Period] = field(default_factory=list)
    required: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Row:
    """One subject and how it stands under each rule (None: the rule is not judged, or not for
    its kind)."""

    subject: Subject
    states: list[list[PeriodState] | None]

    @property
    def missed(self) -> int:
        return sum(
            s.state == obligations.MISSED for states in self.states if states for s in states
        )


@dataclass(frozen=True)
class Compliance:
    regime: Regime
    year: int
    today: date
    rules: list[Rule]
    rows: list[Row]

    @property
    def missed(self) -> int:
        return sum(r.missed for r in self.rows)


def regimes_with_rhythms() -> list[Regime]:
    """The regimes of the catalog in force with a rhythm of checks, in the catalog's order."""
    try:
        return [r for r in catalog_in_force().regimes.values() if r.procedure.rules.frequencies]
    except NotFound:
        return []


def default_regime() -> str:
    """The regime a compliance shows when none is asked for: the first with a rhythm judged
    now, else the first with any rhythm; "" when none has one."""
    regimes = regimes_with_rhythms()
    judged = [
        r
        for r in regimes
        if any(obligations.judged(f.method) for f in r.procedure.rules.frequencies)
    ]
    return (judged or regimes)[0].code if regimes else ""


def _regime(code: str) -> tuple[Regime, dict[str, Any]]:
    try:
        catalog = catalog_in_force()
    except NotFound:
        raise UnknownRegime() from None
    regime = catalog.regimes.get(code)
    if regime is None:
        raise UnknownRegime()
    return regime, {m.code: m for m in catalog.header.method_kinds}


def _required(regime: Regime, frequency: Frequency, periods: list[Period]) -> list[int]:
    """How many checks each period needs: the figure in force on its first day (none before)."""
    figure = regime.figures[frequency.figure]
    needs = []
    for period in periods:
        value = figure.value_at(period.starts_on)
        count = value.value if value is not None and value.value is not None else None
        count = count if count is not None else (value.min if value is not None else None)
        needs.append(int(count) if count is not None else 0)
    return needs


def _rules(regime: Regime, kinds: dict[str, Any], year: int) -> list[Rule]:
    rules = []
    for frequency in regime.procedure.rules.frequencies:
        method = kinds.get(frequency.method)
        judged = (
            obligations.judged(frequency.method)
            and regime.figures[frequency.figure].unit == "count"
        )
        periods = obligations.periods(year, frequency.per) if judged else []
        rules.append(
            Rule(
                frequency=frequency,
                method_name=method.name if method else frequency.method,
                remote=bool(method and method.remote),
                kinds=tuple(frequency.applies_to or regime.objects.subject_kinds),
                judged=judged,
                periods=periods,
                required=_required(regime, frequency, periods) if judged else [],
            )
        )
    return rules


def _subjects(viewer: Viewer | None, kinds: set[str]) -> QuerySet[Subject]:
    base = subjects_visible(viewer) if viewer is not None else Subject.objects.all()
    return base.filter(kind__in=sorted(kinds)).exclude(status=SubjectStatus.CLOSED)


def _checks(
    subjects: QuerySet[Subject], regime: str, methods: set[str], year: int
) -> dict[tuple[int, str], list[date]]:
    """The local days of the year's finalised checks of ``subjects``, by subject and method."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(date(year, 1, 1), time(), tzinfo=zone)
    end = datetime.combine(date(year + 1, 1, 1), time(), tzinfo=zone)
    rows = finalised(Inspection.objects.filter(subject__in=subjects.values("pk"))).filter(
        regime=regime, method__in=sorted(methods), started_at__gte=start, started_at__lt=end
    )
    days: dict[tuple[int, str], list[date]] = defaultdict(list)
    for subject_id, method, started_at in rows.values_list("subject_id", "method", "started_at"):
        days[(subject_id, method)].append(timezone.localdate(started_at, zone))
    return days


# What a row shows and the rules need: not the attributes or the notes.
ROW_COLUMNS = ("id", "kind", "name", "status", "registered_on", "agency__name", "agency__path")


def compliance(*, viewer: Viewer | None, regime: str, year: int, today: date) -> Compliance:
    """How the subjects of ``viewer``'s scope (None: every subject, for the operator's console)
    stand under ``regime``'s rhythms in ``year``, judged on ``today``: those of the kinds a rhythm
    applies to, not closed, by jurisdiction and name. Two queries, however many subjects.

    Raises UnknownRegime for a regime the catalog in force does not hold.
    """
    found, kinds = _regime(regime)
    rules = _rules(found, kinds, year)
    subjects = _subjects(viewer, {k for rule in rules for k in rule.kinds})
    judged = [rule for rule in rules if rule.judged]
    days = (
        _checks(subjects, found.code, {r.frequency.method for r in judged}, year) if judged else {}
    )
    listed = (
        subjects.select_related("agency").only(*ROW_COLUMNS).order_by("agency__path", "name", "id")
    )
    rows = []
    for subject in listed:
        states: list[list[PeriodState] | None] = []
        for rule in rules:
            if not rule.judged or subject.kind not in rule.kinds:
                states.append(None)
                continue
            checks = days.get((subject.pk, rule.frequency.method), [])
            states.append(
                obligations.assess(
                    rule.periods, checks, rule.required, today, subject.registered_on
                )
            )
        rows.append(Row(subject, states))
    return Compliance(found, year, today, rules, rows)


def compliance_data(result: Compliance) -> dict[str, Any]:
    """A compliance as the API and the CLI tell it."""
    judged = [(i, rule) for i, rule in enumerate(result.rules) if rule.judged]
    return {
        "regime": result.regime.code,
        "regime_title": result.regime.title,
        "year": result.year,
        "today": result.today,
        "subject_count": len(result.rows),
        "missed": result.missed,
        "rules": [
            {
                "method": r.frequency.method,
                "method_name": r.method_name,
                "per": r.frequency.per,
                "text": r.frequency.text,
                "judged": r.judged,
            }
            for r in result.rules
        ],
        "subjects": [
            {
                "id": row.subject.pk,
                "name": row.subject.name,
                "kind": row.subject.kind,
                "agency_name": row.subject.agency.name,
                "missed": row.missed,
                "rhythms": [
                    {"method": rule.frequency.method, "periods": _periods(row.states[i])}
                    for i, rule in judged
                    if row.states[i] is not None
                ],
            }
            for row in result.rows
        ],
    }


def _periods(states: Any) -> list[dict[str, Any]]:
    return [
        {
            "index": s.period.index,
            "starts_on": s.period.starts_on,
            "ends_on": s.period.ends_on,
            "required": s.required,
            "done": s.done,
            "state": s.state,
        }
        for s in states
    ]

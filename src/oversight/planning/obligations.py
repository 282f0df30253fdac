"""Pure rules of frequency obligations (每月实地检查一次, 年检): the periods a rhythm cuts a year
into, which bureau owes a regime's rhythm, and which periods a subject's checks left short. No
Django here.

A rhythm of the catalog (``procedure.rules.frequencies``) says how many checks of one method a
subject is owed per day, month or year. A period is judged against the checks that took place in
it (their local dates): enough checks make it "ok"; a period that is over without them is
"missed"; one not yet over is "due", never missed; one that began before the subject was opened
(registered) is not owed at all.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

DAY = "day"
MONTH = "month"
YEAR = "year"
RHYTHMS = (DAY, MONTH, YEAR)

OK = "ok"
MISSED = "missed"
DUE = "due"
NOT_OWED = "not_owed"
STATES = (OK, MISSED, DUE, NOT_OWED)

# The methods whose rhythm is judged from recorded inspections now: visits on site. Remote
# patrols wait for patrol logs; indicator assessments and rankings for the assessment records.
JUDGED_METHODS = frozenset({"ON_SITE"})


@dataclass(frozen=True)
class Period:
    """One period of a rhythm: its number in the year (1 first) and its first and last day."""

    index: int
    starts_on: date
    ends_on: date


def periods(year: int, per: str) -> list[Period]:
    """The periods of ``year`` for a rhythm per ``per``: 12 months, one year, or each day (365 or
    366). Raises ValueError for another rhythm."""
    if per == YEAR:
        return [Period(1, date(year, 1, 1), date(year, 12, 31))]
    if per == MONTH:
        return [
            Period(m, date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1]))
            for m in range(1, 13)
        ]
    if per == DAY:
        first = date(year, 1, 1)
        days = 366 if calendar.isleap(year) else 365
        return [Period(i + 1, first + timedelta(i), first + timedelta(i)) for i in range(days)]
    raise ValueError(f"no rhythm per {per!r}")


def judged(method: str) -> bool:
    """Tell whether a rhythm of ``method`` (a method kind) is judged from inspections now."""
    return method in JUDGED_METHODS


def owed(period: Period, opened_on: date | None) -> bool:
    """Tell whether a subject opened (registered) on ``opened_on`` owes ``period``'s checks: only
    a period that began on or after that day (None: the subject was there before any period)."""
    return opened_on is None or opened_on <= period.starts_on


@dataclass(frozen=True)
class PeriodState:
    """How a subject stands in one period: the checks required and done, and the verdict."""

    period: Period
    required: int
    done: int
    state: str


def assess(
    periods: Sequence[Period],
    check_dates: Iterable[date],
    required: int | Sequence[int],
    today: date,
    opened_on: date | None = None,
) -> list[PeriodState]:
    """Judge each period against the checks of ``check_dates`` (local dates, in any order).

    ``required`` is how many checks each period needs (one number, or one per period, as a
    figure may change within a year). A period needing none, or not owed (``owed``), is
    "not_owed"; one with enough checks "ok"; one that ended before ``today`` without them
    "missed"; any other (today in it, or still to come) "due". Raises ValueError when
    ``required`` is negative or does not match the periods.
    """
    needs = [required] * len(periods) if isinstance(required, int) else list(required)
    if len(needs) != len(periods) or any(n < 0 for n in needs):
        raise ValueError("one required count, not negative, per period")
    dates = sorted(check_dates)
    states = []
    for period, need in zip(periods, needs, strict=True):
        done = bisect_right(dates, period.ends_on) - bisect_left(dates, period.starts_on)
        if need == 0 or not owed(period, opened_on):
            state = NOT_OWED
        elif done >= need:
            state = OK
        elif period.ends_on < today:
            state = MISSED
        else:
            state = DUE
        states.append(PeriodState(period, need, done, state))
    return states


def missed_periods(
    periods: Sequence[Period],
    check_dates: Iterable[date],
    required_per_period: int | Sequence[int],
    today: date,
    opened_on: date | None = None,
) -> list[Period]:
    """The periods that ended before ``today`` short of their required checks (``assess``)."""
    return [
        s.period
        for s in assess(periods, check_dates, required_per_period, today, opened_on)
        if s.state == MISSED
    ]


# --- who owes a regime's rhythm ---------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """An agency as the rule of responsibility sees it: its tree path, kind and department."""

    path: str
    kind: str
    department: str | None


BUREAU = "BUREAU"


def own_units(bureau_path: str, units: Iterable[Unit]) -> list[Unit]:
    """The units of a bureau's own: those under it (itself included) that are not under a lower
    bureau of its subtree."""
    units = [u for u in units if u.path.startswith(bureau_path)]
    lower = [u.path for u in units if u.kind == BUREAU and u.path != bureau_path]
    return [u for u in units if not any(u.path.startswith(p) for p in lower)]


def responsible(department: str, own: Iterable[Unit]) -> bool:
    """Tell whether a bureau owes the rhythms of a regime of ``department``: one of its own units
    (``own_units``) is of that department, e.g. a 监管支队 (or a 看守所) for the custody regime."""
    return any(u.department == department for u in own)


def windows(year: int, per: str) -> list[tuple[date, date]]:
    """The windows of the tasks a rhythm asks a plan of ``year`` for: one a month, one over the
    year for a yearly rhythm, and one over the year for a daily one (a round-the-clock duty is one
    task, not 365)."""
    if per == MONTH:
        return [(p.starts_on, p.ends_on) for p in periods(year, MONTH)]
    if per in (YEAR, DAY):
        return [(date(year, 1, 1), date(year, 12, 31))]
    raise ValueError(f"no rhythm per {per!r}")

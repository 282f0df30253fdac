"""Frequency obligations as pure rules: the periods of a year, which periods a subject's checks
left short (missed, not merely due), who owes a regime's rhythm, the windows of its tasks."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.planning import obligations as ob
from oversight.planning.obligations import Period, Unit

YEAR = 2026


def month(m: int) -> Period:
    return ob.periods(YEAR, ob.MONTH)[m - 1]


# --- periods --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "year, per, count, first, last",
    [
        (
            2026,
            "month",
            12,
            (date(2026, 1, 1), date(2026, 1, 31)),
            (date(2026, 12, 1), date(2026, 12, 31)),
        ),
        (
            2024,
            "month",
            12,
            (date(2024, 1, 1), date(2024, 1, 31)),
            (date(2024, 12, 1), date(2024, 12, 31)),
        ),
        (
            2026,
            "year",
            1,
            (date(2026, 1, 1), date(2026, 12, 31)),
            (date(2026, 1, 1), date(2026, 12, 31)),
        ),
        (
            2026,
            "day",
            365,
            (date(2026, 1, 1), date(2026, 1, 1)),
            (date(2026, 12, 31), date(2026, 12, 31)),
        ),
        (
            2024,
            "day",
            366,
            (date(2024, 1, 1), date(2024, 1, 1)),
            (date(2024, 12, 31), date(2024, 12, 31)),
        ),
    ],
)
def test_a_year_has_twelve_months_one_year_and_365_or_366_days(year, per, count, first, last):
    found = ob.periods(year, per)
    assert len(found) == count
    assert (found[0].starts_on, found[0].ends_on) == first
    assert (found[-1].starts_on, found[-1].ends_on) == last
    assert [p.index for p in found] == list(range(1, count + 1))


def test_february_of_a_leap_year_has_29_days():
    assert ob.periods(2024, ob.MONTH)[1].ends_on == date(2024, 2, 29)
    assert ob.periods(2026, ob.MONTH)[1].ends_on == date(2026, 2, 28)


@given(st.integers(2000, 2100), st.sampled_from(ob.RHYTHMS))
def test_the_periods_of_a_year_cover_it_day_by_day_without_gap_or_overlap(year, per):
    found = ob.periods(year, per)
    assert found[0].starts_on == date(year, 1, 1) and found[-1].ends_on == date(year, 12, 31)
    for earlier, later in pairwise(found):
        assert later.starts_on == earlier.ends_on + timedelta(days=1)


def test_no_other_rhythm():
    with pytest.raises(ValueError):
        ob.periods(YEAR, "week")
    with pytest.raises(ValueError):
        ob.windows(YEAR, "week")


# --- missed, due, ok, not owed ------------------------------------------------------------------


def test_a_month_without_its_check_is_missed_once_it_is_over():
    checks = [date(2026, m, 10) for m in (1, 2, 4, 5)]  # none in March
    missed = ob.missed_periods(ob.periods(YEAR, ob.MONTH), checks, 1, today=date(2026, 6, 15))
    assert [p.index for p in missed] == [3]


@pytest.mark.parametrize(
    "checks, today, state",
    [
        ([date(2026, 6, 1)], date(2026, 6, 15), "ok"),  # done in the month
        ([], date(2026, 6, 15), "due"),  # the month is not over: due, not missed
        ([], date(2026, 6, 30), "due"),  # its last day is not over yet
        ([], date(2026, 7, 1), "missed"),  # over without a check
        ([date(2026, 5, 31), date(2026, 7, 1)], date(2026, 7, 2), "missed"),  # around it only
        ([date(2026, 6, 30)], date(2026, 7, 2), "ok"),  # its last day counts
        ([], date(2026, 1, 1), "due"),  # still to come
    ],
)
def test_the_state_of_june(checks, today, state):
    [june] = ob.assess([month(6)], checks, 1, today)
    assert june.state == state
    assert june.done == len([d for d in checks if d.month == 6])


def test_a_period_needs_as_many_checks_as_required():
    [june] = ob.assess([month(6)], [date(2026, 6, 3)], 2, today=date(2026, 8, 1))
    assert (june.required, june.done, june.state) == (2, 1, "missed")
    [june] = ob.assess([month(6)], [date(2026, 6, 3)] * 2, 2, today=date(2026, 8, 1))
    assert june.state == "ok"


def test_a_figure_that_changes_in_the_year_gives_each_period_its_own_count():
    states = ob.assess(ob.periods(YEAR, ob.MONTH)[:3], [], [0, 1, 1], today=date(2026, 12, 1))
    assert [s.state for s in states] == ["not_owed", "missed", "missed"]


def test_periods_before_the_subject_was_opened_are_not_owed():
    states = ob.assess(
        ob.periods(YEAR, ob.MONTH)[:5], [], 1, today=date(2026, 12, 1), opened_on=date(2026, 3, 1)
    )
    assert [s.state for s in states] == ["not_owed", "not_owed", "missed", "missed", "missed"]
    # opened within a month: that month is not owed either (only whole periods are)
    states = ob.assess([month(3)], [], 1, today=date(2026, 12, 1), opened_on=date(2026, 3, 2))
    assert states[0].state == "not_owed"


def test_a_yearly_check_is_due_all_year_and_missed_only_once_the_year_is_over():
    year = ob.periods(YEAR, ob.YEAR)
    assert ob.assess(year, [], 1, today=date(2026, 12, 31))[0].state == "due"
    assert ob.assess(year, [], 1, today=date(2027, 1, 1))[0].state == "missed"
    assert ob.assess(year, [date(2026, 2, 1)], 1, today=date(2027, 1, 1))[0].state == "ok"


def test_required_counts_must_match_the_periods_and_not_be_negative():
    with pytest.raises(ValueError):
        ob.assess(ob.periods(YEAR, ob.MONTH), [], [1, 1], today=date(2026, 1, 1))
    with pytest.raises(ValueError):
        ob.assess([month(1)], [], -1, today=date(2026, 1, 1))


@given(
    st.lists(st.dates(date(2025, 12, 1), date(2027, 1, 31)), max_size=40),
    st.dates(date(2026, 1, 1), date(2027, 2, 1)),
    st.integers(0, 3),
    st.none() | st.dates(date(2025, 6, 1), date(2026, 12, 31)),
)
def test_a_missed_period_is_over_owed_and_short_and_every_such_period_is_missed(
    checks, today, required, opened_on
):
    found = ob.periods(YEAR, ob.MONTH)
    missed = ob.missed_periods(found, checks, required, today, opened_on)
    for period in found:
        done = sum(period.starts_on <= d <= period.ends_on for d in checks)
        expected = (
            required > 0
            and ob.owed(period, opened_on)
            and period.ends_on < today
            and done < required
        )
        assert (period in missed) == expected


@given(st.lists(st.dates(date(2026, 1, 1), date(2026, 12, 31)), max_size=40))
def test_every_check_of_the_year_is_counted_in_exactly_one_period(checks):
    for per in ob.RHYTHMS:
        states = ob.assess(ob.periods(YEAR, per), checks, 1, today=date(2026, 1, 1))
        assert sum(s.done for s in states) == len(checks)


def test_only_visits_on_site_are_judged_now():
    assert ob.judged("ON_SITE")
    assert not ob.judged("VIDEO_PATROL") and not ob.judged("INDICATOR")


# --- who owes a regime's rhythm, and the windows of its tasks -----------------------------------

CITY = [
    Unit("/SFS/", "BUREAU", None),
    Unit("/SFS/SFS-JG/", "DETACHMENT", "CUSTODY"),
    Unit("/SFS/SFS-JD/", "DETACHMENT", "NARCOTICS"),
    Unit("/SFS/SFS-C01/", "BUREAU", None),
    Unit("/SFS/SFS-C01/SFS-C01-KSS/", "DETENTION_CENTER", "CUSTODY"),
    Unit("/SFS/SFS-C01/SFS-C01-ZA/", "BRIGADE", "PUBLIC_ORDER"),
    Unit("/SFS/SFS-C02/", "BUREAU", None),
    Unit("/SFS/SFS-C02/SFS-C02-ZA/", "BRIGADE", "PUBLIC_ORDER"),
]


def test_a_bureau_owes_the_rhythms_of_the_departments_of_its_own_units():
    city = ob.own_units("/SFS/", CITY)
    assert [u.path for u in city] == ["/SFS/", "/SFS/SFS-JG/", "/SFS/SFS-JD/"]
    assert ob.responsible("CUSTODY", city) and ob.responsible("NARCOTICS", city)
    assert not ob.responsible("PUBLIC_ORDER", city)  # the counties' brigades are theirs
    county1 = ob.own_units("/SFS/SFS-C01/", CITY)
    assert ob.responsible("CUSTODY", county1)  # its own detention centre
    assert not ob.responsible("NARCOTICS", county1)
    assert not ob.responsible("CUSTODY", ob.own_units("/SFS/SFS-C02/", CITY))


def test_a_monthly_rhythm_asks_for_twelve_tasks_a_yearly_or_daily_one_for_one():
    monthly = ob.windows(YEAR, ob.MONTH)
    assert len(monthly) == 12 and monthly[1] == (date(2026, 2, 1), date(2026, 2, 28))
    whole = [(date(2026, 1, 1), date(2026, 12, 31))]
    assert ob.windows(YEAR, ob.YEAR) == whole and ob.windows(YEAR, ob.DAY) == whole

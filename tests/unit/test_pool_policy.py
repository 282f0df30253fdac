"""The pool's pure rules: the days a record holds, who is eligible, who must recuse, who may
write what. Property tests compare each rule with its definition read day by day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.pool import policy
from oversight.pool.policy import OfficerFacts, Span

START = date(2026, 1, 1)
DAYS = 60
# Every day a span drawn below can touch, and one more on each side (open ends reach past it).
WINDOW = [START + timedelta(days=n) for n in range(-1, DAYS + 2)]

days = st.integers(0, DAYS).map(lambda n: START + timedelta(days=n))
maybe_day = st.none() | days
spans = st.builds(Span, maybe_day, maybe_day, maybe_day).filter(
    lambda s: s.starts_on is None or s.ends_on is None or s.ends_on >= s.starts_on
)


def held_days(span: Span) -> set[date]:
    """The definition: a day is held if it is not before the start, not after the end, and
    before the day the record was ended."""
    return {
        d
        for d in WINDOW
        if (span.starts_on is None or span.starts_on <= d)
        and (span.ends_on is None or d <= span.ends_on)
        and (span.ended_on is None or d < span.ended_on)
    }


@given(spans)
def test_a_span_covers_exactly_its_days(span):
    assert {d for d in WINDOW if span.covers(d)} == held_days(span)


@given(spans, spans)
def test_two_spans_overlap_when_they_share_a_day(a, b):
    assert policy.overlaps(a, b) == bool(held_days(a) & held_days(b))


@given(spans, days)
def test_a_span_is_over_when_it_holds_no_day_from_then_on(span, day):
    assert span.over_by(day) == (not any(d >= day for d in held_days(span)))


def test_a_span_ended_on_its_first_day_holds_on_no_day():
    cancelled = Span(date(2026, 3, 1), date(2026, 3, 5), ended_on=date(2026, 3, 1))
    assert not any(cancelled.covers(d) for d in WINDOW + [date(2026, 3, n) for n in range(1, 6)])
    assert cancelled.over_by(date(2026, 2, 1))


@pytest.mark.parametrize(
    "starts_on, ends_on, problem",
    [
        (date(2026, 3, 1), date(2026, 2, 28), "ends_before_start"),
        (date(2026, 1, 1), date(2026, 1, 31), "already_over"),
        (None, date(2026, 1, 31), "already_over"),
        (date(2026, 1, 1), date(2026, 2, 1), None),  # ends today
        (date(2026, 3, 1), None, None),
        (None, None, None),
    ],
)
def test_new_records_days_are_checked(starts_on, ends_on, problem):
    assert policy.dates_problem(starts_on, ends_on, date(2026, 2, 1)) == problem


# --- eligibility and recusal ----------------------------------------------------------------------

REGIMES = ["NEIBAO", "TRAFFIC"]
facts = st.builds(
    OfficerFacts,
    active=st.booleans(),
    qualification=st.sampled_from(["NONE", "BASIC", "ADVANCED"]),
    qualification_expires_on=maybe_day,
    regimes=st.lists(st.tuples(st.sampled_from(REGIMES), spans), max_size=3).map(tuple),
    unavailable=st.lists(spans, max_size=3).map(tuple),
    conflicts=st.lists(st.tuples(st.sampled_from([1, 2]), spans), max_size=3).map(tuple),
)


@given(facts, st.sampled_from(REGIMES), days)
def test_an_officer_is_eligible_exactly_when_every_condition_holds(officer, regime, on):
    expected = []
    if not officer.active:
        expected.append("inactive")
    if officer.qualification == "NONE":
        expected.append("no_qualification")
    elif officer.qualification_expires_on and officer.qualification_expires_on < on:
        expected.append("qualification_expired")
    if not any(r == regime and on in held_days(s) for r, s in officer.regimes):
        expected.append("no_regime_qualification")
    if any(on in held_days(s) for s in officer.unavailable):
        expected.append("unavailable")
    assert policy.eligible(officer, regime, on) == expected
    assert expected == [r for r in policy.REASONS if r in expected]  # told in a fixed order


@given(facts, st.sampled_from([1, 2]), days)
def test_an_officer_recuses_from_a_subject_while_a_conflict_with_it_holds(officer, subject, on):
    expected = any(sid == subject and on in held_days(s) for sid, s in officer.conflicts)
    assert policy.recused(officer, subject, on) == expected


@given(st.lists(facts, max_size=6), st.sampled_from(REGIMES), days, st.none() | st.just(1))
def test_the_pool_is_the_eligible_officers_not_recused(officers, regime, on, subject):
    numbered = list(enumerate(officers, start=1))
    drawn = policy.pool(numbered, regime, on, subject)
    for pk, officer in numbered:
        allowed = not policy.eligible(officer, regime, on) and not (
            subject is not None and policy.recused(officer, subject, on)
        )
        assert (pk in drawn) == allowed


def test_a_recused_officer_is_left_out_of_that_subjects_pool_only():
    officer = OfficerFacts(
        active=True,
        qualification="BASIC",
        qualification_expires_on=None,
        regimes=(("NEIBAO", Span(date(2026, 1, 1))),),
        conflicts=((1, Span(None, date(2026, 1, 31))),),
    )
    on = date(2026, 1, 10)
    assert policy.pool([(7, officer)], "NEIBAO", on, 1) == []
    assert policy.pool([(7, officer)], "NEIBAO", on, 2) == [7]
    assert policy.pool([(7, officer)], "NEIBAO", date(2026, 2, 1), 1) == [7]  # over by then


def test_an_expiry_on_the_day_itself_still_holds():
    officer = OfficerFacts(
        active=True,
        qualification="BASIC",
        qualification_expires_on=date(2026, 1, 10),
        regimes=(("NEIBAO", Span(date(2026, 1, 1))),),
    )
    assert policy.eligible(officer, "NEIBAO", date(2026, 1, 10)) == []
    assert policy.eligible(officer, "NEIBAO", date(2026, 1, 11)) == ["qualification_expired"]


# --- who may write --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "leader, own, action, problem",
    [
        (True, False, "grant", None),
        (True, True, "grant", "own_record"),  # never to oneself
        (False, False, "grant", "not_permitted"),
        (False, True, "grant", "not_permitted"),
        (True, True, "end_conflict", "own_record"),  # it would put oneself back into draws
        (False, True, policy.DECLARE, None),  # every officer declares their own
        (True, True, policy.DECLARE, None),
        (True, False, policy.DECLARE, None),  # a leader records one for an officer
        (False, False, policy.DECLARE, "not_permitted"),  # not for a colleague
    ],
)
def test_who_may_write_a_record_of_the_pool(leader, own, action, problem):
    assert policy.write_problem(leader=leader, own=own, action=action) == problem


class _Who:
    def __init__(self, *roles: str, scope: str | None = "CITY/") -> None:
        self.roles = frozenset(roles)
        self.scope_path = scope
        self.scope_depth = 0


@pytest.mark.parametrize(
    "who, read, manage, declare",
    [
        (_Who("LEADER"), True, True, True),
        (_Who("INSPECTOR"), True, False, True),
        (_Who("VIEWER"), True, False, True),
        (_Who("SYSTEM_ADMIN", scope=None), False, False, False),
        (_Who("LEADER", scope=None), False, False, False),  # no scope, nothing
    ],
)
def test_the_rules_of_the_pool_by_role(who, read, manage, declare):
    assert policy.may_read_pool(who) == read
    assert policy.may_manage_pool(who) == manage
    assert policy.may_declare_conflict(who) == declare

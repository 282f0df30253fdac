"""The rules around a draw: the yearly cap is never passed, however the year's draws come; no
officer who may not check a subject is ever drawn for it; teams are at least two, balanced by
load, led by the first drawn."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.catalog.policy import max_sample
from oversight.planning import policy
from oversight.planning import verify as v
from oversight.planning.policy import Inspector
from oversight.pool.policy import OfficerFacts, Span

# --- the yearly cap -------------------------------------------------------------------------------

caps = st.none() | st.sampled_from([Decimal(2), Decimal(10), Decimal("12.5"), Decimal(100)])


@given(caps, st.integers(0, 5000), st.lists(st.integers(1, 60), max_size=40))
def test_the_cap_is_never_passed_across_a_years_draws(cap, population, requests):
    drawn = 0
    for requested in requests:
        try:
            policy.check_sampling_cap(
                cap_percent=cap, population=population, drawn=drawn, requested=requested
            )
        except policy.DrawCapExceeded as refused:
            assert cap is not None
            assert drawn + requested > max_sample(cap, population)
            assert (refused.population, refused.drawn, refused.requested) == (
                population,
                drawn,
                requested,
            )
            continue
        drawn += requested
        assert cap is None or drawn <= max_sample(cap, population)
    if cap is None:
        assert drawn == sum(requests)


def test_a_draw_may_fill_the_cap_exactly_and_no_more():
    # 10% of 1,234 allows 123 a year (rounded down)
    policy.check_sampling_cap(cap_percent=Decimal(10), population=1234, drawn=100, requested=23)
    with pytest.raises(policy.DrawCapExceeded) as refused:
        policy.check_sampling_cap(cap_percent=Decimal(10), population=1234, drawn=100, requested=24)
    error = refused.value
    assert (error.allowed, error.drawn, error.requested, error.population) == (123, 100, 24, 1234)
    assert error.code == "cap_exceeded"
    assert all(str(n) in str(error) for n in ("10%", "1234", "123", "100", "24"))


def test_the_room_left_under_a_cap():
    assert policy.sampling_room(Decimal(2), 100, 0) == 2
    assert policy.sampling_room(Decimal(2), 100, 5) == 0  # already past: nothing, not negative
    assert policy.sampling_room(None, 100, 5) is None
    with pytest.raises(ValueError):
        policy.sampling_room(Decimal(2), -1, 0)
    with pytest.raises(ValueError):
        policy.check_sampling_cap(cap_percent=None, population=10, drawn=0, requested=0)


# --- who may be drawn to inspect ------------------------------------------------------------------

START = date(2026, 1, 1)
DAY = START + timedelta(days=30)
REGIME = "NEIBAO"
SUBJECT = 7
AGENCIES = ["CITY/", "CITY/A/", "CITY/A/S1/", "CITY/A1/", "CITY/B/"]
days = st.integers(0, 60).map(lambda n: START + timedelta(days=n))
spans = st.builds(Span, st.none() | days, st.none() | days, st.none() | days)
facts = st.builds(
    OfficerFacts,
    active=st.booleans(),
    qualification=st.sampled_from(["NONE", "BASIC", "ADVANCED"]),
    qualification_expires_on=st.none() | days,
    regimes=st.lists(st.tuples(st.sampled_from([REGIME, "TRAFFIC"]), spans), max_size=2).map(tuple),
    unavailable=st.lists(spans, max_size=2).map(tuple),
    conflicts=st.lists(st.tuples(st.sampled_from([SUBJECT, 8]), spans), max_size=2).map(tuple),
)


@st.composite
def inspectors(draw):
    officers = draw(st.lists(facts, min_size=0, max_size=14))
    return [
        Inspector(n, draw(st.sampled_from(AGENCIES)), f, draw(st.integers(0, 3)))
        for n, f in enumerate(officers, start=1)
    ]


def may_check(i: Inspector, subject_path: str | None, upward: bool) -> bool:
    """The rules read straight from the issue: qualified for the regime that day, 执法资格 not
    expired, not away, no conflict declared with the subject, not of the checked agency (or a
    unit under it) on an upward check."""
    f = i.facts

    def holds(s: Span) -> bool:
        return (
            (s.starts_on is None or s.starts_on <= DAY)
            and (s.ends_on is None or s.ends_on >= DAY)
            and (s.ended_on is None or s.ended_on > DAY)
        )

    return (
        f.active
        and f.qualification != "NONE"
        and (f.qualification_expires_on is None or f.qualification_expires_on >= DAY)
        and any(r == REGIME and holds(s) for r, s in f.regimes)
        and not any(holds(s) for s in f.unavailable)
        and not any(sid == SUBJECT and holds(s) for sid, s in f.conflicts)
        and not (upward and subject_path is not None and i.agency_path.startswith(subject_path))
    )


@given(
    inspectors(),
    st.none() | st.sampled_from(AGENCIES),
    st.booleans(),
    st.text("0123456789 +", min_size=1, max_size=12).filter(str.strip),
    st.integers(2, 4),
)
def test_no_officer_who_may_not_check_the_subject_is_ever_drawn(
    officers, subject_path, upward, seed, size
):
    rules = {"regime": REGIME, "on": DAY, "subject_id": SUBJECT}
    population = policy.inspector_population(
        officers, **rules, subject_agency_path=subject_path, upward=upward
    )
    allowed = {i.officer_id for i in officers if may_check(i, subject_path, upward)}
    assert {m.id for m in population} == allowed
    try:
        policy.check_pool(len(population), size)
    except policy.PoolTooSmall as refused:
        assert (refused.needed, refused.available) == (size, len(allowed))
        return
    context = f"task 1 subject {SUBJECT} inspectors"
    drawn = v.draw(seed, population, size, kind="INSPECTORS", context=context)
    assert {p.id for p in drawn} <= allowed
    # balanced: nobody left out has a lower load than someone drawn
    load = {i.officer_id: i.load for i in officers}
    left_out = allowed - {p.id for p in drawn}
    assert all(load[p.id] <= load[o] for p in drawn for o in left_out)
    team = policy.team_of([p.id for p in drawn])
    assert team.leader == drawn[0].id and len(team.members) == size - 1


def qualified(**changes) -> OfficerFacts:
    values = {
        "active": True,
        "qualification": "BASIC",
        "qualification_expires_on": None,
        "regimes": ((REGIME, Span(START)),),
    }
    return OfficerFacts(**{**values, **changes})


def test_each_reason_an_officer_is_left_out_is_told_in_order():
    subject = "CITY/A/"
    cases = {
        1: Inspector(1, "CITY/B/", qualified()),
        2: Inspector(2, "CITY/A/S1/", qualified()),  # a unit under the checked agency
        3: Inspector(3, "CITY/A1/", qualified()),  # a sibling whose code extends A's
        4: Inspector(4, "CITY/B/", qualified(qualification_expires_on=DAY - timedelta(1))),
        5: Inspector(5, "CITY/B/", qualified(unavailable=(Span(DAY, DAY),))),
        6: Inspector(6, "CITY/A/", qualified(conflicts=((SUBJECT, Span()),))),
    }
    reasons = {
        n: policy.exclusion_reasons(
            i, regime=REGIME, on=DAY, subject_id=SUBJECT, subject_agency_path=subject, upward=True
        )
        for n, i in cases.items()
    }
    assert reasons == {
        1: [],
        2: ["own_agency"],
        3: [],
        4: ["qualification_expired"],
        5: ["unavailable"],
        6: ["recused", "own_agency"],
    }
    sideways = policy.exclusion_reasons(
        cases[2], regime=REGIME, on=DAY, subject_id=SUBJECT, subject_agency_path=subject
    )
    assert sideways == []  # not an upward check: the agency's own officers may check


# --- the team -------------------------------------------------------------------------------------


def test_a_team_is_at_least_two_and_at_least_the_regimes_minimum():
    assert policy.team_size(None) == 2
    assert policy.team_size(None, 3) == 3
    assert policy.team_size(4, 3) == 4
    assert policy.team_size(None, 1) == 2
    with pytest.raises(policy.TeamTooSmall) as refused:
        policy.team_size(2, 3)
    assert (refused.value.requested, refused.value.minimum) == (2, 3)
    with pytest.raises(policy.TeamTooSmall):
        policy.team_size(1)


def test_the_first_officer_drawn_leads_the_team():
    assert policy.team_of([9, 4, 6]) == policy.Team(leader=9, members=(4, 6))
    with pytest.raises(ValueError):
        policy.team_of([9])


def test_officers_of_the_lightest_load_are_drawn_first_and_the_order_among_them_is_the_seeds():
    officers = [Inspector(n, "CITY/B/", qualified(), load=n % 3) for n in range(1, 13)]
    population = policy.inspector_population(officers, regime=REGIME, on=DAY, subject_id=SUBJECT)
    teams = {
        tuple(p.id for p in v.draw(f"{n}", population, 4, kind="INSPECTORS")) for n in range(40)
    }
    assert all(sorted(t) == [3, 6, 9, 12] for t in teams)  # the four of load 0
    assert len(teams) > 10  # and the seed orders them (the leader varies)

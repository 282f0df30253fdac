"""Pure rules over catalog figures, and the catalog's own test cases run as tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.catalog.loader import load
from oversight.catalog.policy import (
    amount_in_range,
    max_sample,
    run_case,
    run_cases,
    sampling_allowed,
    weighted_total,
)
from oversight.catalog.schema import Case, Figure

ROOT = Path(__file__).resolve().parents[2] / "catalog"
CATALOG = load(ROOT)
CASES = [(code, case) for code, f in CATALOG.cases.items() for case in f.cases]


@pytest.mark.parametrize("code, case", CASES, ids=[f"{c}: {k.name}" for c, k in CASES])
def test_the_catalog_case_holds(code, case):
    passed, found = run_case(CATALOG.regimes[code], case)
    assert passed, f"expected {case.expect}, found {found}"


def test_a_wrong_expectation_is_reported():
    regime = CATALOG.regimes["NEIBAO"]
    case = Case(
        name="wrong on purpose",
        check="fine_in_range",
        figure="unit_fine",
        on=date(2026, 1, 1),
        amount=Decimal(100001),
        expect=True,
    )
    assert run_case(regime, case) == (False, False)


def test_the_shipped_catalog_has_no_failing_case():
    assert run_cases(CATALOG) == []


RANGE = Figure.model_validate(
    {
        "label": "fine",
        "unit": "CNY",
        "reference": "a.b",
        "values": [{"from": "2004-12-01", "min": 10000, "max": 100000}],
    }
)


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_an_amount_is_in_range_exactly_between_min_and_max(amount):
    assert amount_in_range(RANGE, date(2026, 1, 1), Decimal(amount)) == (10000 <= amount <= 100000)


def test_nothing_is_in_range_before_the_law_took_effect():
    assert not amount_in_range(RANGE, date(2004, 11, 30), Decimal(50000))


@given(st.integers(min_value=0, max_value=100_000), st.integers(min_value=0, max_value=100))
def test_the_sampling_cap_never_allows_more_than_its_share(population, cap):
    allowed = max_sample(Decimal(cap), population)
    assert allowed * 100 <= population * cap < (allowed + 1) * 100
    assert sampling_allowed(Decimal(cap), population, allowed)
    assert not sampling_allowed(Decimal(cap), population, allowed + 1)


def test_a_ten_percent_cap_on_25_allows_2():
    assert max_sample(Decimal(10), 25) == 2


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        sampling_allowed(Decimal(10), -1, 0)


WEIGHTS = {"A": Decimal(30), "B": Decimal(30), "C": Decimal(20), "D": Decimal(20)}


@given(st.dictionaries(st.sampled_from("ABCD"), st.integers(min_value=0, max_value=100)))
def test_a_weighted_total_stays_within_the_sum_of_weights(scores):
    total = weighted_total(WEIGHTS, {k: Decimal(v) for k, v in scores.items()})
    assert Decimal(0) <= total <= Decimal(100)


def test_full_marks_give_the_sum_of_weights():
    assert weighted_total(WEIGHTS, dict.fromkeys("ABCD", Decimal(100))) == Decimal(100)


def test_bad_scores_are_refused():
    with pytest.raises(ValueError, match="unknown components"):
        weighted_total(WEIGHTS, {"Z": Decimal(1)})
    with pytest.raises(ValueError, match="within 0–100"):
        weighted_total(WEIGHTS, {"A": Decimal(101)})

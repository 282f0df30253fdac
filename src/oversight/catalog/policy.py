"""Pure rules over catalog figures: ranges, caps, weighted totals; and the catalog's own cases."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oversight.catalog.loader import Catalog
    from oversight.catalog.schema import Case, Figure, Regime


def amount_in_range(figure: Figure, on: date, amount: Decimal) -> bool:
    """Tell whether ``amount`` lies inside the range of ``figure`` in force ``on`` that day.

    Outside the figure's history (before it took effect) nothing is in range.
    """
    value = figure.value_at(on)
    if value is None:
        return False
    if value.value is not None:
        return amount == value.value
    low = value.min if value.min is not None else Decimal("-Infinity")
    high = value.max if value.max is not None else Decimal("Infinity")
    return low <= amount <= high


def sampling_allowed(cap_percent: Decimal, population: int, drawn: int) -> bool:
    """Tell whether drawing ``drawn`` of ``population`` in a year stays within the cap.

    The cap is a share of the population per year (e.g. 10%); the number allowed is rounded
    down, so a population of 25 under a 10% cap allows 2.
    """
    if population < 0 or drawn < 0:
        raise ValueError("population and drawn cannot be negative")
    return drawn <= max_sample(cap_percent, population)


def max_sample(cap_percent: Decimal, population: int) -> int:
    """Return how many of ``population`` a yearly cap of ``cap_percent`` allows to be drawn."""
    return math.floor(Decimal(population) * cap_percent / Decimal(100))


def weighted_total(weights: Mapping[str, Decimal], scores: Mapping[str, Decimal]) -> Decimal:
    """Return the total of component scores, each a percentage (0–100) scaled by its weight.

    Raises ValueError for an unknown component or a score outside 0–100.
    """
    unknown = set(scores) - set(weights)
    if unknown:
        raise ValueError(f"unknown components: {', '.join(sorted(unknown))}")
    total = Decimal(0)
    for code, weight in weights.items():
        score = scores.get(code, Decimal(0))
        if not Decimal(0) <= score <= Decimal(100):
            raise ValueError(f"score of {code} must be within 0–100, not {score}")
        total += weight * score / Decimal(100)
    return total


def _weights(regime: Regime, on: date) -> dict[str, Decimal]:
    assert regime.scoring is not None
    weights = {}
    for component in regime.scoring.components:
        value = regime.figures[component.weight].value_at(on)
        if value is None or value.value is None:
            raise ValueError(f"no weight for {component.code} on {on}")
        weights[component.code] = value.value
    return weights


def run_case(regime: Regime, case: Case) -> tuple[bool, object]:
    """Run one test case of a regime; return (passed, what was found)."""
    figure = regime.figures[case.figure] if case.figure else None
    if case.check == "fine_in_range":
        assert figure is not None and case.amount is not None
        found: object = amount_in_range(figure, case.on, case.amount)
    elif case.check == "figure_value":
        assert figure is not None
        value = figure.value_at(case.on)
        found = (
            {
                k: v
                for k, v in value.model_dump().items()
                if k in {"value", "min", "max"} and v is not None
            }
            if value
            else {}
        )
    elif case.check == "sampling_allowed":
        assert figure is not None and case.population is not None and case.drawn is not None
        value = figure.value_at(case.on)
        found = (
            value is not None
            and value.value is not None
            and sampling_allowed(value.value, case.population, case.drawn)
        )
    else:  # weighted_total
        found = weighted_total(_weights(regime, case.on), case.scores)
    expected = case.expect
    if isinstance(expected, dict) and isinstance(found, dict):
        return {k: Decimal(v) for k, v in expected.items()} == found, found
    if isinstance(expected, bool) or isinstance(found, bool):
        return found is expected, found
    return Decimal(str(found)) == Decimal(str(expected)), found


def run_cases(catalog: Catalog) -> list[str]:
    """Run every test case of the catalog; return a line for each one that fails."""
    failures = []
    for code, case_file in catalog.cases.items():
        regime = catalog.regimes[code]
        for case in case_file.cases:
            try:
                passed, found = run_case(regime, case)
            except (ValueError, AssertionError) as exc:
                failures.append(f"{code}: {case.name}: cannot run: {exc}")
                continue
            if not passed:
                failures.append(f"{code}: {case.name}: expected {case.expect}, found {found}")
    return failures

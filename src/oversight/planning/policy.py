"""Pure rules around a random draw that need no database: the yearly cap, who may be drawn to
inspect a subject, and the team. No Django here.

The draw itself (population, commitment, keys, selection) is ``oversight.planning.verify``, which
also runs alone as the public verifier. Refusals are plain exceptions deriving from
``DrawRefused``, each carrying its numbers and a ``code``; the services layer turns them into
translated messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from oversight.catalog.policy import max_sample
from oversight.planning.verify import Member
from oversight.pool.policy import REASONS, RECUSED, OfficerFacts, eligible, recused

MIN_TEAM = 2  # at least two officers check together (two-person rule of enforcement)
OWN_AGENCY = "own_agency"
# Why an officer is left out of an inspector draw, in the order they are told.
EXCLUSIONS = (*REASONS, RECUSED, OWN_AGENCY)


class DrawRefused(Exception):
    """A draw refused by a rule; ``code`` names the rule."""

    code = "draw_refused"


# --- the yearly cap -------------------------------------------------------------------------------


class DrawCapExceeded(DrawRefused):
    """Raised when a draw would take more of the population in a year than the regime allows."""

    code = "cap_exceeded"

    def __init__(
        self, *, cap_percent: Decimal, population: int, drawn: int, requested: int, allowed: int
    ) -> None:
        self.cap_percent = cap_percent
        self.population = population
        self.drawn = drawn
        self.requested = requested
        self.allowed = allowed
        super().__init__(
            f"drawing {requested} would pass the yearly cap: {cap_percent}% of {population} "
            f"allows {allowed} a year, {drawn} already drawn"
        )


def sampling_room(cap_percent: Decimal | None, population: int, drawn: int) -> int | None:
    """Return how many more may be drawn this year under the cap (None: the regime has no cap).

    ``population`` is the number of subjects the cap is a share of (all in scope under the
    regime this year, not the shrinking remainder a draw is taken from); ``drawn`` how many all
    draws of the year under the regime have taken. The allowance rounds down
    (``catalog.policy.max_sample``). Raises ValueError for negative numbers.
    """
    if population < 0 or drawn < 0:
        raise ValueError("population and drawn cannot be negative")
    if cap_percent is None:
        return None
    return max(0, max_sample(cap_percent, population) - drawn)


def check_sampling_cap(
    *, cap_percent: Decimal | None, population: int, drawn: int, requested: int
) -> None:
    """Refuse a draw of ``requested`` that would pass the regime's yearly cap.

    Raises DrawCapExceeded with the numbers (cap, population, drawn this year, requested,
    allowed a year); ValueError for negative numbers or a request of less than one.
    """
    if requested < 1:
        raise ValueError("a draw takes at least one")
    room = sampling_room(cap_percent, population, drawn)
    if cap_percent is not None and room is not None and requested > room:
        raise DrawCapExceeded(
            cap_percent=cap_percent,
            population=population,
            drawn=drawn,
            requested=requested,
            allowed=max_sample(cap_percent, population),
        )


# --- who may be drawn to inspect ------------------------------------------------------------------


@dataclass(frozen=True)
class Inspector:
    """An officer as an inspector draw sees them.

    ``agency_path`` is the scope path of the officer's agency (``org.policy.child_path``);
    ``load`` the number of inspector draws the officer was drawn in this year before this one.
    """

    officer_id: int
    agency_path: str
    facts: OfficerFacts
    load: int = 0


def exclusion_reasons(
    inspector: Inspector,
    *,
    regime: str,
    on: date,
    subject_id: int,
    subject_agency_path: str | None = None,
    upward: bool = False,
) -> list[str]:
    """Return why ``inspector`` may not be drawn to check the subject on ``on``, in the order
    of ``EXCLUSIONS``; an empty list means the officer is in the draw.

    The pool's rules first (``pool.policy.eligible``: inactive, no or expired 执法资格, no
    qualification for the regime that day, away that day), then "recused" (a conflict declared
    with the subject holds that day), then "own_agency": where the regime is an upward check
    (``upward``), no officer of the checked agency or of any unit under it, i.e. whose agency
    path starts with ``subject_agency_path`` (the agency the subject is, or answers to).
    """
    reasons = eligible(inspector.facts, regime, on)
    if recused(inspector.facts, subject_id, on):
        reasons.append(RECUSED)
    if upward and subject_agency_path and inspector.agency_path.startswith(subject_agency_path):
        reasons.append(OWN_AGENCY)
    return reasons


def inspector_population(
    inspectors: Iterable[Inspector],
    *,
    regime: str,
    on: date,
    subject_id: int,
    subject_agency_path: str | None = None,
    upward: bool = False,
) -> list[Member]:
    """Return the population of an inspector draw: every officer with no exclusion reason, in
    ascending order of id, each of weight 1 with their load.

    The load makes the draw balanced: the draw takes officers of lower load before any of higher
    load, and orders officers of equal load by their key from the seed (docs/draw.md, "Order").
    """
    return sorted(
        (
            Member(i.officer_id, 1, None, i.load)
            for i in inspectors
            if not exclusion_reasons(
                i,
                regime=regime,
                on=on,
                subject_id=subject_id,
                subject_agency_path=subject_agency_path,
                upward=upward,
            )
        ),
        key=lambda m: m.id,
    )


# --- the team -------------------------------------------------------------------------------------


class TeamTooSmall(DrawRefused):
    """Raised when fewer officers are asked for than the regime's minimum (and at least two)."""

    code = "team_too_small"

    def __init__(self, *, requested: int, minimum: int) -> None:
        self.requested = requested
        self.minimum = minimum
        super().__init__(f"a team of {requested} is too small: at least {minimum} must check")


class PoolTooSmall(DrawRefused):
    """Raised when fewer officers may be drawn than the team needs."""

    code = "pool_too_small"

    def __init__(self, *, needed: int, available: int) -> None:
        self.needed = needed
        self.available = available
        super().__init__(f"the team needs {needed} officers but only {available} may be drawn")


def team_size(requested: int | None, regime_minimum: int | None = None) -> int:
    """Return how many officers to draw: ``requested``, or the minimum when none is asked for.

    The minimum is the regime's (``procedure.rules.min_inspectors``), never under ``MIN_TEAM``.
    Raises TeamTooSmall when ``requested`` is under it.
    """
    minimum = max(MIN_TEAM, regime_minimum or 0)
    if requested is None:
        return minimum
    if requested < minimum:
        raise TeamTooSmall(requested=requested, minimum=minimum)
    return requested


def check_pool(available: int, size: int) -> None:
    """Refuse a team of ``size`` from a pool of ``available``. Raises PoolTooSmall."""
    if available < size:
        raise PoolTooSmall(needed=size, available=available)


@dataclass(frozen=True)
class Team:
    """The officers drawn for a check: the leader (组长) and the others, in draw order."""

    leader: int
    members: tuple[int, ...]


def team_of(drawn: Sequence[int]) -> Team:
    """Return the team of an inspector draw's result: the first officer drawn leads.

    Raises ValueError for a result of fewer than ``MIN_TEAM`` officers.
    """
    if len(drawn) < MIN_TEAM:
        raise ValueError(f"a team has at least {MIN_TEAM} officers")
    return Team(leader=drawn[0], members=tuple(drawn[1:]))

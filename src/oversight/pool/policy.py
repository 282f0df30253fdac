"""Pure rules of the inspector pool (执法检查人员名录库): who may inspect under a regime on a day,
who must recuse themselves from a subject, and who may change what. No Django here.

Every record of the pool — a regime qualification, a spell of unavailability, a declared
conflict — holds on the days of a ``Span``: from its first day to its last (each open when
empty), and no longer from the day it was revoked or ended (records are ended, never deleted, so
the pool of any past day can be read again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from oversight.org.policy import Who, sees_business_data

# --- who may do what ------------------------------------------------------------------------------


def may_read_pool(who: Who) -> bool:
    """Read the pool of one's scope (who may inspect under each regime, and why others may not):
    every business role."""
    return sees_business_data(who)


def may_manage_pool(who: Who) -> bool:
    """Grant and revoke regime qualifications, record and end unavailability, record and end
    conflicts for officers of one's scope: leaders."""
    return sees_business_data(who) and "LEADER" in who.roles


def may_declare_conflict(who: Who) -> bool:
    """Declare a conflict with a subject: leaders for officers of their scope, and every officer
    with a business role for themselves (recusal only ever takes one out of a draw)."""
    return sees_business_data(who)


DECLARE = "declare"  # the one action an officer may take on their own record


def write_problem(*, leader: bool, own: bool, action: str) -> str | None:
    """Return why a person may not take ``action`` on an officer's pool record, or None.

    ``leader``: the person may manage the pool and the officer is in their scope; ``own``: the
    record is the person's own. Leaders write the pool; no one changes their own standing in it,
    so that no one can put themselves into a draw or take themselves out of one (a qualification
    is granted and leave recorded by another leader). Declaring a conflict (``DECLARE``) is the
    exception: every officer may declare their own, since it only ever makes them recuse (回避);
    ending it is for a leader, since that puts the officer back into draws for the subject.
    Codes: "not_permitted" (403), "own_record".
    """
    if action == DECLARE and own:
        return None
    if not leader:
        return "not_permitted"
    if own:
        return "own_record"
    return None


# --- the days a record holds ----------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """The days a record holds: ``starts_on`` to ``ends_on`` (both included; None is open), and
    not from ``ended_on`` (the day it was revoked or ended) on."""

    starts_on: date | None = None
    ends_on: date | None = None
    ended_on: date | None = None

    def covers(self, day: date) -> bool:
        """Tell whether the record holds on ``day``."""
        if self.starts_on is not None and day < self.starts_on:
            return False
        if self.ends_on is not None and day > self.ends_on:
            return False
        return self.ended_on is None or day < self.ended_on

    def last_day(self) -> date | None:
        """The last day the record holds (None: no end in sight)."""
        if self.ended_on is None:
            return self.ends_on
        before_end = date.fromordinal(self.ended_on.toordinal() - 1)
        return before_end if self.ends_on is None else min(self.ends_on, before_end)

    def over_by(self, day: date) -> bool:
        """Tell whether the record holds on no day from ``day`` on."""
        last = self.last_day()
        if last is None:
            return False
        return last < day or (self.starts_on is not None and last < self.starts_on)


def overlaps(a: Span, b: Span) -> bool:
    """Tell whether two records hold on at least one common day (a record ended before it
    began holds on none: its last day comes before its first, so it meets no other)."""
    starts = [d for d in (a.starts_on, b.starts_on) if d is not None]
    lasts = [d for d in (a.last_day(), b.last_day()) if d is not None]
    return not starts or not lasts or max(starts) <= min(lasts)


def dates_problem(starts_on: date | None, ends_on: date | None, today: date) -> str | None:
    """Return why a new record's days are refused, or None: "ends_before_start" (the last day
    comes before the first), "already_over" (the last day is already past: the pool of past days
    is not rewritten)."""
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        return "ends_before_start"
    if ends_on is not None and ends_on < today:
        return "already_over"
    return None


# --- eligibility and recusal ----------------------------------------------------------------------

NO_QUALIFICATION = "no_qualification"
QUALIFICATION_EXPIRED = "qualification_expired"
NO_REGIME_QUALIFICATION = "no_regime_qualification"
UNAVAILABLE = "unavailable"
INACTIVE = "inactive"
# The order reasons are told in: the officer's own state first, then the regime, then the day.
REASONS = (INACTIVE, NO_QUALIFICATION, QUALIFICATION_EXPIRED, NO_REGIME_QUALIFICATION, UNAVAILABLE)
# Not a reason of ``eligible``: an officer in the pool who must recuse from a named subject.
RECUSED = "recused"


@dataclass(frozen=True)
class OfficerFacts:
    """What the pool's rules need to know of one officer.

    ``qualification`` is the officer's 执法资格 level ("NONE" for none) with its expiry;
    ``regimes`` the regime qualifications as (regime code, span); ``unavailable`` the spells of
    leave, secondment, training; ``conflicts`` the declared conflicts as (subject id, span).
    """

    active: bool
    qualification: str
    qualification_expires_on: date | None
    regimes: tuple[tuple[str, Span], ...] = ()
    unavailable: tuple[Span, ...] = ()
    conflicts: tuple[tuple[int, Span], ...] = ()


def eligible(officer: OfficerFacts, regime: str, on: date) -> list[str]:
    """Return why ``officer`` may not inspect under ``regime`` on the day ``on``, as codes in
    the order of ``REASONS``; an empty list means the officer is in the pool.

    Codes: "inactive" (deactivated), "no_qualification" (no 执法资格), "qualification_expired"
    (the 执法资格 expired before ``on``), "no_regime_qualification" (none granted for the regime
    holds on ``on``), "unavailable" (on leave, seconded, in training … that day).
    """
    reasons = []
    if not officer.active:
        reasons.append(INACTIVE)
    if officer.qualification == "NONE":
        reasons.append(NO_QUALIFICATION)
    elif officer.qualification_expires_on is not None and officer.qualification_expires_on < on:
        reasons.append(QUALIFICATION_EXPIRED)
    if not any(code == regime and span.covers(on) for code, span in officer.regimes):
        reasons.append(NO_REGIME_QUALIFICATION)
    if any(span.covers(on) for span in officer.unavailable):
        reasons.append(UNAVAILABLE)
    return reasons


def recused(officer: OfficerFacts, subject_id: int, on: date) -> bool:
    """Tell whether ``officer`` must not inspect the subject on ``on``: a conflict declared with
    it holds that day. Such an officer is never drawn for that subject."""
    return any(sid == subject_id and span.covers(on) for sid, span in officer.conflicts)


def pool(
    officers: Iterable[tuple[int, OfficerFacts]],
    regime: str,
    on: date,
    subject_id: int | None = None,
) -> list[int]:
    """Return the ids of the officers who may inspect under ``regime`` on ``on`` (and, when a
    subject is named, are not recused from it), in the order given."""
    return [
        pk
        for pk, facts in officers
        if not eligible(facts, regime, on)
        and (subject_id is None or not recused(facts, subject_id, on))
    ]

"""Pure rules of plans and their tasks: the steps of a plan's workflow, who may take each one, and
what a task may say under its regime's methods. No Django here.

A plan goes draft → submitted → approved → published. A leader who did not submit it, of the
bureau whose plan it is, approves it or returns it with a reason; a returned plan is a draft again
(its tasks may change) until it is submitted anew. Only a draft or a returned plan has its tasks
added, changed or removed: what was approved is what is published.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from oversight.org.policy import Who, sees_business_data

DRAFT = "DRAFT"
SUBMITTED = "SUBMITTED"
APPROVED = "APPROVED"
PUBLISHED = "PUBLISHED"
RETURNED = "RETURNED"
STATUSES = (DRAFT, SUBMITTED, APPROVED, PUBLISHED, RETURNED)

SUBMIT = "submit"
APPROVE = "approve"
RETURN = "return"
PUBLISH = "publish"
STEPS = (SUBMIT, APPROVE, RETURN, PUBLISH)

# Each step: the statuses it starts from, and the status it leads to.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    SUBMIT: (frozenset({DRAFT, RETURNED}), SUBMITTED),
    APPROVE: (frozenset({SUBMITTED}), APPROVED),
    RETURN: (frozenset({SUBMITTED}), RETURNED),
    PUBLISH: (frozenset({APPROVED}), PUBLISHED),
}
EDITABLE = frozenset({DRAFT, RETURNED})

# Why a step is refused (``step_problem``).
NOT_PERMITTED = "not_permitted"  # the role may not take the step at all (403)
NOT_PLAN_LEADER = "not_plan_leader"  # a leader of another bureau than the plan's (403)
OWN_SUBMISSION = "own_submission"  # the leader submitted it: someone else decides (403)
WRONG_STATUS = "wrong_status"  # the plan is not in a status the step starts from (409)


# --- who may do what ------------------------------------------------------------------------------


def may_read_plans(who: Who) -> bool:
    """Read the plans and tasks of one's scope: every business role."""
    return sees_business_data(who)


def may_draft_plans(who: Who) -> bool:
    """Draft plans of one's scope, change their tasks and submit them: inspectors and leaders."""
    return sees_business_data(who) and bool(who.roles & {"INSPECTOR", "LEADER"})


def may_decide_plans(who: Who) -> bool:
    """Approve, return and publish plans of one's scope: leaders."""
    return sees_business_data(who) and "LEADER" in who.roles


# --- the steps ------------------------------------------------------------------------------------


def next_status(step: str) -> str:
    """The status a plan has after ``step``."""
    return TRANSITIONS[step][1]


def tasks_editable(status: str) -> bool:
    """Tell whether a plan in ``status`` may have tasks added, changed or removed (and its own
    title and notes changed)."""
    return status in EDITABLE


@dataclass(frozen=True)
class Actor:
    """What the rules need to know of the person taking a step on one plan."""

    roles: frozenset[str]
    own_bureau: bool  # the plan is the plan of the person's own bureau
    submitter: bool  # the person submitted the plan (its last submission)


def decider_problem(actor: Actor) -> str | None:
    """Return why ``actor`` may not approve or return a plan, whatever its status, or None: a
    leader of the plan's own bureau who did not submit it (four eyes) decides. Codes:
    "not_permitted", "not_plan_leader", "own_submission"."""
    if "LEADER" not in actor.roles:
        return NOT_PERMITTED
    if not actor.own_bureau:
        return NOT_PLAN_LEADER
    if actor.submitter:
        return OWN_SUBMISSION
    return None


def step_problem(step: str, status: str, actor: Actor) -> str | None:
    """Return why ``actor`` may not take ``step`` on a plan in ``status``, or None.

    Inspectors and leaders submit; leaders approve, return and publish; approving and returning
    are for a leader of the plan's bureau who did not submit it (``decider_problem``). The
    person is checked before the plan's status, so that one who may never take the step learns
    nothing about where the plan stands. Codes: "not_permitted", "not_plan_leader",
    "own_submission", "wrong_status".
    """
    drafter = bool(actor.roles & {"INSPECTOR", "LEADER"})
    if step == SUBMIT and not drafter:
        return NOT_PERMITTED
    if step == PUBLISH and "LEADER" not in actor.roles:
        return NOT_PERMITTED
    if step in (APPROVE, RETURN) and (problem := decider_problem(actor)):
        return problem
    if status not in TRANSITIONS[step][0]:
        return WRONG_STATUS
    return None


def steps_open(status: str, actor: Actor) -> list[str]:
    """The steps ``actor`` may take on a plan in ``status`` now, in workflow order: the buttons
    its page shows."""
    return [step for step in STEPS if step_problem(step, status, actor) is None]


# --- what a task may say --------------------------------------------------------------------------

# The modes of a task. The first four are the catalog's modes (a method lists those it serves);
# self-inspection and mutual inspection are the catalog's "who" of a method (SELF, PEER).
PERIODIC = "PERIODIC"
AD_HOC = "AD_HOC"
SPECIAL = "SPECIAL"
RANDOM = "RANDOM"
SELF = "SELF"
PEER = "PEER"
CATALOG_MODES = frozenset({PERIODIC, AD_HOC, SPECIAL, RANDOM})
WHO_MODES = frozenset({SELF, PEER})
# Whatever a regime says, no check is made by fewer than two officers.
LEAST_INSPECTORS = 2


@dataclass(frozen=True)
class MethodFacts:
    """What the catalog says of one method of a regime."""

    modes: tuple[str, ...] = ()  # the modes it serves (any when empty)
    who: tuple[str, ...] = ()  # who checks: SELF, PEER, SPOT, SUPERIOR (anyone when empty)
    announced: bool | None = None  # always announced (True), always unannounced (False), either


def method_problem(method: MethodFacts, *, mode: str, announced: bool) -> str | None:
    """Return why a task of ``mode`` (announced or not) may not use ``method``, or None.

    Codes: "mode" (the method serves other modes, or other checkers for self- and mutual
    inspection), "announced" (the method is always unannounced), "unannounced" (always
    announced).
    """
    if mode in CATALOG_MODES and method.modes and mode not in method.modes:
        return "mode"
    if mode in WHO_MODES and method.who and mode not in method.who:
        return "mode"
    if method.announced is not None and method.announced != announced:
        return "announced" if announced else "unannounced"
    return None


def least_inspectors(regime_minimum: int | None) -> int:
    """How many inspectors a task sends to each target at least: the regime's minimum, and never
    fewer than two."""
    return max(LEAST_INSPECTORS, regime_minimum or 0)


def window_problem(year: int, starts_on: date, ends_on: date) -> str | None:
    """Return why a task's window is refused, or None. Codes: "ends_before_start",
    "outside_year" (a day outside the plan's year)."""
    if ends_on < starts_on:
        return "ends_before_start"
    if starts_on.year != year or ends_on.year != year:
        return "outside_year"
    return None


def months_covered(start_month: int, end_month: int) -> list[int]:
    """The months (1–12) a window from ``start_month`` to ``end_month`` of one year touches."""
    return list(range(start_month, end_month + 1))


def unknown(values: Iterable[str], allowed: Iterable[str]) -> list[str]:
    """The values not among ``allowed``, in the order given."""
    known = set(allowed)
    return [v for v in values if v not in known]


def strata_problem(*, mode: str, target_count: int | None, paths: Sequence[str]) -> str | None:
    """Return why a task may not draw a quota in each of its jurisdictions (strata), or None.

    Only a random spot check draws; it then gives the quota, not a total ("count_with_strata");
    it names at least two jurisdictions ("strata_need_jurisdictions": one jurisdiction is no
    stratification), and none of them under another ("nested_strata": a subject would belong
    to two strata)."""
    if mode != RANDOM:
        return "strata_for_fixed"
    if target_count is not None:
        return "count_with_strata"
    if len(paths) < 2:
        return "strata_need_jurisdictions"
    if any(a != b and b.startswith(a) for a in paths for b in paths):
        return "nested_strata"
    return None


JURISDICTION = "jurisdiction"
KIND = "kind"
GRADE = "grade"
CLOSED = "closed"


def subject_problem(
    *,
    agency_path: str,
    kind: str,
    risk_grade: str,
    closed: bool,
    jurisdiction_paths: Iterable[str],
    kinds: Iterable[str],
    grades: Iterable[str],
) -> str | None:
    """Return why a subject falls outside a task's scope, or None. ``jurisdiction_paths`` are the
    tree paths of the task's jurisdictions (a subject under any of them is in), ``kinds`` the
    kinds it covers, ``grades`` the risk grades (none: every grade).

    Codes: "jurisdiction", "kind", "grade", "closed" (a closed subject is checked no more).
    """
    if not any(agency_path.startswith(path) for path in jurisdiction_paths):
        return JURISDICTION
    if kind not in set(kinds):
        return KIND
    grades = set(grades)
    if grades and risk_grade not in grades:
        return GRADE
    if closed:
        return CLOSED
    return None


# --- random draws (双随机) ---------------------------------------------------------------------

# The plans whose random tasks may draw their subjects: decided ones.
DRAWABLE = frozenset({APPROVED, PUBLISHED})
# Why a task may not draw its subjects (``draw_problem``).
NOT_DRAW_LEADER = "not_draw_leader"  # a leader, but not of the plan's bureau (403)
NOT_RANDOM = "not_random"  # the task is not a random spot check (409)
NOT_DECIDED = "not_decided"  # the plan is not approved or published yet (409)


def may_draw(who: Who) -> bool:
    """Commit a random draw of a task of one's scope and enter its seed: leaders (of the plan's
    own bureau, ``draw_problem`` adds)."""
    return sees_business_data(who) and "LEADER" in who.roles


def draw_problem(actor: Actor, *, mode: str, status: str) -> str | None:
    """Return why ``actor`` may not draw the subjects of a task of ``mode`` in a plan in
    ``status``, or None. The person first (a leader of the plan's own bureau), then the task (a
    random spot check), then the plan (approved or published). Codes: "not_permitted",
    "not_draw_leader", "not_random", "not_decided"."""
    if "LEADER" not in actor.roles:
        return NOT_PERMITTED
    if not actor.own_bureau:
        return NOT_DRAW_LEADER
    if mode != RANDOM:
        return NOT_RANDOM
    if status not in DRAWABLE:
        return NOT_DECIDED
    return None


SELF_CHECK = "self_check"  # a self-inspection sends no inspectors (409)
TARGETS_NOT_DRAWN = "targets_not_drawn"  # a random task's subjects are not drawn yet (409)


def team_draw_problem(actor: Actor, *, mode: str, status: str, targets_drawn: bool) -> str | None:
    """Return why ``actor`` may not draw the inspectors of a task's subjects, or None.

    The person first (a leader of the plan's own bureau), then the task (any but a
    self-inspection, whose subject checks itself), then the plan (approved or published), then
    the subjects (a random spot check's are drawn first). Codes: "not_permitted",
    "not_draw_leader", "self_check", "not_decided", "targets_not_drawn"."""
    if "LEADER" not in actor.roles:
        return NOT_PERMITTED
    if not actor.own_bureau:
        return NOT_DRAW_LEADER
    if mode == SELF:
        return SELF_CHECK
    if status not in DRAWABLE:
        return NOT_DECIDED
    if mode == RANDOM and not targets_drawn:
        return TARGETS_NOT_DRAWN
    return None

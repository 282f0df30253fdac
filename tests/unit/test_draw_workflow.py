"""Who may draw a task's subjects, and when: the pure rules of ``planning.workflow``."""

from __future__ import annotations

import pytest

from oversight.planning import workflow
from oversight.planning.workflow import Actor


def actor(*roles: str, own_bureau: bool = True) -> Actor:
    return Actor(roles=frozenset(roles), own_bureau=own_bureau, submitter=False)


@pytest.mark.parametrize(
    "who, mode, status, problem",
    [
        (actor("LEADER"), "RANDOM", "APPROVED", None),
        (actor("LEADER"), "RANDOM", "PUBLISHED", None),
        (actor("LEADER"), "RANDOM", "SUBMITTED", "not_decided"),
        (actor("LEADER"), "RANDOM", "DRAFT", "not_decided"),
        (actor("LEADER"), "PERIODIC", "APPROVED", "not_random"),
        (actor("LEADER", own_bureau=False), "RANDOM", "APPROVED", "not_draw_leader"),
        (actor("INSPECTOR"), "RANDOM", "APPROVED", "not_permitted"),
        # the person first: one who may never draw learns nothing of the task or the plan
        (actor("VIEWER"), "PERIODIC", "DRAFT", "not_permitted"),
        (actor("LEADER", own_bureau=False), "PERIODIC", "DRAFT", "not_draw_leader"),
    ],
)
def test_a_leader_of_the_plans_bureau_draws_a_random_task_of_a_decided_plan(
    who, mode, status, problem
):
    assert workflow.draw_problem(who, mode=mode, status=status) == problem

"""The pure rules of plans: the workflow's steps and who may take each, what a task may say."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.planning import workflow
from oversight.planning.workflow import Actor, MethodFacts

INSPECTOR = frozenset({"INSPECTOR"})
LEADER = frozenset({"LEADER"})


def leader(*, own_bureau: bool = True, submitter: bool = False) -> Actor:
    return Actor(roles=LEADER, own_bureau=own_bureau, submitter=submitter)


def test_the_workflow_walks_draft_submitted_approved_published_and_back_from_returned():
    assert workflow.next_status(workflow.SUBMIT) == "SUBMITTED"
    assert workflow.next_status(workflow.APPROVE) == "APPROVED"
    assert workflow.next_status(workflow.PUBLISH) == "PUBLISHED"
    assert workflow.next_status(workflow.RETURN) == "RETURNED"
    drafter = Actor(roles=INSPECTOR, own_bureau=True, submitter=False)
    assert workflow.steps_open("RETURNED", drafter) == ["submit"]
    assert workflow.steps_open("DRAFT", drafter) == ["submit"]
    assert workflow.steps_open("SUBMITTED", leader()) == ["approve", "return"]
    assert workflow.steps_open("APPROVED", leader()) == ["publish"]
    assert workflow.steps_open("PUBLISHED", leader()) == []


def test_only_drafts_and_returned_plans_take_changes():
    assert [s for s in workflow.STATUSES if workflow.tasks_editable(s)] == ["DRAFT", "RETURNED"]


@pytest.mark.parametrize(
    "step, actor, problem",
    [
        ("submit", Actor(frozenset({"LIAISON"}), True, False), "not_permitted"),
        ("approve", Actor(INSPECTOR, True, False), "not_permitted"),
        ("publish", Actor(frozenset({"VIEWER"}), True, False), "not_permitted"),
        ("approve", leader(own_bureau=False), "not_plan_leader"),
        ("return", leader(submitter=True), "own_submission"),
        ("approve", leader(), None),
        ("publish", leader(own_bureau=False, submitter=True), "wrong_status"),
    ],
)
def test_who_may_take_a_step_on_a_submitted_plan(step, actor, problem):
    assert workflow.step_problem(step, "SUBMITTED", actor) == problem


@given(
    step=st.sampled_from(workflow.STEPS),
    status=st.sampled_from(workflow.STATUSES),
    roles=st.frozensets(st.sampled_from(["LEADER", "INSPECTOR", "LIAISON", "VIEWER"])),
    own_bureau=st.booleans(),
    submitter=st.booleans(),
)
def test_an_allowed_step_always_starts_from_its_statuses_and_never_approves_ones_own(
    step, status, roles, own_bureau, submitter
):
    actor = Actor(roles=roles, own_bureau=own_bureau, submitter=submitter)
    if workflow.step_problem(step, status, actor) is None:
        assert status in workflow.TRANSITIONS[step][0]
        if step in ("approve", "return"):
            assert "LEADER" in roles and own_bureau and not submitter


@pytest.mark.parametrize(
    "method, mode, announced, problem",
    [
        (MethodFacts(modes=("PERIODIC",)), "PERIODIC", True, None),
        (MethodFacts(modes=("PERIODIC",)), "RANDOM", True, "mode"),
        (MethodFacts(), "RANDOM", False, None),
        (MethodFacts(who=("SELF",)), "SELF", True, None),
        (MethodFacts(who=("SPOT",)), "PEER", True, "mode"),
        (MethodFacts(modes=("RANDOM",)), "SELF", True, None),
        (MethodFacts(announced=False), "AD_HOC", True, "announced"),
        (MethodFacts(announced=True), "AD_HOC", False, "unannounced"),
    ],
)
def test_a_tasks_mode_and_announcement_follow_its_methods_catalog_entry(
    method, mode, announced, problem
):
    assert workflow.method_problem(method, mode=mode, announced=announced) == problem


def test_at_least_two_inspectors_and_never_fewer_than_the_regime_asks():
    assert workflow.least_inspectors(None) == 2
    assert workflow.least_inspectors(1) == 2
    assert workflow.least_inspectors(3) == 3


def test_a_window_lies_within_the_plans_year():
    assert workflow.window_problem(2026, date(2026, 1, 1), date(2026, 12, 31)) is None
    assert workflow.window_problem(2026, date(2025, 12, 31), date(2026, 1, 5)) == "outside_year"
    assert workflow.window_problem(2026, date(2026, 3, 2), date(2026, 3, 1)) == "ends_before_start"


def test_a_subject_is_in_a_tasks_scope_by_jurisdiction_kind_grade_and_status():
    base = {
        "agency_path": "CITY/CITY-A/CITY-A-P1/",
        "kind": "KEY_SECURITY_UNIT",
        "risk_grade": "B",
        "closed": False,
        "jurisdiction_paths": ["CITY/CITY-A/"],
        "kinds": ["KEY_SECURITY_UNIT"],
        "grades": [],
    }
    assert workflow.subject_problem(**base) is None
    assert workflow.subject_problem(**base | {"jurisdiction_paths": ["CITY/CITY-B/"]}) == (
        "jurisdiction"
    )
    assert workflow.subject_problem(**base | {"kinds": ["BANK"]}) == "kind"
    assert workflow.subject_problem(**base | {"grades": ["A"]}) == "grade"
    assert workflow.subject_problem(**base | {"closed": True}) == "closed"


def test_the_rules_of_plans_import_no_django():
    code = (
        "import sys; import oversight.planning.workflow; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0

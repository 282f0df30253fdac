"""The pure rules of accounts: who issues an activation code, which roles an account may receive,
how a typed code is read, and until when a user name is locked out."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.org.policy import (
    ACTIVATION_CODE_ALPHABET,
    ACTIVATION_CODE_LENGTH,
    activation_code_format,
    activation_code_normal,
    activation_issuer_problem,
    grantable_roles,
    lockout_until,
    role_conflict,
)

SYSADMIN, SECADMIN, AUDITADMIN, LEADER, OFFICER = 1, 2, 3, 4, 5


def problem(issuer, roles, target, *, officer=False, in_scope=False, requester=SYSADMIN):
    return activation_issuer_problem(
        issuer_id=issuer,
        issuer_roles=roles,
        requester_id=requester,
        target_id=target,
        target_is_officer=officer,
        officer_in_issuer_scope=in_scope,
    )


@pytest.mark.parametrize(
    "issuer, roles, target, officer, in_scope, expected",
    [
        # an officer's code: a leader whose scope holds the officer
        (LEADER, {"LEADER"}, OFFICER, True, True, None),
        (LEADER, {"LEADER"}, OFFICER, True, False, "not_a_leader_of_the_officer"),
        (9, {"INSPECTOR"}, OFFICER, True, True, "not_a_leader_of_the_officer"),
        (AUDITADMIN, {"AUDIT_ADMIN"}, OFFICER, True, False, "not_a_leader_of_the_officer"),
        (OFFICER, {"LEADER"}, OFFICER, True, True, "self"),
        # an administrator's code: a second administrator, neither requester nor target
        (AUDITADMIN, {"AUDIT_ADMIN"}, SECADMIN, False, False, None),
        (SECADMIN, {"SECURITY_ADMIN"}, SYSADMIN, False, False, None),
        (SYSADMIN, {"SYSTEM_ADMIN"}, SECADMIN, False, False, "requester"),
        (SECADMIN, {"SECURITY_ADMIN"}, SECADMIN, False, False, "self"),
        (LEADER, {"LEADER"}, SECADMIN, False, False, "not_an_administrator"),
        (None, set(), SECADMIN, False, False, "self"),
    ],
)
def test_who_may_issue_an_activation_code(issuer, roles, target, officer, in_scope, expected):
    assert problem(issuer, roles, target, officer=officer, in_scope=in_scope) == expected


def test_a_code_issued_on_the_console_has_no_requester_and_still_needs_another_person():
    assert problem(SECADMIN, {"SECURITY_ADMIN"}, SYSADMIN, requester=None) is None
    assert problem(SYSADMIN, {"SYSTEM_ADMIN"}, SYSADMIN, requester=None) == "self"


def test_roles_are_offered_by_the_kind_of_account():
    assert grantable_roles([], officer=True) == ["LEADER", "INSPECTOR", "LIAISON", "VIEWER"]
    assert grantable_roles([], officer=False) == ["SYSTEM_ADMIN", "SECURITY_ADMIN", "AUDIT_ADMIN"]
    assert grantable_roles(["INSPECTOR"], officer=True) == ["LEADER", "LIAISON", "VIEWER"]
    assert grantable_roles(["AUDIT_ADMIN"], officer=False) == []


def test_an_officers_account_never_holds_an_administrator_role():
    assert role_conflict([], "AUDIT_ADMIN", officer=True) == "admin_role_for_officer"
    assert role_conflict([], "VIEWER", officer=False) == "business_role_for_non_officer"
    assert role_conflict([], "AUDIT_ADMIN") is None  # the kind of account not known: roles only


@given(st.text(alphabet=ACTIVATION_CODE_ALPHABET, min_size=12, max_size=12))
def test_a_code_read_aloud_and_typed_back_is_the_code(code):
    typed = activation_code_format(code).lower().replace("0", "o").replace("1", "l")
    assert activation_code_normal(f"  {typed} ") == code


def test_a_code_has_twelve_characters_in_three_groups():
    assert ACTIVATION_CODE_LENGTH == 12
    assert activation_code_format("K7QM2HXD9RTA") == "K7QM-2HXD-9RTA"
    assert not set("ILOU") & set(ACTIVATION_CODE_ALPHABET)


T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
COOL_OFF = timedelta(minutes=15)


def until(attempts, now, limit=5):
    return lockout_until(attempts, limit=limit, cool_off=COOL_OFF, now=now)


def test_a_name_is_locked_for_the_cool_off_after_its_last_failure():
    assert until([(T0, 5)], T0) == T0 + COOL_OFF
    assert until([(T0, 5)], T0 + COOL_OFF - timedelta(seconds=1)) == T0 + COOL_OFF
    assert until([(T0, 5)], T0 + COOL_OFF) is None
    assert until([(T0, 4)], T0) is None


def test_failures_from_several_addresses_add_up_until_the_older_ones_age_out():
    older, newer = T0, T0 + timedelta(minutes=10)
    attempts = [(older, 3), (newer, 2)]
    # five within the cool-off: locked until the older row stops counting
    assert until(attempts, newer) == older + COOL_OFF
    assert until(attempts, older + COOL_OFF) is None
    # with six, losing the older three still leaves too few: the older row decides again
    assert until([(older, 3), (newer, 3)], newer) == older + COOL_OFF
    # with four newer, the lock lasts until the newer row ages out
    assert until([(older, 3), (newer, 5)], newer) == newer + COOL_OFF

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.org.policy import (
    ADMIN_ROLES,
    ALL_ROLES,
    BUSINESS_ROLES,
    child_path,
    mfa_required,
    password_expired,
    password_problems,
    password_rules,
    role_conflict,
)


@pytest.mark.parametrize("admin", sorted(ADMIN_ROLES))
@pytest.mark.parametrize("other", sorted(ALL_ROLES))
def test_an_administrator_role_never_combines_with_another_role(admin, other):
    if admin == other:
        return
    assert role_conflict([admin], other) is not None
    assert role_conflict([other], admin) is not None


def test_business_roles_combine_with_each_other():
    assert role_conflict(["INSPECTOR"], "LEADER") is None
    assert role_conflict(["LEADER", "LIAISON"], "VIEWER") is None


def test_an_unknown_role_is_refused():
    assert role_conflict([], "GOD") == "unknown_role"


@pytest.mark.parametrize(
    "password, problems",
    [
        ("Abcdef1!", []),
        ("Abcdefg1", []),
        ("abcdefg1", ["too_few_classes"]),
        ("Ab1!", ["too_short"]),
        ("abcdefgh", ["too_few_classes"]),
    ],
)
def test_the_dengbao_policy_wants_eight_characters_of_three_classes(password, problems):
    assert password_problems(password, password_rules("dengbao")) == problems


def test_the_asvs_policy_wants_length_not_composition():
    rules = password_rules("asvs")
    assert password_problems("correct horse", rules) == []
    assert password_problems("Abc-1234", rules) == ["too_short"]
    assert rules.max_age_days is None


@given(st.text(min_size=12, max_size=40))
def test_any_twelve_characters_satisfy_asvs(password):
    assert password_problems(password, password_rules("asvs")) == []


@given(st.text(max_size=7))
def test_nothing_under_eight_characters_satisfies_dengbao(password):
    assert "too_short" in password_problems(password, password_rules("dengbao"))


def test_an_unknown_password_policy_is_an_error():
    with pytest.raises(ValueError, match="unknown password policy"):
        password_rules("lax")


def test_a_dengbao_password_expires_after_ninety_days():
    rules = password_rules("dengbao")
    now = datetime(2026, 11, 29, tzinfo=UTC)
    assert not password_expired(now - timedelta(days=90), now, rules)
    assert password_expired(now - timedelta(days=91), now, rules)
    assert password_expired(None, now, rules)
    assert not password_expired(None, now, password_rules("asvs"))


def test_the_rotation_period_is_configurable():
    rules = password_rules("dengbao", max_age_days=30)
    now = datetime(2026, 11, 29, tzinfo=UTC)
    assert password_expired(now - timedelta(days=31), now, rules)


@pytest.mark.parametrize(
    "mode, roles, required",
    [
        ("all", {"VIEWER"}, True),
        ("admins", {"VIEWER"}, False),
        ("admins", {"AUDIT_ADMIN"}, True),
        ("off", {"SYSTEM_ADMIN"}, False),
    ],
)
def test_the_second_factor_is_required_per_setting(mode, roles, required):
    assert mfa_required(mode, roles) is required


def test_a_bad_mfa_setting_is_an_error():
    with pytest.raises(ValueError, match="OVERSIGHT_MFA"):
        mfa_required("some", set())


@given(st.lists(st.from_regex(r"[A-Z0-9]{2,6}", fullmatch=True), min_size=1, max_size=5))
def test_an_agency_lies_within_each_of_its_ancestors(codes):
    path = None
    paths = []
    for code in codes:
        path = child_path(path, code)
        paths.append(path)
    for ancestor in paths:
        assert paths[-1].startswith(ancestor)


def test_a_sibling_whose_code_extends_another_is_not_inside_it():
    assert not child_path("CITY/", "A1").startswith(child_path("CITY/", "A"))


def test_role_sets_partition_all_roles():
    assert ADMIN_ROLES | BUSINESS_ROLES == ALL_ROLES
    assert not ADMIN_ROLES & BUSINESS_ROLES


def test_dengbao_keeps_five_passwords_of_history_and_asvs_none():
    assert password_rules("dengbao").history == 5
    assert password_rules("dengbao", max_age_days=30).history == 5
    assert password_rules("asvs").history == 0

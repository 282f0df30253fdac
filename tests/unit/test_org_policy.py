from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.org.policy import (
    ADMIN_ROLES,
    ALL_ROLES,
    BUSINESS_ROLES,
    Place,
    child_path,
    division_within,
    level_under,
    may_reshape,
    mfa_required,
    password_expired,
    password_problems,
    password_rules,
    placement_problem,
    qualification_problem,
    qualification_valid,
    reclassify_problem,
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


# --- the shape of the tree -------------------------------------------------------------------


CITY = Place(code="SFS", kind="BUREAU", level="CITY", depth=0, division_code="139900")
COUNTY = Place(code="SFS-C01", kind="BUREAU", level="COUNTY", depth=1, division_code="139901")
DETACHMENT = Place(code="SFS-ZA", kind="DETACHMENT", level="CITY", depth=1, division_code="139900")


def _place(parent, kind, code, division, bureau=None):
    return placement_problem(
        parent=parent, bureau=bureau or parent, kind=kind, code=code, division_code=division
    )


def test_a_bureau_stands_only_directly_under_the_city():
    assert _place(CITY, "BUREAU", "SFS-C11", "139911") is None
    assert _place(COUNTY, "BUREAU", "SFS-C01-X", "139901") == ("kind", "bureau_only_under_city")
    assert _place(DETACHMENT, "BUREAU", "SFS-ZA-X", "139900", CITY) == (
        "kind",
        "bureau_only_under_city",
    )


def test_a_code_follows_its_parents():
    assert _place(COUNTY, "POLICE_STATION", "SFS-C02-P01", "139901") == (
        "code",
        "code_follows_parent",
    )
    assert _place(COUNTY, "POLICE_STATION", "SFS-C011", "139901") == (
        "code",
        "code_follows_parent",
    )


def test_a_division_code_lies_in_the_bureaus_area():
    assert _place(COUNTY, "POLICE_STATION", "SFS-C01-P01", "139902") == (
        "division_code",
        "division_outside_area",
    )
    assert division_within(CITY, "139925") and not division_within(CITY, "110101")
    assert division_within(COUNTY, "139901") and not division_within(COUNTY, "139902")


def test_the_root_is_a_bureau_and_levels_follow_the_tree():
    assert placement_problem(parent=None, bureau=None, kind="OFFICE", code="X", division_code="1")
    assert level_under(None, "BUREAU") == "CITY"
    assert level_under(CITY, "BUREAU") == "COUNTY"
    assert level_under(CITY, "DETACHMENT") == "CITY"
    assert level_under(COUNTY, "POLICE_STATION") == "COUNTY"


def test_reshaping_is_only_strictly_below_ones_bureau_and_never_of_a_bureau():
    assert may_reshape("SFS/SFS-C01/", "SFS/SFS-C01/SFS-C01-P01/")
    assert not may_reshape("SFS/SFS-C01/", "SFS/SFS-C01/")
    assert not may_reshape("SFS/SFS-C01/", "SFS/")
    assert not may_reshape("SFS/SFS-C01/", "SFS/SFS-C02/SFS-C02-P01/")
    assert not may_reshape(None, "SFS/")
    assert reclassify_problem(current_kind="BUREAU", new_kind="OFFICE") == "bureau_fixed"
    assert reclassify_problem(current_kind="OFFICE", new_kind="BUREAU") == "bureau_fixed"
    assert reclassify_problem(current_kind="OFFICE", new_kind="BRIGADE") is None


def test_a_qualification_expires_and_none_has_no_expiry():
    today = date(2026, 11, 29)
    assert qualification_problem("NONE", date(2030, 1, 1), today)[1] == "expiry_without_level"
    assert qualification_problem("BASIC", date(2001, 1, 1), today)[1] == "already_expired"
    assert qualification_problem("BASIC", date(2030, 1, 1), today) is None
    assert not qualification_valid("BASIC", date(2026, 11, 28), today)
    assert qualification_valid("BASIC", date(2026, 11, 29), today)
    assert not qualification_valid("NONE", None, today)

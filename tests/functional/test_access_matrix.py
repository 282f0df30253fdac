"""Every endpoint, every role, inside and outside its jurisdiction.

A row per URL name says what each persona gets. The test fails if a URL exists that the matrix
does not list, so a new page or endpoint cannot ship without its access rules being decided.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from oversight.org.scope import viewer_for
from oversight.org.services import activation_request, token_issue
from tests.conftest import client_for
from tests.draw_builders import SEED, SOURCE, draw_world
from tests.plan_builders import plan_world, task_values
from tests.pool_builders import pool_world

PERSONAS = [
    "anonymous",
    "sysadmin",
    "secadmin",
    "auditadmin",
    "city_leader",
    "a_leader",
    "a_inspector",
    "a_liaison",
    "b_viewer",
    "no_role",
]
BUSINESS = {"city_leader", "a_leader", "a_inspector", "a_liaison", "b_viewer"}
LEADERS = {"city_leader", "a_leader"}
ADMINS_AND_NO_ROLE = {"sysadmin", "secadmin", "auditadmin", "no_role"}
ADMINS = {"sysadmin", "secadmin", "auditadmin"}


def expect(default: int, **by_persona: int) -> dict[str, int]:
    return {p: by_persona.get(p, default) for p in PERSONAS}


def business_page() -> dict[str, int]:
    """Business roles 200; administrators and role-less 403; anonymous to login."""
    return expect(200, anonymous=302, **dict.fromkeys(ADMINS_AND_NO_ROLE, 403))


def leader_page(status: int = 200) -> dict[str, int]:
    return expect(
        403,
        anonymous=302,
        **dict.fromkeys(LEADERS, status),
    )


def in_county_a(status: int = 200) -> dict[str, int]:
    """A row of county A: seen by the city and county A, 404 for county B."""
    return expect(
        status,
        anonymous=302,
        b_viewer=404,
        **dict.fromkeys(ADMINS_AND_NO_ROLE, 403),
    )


def only(persona: str, status: int = 200) -> dict[str, int]:
    return expect(403, anonymous=302, **{persona: status})


def _subject_writers() -> dict[str, int]:
    """Leaders and inspectors keep the registry (import, templates)."""
    return expect(
        403, anonymous=302, **dict.fromkeys({"city_leader", "a_leader", "a_inspector"}, 200)
    )


def _drafters(status: int = 200) -> dict[str, int]:
    """Inspectors and leaders draft plans and their tasks; everyone else is refused the role."""
    return expect(
        403, anonymous=302, **dict.fromkeys({"city_leader", "a_leader", "a_inspector"}, status)
    )


def _county_b_draft(done: int) -> dict[str, int]:
    """A drafting write on county B's plan: the city does it, county A's drafters get 404."""
    return _drafters(404) | {"city_leader": done}


def _own_import(status: int = 200) -> dict[str, int]:
    """County A's inspector's import: theirs alone; other writers 404, others 403."""
    return _subject_writers() | {"a_inspector": status, "city_leader": 404, "a_leader": 404}


# (url name, method, path template, expectations). {a}, {a_officer}, {b}, {user}, {token},
# {dept}, {liaison} are filled from the fixture.
WEB: list[tuple[str, str, str, dict[str, int]]] = [
    ("home", "GET", "/", expect(200, anonymous=302)),
    ("login", "GET", "/login/", expect(302, anonymous=200)),
    ("logout", "POST", "/logout/", expect(302)),
    ("mfa_verify", "GET", "/mfa/verify/", expect(302, anonymous=302)),
    ("mfa_enroll", "GET", "/mfa/enroll/", expect(200, anonymous=302)),
    ("password_change", "GET", "/password/change/", expect(200, anonymous=302)),
    ("profile", "GET", "/profile/", expect(200, anonymous=302)),
    ("activate", "GET", "/activate/", expect(302, anonymous=200)),
    (
        "activation_list",
        "GET",
        "/activations/",
        expect(403, anonymous=302, **dict.fromkeys(ADMINS | LEADERS, 200)),
    ),
    (
        "activation_issue",
        "POST",
        "/activations/{activation}/issue/",
        expect(403, anonymous=302, **dict.fromkeys(LEADERS, 200), **dict.fromkeys(ADMINS, 404)),
    ),
    ("agency_list", "GET", "/org/agencies/", business_page()),
    ("agency_create", "GET", "/org/agencies/new/", leader_page()),
    ("agency_detail", "GET", "/org/agencies/{a}/", in_county_a()),
    ("agency_edit", "GET", "/org/agencies/{a}/edit/", leader_page()),
    (
        "agency_deactivate",
        "POST",
        "/org/agencies/{b}/deactivate/",
        leader_page(404) | {"city_leader": 302},
    ),
    (
        "agency_activate",
        "POST",
        "/org/agencies/{b}/activate/",
        leader_page(404) | {"city_leader": 302},
    ),
    ("officer_list", "GET", "/org/officers/", business_page()),
    ("officer_create", "GET", "/org/officers/new/", leader_page()),
    ("officer_detail", "GET", "/org/officers/{a_officer}/", in_county_a()),
    ("officer_edit", "GET", "/org/officers/{a_officer}/edit/", leader_page()),
    ("officer_transfer", "GET", "/org/officers/{a_officer}/transfer/", leader_page()),
    (
        "officer_deactivate",
        "POST",
        "/org/officers/{b_officer}/deactivate/",
        leader_page(404) | {"city_leader": 302},
    ),
    (
        "officer_activate",
        "POST",
        "/org/officers/{b_officer}/activate/",
        leader_page(404) | {"city_leader": 302},
    ),
    ("department_list", "GET", "/org/departments/", business_page()),
    ("department_create", "GET", "/org/departments/new/", only("city_leader") | {"a_leader": 403}),
    ("department_edit", "GET", "/org/departments/{dept}/edit/", only("city_leader")),
    (
        "department_deactivate",
        "POST",
        "/org/departments/{dept}/deactivate/",
        only("city_leader", 302),
    ),
    ("department_activate", "POST", "/org/departments/{dept}/activate/", only("city_leader", 302)),
    ("liaison_list", "GET", "/org/liaisons/", business_page()),
    ("liaison_create", "GET", "/org/liaisons/new/", leader_page()),
    (
        "liaison_end",
        "POST",
        "/org/liaisons/{b_liaison}/end/",
        leader_page(404) | {"city_leader": 302},
    ),
    # the inspector pool: read by business roles, written by leaders; one's own conflicts too
    ("pool_index", "GET", "/pool/", business_page()),
    ("pool_regime", "GET", "/pool/regimes/NEIBAO/", business_page()),
    ("pool_officer", "GET", "/pool/officers/{a_officer}/", in_county_a() | {"a_liaison": 403}),
    (
        "pool_qualification_grant",
        "GET",
        "/pool/officers/{a_officer}/qualifications/new/",
        leader_page(),
    ),
    (
        "pool_qualification_revoke",
        "POST",
        "/pool/qualifications/{b_qualification}/revoke/",
        leader_page(404) | {"city_leader": 302},
    ),
    (
        "pool_unavailability_record",
        "GET",
        "/pool/officers/{a_officer}/absences/new/",
        leader_page(),
    ),
    (
        "pool_unavailability_end",
        "POST",
        "/pool/absences/{b_absence}/end/",
        leader_page(404) | {"city_leader": 302},
    ),
    (
        "pool_conflict_declare",
        "GET",
        "/pool/officers/{a_officer}/conflicts/new/",
        leader_page() | {"a_inspector": 200},
    ),
    (
        "pool_conflict_end",
        "POST",
        "/pool/conflicts/{b_conflict}/end/",
        leader_page(404) | {"city_leader": 302},
    ),
    # plans of checks: read by business roles, drafted by inspectors and leaders, approved or
    # returned by a leader of the plan's bureau who did not submit it, published by a leader
    ("plan_list", "GET", "/plans/", business_page()),
    ("plan_calendar", "GET", "/plans/calendar/", business_page()),
    ("plan_create", "GET", "/plans/new/", _drafters()),
    ("plan_detail", "GET", "/plans/{a_plan}/", in_county_a()),
    ("plan_edit", "GET", "/plans/{a_draft}/edit/", _drafters()),
    ("plan_submit", "POST", "/plans/{b_plan}/submit/", _county_b_draft(302)),
    ("plan_approve", "GET", "/plans/{a_plan}/approve/", only("a_leader")),
    ("plan_return", "GET", "/plans/{a_plan}/return/", only("a_leader")),
    ("plan_publish", "GET", "/plans/{a_approved}/publish/", leader_page()),
    ("task_add", "GET", "/plans/{a_draft}/tasks/new/?regime=NEIBAO", _drafters()),
    # the periodic tasks the catalog's rhythms require, and the compliance with them
    ("plan_obligations", "GET", "/plans/{a_draft}/obligations/", _drafters()),
    ("compliance", "GET", "/compliance/", business_page()),
    ("task_edit", "GET", "/tasks/{a_draft_task}/edit/", _drafters()),
    ("task_remove", "POST", "/tasks/{b_task}/remove/", _county_b_draft(302)),
    # a task's page; the draw of its subjects by a leader of the plan's bureau, read by all
    ("task_detail", "GET", "/tasks/{a_random_task}/", in_county_a()),
    ("draw_commit", "GET", "/tasks/{a_random_task}/draw/", only("a_leader")),
    ("draw_seed", "GET", "/draws/{a_draw}/seed/", only("a_leader")),
    ("draw_file", "GET", "/draws/{a_draw}/file/", in_county_a()),
    ("draw_progress", "GET", "/tasks/{a_random_task}/draw/progress/", in_county_a()),
    # the inspector draws of a task's subjects, by a leader of the plan's bureau
    ("teams_commit", "GET", "/tasks/{a_random_task}/teams/", only("a_leader")),
    ("teams_seed", "GET", "/tasks/{a_random_task}/teams/seed/", only("a_leader")),
    ("subject_list", "GET", "/subjects/", business_page()),
    (
        "subject_create",
        "GET",
        "/subjects/new/",
        expect(
            403, anonymous=302, **dict.fromkeys({"city_leader", "a_leader", "a_inspector"}, 200)
        ),
    ),
    ("subject_detail", "GET", "/subjects/{subject}/", in_county_a()),
    (
        "subject_edit",
        "GET",
        "/subjects/{subject}/edit/",
        expect(403, anonymous=302, city_leader=200, a_leader=200, a_inspector=200),
    ),
    ("subject_import_start", "GET", "/subjects/import/", _subject_writers()),
    ("subject_import", "GET", "/subjects/imports/{import}/", _own_import()),
    ("subject_import_progress", "GET", "/subjects/imports/{import}/progress/", _own_import()),
    ("subject_import_confirm", "GET", "/subjects/imports/{import}/confirm/", _own_import()),
    # no error workbook: the author's 404 is that of a file that is not there
    ("subject_import_errors", "GET", "/subjects/imports/{import}/errors/", _own_import(404)),
    ("subject_template", "GET", "/subjects/template/?kind=KEY_SECURITY_UNIT", _subject_writers()),
    ("subject_export", "GET", "/subjects/export/?kind=KEY_SECURITY_UNIT", business_page()),
    ("catalog", "GET", "/catalog/", expect(200, anonymous=302)),
    ("catalog_versions", "GET", "/catalog/versions/", expect(200, anonymous=302)),
    ("catalog_regime", "GET", "/catalog/NEIBAO/", expect(200, anonymous=302)),
    ("catalog_version", "GET", "/catalog/versions/{version}/", expect(200, anonymous=302)),
    (
        "catalog_provision",
        "GET",
        "/catalog/provisions/neibao_regulation.art19/",
        expect(200, anonymous=302),
    ),
    ("account_list", "GET", "/system/accounts/", only("sysadmin")),
    ("account_create", "GET", "/system/accounts/new/", only("sysadmin")),
    ("account_detail", "GET", "/system/accounts/{user}/", only("sysadmin")),
    ("account_deactivate", "POST", "/system/accounts/{user}/deactivate/", only("sysadmin", 302)),
    ("account_activate", "POST", "/system/accounts/{user}/activate/", only("sysadmin", 302)),
    (
        "account_activation_request",
        "POST",
        "/system/accounts/{user}/activation/",
        only("sysadmin", 302),
    ),
    (
        "account_activation_cancel",
        "POST",
        "/system/accounts/{user}/activation/cancel/",
        only("sysadmin", 302),
    ),
    ("role_list", "GET", "/security/roles/", only("secadmin")),
    ("role_grant", "POST", "/security/roles/{user}/grant/", only("secadmin", 302)),
    ("role_revoke", "POST", "/security/roles/{user}/revoke/VIEWER/", only("secadmin", 302)),
    ("lockout_list", "GET", "/security/lockouts/", only("secadmin")),
    ("lockout_reset", "POST", "/security/lockouts/reset/", only("secadmin", 302)),
    ("token_list", "GET", "/security/tokens/", only("secadmin")),
    ("token_revoke", "POST", "/security/tokens/{token}/revoke/", only("secadmin", 302)),
    ("audit_list", "GET", "/audit/", only("auditadmin")),
    ("audit_verify", "POST", "/audit/verify/", only("auditadmin")),
]


# Public pages (一公开, /public/): the same page for everyone, logged in or not.
PUBLIC: list[tuple[str, str, str, dict[str, int]]] = [
    ("plan_index", "GET", "/public/", expect(200)),
    # an approved plan not yet published: not found, for everyone, logged in or not
    ("plan_detail", "GET", "/public/plans/{a_approved}/", expect(404)),
    ("draw_file", "GET", "/public/draws/{a_draw}/file/", expect(404)),  # its plan unpublished
    ("draw_verify", "GET", "/public/verify/", expect(200)),
    ("draw_verifier_source", "GET", "/public/verify/verify.py", expect(200)),
]


def api_business(status: int = 200) -> dict[str, int]:
    return expect(status, anonymous=401, **dict.fromkeys(ADMINS_AND_NO_ROLE, 403))


def api_row_of_a(status: int = 200) -> dict[str, int]:
    """Out of scope and missing alike: 404. A role that may not read such rows at all is refused
    before its id is looked at (403 whatever the id), so it confirms nothing either."""
    return expect(status, anonymous=401, b_viewer=404, **dict.fromkeys(ADMINS_AND_NO_ROLE, 403))


def _api_drafters(status: int) -> dict[str, int]:
    return expect(
        403, anonymous=401, **dict.fromkeys({"city_leader", "a_leader", "a_inspector"}, status)
    )


def _api_county_b_draft(done: int) -> dict[str, int]:
    return _api_drafters(404) | {"city_leader": done}


API: list[tuple[str, str, str, dict[str, int]]] = [
    ("me", "GET", "/api/v1/me", expect(200, anonymous=401)),
    ("agency_list", "GET", "/api/v1/agencies", api_business()),
    ("agency_get", "GET", "/api/v1/agencies/{a}", api_row_of_a()),
    (
        "agency_create",
        "POST",
        "/api/v1/agencies",
        expect(403, anonymous=401, city_leader=201, a_leader=201),
    ),
    (
        "agency_update",
        "PUT",
        "/api/v1/agencies/{a}",
        expect(403, anonymous=401, city_leader=200, a_leader=200),
    ),
    (
        "agency_deactivate",
        "POST",
        "/api/v1/agencies/{b}/deactivate",
        expect(403, anonymous=401, city_leader=409, a_leader=404),
    ),
    ("officer_list", "GET", "/api/v1/officers", api_business()),
    ("officer_get", "GET", "/api/v1/officers/{a_officer}", api_row_of_a()),
    (
        "officer_create",
        "POST",
        "/api/v1/officers",
        expect(403, anonymous=401, city_leader=201, a_leader=201),
    ),
    (
        "officer_update",
        "PUT",
        "/api/v1/officers/{a_officer}",
        expect(403, anonymous=401, city_leader=200, a_leader=200),
    ),
    (
        "officer_transfer",
        "POST",
        "/api/v1/officers/{a_officer}/transfer",
        expect(403, anonymous=401, city_leader=200, a_leader=404),
    ),
    (
        "officer_deactivate",
        "POST",
        "/api/v1/officers/{b_officer}/deactivate",
        expect(403, anonymous=401, city_leader=200, a_leader=404),
    ),
    ("department_list", "GET", "/api/v1/departments", api_business()),
    ("openapi", "GET", "/api/v1/openapi.json", expect(200)),
    ("docs", "GET", "/api/v1/docs", expect(200)),
    ("api-root", "GET", "/api/v1/", expect(404)),
    ("kind_list", "GET", "/api/v1/subject-kinds", api_business()),
    ("subject_list", "GET", "/api/v1/subjects", api_business()),
    ("subject_get", "GET", "/api/v1/subjects/{subject}", api_row_of_a()),
    ("subject_history", "GET", "/api/v1/subjects/{subject}/history", api_row_of_a()),
    (
        "subject_create",
        "POST",
        "/api/v1/subjects",
        expect(403, anonymous=401, city_leader=201, a_leader=201, a_inspector=201),
    ),
    (
        "subject_update",
        "PUT",
        "/api/v1/subjects/{subject}",
        expect(403, anonymous=401, city_leader=200, a_leader=200, a_inspector=200),
    ),
    ("regime_list", "GET", "/api/v1/catalog/regimes", expect(200, anonymous=401)),
    ("regime_get", "GET", "/api/v1/catalog/regimes/NEIBAO", expect(200, anonymous=401)),
    (
        "provision_get",
        "GET",
        "/api/v1/catalog/provisions/neibao_regulation.art19",
        expect(200, anonymous=401),
    ),
    ("version_list", "GET", "/api/v1/catalog/versions", expect(200, anonymous=401)),
    ("pool_get", "GET", "/api/v1/pool/regimes/NEIBAO", api_business()),
    (
        "officer_pool",
        "GET",
        "/api/v1/pool/officers/{a_officer}",
        api_row_of_a() | {"a_liaison": 403},
    ),
    (
        "qualification_grant",
        "POST",
        "/api/v1/pool/officers/{a_officer}/qualifications",
        expect(403, anonymous=401, city_leader=201, a_leader=201),
    ),
    (
        "qualification_revoke",
        "POST",
        "/api/v1/pool/qualifications/{b_qualification}/revoke",
        expect(403, anonymous=401, city_leader=200, a_leader=404),
    ),
    (
        "unavailability_record",
        "POST",
        "/api/v1/pool/officers/{a_officer}/unavailability",
        expect(403, anonymous=401, city_leader=201, a_leader=201),
    ),
    (
        "unavailability_end",
        "POST",
        "/api/v1/pool/unavailability/{b_absence}/end",
        expect(403, anonymous=401, city_leader=200, a_leader=404),
    ),
    (
        "conflict_declare",
        "POST",
        "/api/v1/pool/officers/{a_officer}/conflicts",
        expect(403, anonymous=401, city_leader=201, a_leader=201, a_inspector=201),
    ),
    (
        "conflict_end",
        "POST",
        "/api/v1/pool/conflicts/{b_conflict}/end",
        expect(403, anonymous=401, city_leader=200, a_leader=404),
    ),
    ("plan_list", "GET", "/api/v1/plans", api_business()),
    ("plan_create", "POST", "/api/v1/plans", _api_drafters(201)),
    ("plan_get", "GET", "/api/v1/plans/{a_plan}", api_row_of_a()),
    ("plan_update", "PUT", "/api/v1/plans/{a_draft}", _api_drafters(200)),
    ("plan_submit", "POST", "/api/v1/plans/{b_plan}/submit", _api_county_b_draft(200)),
    (
        "plan_approve",
        "POST",
        "/api/v1/plans/{a_plan}/approve",
        expect(403, anonymous=401, a_leader=200),
    ),
    (
        "plan_return",
        "POST",
        "/api/v1/plans/{a_plan}/return",
        expect(403, anonymous=401, a_leader=200),
    ),
    (
        "plan_publish",
        "POST",
        "/api/v1/plans/{a_approved}/publish",
        expect(403, anonymous=401, city_leader=200, a_leader=200),
    ),
    ("task_list", "GET", "/api/v1/plans/{a_plan}/tasks", api_row_of_a()),
    ("task_add", "POST", "/api/v1/plans/{a_draft}/tasks", _api_drafters(201)),
    ("plan_obligations", "POST", "/api/v1/plans/{a_draft}/obligations", _api_drafters(200)),
    ("compliance_get", "GET", "/api/v1/compliance?regime=NEIBAO", api_business()),
    ("task_get", "GET", "/api/v1/tasks/{a_task}", api_row_of_a()),
    ("task_update", "PUT", "/api/v1/tasks/{a_draft_task}", _api_drafters(200)),
    ("task_remove", "DELETE", "/api/v1/tasks/{b_task}", _api_county_b_draft(204)),
    ("draw_list", "GET", "/api/v1/draws", api_business()),
    ("draw_get", "GET", "/api/v1/draws/{a_draw}", api_row_of_a()),
    ("draw_file", "GET", "/api/v1/draws/{a_draw}/file", api_row_of_a()),
    (
        "draw_commit",
        "POST",
        "/api/v1/tasks/{a_random_task}/draws",
        expect(403, anonymous=401, a_leader=201),
    ),
    ("draw_seed", "POST", "/api/v1/draws/{a_draw}/seed", expect(403, anonymous=401, a_leader=200)),
    # a random task whose subjects are not drawn yet: its leader is refused by the rule (409)
    (
        "teams_commit",
        "POST",
        "/api/v1/tasks/{a_random_task}/teams",
        expect(403, anonymous=401, a_leader=409),
    ),
    (
        "teams_seed",
        "POST",
        "/api/v1/tasks/{a_random_task}/teams/seed",
        expect(403, anonymous=401, a_leader=409),
    ),
]

_AGENCY = {
    "code": "CITY-A-NEW",
    "name": "新机构",
    "kind": "OFFICE",
    "level": "COUNTY",
    "division_code": "139901",
}
_OFFICER = {"name": "新民警", "badge_number": "700001", "warrant_number": "N700001"}


def _subject_body(ids: dict[str, int], **more: Any) -> dict[str, Any]:
    """A valid key security unit in county A, with its kind's own required fields."""
    from oversight.subjects import services as subjects

    own = subjects.kind_fields("KEY_SECURITY_UNIT").own
    attributes = {f.name: f.example for f in own.specs if f.required}
    return {
        "name": "甲县第二中学",
        "credit_code": "9144030071526726XG",
        "agency_id": ids["a"],
        "risk_grade": "B",
        "status": "ACTIVE",
        "attributes": attributes,
    } | more


# Valid bodies, so that what is tested is the permission and the scope, not the validation.
BODIES = {
    "agency_create": lambda ids: _AGENCY | {"parent_id": ids["a"]},
    "agency_update": lambda ids: {"name": "新名称"},
    "officer_transfer": lambda ids: {"agency_id": ids["b"]},
    "subject_create": lambda ids: _subject_body(
        ids, kind="KEY_SECURITY_UNIT", credit_code="91330100799655058B"
    ),
    "subject_update": lambda ids: _subject_body(ids),
    "officer_create": lambda ids: _OFFICER | {"username": "new.officer", "agency_id": ids["a"]},
    "officer_update": lambda ids: _OFFICER | {"agency_id": ids["a"]},
    "qualification_grant": lambda ids: {"regime": "NEIBAO"},
    "unavailability_record": lambda ids: {"kind": "LEAVE", "starts_on": "2099-02-01"},
    "conflict_declare": lambda ids: {
        "subject_id": ids["a_subject"],
        "kind": "RELATIVE",
        "note": "亲属",
    },
    "plan_create": lambda ids: {"year": 2026, "title": "新计划"},
    "plan_update": lambda ids: {"title": "新标题"},
    "plan_return": lambda ids: {"reason": "请补充"},
    "task_add": lambda ids: task_values(subject_ids=[ids["a_plan_subject"]]),
    "task_update": lambda ids: task_values(subject_ids=[ids["a_plan_subject"]]),
    "draw_seed": lambda ids: {"seed": SEED, "source": SOURCE},
    "teams_seed": lambda ids: {"seed": SEED, "source": SOURCE},
}


def _names(resolver: URLResolver, namespace: str) -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            names |= _names(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}")
    return names


def test_every_url_is_in_the_access_matrix():
    resolver = get_resolver()
    declared = {f"web:{n}" for n, *_ in WEB} | {f"api:{n}" for n, *_ in API} | {":healthz"}
    declared |= {f"public:{n}" for n, *_ in PUBLIC}
    routed = _names(resolver, "")
    # ninja names its schema and docs views "openapi-json" and "openapi-view"
    aliases = {"api:openapi-json": "api:openapi", "api:openapi-view": "api:docs"}
    routed = {aliases.get(n, n) for n in routed}
    assert routed - declared == set(), "add these URLs to the access matrix"


@pytest.fixture
def world(city: Any, small_catalog: Any) -> dict[str, Any]:
    from oversight.catalog.services import catalog_load
    from oversight.org.models import Department, Liaison
    from oversight.org.services import liaison_appoint

    version, _ = catalog_load(actor=None, path=small_catalog)
    subject = _subject_in_a(city)
    dept = Department.objects.get(code="TRAFFIC")
    liaison_appoint(
        actor=None, agency_id=city.b.pk, department_id=dept.pk, officer_id=city.b_leader.officer.pk
    )
    token, _raw = token_issue(actor=None, username="a.norole", name="probe")
    activation = activation_request(
        actor=viewer_for(city.sysadmin), user_id=city.a_inspector.user.pk
    )
    people = {
        "sysadmin": city.sysadmin,
        "secadmin": city.secadmin,
        "auditadmin": city.auditadmin,
        "city_leader": city.city_leader.user,
        "a_leader": city.a_leader.user,
        "a_inspector": city.a_inspector.user,
        "a_liaison": city.a_liaison.user,
        "b_viewer": city.b_viewer.user,
        "no_role": city.no_role.user,
    }
    ids = {
        "a": city.a.pk,
        "b": city.b_station.pk,
        "a_officer": city.a_inspector.officer.pk,
        "b_officer": city.b_viewer.officer.pk,
        "user": city.b_viewer.user.pk,
        "token": token.pk,
        "dept": dept.pk,
        "b_liaison": Liaison.objects.get(agency=city.b).pk,
        "version": version.pk,
        "activation": activation.pk,
        "subject": subject.pk,
        "import": _import_of(city.a_inspector.user).pk,
        **pool_world(city),
        **plan_world(city),
        **draw_world(city),
    }
    return {"people": people, "ids": ids, "city": city}


def _import_of(user: Any) -> Any:
    """An import an inspector queued (its file is not needed to show it)."""
    from oversight.core import clock
    from oversight.subjects.models import SubjectImport

    return SubjectImport.objects.create(
        kind="KEY_SECURITY_UNIT",
        actor=user,
        file_name="units.xlsx",
        file_format="xlsx",
        file_size=1,
        file_hash="0" * 64,
        created_at=clock.now(),
    )


def _subject_in_a(city: Any) -> Any:
    """A key security unit in county A's station (a valid credit code, the kind's examples)."""
    from oversight.subjects import services as subjects

    kind = subjects.kind_fields("KEY_SECURITY_UNIT")
    own = {f.name: f.example for f in kind.own.specs if f.required}
    values = {
        "name": "甲县第一中学",
        "credit_code": "9144030071526726XG",
        "agency_id": city.a_station.pk,
        "risk_grade": "C",
        "status": "ACTIVE",
        **own,
    }
    return subjects.subject_create(
        actor=city.city_leader.viewer, kind="KEY_SECURITY_UNIT", values=values
    )


@contextmanager
def rolled_back() -> Iterator[None]:
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _web_client(world: dict[str, Any], persona: str) -> Client:
    return Client() if persona == "anonymous" else client_for(world["people"][persona])


@pytest.mark.parametrize("name, method, path, expected", WEB, ids=[w[0] for w in WEB])
def test_web_access(world, name, method, path, expected):
    url = path.format(**world["ids"])
    got = {}
    for persona in PERSONAS:
        client = _web_client(world, persona)
        data = {"role": "VIEWER", "username": "b.viewer"} if method == "POST" else None
        with rolled_back():  # each persona meets the same state
            response = client.get(url) if method == "GET" else client.post(url, data)
        got[persona] = response.status_code
    assert got == expected


@pytest.mark.parametrize("name, method, path, expected", PUBLIC, ids=[p[0] for p in PUBLIC])
def test_public_access(world, name, method, path, expected):
    url = path.format(**world["ids"])
    got = {p: _web_client(world, p).get(url).status_code for p in PERSONAS}
    assert got == expected


@pytest.mark.parametrize("name, method, path, expected", API, ids=[a[0] for a in API])
def test_api_access(world, name, method, path, expected):
    url = path.format(**world["ids"])
    got = {}
    for persona in PERSONAS:
        headers = {}
        if persona != "anonymous":
            _token, raw = token_issue(actor=None, username=world["people"][persona].username)
            headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
        client = Client()
        body = json.dumps(BODIES[name](world["ids"]) if name in BODIES else {})
        with rolled_back():
            if method == "GET":
                response = client.get(url, **headers)
            else:
                call = {"POST": client.post, "PUT": client.put, "DELETE": client.delete}[method]
                response = call(url, data=body, content_type="application/json", **headers)
        got[persona] = response.status_code
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json", (
                persona,
                response.content,
            )
    assert got == expected


# --- writes naming another jurisdiction's row, or with a body that is not valid ----------------

_JUNK = {"name": "\x00", "kind": "CASTLE", "badge_number": "x", "division_code": 7}
# (name, method, path, body): county A's leader names a row of county B, in the path or in the
# body, and the rest of the body is invalid. Scope is checked first: 404, whatever the body.
FOREIGN_API_WRITES = [
    ("agency_create", "POST", "/api/v1/agencies", lambda ids: _JUNK | {"parent_id": ids["b"]}),
    ("agency_update", "PUT", "/api/v1/agencies/{b}", lambda ids: _JUNK),
    (
        "agency_update_department",
        "PUT",
        "/api/v1/agencies/{a}",
        lambda ids: _JUNK | {"department_id": 999_999},
    ),
    ("agency_deactivate", "POST", "/api/v1/agencies/{b}/deactivate", lambda ids: _JUNK),
    ("officer_create", "POST", "/api/v1/officers", lambda ids: _JUNK | {"agency_id": ids["b"]}),
    ("officer_update", "PUT", "/api/v1/officers/{b_officer}", lambda ids: _JUNK),
    (
        "officer_update_agency",
        "PUT",
        "/api/v1/officers/{a_officer}",
        lambda ids: _JUNK | {"agency_id": ids["b"]},
    ),
    (
        "officer_transfer",
        "POST",
        "/api/v1/officers/{a_officer}/transfer",
        lambda ids: {"agency_id": ids["b"]},
    ),
    ("officer_deactivate", "POST", "/api/v1/officers/{b_officer}/deactivate", lambda ids: _JUNK),
    ("officer_list", "GET", "/api/v1/officers?agency_id={b}&page=-3", None),
    (
        "subject_create",
        "POST",
        "/api/v1/subjects",
        lambda ids: _JUNK | {"kind": "NOPE", "agency_id": ids["b"]},
    ),
    (
        "subject_update_agency",
        "PUT",
        "/api/v1/subjects/{subject}",
        lambda ids: _JUNK | {"agency_id": ids["b"]},
    ),
    ("subject_list", "GET", "/api/v1/subjects?agency_id={b}&after=-1", None),
    (
        "qualification_grant",
        "POST",
        "/api/v1/pool/officers/{b_officer}/qualifications",
        lambda ids: _JUNK,
    ),
    (
        "qualification_revoke",
        "POST",
        "/api/v1/pool/qualifications/{b_qualification}/revoke",
        lambda ids: _JUNK,
    ),
    (
        "unavailability_record",
        "POST",
        "/api/v1/pool/officers/{b_officer}/unavailability",
        lambda ids: _JUNK,
    ),
    (
        "unavailability_end",
        "POST",
        "/api/v1/pool/unavailability/{b_absence}/end",
        lambda ids: _JUNK,
    ),
    ("conflict_end", "POST", "/api/v1/pool/conflicts/{b_conflict}/end", lambda ids: _JUNK),
    ("pool_get", "GET", "/api/v1/pool/regimes/NEIBAO?subject_id={b_subject}&on=x", None),
    ("officer_pool", "GET", "/api/v1/pool/officers/{b_officer}", None),
    ("plan_create", "POST", "/api/v1/plans", lambda ids: _JUNK | {"agency_id": ids["b"]}),
    ("plan_update", "PUT", "/api/v1/plans/{b_plan}", lambda ids: _JUNK),
    ("plan_submit", "POST", "/api/v1/plans/{b_plan}/submit", lambda ids: _JUNK),
    ("plan_approve", "POST", "/api/v1/plans/{b_plan}/approve", lambda ids: _JUNK),
    ("plan_return", "POST", "/api/v1/plans/{b_plan}/return", lambda ids: _JUNK),
    ("plan_publish", "POST", "/api/v1/plans/{b_plan}/publish", lambda ids: _JUNK),
    ("plan_get", "GET", "/api/v1/plans/{b_plan}", None),
    ("task_list", "GET", "/api/v1/plans/{b_plan}/tasks", None),
    ("task_add", "POST", "/api/v1/plans/{b_plan}/tasks", lambda ids: _JUNK),
    ("plan_obligations", "POST", "/api/v1/plans/{b_plan}/obligations", lambda ids: _JUNK),
    (
        "task_add_subject",
        "POST",
        "/api/v1/plans/{a_draft}/tasks",
        lambda ids: _JUNK | {"subject_ids": [ids["a_plan_subject"], ids["b_plan_subject"]]},
    ),
    (
        "task_add_jurisdiction",
        "POST",
        "/api/v1/plans/{a_draft}/tasks",
        lambda ids: _JUNK | {"jurisdiction_ids": [ids["a"], ids["b"]]},
    ),
    ("task_get", "GET", "/api/v1/tasks/{b_task}", None),
    ("task_update", "PUT", "/api/v1/tasks/{b_task}", lambda ids: _JUNK),
    (
        "task_update_subject",
        "PUT",
        "/api/v1/tasks/{a_draft_task}",
        lambda ids: _JUNK | {"subject_ids": [ids["b_plan_subject"]]},
    ),
    ("task_remove", "DELETE", "/api/v1/tasks/{b_task}", None),
    ("draw_get", "GET", "/api/v1/draws/{b_draw}", None),
    ("draw_file", "GET", "/api/v1/draws/{b_draw}/file", None),
    ("draw_commit", "POST", "/api/v1/tasks/{b_random_task}/draws", lambda ids: _JUNK),
    ("draw_seed", "POST", "/api/v1/draws/{b_draw}/seed", lambda ids: _JUNK),
    ("teams_commit", "POST", "/api/v1/tasks/{b_random_task}/teams", lambda ids: _JUNK),
    ("teams_seed", "POST", "/api/v1/tasks/{b_random_task}/teams/seed", lambda ids: _JUNK),
]
# Writes an inspector may make as well as a leader (the registry's, and drafting plans).
DRAFTING = ("subject", "task", "plan_create", "plan_update", "plan_submit", "plan_obligations")


def _api_call(world: dict[str, Any], persona: str, method: str, url: str, body: Any) -> Any:
    headers = {}
    if persona != "anonymous":
        _token, raw = token_issue(actor=None, username=world["people"][persona].username)
        headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    client = Client()
    with rolled_back():
        if method == "GET":
            return client.get(url, **headers)
        call = {"POST": client.post, "PUT": client.put, "DELETE": client.delete}[method]
        return call(url, data=json.dumps(body), content_type="application/json", **headers)


@pytest.mark.parametrize(
    "name, method, path, body", FOREIGN_API_WRITES, ids=[w[0] for w in FOREIGN_API_WRITES]
)
def test_another_countys_id_answers_404_whatever_the_body_holds(world, name, method, path, body):
    url = path.format(**world["ids"])
    data = body(world["ids"]) if body else None
    got = {p: _api_call(world, p, method, url, data).status_code for p in PERSONAS}
    # Who of county A may make the request at all: leaders write the organisation; inspectors
    # also write the subject registry and draft plans; every business role reads.
    writers = {"a_leader", "a_inspector"} if name.startswith(DRAFTING) else {"a_leader"}
    county_a = writers | ({"a_inspector", "a_liaison"} if method == "GET" else set())
    assert {p: got[p] for p in county_a} == dict.fromkeys(county_a, 404)
    not_leaders = ({"a_inspector", "a_liaison", "b_viewer"} - writers) if method != "GET" else set()
    assert {got[p] for p in ADMINS_AND_NO_ROLE | not_leaders} == {403}
    assert got["anonymous"] == 401
    assert got["city_leader"] < 500 and got["b_viewer"] < 500


WITH_BODY = [row for row in API if row[0] in BODIES]


@pytest.mark.parametrize("name, method, path, expected", WITH_BODY, ids=[a[0] for a in WITH_BODY])
def test_an_invalid_body_is_refused_after_permission_and_scope(world, name, method, path, expected):
    url = path.format(**world["ids"])
    got = {
        p: _api_call(world, p, method, url, ["not", "an", "object"]).status_code for p in PERSONAS
    }
    foreign_path = "{b}" in path or "{b_officer}" in path
    refused_before = {
        p: s for p, s in expected.items() if s in (401, 403) or (s == 404 and foreign_path)
    }
    assert {p: got[p] for p in refused_before} == refused_before
    assert {got[p] for p in PERSONAS if p not in refused_before} <= {400, 422}


# Pages: county A's leader posts a form naming county B's row; 404 before the form is read.
FOREIGN_WEB_WRITES = [
    ("/org/agencies/new/", lambda ids: {"parent_id": ids["b"], "name": "\x00"}),
    ("/org/agencies/{b}/edit/", lambda ids: {"name": ""}),
    ("/org/officers/new/", lambda ids: {"agency_id": ids["b"], "badge_number": "x"}),
    ("/org/officers/{a_officer}/edit/", lambda ids: {"agency_id": ids["b"], "name": ""}),
    ("/org/officers/{a_officer}/transfer/", lambda ids: {"agency_id": ids["b"]}),
    ("/org/liaisons/new/", lambda ids: {"agency_id": ids["b"], "badge_number": "x"}),
    ("/org/officers/?agency_id={b}&q=%00", None),
    ("/subjects/new/?kind=KEY_SECURITY_UNIT", lambda ids: {"agency_id": ids["b"], "name": ""}),
    ("/subjects/{subject}/edit/", lambda ids: {"agency_id": ids["b"], "name": ""}),
    ("/subjects/?agency_id={b}&q=%00", None),
    ("/pool/officers/{b_officer}/qualifications/new/", lambda ids: {"regime": "\x00"}),
    ("/pool/officers/{b_officer}/absences/new/", lambda ids: {"kind": "x"}),
    (
        "/pool/officers/{a_officer}/conflicts/new/",
        lambda ids: {"subject_id": ids["b_subject"], "kind": "x"},
    ),
    ("/pool/officers/{a_officer}/conflicts/new/?subject={b_subject}&q=%00", None),
    ("/plans/new/", lambda ids: {"agency_id": ids["b"], "title": ""}),
    ("/plans/{b_plan}/edit/", lambda ids: {"title": ""}),
    ("/plans/{b_plan}/obligations/", lambda ids: {}),
    ("/plans/{b_plan}/return/", lambda ids: {"reason": ""}),
    (
        "/plans/{a_draft}/tasks/new/?regime=NEIBAO",
        lambda ids: {"subject_ids": [ids["a_plan_subject"], ids["b_plan_subject"]], "mode": "x"},
    ),
    (
        "/plans/{a_draft}/tasks/new/?regime=NEIBAO",
        lambda ids: {"jurisdiction_ids": [ids["b"]], "mode": "x"},
    ),
    ("/tasks/{b_task}/edit/?regime=NEIBAO", lambda ids: {"mode": "x"}),
    ("/tasks/{a_draft_task}/edit/", lambda ids: {"subject_ids": [ids["b_plan_subject"]]}),
    ("/tasks/{b_random_task}/draw/", lambda ids: {}),
    ("/draws/{b_draw}/seed/", lambda ids: {"seed": "\x00", "source": ""}),
    ("/tasks/{b_random_task}/teams/", lambda ids: {}),
    ("/tasks/{b_random_task}/teams/seed/", lambda ids: {"seed": "\x00", "source": ""}),
]


@pytest.mark.parametrize("path, body", FOREIGN_WEB_WRITES, ids=[w[0] for w in FOREIGN_WEB_WRITES])
def test_a_form_naming_another_countys_row_answers_404(world, path, body):
    client = client_for(world["people"]["a_leader"])
    url = path.format(**world["ids"])
    with rolled_back():
        response = client.post(url, body(world["ids"])) if body else client.get(url)
    assert response.status_code == 404


# Declaring a conflict is also an officer's own act, so it has rows of its own: who names another
# county's officer or subject gets 404 whatever the body holds; a non-leader naming someone else
# is refused for the role first (403).
FOREIGN_CONFLICTS = [
    ("a_leader", "{a_officer}", lambda ids: _JUNK | {"subject_id": ids["b_subject"]}, 404),
    ("a_inspector", "{a_officer}", lambda ids: _JUNK | {"subject_id": ids["b_subject"]}, 404),
    ("a_leader", "{b_officer}", lambda ids: _JUNK | {"subject_id": ids["a_subject"]}, 404),
    ("a_inspector", "{b_officer}", lambda ids: _JUNK | {"subject_id": ids["b_subject"]}, 403),
    ("a_liaison", "{a_officer}", lambda ids: _JUNK | {"subject_id": ids["b_subject"]}, 403),
]


@pytest.mark.parametrize("persona, officer, body, status", FOREIGN_CONFLICTS)
def test_a_conflict_naming_another_countys_row_answers_404_whatever_the_body(
    world, persona, officer, body, status
):
    ids = world["ids"]
    url = f"/api/v1/pool/officers/{officer}/conflicts".format(**ids)
    assert _api_call(world, persona, "POST", url, body(ids)).status_code == status

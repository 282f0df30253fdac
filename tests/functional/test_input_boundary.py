"""One input boundary for the API and the pages (issue 6, defects 3, 5 and 6).

Each request here broke something before: a 500 on PostgreSQL, a silent clamp, a value stored
that no one could have meant, or an answer that told an outsider which badge numbers exist.
The suite runs on SQLite and on PostgreSQL, so each holds on both.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from oversight.audit.models import AuditEvent
from oversight.catalog.services import catalog_load
from oversight.org.models import Agency, Officer
from oversight.org.services import token_issue


def api(username: str) -> Client:
    _token, raw = token_issue(actor=None, username=username)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _state() -> tuple[int, int, int]:
    return Agency.objects.count(), Officer.objects.count(), AuditEvent.objects.count()


def _new_officer(city, **changes):
    return {
        "username": "new.one",
        "name": "新民警",
        "badge_number": "700200",
        "warrant_number": "W700200",
        "agency_id": city.a_station.pk,
    } | changes


@pytest.mark.parametrize(
    "name",
    ["甲\x00乙", "\u200b", "新\u202e单位", "新\x07单位", "\ufeff新单位", "新\u2028单位", "   "],
)
def test_a_name_with_invisible_or_control_characters_is_refused(city, name):
    client = api("a.leader")
    before = _state()
    response = client.post(
        "/api/v1/officers", json.dumps(_new_officer(city, name=name)), "application/json"
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["name"]
    assert _state() == before


def test_text_is_stored_nfc_normalised_and_trimmed(city):
    decomposed = "  民警e\u0301  "  # e + combining acute
    response = api("a.leader").post(
        "/api/v1/officers", json.dumps(_new_officer(city, name=decomposed)), "application/json"
    )
    assert response.status_code == 201
    assert Officer.objects.get(badge_number="700200").name == "民警\u00e9"


@pytest.mark.parametrize(
    "query",
    ["q=%00", "agency_id=9223372036854775808", "agency_id=-1", "page=0", "page=-1", "page=abc"],
)
def test_a_bad_query_parameter_is_refused_naming_it_not_500(city, query):
    response = api("a.leader").get(f"/api/v1/officers?{query}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == query.split("=")[0]
    assert response["Content-Type"] == "application/problem+json"


def test_a_page_past_the_end_answers_404(city):
    assert api("a.leader").get("/api/v1/officers?page=9223372036854775807").status_code == 404


@pytest.mark.parametrize("path_id", ["9223372036854775808", "99999999999999999999", "0", "1e3"])
def test_an_id_that_cannot_name_a_row_answers_404(city, path_id):
    assert api("a.leader").get(f"/api/v1/agencies/{path_id}").status_code == 404
    page = Client()
    page.force_login(city.a_leader.user)
    assert page.get(f"/org/agencies/{path_id}/").status_code == 404


def test_a_body_over_the_limit_answers_413(city, settings):
    settings.OVERSIGHT_MAX_BODY_BYTES = 1024 * 1024
    body = json.dumps(_new_officer(city, title="x" * (3 * 1024 * 1024)))
    response = api("a.leader").post("/api/v1/officers", body, "application/json")
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_a_body_that_is_not_json_answers_415(city):
    client = api("a.leader")
    before = _state()
    response = client.post(
        "/api/v1/officers", json.dumps(_new_officer(city)), content_type="text/plain"
    )
    assert response.status_code == 415
    assert _state() == before


def test_a_key_given_twice_answers_400(city):
    body = '{"name": "甲", "name": "乙", "badge_number": "700300"}'
    response = api("a.leader").post("/api/v1/officers", body, "application/json")
    assert response.status_code == 400
    assert "name" in response.json()["detail"]


@pytest.mark.parametrize(
    "changes",
    [
        {"qualification_expires_on": 0},  # read as 1970-01-01 before
        {"qualification_expires_on": "2001-05-01", "qualification": "BASIC"},  # already expired
        {"qualification_expires_on": "2030-01-01", "qualification": "NONE"},  # no level to expire
        {"qualification_expires_on": "9999-12-31", "qualification": "BASIC"},
    ],
)
def test_a_date_no_one_could_mean_is_refused_on_its_field(city, changes):
    response = api("a.leader").post(
        "/api/v1/officers", json.dumps(_new_officer(city, **changes)), "application/json"
    )
    assert response.status_code == 422
    body = response.json()
    fields = {e["field"] for e in body.get("errors") or []} | {body.get("field")}
    assert "qualification_expires_on" in fields


def test_validation_messages_are_in_chinese(city):
    response = api("a.leader").post("/api/v1/officers", json.dumps({}), "application/json")
    messages = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert messages["name"] == "此项必填。"
    assert response.json()["title"] == "输入内容无效"


def test_updating_another_countys_officer_says_404_whatever_the_badge(city):
    """Before: 409 "该警号已登记" or 404 depending on the badge sent — an oracle of badges."""
    other = city.b_viewer.officer
    taken = city.a_inspector.officer.badge_number
    for badge in (taken, "799999"):
        body = _new_officer(city, badge_number=badge)
        body.pop("username")
        response = api("a.leader").put(
            f"/api/v1/officers/{other.pk}", json.dumps(body), "application/json"
        )
        assert response.status_code == 404


def test_creating_in_another_county_says_404_whatever_the_badge(city):
    taken = city.b_viewer.officer.badge_number
    for badge in (taken, "799998"):
        body = _new_officer(city, badge_number=badge, agency_id=city.b_station.pk)
        response = api("a.leader").post("/api/v1/officers", json.dumps(body), "application/json")
        assert response.status_code == 404


def test_answers_are_not_stored_by_caches_and_carry_a_permissions_policy(city):
    client = Client()
    client.force_login(city.a_leader.user)
    for response in (client.get("/"), api("a.leader").get("/api/v1/me"), Client().get("/login/")):
        assert response["Cache-Control"] == "no-store"
        assert "microphone=()" in response["Permissions-Policy"]


def test_the_api_docs_load_nothing_from_the_internet(db):
    page = Client().get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "http://" not in page and "https://" not in page


def _string_query_parameters() -> list[tuple[str, str]]:
    """(path, name) of every text query parameter of every GET operation the API documents."""
    from oversight.api.urls import api as ninja_api  # the schema as served at /openapi.json

    found = []
    for path, operations in ninja_api.get_openapi_schema()["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            schema = parameter.get("schema", {})
            types = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
            if parameter["in"] == "query" and "string" in types and "{" not in path:
                found.append((path.removeprefix("/api/v1"), parameter["name"]))
    return found


@pytest.mark.parametrize("value", ["%00", "a%00b", "x" * 5000, "%ED%A0%80"])
def test_no_text_query_parameter_of_any_list_answers_500(city, small_catalog, value):
    catalog_load(actor=None, path=small_catalog)
    parameters = _string_query_parameters()
    assert ("/subjects", "q") in parameters and ("/officers", "q") in parameters
    client = api("a.leader")
    for path, name in parameters:
        response = client.get(f"/api/v1{path}?{name}={value}")
        assert response.status_code in (200, 422), (path, name, response.status_code)

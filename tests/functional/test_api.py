"""The API: bearer tokens, problem+json errors, scoped lists, OpenAPI, health."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oversight.org.models import Agency
from oversight.org.services import token_issue, token_revoke
from tests.conftest import make_agency, make_officer


def auth(username):
    _token, raw = token_issue(actor=None, username=username)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_me_describes_the_token_holder(city):
    body = Client().get("/api/v1/me", **auth("a.inspector")).json()
    assert body["username"] == "a.inspector"
    assert body["roles"] == ["INSPECTOR"]
    assert body["officer"]["badge_number"] == city.a_inspector.officer.badge_number
    assert body["scope_path"] == "CITY/CITY-A/"


def test_a_missing_or_revoked_token_gets_401_problem_json(city):
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401
    token, raw = token_issue(actor=None, username="a.inspector")
    token_revoke(actor=None, token_id=token.pk)
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_a_county_officer_gets_404_for_another_countys_rows(city):
    headers = auth("a.inspector")
    client = Client()
    for url in (f"/api/v1/agencies/{city.b.pk}", f"/api/v1/officers/{city.b_viewer.officer.pk}"):
        response = client.get(url, **headers)
        assert response.status_code == 404
        assert response.json()["title"]
    for url in ("/api/v1/agencies/999999", "/api/v1/officers/999999"):
        assert client.get(url, **headers).status_code == 404


def test_lists_are_scoped_and_paginated(city):
    body = Client().get("/api/v1/agencies", **auth("b.viewer")).json()
    assert {a["code"] for a in body["items"]} == {"CITY-B", "CITY-B-P1"}
    assert body["count"] == 2 and body["page"] == 1 and body["pages"] == 1


def test_invalid_input_is_refused_with_the_field_and_changes_nothing(city):
    before = Agency.objects.count()
    response = Client().post(
        "/api/v1/agencies",
        data=json.dumps(
            {
                "code": "X",
                "name": "",
                "kind": "OFFICE",
                "level": "COUNTY",
                "division_code": "12",
                "parent_id": city.a.pk,
            }
        ),
        content_type="application/json",
        **auth("a.leader"),
    )
    assert response.status_code == 422
    body = response.json()
    fields = {e["field"] for e in body["errors"]}
    assert {"code", "name", "division_code"} <= fields
    assert Agency.objects.count() == before


def test_a_value_outside_the_choices_is_refused_naming_the_field_in_chinese(city):
    response = Client().post(
        "/api/v1/agencies",
        data=json.dumps(
            {"code": "CITY-A-Z", "name": "z", "kind": "CASTLE", "parent_id": city.a.pk}
        ),
        content_type="application/json",
        **auth("a.leader"),
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "kind" and "派出所" in error["message"]


def test_a_rule_of_the_tree_is_problem_json_naming_the_field(city):
    response = Client().post(
        "/api/v1/agencies",
        data=json.dumps(
            {"code": "CITY-B-Z", "name": "z", "kind": "OFFICE", "parent_id": city.a.pk}
        ),
        content_type="application/json",
        **auth("a.leader"),
    )
    assert response.status_code == 422
    assert response.json()["field"] == "code"


def test_malformed_json_is_a_clear_problem(city):
    response = Client().post(
        "/api/v1/agencies", data="{not json", content_type="application/json", **auth("a.leader")
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "请求体不是有效的 JSON（UTF-8）。"


def test_the_openapi_document_lists_the_endpoints(db):
    spec = Client().get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    assert {"/api/v1/me", "/api/v1/agencies", "/api/v1/officers"} <= set(spec["paths"])
    assert "BearerToken" in json.dumps(spec["components"]["securitySchemes"])


def test_healthz_reports_the_database(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.parametrize("url", ["/api/v1/agencies", "/api/v1/officers"])
def test_list_endpoints_run_a_constant_number_of_queries(city, url):
    headers = auth("city.leader")
    client = Client()

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, **headers).status_code == 200
        return len(ctx.captured_queries)

    queries()  # the first use of a token records when it was used (at most every 5 minutes)
    small = queries()
    for i in range(10):
        agency = make_agency(f"CITY-A-Q{i}", f"单位{i}", city.a, kind="OFFICE")
        make_officer(agency, f"q{i}.officer", "VIEWER")
    assert queries() == small

"""The registry's pages and API as a county inspector uses them."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oversight.catalog.services import catalog_load
from oversight.org.services import token_issue
from oversight.subjects import policy, services
from oversight.subjects.models import Subject
from oversight.subjects.selectors import PAGE
from tests.conftest import client_for
from tests.html import every, field_errors, one, texts

KIND = "KEY_SECURITY_UNIT"


@pytest.fixture
def registry(city, small_catalog):
    catalog_load(actor=None, path=small_catalog)
    return city


def credit_code(n: int) -> str:
    body = f"91139901{n:09d}"
    return body + policy.credit_check_character(body)


def own_examples(kind: str = KIND) -> dict:
    return {f.name: f.example for f in services.kind_fields(kind).own.specs if f.required}


def make_subject(registry, n: int, agency=None, **changes) -> Subject:
    values = {
        "name": f"重点单位{n}",
        "credit_code": credit_code(n),
        "agency_id": (agency or registry.a_station).pk,
        "risk_grade": "C",
        "status": "ACTIVE",
        **own_examples(),
    } | changes
    return services.subject_create(actor=registry.city_leader.viewer, kind=KIND, values=values)


def test_a_county_lists_only_its_subjects_and_reads_them_by_key(registry):
    for n in range(PAGE + 5):
        make_subject(registry, n)
    theirs = make_subject(registry, 999, agency=registry.b_station)
    client = client_for(registry.a_inspector.user)
    first = client.get("/subjects/")
    names = texts(first, "tbody td:first-child a")
    assert len(names) == PAGE and theirs.name not in names
    following = client.get(one(first, "a.page-link")["href"].replace("?", "/subjects/?"))
    assert len(texts(following, "tbody td:first-child a")) == 5
    assert client.get(f"/subjects/{theirs.pk}/").status_code == 404


def test_a_bad_filter_says_why(registry):
    response = client_for(registry.a_inspector.user).get("/subjects/", {"q": "\x00"})
    assert response.status_code == 400 and one(response, "[data-testid=filter-error]").text


def test_registering_a_subject_shows_the_kinds_own_fields_and_refuses_a_bad_code(registry):
    client = client_for(registry.a_inspector.user)
    kinds = every(client.get("/subjects/new/"), "main .list-group a")
    assert any(a["href"] == f"?kind={KIND}" for a in kinds)
    assert not any("CUSTODY_FACILITY" in a["href"] for a in kinds)  # follows the organisation
    form = client.get(f"/subjects/new/?kind={KIND}")
    labels = texts(form, "main form label")
    own = services.kind_fields(KIND).own
    assert all(str(spec.label) in labels for spec in own.specs)
    data = {
        "name": "甲县第一中学",
        "credit_code": "9144030071526726XH",
        "agency_id": registry.a_station.pk,
        "risk_grade": "B",
        "status": "ACTIVE",
        **{k: str(v) for k, v in own_examples().items()},
    }
    refused = client.post(f"/subjects/new/?kind={KIND}", data)
    assert len(field_errors(refused, "credit_code")) == 1
    saved = client.post(f"/subjects/new/?kind={KIND}", data | {"credit_code": credit_code(1)})
    subject = Subject.objects.get(credit_code=credit_code(1))
    assert saved["Location"] == f"/subjects/{subject.pk}/"
    page = client.get(saved["Location"])
    assert credit_code(1) in texts(page, "dd .ident")
    assert texts(page, "main table tbody td[data-label]")  # the history


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_runs_a_constant_number_of_queries(registry):
    client = client_for(registry.a_inspector.user)
    _token, raw = token_issue(actor=None, username="a.inspector")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    urls = ["/subjects/", f"/subjects/?kind={KIND}&q=重点", "/api/v1/subjects"]
    make_subject(registry, 0)
    api.get("/api/v1/me")  # the token's first use is recorded once; not a cost of the list
    small = [_queries(c, url) for c, url in zip([client, client, api], urls, strict=True)]
    for n in range(1, 30):
        make_subject(registry, n)
    assert [_queries(c, url) for c, url in zip([client, client, api], urls, strict=True)] == small


def test_the_api_lists_by_key_registers_with_attributes_and_hides_other_counties(registry):
    for n in range(PAGE + 2):
        make_subject(registry, n)
    theirs = make_subject(registry, 998, agency=registry.b_station)
    _token, raw = token_issue(actor=None, username="a.inspector")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    first = api.get("/api/v1/subjects").json()
    second = api.get(f"/api/v1/subjects?after={first['next_after']}").json()
    assert len(first["items"]) == PAGE and len(second["items"]) == 2
    assert second["next_after"] is None
    assert api.get(f"/api/v1/subjects/{theirs.pk}").status_code == 404
    body = {
        "kind": KIND,
        "name": "甲县第二中学",
        "credit_code": credit_code(500),
        "agency_id": registry.a_station.pk,
        "risk_grade": "A",
        "status": "ACTIVE",
        "attributes": own_examples(),
    }
    created = api.post("/api/v1/subjects", json.dumps(body, default=str), "application/json")
    assert created.status_code == 201, created.content
    own = services.kind_fields(KIND).own
    assert set(created.json()["attributes"]) == set(own)  # every own field, empty or not
    foreign = body | {"agency_id": registry.b_station.pk, "name": "\x00"}
    response = api.post("/api/v1/subjects", json.dumps(foreign, default=str), "application/json")
    assert response.status_code == 404
    kinds = {k["code"]: k for k in api.get("/api/v1/subject-kinds").json()}
    assert kinds["CUSTODY_FACILITY"]["follows_organisation"] is True
    assert {f["name"] for f in kinds[KIND]["fields"]} >= {"name", "credit_code", *own_examples()}

"""The inspector pool over the API, as a draw's client and a leader would use it."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oversight.catalog.services import catalog_load
from oversight.org.services import token_issue
from oversight.pool import services
from oversight.pool.models import RegimeQualification
from tests.conftest import make_officer
from tests.pool_builders import REGIME, frozen, make_subject, qualified


@pytest.fixture
def pool(city, small_catalog):
    catalog_load(actor=None, path=small_catalog)
    with frozen():
        yield city


def api(username: str) -> Client:
    _token, raw = token_issue(actor=None, username=username)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(client: Client, url: str, body: dict | None = None):
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_the_pool_of_a_subject_leaves_out_who_must_recuse_and_says_why(pool):
    mine = qualified(pool.a_inspector, pool.a_leader)
    related = qualified(pool.a_liaison, pool.a_leader)
    school = make_subject(pool.a_station, "甲县第一中学")
    bank = make_subject(pool.a_station, "甲县农商银行")
    services.conflict_declare(
        actor=pool.a_inspector.viewer,
        officer_id=mine.pk,
        subject_id=bank.pk,
        kind="FINANCIAL_INTEREST",
        note="持有该行股份",
    )
    services.conflict_declare(
        actor=pool.a_liaison.viewer,
        officer_id=related.pk,
        subject_id=school.pk,
        kind="RELATIVE",
        note="子女在该校就读",
    )
    client = api("a.inspector")
    whole = client.get(f"/api/v1/pool/regimes/{REGIME}").json()
    assert {o["id"] for o in whole["officers"]} == {mine.pk, related.pk}
    assert whole["on"] == "2026-03-02" and whole["regime_title"]
    drawn = client.get(f"/api/v1/pool/regimes/{REGIME}?subject_id={school.pk}").json()
    assert [o["id"] for o in drawn["officers"]] == [mine.pk]
    assert drawn["held_back"] == [
        {"officer": drawn["held_back"][0]["officer"], "reasons": ["recused"]}
    ]
    assert drawn["held_back"][0]["officer"]["id"] == related.pk
    assert client.get("/api/v1/pool/regimes/NOSUCH").status_code == 404


def test_a_leader_grants_revokes_records_and_ends_through_the_api(pool):
    client = api("a.leader")
    officer = pool.a_inspector.officer.pk
    granted = post(client, f"/api/v1/pool/officers/{officer}/qualifications", {"regime": REGIME})
    assert granted.status_code == 201
    assert (granted.json()["state"], granted.json()["starts_on"]) == ("holds", "2026-03-02")
    twice = post(client, f"/api/v1/pool/officers/{officer}/qualifications", {"regime": REGIME})
    assert (twice.status_code, twice.json()["field"]) == (409, "regime")
    revoked = post(client, f"/api/v1/pool/qualifications/{granted.json()['id']}/revoke")
    assert (revoked.status_code, revoked.json()["state"]) == (200, "ended")
    assert (
        post(client, f"/api/v1/pool/qualifications/{granted.json()['id']}/revoke").status_code
        == 409
    )
    away = post(
        client,
        f"/api/v1/pool/officers/{officer}/unavailability",
        {"kind": "SECONDMENT", "starts_on": "2026-03-10", "ends_on": "2026-03-01"},
    )
    assert (away.status_code, away.json()["field"]) == (422, "ends_on")
    away = post(
        client,
        f"/api/v1/pool/officers/{officer}/unavailability",
        {"kind": "SECONDMENT", "starts_on": "2026-03-10"},
    )
    assert (away.status_code, away.json()["state"]) == (201, "pending")
    ended = post(client, f"/api/v1/pool/unavailability/{away.json()['id']}/end")
    assert ended.json()["ended_on"] == "2026-03-02"
    records = client.get(f"/api/v1/pool/officers/{officer}").json()
    assert [q["state"] for q in records["qualifications"]] == ["ended"]
    assert [u["kind"] for u in records["unavailability"]] == ["SECONDMENT"]


def test_a_leader_cannot_grant_to_themself_and_learns_why(pool):
    leader = pool.a_leader.officer.pk
    refused = post(
        api("a.leader"), f"/api/v1/pool/officers/{leader}/qualifications", {"regime": REGIME}
    )
    assert refused.status_code == 409 and refused.json()["detail"]
    assert not RegimeQualification.objects.exists()


def test_an_officer_declares_their_own_conflict_and_reads_their_records(pool):
    me = pool.a_inspector.officer.pk
    school = make_subject(pool.a_station, "甲县第一中学")
    client = api("a.inspector")
    body = {"subject_id": school.pk, "kind": "FORMER_EMPLOYMENT", "starts_on": "2019-09-01"}
    missing_note = post(client, f"/api/v1/pool/officers/{me}/conflicts", body)
    assert missing_note.status_code == 422
    declared = post(
        client, f"/api/v1/pool/officers/{me}/conflicts", body | {"note": "曾任该校教师"}
    )
    assert declared.status_code == 201 and declared.json()["subject_id"] == school.pk
    assert (
        client.get(f"/api/v1/pool/officers/{me}").json()["conflicts"][0]["note"] == "曾任该校教师"
    )
    ending = post(client, f"/api/v1/pool/conflicts/{declared.json()['id']}/end")
    assert ending.status_code == 403  # ending is a leader's, never one's own


def test_the_pool_endpoint_runs_a_constant_number_of_queries(pool):
    client = api("city.leader")
    qualified(pool.a_inspector, pool.a_leader)
    subject = make_subject(pool.a_station, "甲县第一中学")
    url = f"/api/v1/pool/regimes/{REGIME}?subject_id={subject.pk}"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    queries()  # the first use of a token records when it was used
    small = queries()
    for n in range(8):
        person = make_officer(pool.a_station, f"q{n}", "INSPECTOR")
        qualified(person, pool.a_leader)
        services.conflict_declare(
            actor=pool.a_leader.viewer,
            officer_id=person.officer.pk,
            subject_id=subject.pk,
            kind="OTHER",
            note="x",
        )
    assert queries() == small

"""No ordinary edit changes anyone's scope (issue 6, defect 1).

A user's scope is the bureau above their agency. Every business role that may write (the
leaders) edits every writable field of every agency and officer it may write, and creates
agencies of every kind and level under every agency it sees, through the pages and through the
API, with every value each field can take; after each request, every user's scope is what it
was. Only a transfer (its own operation, tested in test_agency_tree.py) moves a person's scope.
"""

from __future__ import annotations

import itertools
import json

import pytest
from django.test import Client

from oversight.org.models import Agency, AgencyKind, AgencyLevel, Department, Officer, User
from oversight.org.scope import viewer_for
from oversight.org.services import token_issue
from tests.conftest import client_for

DIVISIONS = ["139900", "139901", "139902", "110000"]


def _scopes() -> dict[str, str | None]:
    return {u.username: viewer_for(u).scope_path for u in User.objects.order_by("pk")}


class Probe:
    """Send one edit by page and by API, then check that every scope is as it was."""

    def __init__(self, leader: User, expected: dict[str, str | None]) -> None:
        self.page = client_for(leader)
        _token, raw = token_issue(actor=None, username=leader.username)
        self.api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        self.expected = expected
        self.sent = 0

    def send(self, page_url: str, api_url: str, body: dict, method: str = "put") -> None:
        self.page.post(page_url, {k: "" if v is None else v for k, v in body.items()})
        call = self.api.put if method == "put" else self.api.post
        call(api_url, data=json.dumps(body), content_type="application/json")
        self.sent += 2
        assert _scopes() == self.expected, (page_url, body)


def _agency_bodies(agency: Agency, departments: list[int | None]):
    base = {
        "name": agency.name,
        "kind": agency.kind,
        "level": agency.level,
        "division_code": agency.division_code,
        "department_id": agency.department_id,
    }
    for kind in AgencyKind.values:
        yield base | {"kind": kind}
    for level in AgencyLevel.values:
        yield base | {"level": level}
    for division in DIVISIONS:
        yield base | {"division_code": division}
    for department in departments:
        yield base | {"department_id": department}


def _officer_bodies(officer: Officer, agencies: list[int], departments: list[int | None]):
    base = {
        "name": officer.name,
        "badge_number": officer.badge_number,
        "warrant_number": officer.warrant_number,
        "agency_id": officer.agency_id,
        "department_id": officer.department_id,
        "title": officer.title,
        "phone": officer.phone,
        "qualification": officer.qualification,
        "qualification_expires_on": None,
    }
    for agency in agencies:
        yield base | {"agency_id": agency}
    for department in departments:
        yield base | {"department_id": department}
    for level in ("NONE", "BASIC", "ADVANCED"):
        yield base | {"qualification": level}


@pytest.mark.parametrize("leader", ["a_leader", "city_leader"])
def test_no_edit_by_page_or_api_changes_anyones_scope(city, leader):
    person = getattr(city, leader)
    probe = Probe(person.user, _scopes())
    departments: list[int | None] = [None, Department.objects.values_list("pk", flat=True)[0]]
    visible = [
        a for a in Agency.objects.order_by("path") if a.path.startswith(person.viewer.scope_path)
    ]
    every_agency = list(Agency.objects.values_list("pk", flat=True))

    for agency in visible:
        for body in _agency_bodies(agency, departments):
            probe.send(f"/org/agencies/{agency.pk}/edit/", f"/api/v1/agencies/{agency.pk}", body)
    for officer in Officer.objects.filter(agency__in=visible):
        for body in _officer_bodies(officer, every_agency, departments):
            probe.send(f"/org/officers/{officer.pk}/edit/", f"/api/v1/officers/{officer.pk}", body)
    for n, (parent, kind, level) in enumerate(
        itertools.product(visible, AgencyKind.values, AgencyLevel.values)
    ):
        body = {
            "code": f"{parent.code}-X{n}",
            "name": f"新设{n}",
            "kind": kind,
            "level": level,
            "division_code": parent.division_code,
            "parent_id": parent.pk,
        }
        probe.send("/org/agencies/new/", "/api/v1/agencies", body, method="post")
    assert probe.sent > 100  # the probe really ran


def test_a_county_leaders_own_bureau_cannot_become_a_station_by_api(city):
    _token, raw = token_issue(actor=None, username="a.leader")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = {
        "name": "甲县公安局",
        "kind": "POLICE_STATION",
        "level": "COUNTY",
        "division_code": "139901",
    }
    response = Client().put(
        f"/api/v1/agencies/{city.a.pk}", json.dumps(body), "application/json", **headers
    )
    assert response.status_code == 422 and response.json()["field"] == "kind"
    me = Client().get("/api/v1/me", **headers).json()
    assert me["scope_path"] == "CITY/CITY-A/"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "BUREAU", "level": "CITY", "division_code": "139901"}, "kind"),
        ({"kind": "OFFICE", "level": "CITY", "division_code": "139901"}, "level"),
        ({"kind": "OFFICE", "level": "COUNTY", "division_code": "139902"}, "division_code"),
        ({"kind": "OFFICE", "level": "COUNTY", "code": "CITY-B-X"}, "code"),
    ],
)
def test_a_county_leader_cannot_found_what_does_not_belong_under_its_county(city, body, field):
    _token, raw = token_issue(actor=None, username="a.leader")
    data = {"code": "CITY-A-X", "name": "新设", "parent_id": city.a.pk} | body
    response = Client().post(
        "/api/v1/agencies",
        json.dumps(data),
        "application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 422 and response.json()["field"] == field
    assert not Agency.objects.filter(name="新设").exists()

"""Organisation pages as a leader would use them; bad input shows the rule and changes nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.audit.models import AuditEvent
from oversight.org.models import Agency, Officer
from tests.conftest import client_for, make_agency, make_officer


def test_a_leader_creates_an_agency_through_the_form(city):
    client = client_for(city.a_leader.user)
    response = client.post(
        "/org/agencies/new/",
        {
            "code": "CITY-A-P2",
            "name": "甲县新华派出所",
            "kind": "POLICE_STATION",
            "level": "COUNTY",
            "division_code": "139901",
            "parent": city.a.pk,
        },
    )
    agency = Agency.objects.get(code="CITY-A-P2")
    assert response.status_code == 302 and response["Location"] == f"/org/agencies/{agency.pk}/"
    assert agency.parent_id == city.a.pk


def test_a_parent_outside_the_scope_is_not_offered_and_is_refused(city):
    client = client_for(city.a_leader.user)
    form = client.get("/org/agencies/new/").content.decode()
    assert "甲县公安局" in form and "乙县公安局" not in form
    before = Agency.objects.count()
    response = client.post(
        "/org/agencies/new/",
        {
            "code": "X-1",
            "name": "x",
            "kind": "OFFICE",
            "level": "COUNTY",
            "division_code": "139901",
            "parent": city.b.pk,
        },
    )
    assert response.status_code == 200  # the form refuses a choice it did not offer
    assert Agency.objects.count() == before


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("division_code", "1234", "130602"),
        ("code", "bad code", "hyphens"),
        ("name", "甲县城关派出所", "sibling"),
    ],
)
def test_bad_agency_input_is_shown_and_changes_nothing(city, field, value, message, settings):
    settings.LANGUAGE_CODE = "en"
    client = client_for(city.a_leader.user)
    data = {
        "code": "CITY-A-P3",
        "name": "新单位",
        "kind": "OFFICE",
        "level": "COUNTY",
        "division_code": "139901",
        "parent": city.a.pk,
    } | {field: value}
    before = (Agency.objects.count(), AuditEvent.objects.count())
    response = client.post("/org/agencies/new/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Agency.objects.count(), AuditEvent.objects.count()) == before


def test_a_leader_registers_and_deactivates_an_officer(city):
    client = client_for(city.a_leader.user)
    response = client.post(
        "/org/officers/new/",
        {
            "username": "a.new",
            "name": "新民警",
            "badge_number": "700100",
            "warrant_number": "W700100",
            "agency": city.a_station.pk,
            "qualification": "BASIC",
        },
    )
    officer = Officer.objects.get(badge_number="700100")
    assert response["Location"] == f"/org/officers/{officer.pk}/"
    assert not officer.user.has_usable_password()  # the system administrator sets it
    client.post(f"/org/officers/{officer.pk}/deactivate/")
    officer.refresh_from_db()
    assert not officer.active and not officer.user.is_active


def test_an_officer_of_another_county_answers_404_in_the_ui(city):
    client = client_for(city.a_leader.user)
    assert client.get(f"/org/officers/{city.b_viewer.officer.pk}/").status_code == 404
    assert client.get(f"/org/officers/{city.b_viewer.officer.pk}/edit/").status_code == 404
    assert client.post(f"/org/officers/{city.b_viewer.officer.pk}/deactivate/").status_code == 404
    assert Officer.objects.get(pk=city.b_viewer.officer.pk).active


def test_lists_do_not_show_another_countys_rows(city):
    client = client_for(city.b_viewer.user)
    agencies = client.get("/org/agencies/").content.decode()
    officers = client.get("/org/officers/").content.decode()
    assert "乙县城关派出所" in agencies and "甲县" not in agencies
    assert city.b_leader.officer.badge_number in officers
    assert city.a_inspector.officer.badge_number not in officers


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/org/agencies/", "/org/officers/", "/org/liaisons/", "/org/departments/"]
)
def test_list_pages_run_a_constant_number_of_queries(city, url):
    from oversight.org.models import Department
    from oversight.org.services import liaison_appoint

    liaison_appoint(
        actor=None,
        agency_id=city.b.pk,
        department_id=Department.objects.get(code="LEGAL").pk,
        officer_id=city.b_leader.officer.pk,
    )
    client = client_for(city.city_leader.user)
    small = _queries(client, url)
    for i in range(12):
        agency = make_agency(f"CITY-N{i}", f"新单位{i}", city.a, kind="OFFICE")
        make_officer(agency, f"n{i}.officer", "VIEWER", department="TRAFFIC")

    for code in ("TRAFFIC", "CYBER", "LEGAL"):
        liaison_appoint(
            actor=None,
            agency_id=city.a.pk,
            department_id=Department.objects.get(code=code).pk,
            officer_id=city.a_leader.officer.pk,
        )
    assert _queries(client, url) == small


def test_detail_pages_run_a_constant_number_of_queries(city):
    client = client_for(city.city_leader.user)
    url = f"/org/agencies/{city.a_station.pk}/"
    small = _queries(client, url)
    for i in range(8):
        make_officer(city.a_station, f"s{i}.officer", "VIEWER", department="TRAFFIC")
        make_agency(f"CITY-A-P1-{i}", f"警务室{i}", city.a_station, kind="OFFICE")
    assert _queries(client, url) == small


def test_the_audit_page_searches_events(city):
    client = client_for(city.auditadmin)
    client_for(city.a_leader.user).post(f"/org/agencies/{city.a_station.pk}/deactivate/")
    page = client.get("/audit/", {"q": "agency.create"}).content.decode()
    assert "agency.create" in page
    assert client.post("/audit/verify/").status_code == 200


def test_the_audit_page_refuses_a_bad_date_and_still_answers(city):
    response = client_for(city.auditadmin).get("/audit/", {"since": "not-a-date"})
    assert response.status_code == 200

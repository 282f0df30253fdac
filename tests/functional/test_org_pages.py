"""Organisation pages as a leader would use them; bad input shows the rule and changes nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.audit.models import AuditEvent
from oversight.org.models import Agency, Department, Liaison, Officer
from oversight.org.services import liaison_appoint
from tests.conftest import client_for, make_agency, make_officer
from tests.html import every, field_errors, one, texts

NEW_STATION = {
    "code": "CITY-A-P2",
    "name": "甲县新华派出所",
    "kind": "POLICE_STATION",
    "division_code": "",
}


def test_a_leader_creates_an_agency_through_the_form(city):
    client = client_for(city.a_leader.user)
    response = client.post("/org/agencies/new/", NEW_STATION | {"parent_id": city.a.pk})
    agency = Agency.objects.get(code="CITY-A-P2")
    assert response.status_code == 302 and response["Location"] == f"/org/agencies/{agency.pk}/"
    assert (agency.parent_id, agency.level, agency.division_code) == (city.a.pk, "COUNTY", "139901")


def test_the_parent_list_offers_only_agencies_in_scope(city):
    client = client_for(city.a_leader.user)
    offered = texts(client.get("/org/agencies/new/"), "select[name=parent_id] option")
    assert "甲县公安局" in offered and "甲县城关派出所" in [o.strip("　") for o in offered]
    assert not any("乙县" in o for o in offered)


def test_a_parent_outside_the_scope_answers_404_whatever_the_form_holds(city):
    client = client_for(city.a_leader.user)
    before = (Agency.objects.count(), AuditEvent.objects.count())
    response = client.post(
        "/org/agencies/new/", {"code": "", "name": "", "kind": "CASTLE", "parent_id": city.b.pk}
    )
    assert response.status_code == 404
    assert (Agency.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    "field, value",
    [
        ("division_code", "1234"),
        ("code", "bad code"),
        ("code", "CITY-B-P9"),  # does not follow the parent's code
        ("name", "甲县城关派出所"),  # a sibling has it
        ("name", "\u200b"),  # only a zero-width space
        ("name", "新\u202e单位"),  # a right-to-left override
        ("name", "新\x07单位"),
        ("kind", "BUREAU"),  # a county cannot found a bureau
        ("division_code", "139902"),  # another county's area
    ],
)
def test_bad_agency_input_is_shown_on_its_field_and_changes_nothing(city, field, value):
    client = client_for(city.a_leader.user)
    data = {
        "code": "CITY-A-P3",
        "name": "新单位",
        "kind": "OFFICE",
        "division_code": "139901",
        "parent_id": city.a.pk,
    } | {field: value}
    before = (Agency.objects.count(), AuditEvent.objects.count())
    response = client.post("/org/agencies/new/", data)
    assert response.status_code == 200
    assert len(field_errors(response, field)) == 1
    assert (Agency.objects.count(), AuditEvent.objects.count()) == before


def test_the_edit_form_of_ones_own_bureau_has_no_kind_or_division(city):
    client = client_for(city.a_leader.user)
    page = client.get(f"/org/agencies/{city.a.pk}/edit/")
    assert every(page, "[name=kind]") == [] and every(page, "[name=division_code]") == []
    response = client.post(
        f"/org/agencies/{city.a.pk}/edit/",
        {"name": "甲县公安局", "kind": "POLICE_STATION", "division_code": "139902"},
    )
    assert response.status_code == 302
    city.a.refresh_from_db()
    assert (city.a.kind, city.a.division_code) == ("BUREAU", "139901")


def test_a_unit_below_ones_bureau_changes_kind_but_never_becomes_a_bureau(city):
    client = client_for(city.a_leader.user)
    url = f"/org/agencies/{city.a_station.pk}/edit/"
    kinds = [o["value"] for o in every(client.get(url), "select[name=kind] option")]
    assert "OFFICE" in kinds and "BUREAU" not in kinds
    name = city.a_station.name
    client.post(url, {"name": name, "kind": "OFFICE", "division_code": "139901"})
    refused = client.post(url, {"name": name, "kind": "BUREAU", "division_code": "139901"})
    assert field_errors(refused, "kind")
    city.a_station.refresh_from_db()
    assert city.a_station.kind == "OFFICE"


def test_a_leader_registers_an_officer_and_deactivates_after_confirming(city):
    client = client_for(city.a_leader.user)
    response = client.post(
        "/org/officers/new/",
        {
            "username": "a.new",
            "name": "新民警",
            "badge_number": "700100",
            "warrant_number": "W700100",
            "agency_id": city.a_station.pk,
            "qualification": "BASIC",
        },
    )
    officer = Officer.objects.get(badge_number="700100")
    assert response["Location"] == f"/org/officers/{officer.pk}/"
    assert not officer.user.has_usable_password()
    url = f"/org/officers/{officer.pk}/deactivate/"
    question = client.get(url)
    assert one(question, "main form button[type=submit]").text == "停用"
    officer.refresh_from_db()
    assert officer.active  # asking changes nothing
    client.post(url)
    officer.refresh_from_db()
    assert not officer.active and not officer.user.is_active


def test_a_refused_deactivation_says_why(city):
    client = client_for(city.city_leader.user)
    response = client.post(f"/org/agencies/{city.a.pk}/deactivate/", follow=True)
    assert one(response, ".alert-danger").text.strip()
    assert Agency.objects.get(pk=city.a.pk).active


@pytest.mark.parametrize(
    "field, value",
    [
        ("qualification_expires_on", "2001-05-01"),  # already expired
        ("qualification_expires_on", "0"),
        ("badge_number", "12345"),
        ("name", "　"),
    ],
)
def test_bad_officer_input_is_refused_on_its_field(city, field, value):
    client = client_for(city.a_leader.user)
    officer = city.a_inspector.officer
    data = {
        "name": officer.name,
        "badge_number": officer.badge_number,
        "warrant_number": officer.warrant_number,
        "agency_id": officer.agency_id,
        "qualification": "BASIC",
        "qualification_expires_on": "2030-01-01",
    } | {field: value}
    response = client.post(f"/org/officers/{officer.pk}/edit/", data)
    assert len(field_errors(response, field)) == 1
    officer.refresh_from_db()
    assert officer.qualification == "NONE"


def test_an_expired_qualification_is_marked_expired(city):
    Officer.objects.filter(pk=city.a_inspector.officer.pk).update(
        qualification="BASIC", qualification_expires_on="2001-05-01"
    )
    page = client_for(city.a_leader.user).get(f"/org/officers/{city.a_inspector.officer.pk}/")
    assert one(page, "[data-testid=qualification-expired]")


def test_an_officer_of_another_county_answers_404_in_the_ui(city):
    client = client_for(city.a_leader.user)
    assert client.get(f"/org/officers/{city.b_viewer.officer.pk}/").status_code == 404
    assert client.get(f"/org/officers/{city.b_viewer.officer.pk}/edit/").status_code == 404
    assert client.post(f"/org/officers/{city.b_viewer.officer.pk}/deactivate/").status_code == 404
    assert Officer.objects.get(pk=city.b_viewer.officer.pk).active


def test_lists_show_only_the_viewers_county(city):
    client = client_for(city.b_viewer.user)
    agencies = texts(client.get("/org/agencies/"), "tbody td:first-child a")
    badges = texts(client.get("/org/officers/"), "tbody .ident")
    assert "乙县城关派出所" in agencies and not any("甲县" in a for a in agencies)
    assert city.b_leader.officer.badge_number in badges
    assert city.a_inspector.officer.badge_number not in badges


@pytest.mark.parametrize(
    "query",
    [{"q": "\x00"}, {"agency_id": "²"}, {"agency_id": "99999999999999999999"}, {"page": "-1"}],
)
def test_a_bad_filter_answers_400_with_its_reason(city, query):
    response = client_for(city.a_leader.user).get("/org/officers/", query)
    assert response.status_code == 400
    if "page" not in query:
        assert one(response, "[data-testid=filter-error]").text


def test_a_filter_naming_another_countys_agency_answers_404(city):
    response = client_for(city.a_leader.user).get("/org/officers/", {"agency_id": city.b.pk})
    assert response.status_code == 404


def test_a_page_past_the_end_answers_404(city):
    assert client_for(city.a_leader.user).get("/org/officers/", {"page": 99}).status_code == 404


def test_ending_a_liaison_asks_first_and_an_ended_one_cannot_be_ended_again(city):
    liaison = liaison_appoint(
        actor=None,
        agency_id=city.a.pk,
        department_id=Department.objects.get(code="LEGAL").pk,
        officer_id=city.a_liaison.officer.pk,
    )
    client = client_for(city.a_leader.user)
    url = f"/org/liaisons/{liaison.pk}/end/"
    assert one(client.get(url), "[data-testid=consequence]").text
    client.post(url)
    assert not Liaison.objects.get(pk=liaison.pk).active
    again = client.post(url, follow=True)
    assert one(again, ".alert-danger")


def test_cancel_goes_back_to_the_page_the_user_came_from(city):
    client = client_for(city.a_leader.user)
    came_from = f"http://testserver/org/agencies/{city.a.pk}/"
    page = client.get("/org/officers/new/", HTTP_REFERER=came_from)
    assert one(page, "form a.btn-link")["href"] == came_from


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url", ["/org/agencies/", "/org/officers/", "/org/liaisons/", "/org/departments/"]
)
def test_list_pages_run_a_constant_number_of_queries(city, url):
    legal = Department.objects.get(code="LEGAL").pk
    liaison_appoint(
        actor=None, agency_id=city.b.pk, department_id=legal, officer_id=city.b_leader.officer.pk
    )
    client = client_for(city.city_leader.user)
    small = _queries(client, url)
    for i in range(12):
        agency = make_agency(f"CITY-A-N{i}", f"新单位{i}", city.a, kind="OFFICE")
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

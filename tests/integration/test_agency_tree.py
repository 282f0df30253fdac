"""The tree decides levels and scopes; only a transfer moves a person's scope (issue 6)."""

from __future__ import annotations

import pytest

from oversight.audit.models import AuditEvent
from oversight.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from oversight.org import services
from oversight.org.models import Agency, Liaison, Officer
from oversight.org.models import Department as Dept


def test_the_level_comes_from_the_tree_not_from_the_caller(city):
    station = services.agency_create(
        actor=city.a_leader.viewer,
        code="CITY-A-P7",
        name="新站",
        kind="POLICE_STATION",
        parent_id=city.a.pk,
    )
    assert (station.level, station.division_code) == ("COUNTY", city.a.division_code)


def test_only_the_city_founds_a_county_bureau(city):
    bureau = services.agency_create(
        actor=city.city_leader.viewer,
        code="CITY-C",
        name="丙县公安局",
        kind="BUREAU",
        division_code="139903",
        parent_id=city.root.pk,
    )
    assert bureau.level == "COUNTY"
    with pytest.raises(DomainError) as refused:
        services.agency_create(
            actor=city.a_leader.viewer,
            code="CITY-A-B",
            name="分局",
            kind="BUREAU",
            division_code="139901",
            parent_id=city.a.pk,
        )
    assert refused.value.field == "kind"


def test_a_county_bureau_lies_in_the_citys_prefecture(city):
    with pytest.raises(DomainError) as refused:
        services.agency_create(
            actor=city.city_leader.viewer,
            code="CITY-Z",
            name="外市公安局",
            kind="BUREAU",
            division_code="110101",
            parent_id=city.root.pk,
        )
    assert refused.value.field == "division_code"


def test_a_leader_reshapes_units_below_but_not_its_own_bureau(city):
    services.agency_update(
        actor=city.a_leader.viewer,
        agency_id=city.a_station.pk,
        name=city.a_station.name,
        department_id=None,
        kind="OFFICE",
    )
    assert Agency.objects.get(pk=city.a_station.pk).kind == "OFFICE"
    with pytest.raises(DomainError) as refused:
        services.agency_update(
            actor=city.a_leader.viewer,
            agency_id=city.a.pk,
            name=city.a.name,
            department_id=None,
            division_code="139909",
        )
    assert refused.value.field == "division_code"


def test_the_city_cannot_turn_a_county_bureau_into_a_unit(city):
    with pytest.raises(DomainError) as refused:
        services.agency_update(
            actor=city.city_leader.viewer,
            agency_id=city.a.pk,
            name=city.a.name,
            department_id=None,
            kind="OFFICE",
        )
    assert refused.value.field == "kind"
    assert Agency.objects.get(pk=city.a.pk).kind == "BUREAU"


def test_an_edit_that_changes_nothing_records_nothing(city):
    before = AuditEvent.objects.count()
    services.agency_update(
        actor=city.a_leader.viewer,
        agency_id=city.a_station.pk,
        name=city.a_station.name,
        department_id=None,
    )
    assert AuditEvent.objects.count() == before


def test_deactivating_twice_says_so(city):
    empty = services.agency_create(
        actor=None, code="CITY-A-E", name="空单位", kind="OFFICE", parent_id=city.a.pk
    )
    services.agency_set_active(actor=city.a_leader.viewer, agency_id=empty.pk, active=False)
    with pytest.raises(Conflict):
        services.agency_set_active(actor=city.a_leader.viewer, agency_id=empty.pk, active=False)


def _move(actor, officer, agency):
    data = {
        name: getattr(officer, name)
        for name in (
            "name",
            "badge_number",
            "warrant_number",
            "department_id",
            "title",
            "phone",
            "qualification",
            "qualification_expires_on",
        )
    }
    return services.officer_update(actor=actor, officer_id=officer.pk, agency_id=agency.pk, **data)


def test_an_edit_moves_an_officer_only_within_the_bureau(city):
    officer = city.a_inspector.officer
    _move(city.city_leader.viewer, officer, city.a)
    with pytest.raises(DomainError) as refused:
        _move(city.city_leader.viewer, Officer.objects.get(pk=officer.pk), city.b)
    assert refused.value.field == "agency_id"


def test_no_one_edits_their_own_record(city):
    with pytest.raises(DomainError):
        _move(city.a_leader.viewer, city.a_leader.officer, city.a_station)


def test_a_transfer_by_the_city_moves_the_scope_and_ends_liaisons(city):
    officer = city.a_liaison.officer
    services.liaison_appoint(
        actor=None,
        agency_id=city.a.pk,
        department_id=Dept.objects.get(code="LEGAL").pk,
        officer_id=officer.pk,
    )
    services.officer_transfer(
        actor=city.city_leader.viewer, officer_id=officer.pk, agency_id=city.b_station.pk
    )
    assert city.a_liaison.viewer.scope_path == city.b.path
    assert not Liaison.objects.filter(officer=officer, active=True).exists()
    event = AuditEvent.objects.filter(action="officer.transfer").get()
    assert event.summary["after"] == {"agency_id": city.b_station.pk}


def test_a_county_cannot_transfer_out_and_no_one_transfers_themselves(city):
    with pytest.raises(NotFound):
        services.officer_transfer(
            actor=city.a_leader.viewer,
            officer_id=city.a_inspector.officer.pk,
            agency_id=city.b_station.pk,
        )
    with pytest.raises(DomainError):
        services.officer_transfer(
            actor=city.city_leader.viewer,
            officer_id=city.city_leader.officer.pk,
            agency_id=city.b.pk,
        )
    with pytest.raises(PermissionDenied):
        services.officer_transfer(
            actor=city.a_inspector.viewer,
            officer_id=city.a_liaison.officer.pk,
            agency_id=city.a.pk,
        )


def test_a_transfer_within_the_bureau_is_refused_as_an_edit(city):
    with pytest.raises(DomainError) as refused:
        services.officer_transfer(
            actor=city.city_leader.viewer,
            officer_id=city.a_inspector.officer.pk,
            agency_id=city.a.pk,
        )
    assert refused.value.field == "agency_id"

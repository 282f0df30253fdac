"""Organisation services: validation, scope, separation of duties, audit, nothing half-written."""

import pytest
from django.utils import translation

from oversight.audit.models import AuditEvent
from oversight.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from oversight.org import selectors, services
from oversight.org.models import Agency, Liaison, Officer, RoleGrant, User


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English (the msgids); the UI default is zh-Hans."""
    with translation.override("en"):
        yield


def counts():
    return (
        Agency.objects.count(),
        Officer.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_leader_creates_a_sub_unit_inside_their_county_with_an_audit_event(city):
    agency = services.agency_create(
        actor=city.a_leader.viewer,
        code="city-a-p2",
        name="甲县新华派出所",
        kind="POLICE_STATION",
        level="COUNTY",
        division_code="139901",
        parent_id=city.a.pk,
    )
    assert agency.code == "CITY-A-P2"
    assert agency.path == "CITY/CITY-A/CITY-A-P2/"
    assert agency.depth == 2
    event = AuditEvent.objects.get(action="agency.create", object_id=str(agency.pk))
    assert event.actor_id == city.a_leader.user.pk
    assert event.summary["after"]["name"] == "甲县新华派出所"


def test_a_leader_cannot_create_under_another_county_and_learns_nothing(city):
    before = counts()
    with pytest.raises(NotFound):
        services.agency_create(
            actor=city.a_leader.viewer,
            code="X-1",
            name="x",
            kind="OFFICE",
            level="COUNTY",
            division_code="139901",
            parent_id=city.b.pk,
        )
    assert counts() == before


@pytest.mark.parametrize(
    "field, value",
    [
        ("code", "bad code!"),
        ("name", "  "),
        ("kind", "CASTLE"),
        ("level", "GALAXY"),
        ("division_code", "12345"),
    ],
)
def test_bad_agency_input_is_refused_naming_the_field_and_changes_nothing(city, field, value):
    values = {
        "code": "CITY-A-P9",
        "name": "新单位",
        "kind": "OFFICE",
        "level": "COUNTY",
        "division_code": "139901",
    } | {field: value}
    before = counts()
    with pytest.raises(DomainError) as caught:
        services.agency_create(actor=city.a_leader.viewer, parent_id=city.a.pk, **values)
    assert caught.value.field == field
    assert counts() == before


def test_duplicate_codes_and_sibling_names_conflict(city):
    common = {
        "kind": "OFFICE",
        "level": "COUNTY",
        "division_code": "139901",
        "parent_id": city.a.pk,
    }
    with pytest.raises(Conflict):
        services.agency_create(actor=city.a_leader.viewer, code="CITY-A-P1", name="z", **common)
    with pytest.raises(Conflict):
        services.agency_create(
            actor=city.a_leader.viewer, code="CITY-A-Z", name="甲县城关派出所", **common
        )


def test_only_leaders_write_the_organisation(city):
    with pytest.raises(PermissionDenied):
        services.agency_update(
            actor=city.a_inspector.viewer,
            agency_id=city.a_station.pk,
            name="改名",
            kind="POLICE_STATION",
            level="COUNTY",
            division_code="139901",
            department_id=None,
        )


def test_an_agency_with_active_members_cannot_be_deactivated(city):
    with pytest.raises(DomainError, match="officers"):
        services.agency_set_active(
            actor=city.a_leader.viewer, agency_id=city.a_station.pk, active=False
        )
    with pytest.raises(DomainError):
        services.agency_set_active(actor=city.a_leader.viewer, agency_id=city.a.pk, active=False)


def test_deactivating_an_officer_closes_their_account_and_liaisons(city):
    from oversight.org.models import Department

    dept = Department.objects.get(code="LEGAL")
    services.liaison_appoint(
        actor=city.a_leader.viewer,
        agency_id=city.a.pk,
        department_id=dept.pk,
        officer_id=city.a_liaison.officer.pk,
    )
    services.officer_set_active(
        actor=city.a_leader.viewer, officer_id=city.a_liaison.officer.pk, active=False
    )
    assert not User.objects.get(pk=city.a_liaison.user.pk).is_active
    assert not Liaison.objects.filter(officer=city.a_liaison.officer, active=True).exists()
    assert Officer.objects.filter(pk=city.a_liaison.officer.pk).exists()  # never deleted


def test_appointing_a_liaison_replaces_the_previous_one(city):
    from oversight.org.models import Department

    dept = Department.objects.get(code="TRAFFIC")
    first = services.liaison_appoint(
        actor=None, agency_id=city.a.pk, department_id=dept.pk, officer_id=city.a_liaison.officer.pk
    )
    second = services.liaison_appoint(
        actor=None, agency_id=city.a.pk, department_id=dept.pk, officer_id=city.a_leader.officer.pk
    )
    first.refresh_from_db()
    assert not first.active and second.active


def test_a_liaison_must_belong_to_the_agency(city):
    from oversight.org.models import Department

    dept = Department.objects.get(code="TRAFFIC")
    with pytest.raises(DomainError, match="liaison"):
        services.liaison_appoint(
            actor=city.city_leader.viewer,
            agency_id=city.a.pk,
            department_id=dept.pk,
            officer_id=city.b_viewer.officer.pk,
        )


def test_officer_numbers_are_checked_and_unique(city):
    kwargs = {
        "actor": city.a_leader.viewer,
        "username": "new.one",
        "name": "新人",
        "agency_id": city.a.pk,
    }
    before = counts()
    with pytest.raises(DomainError) as caught:
        services.officer_create(badge_number="12345", warrant_number="W123456", **kwargs)
    assert caught.value.field == "badge_number"
    with pytest.raises(Conflict) as caught:
        services.officer_create(
            badge_number=city.b_viewer.officer.badge_number, warrant_number="W123456", **kwargs
        )
    assert caught.value.field == "badge_number"
    with pytest.raises(Conflict) as caught:
        services.officer_create(
            badge_number="654321", warrant_number="W123456", **(kwargs | {"username": "b.viewer"})
        )
    assert caught.value.field == "username"
    assert counts() == before


def test_only_the_security_administrator_grants_roles(city):
    for actor in (city.sysadmin, city.auditadmin, city.city_leader.user):
        from oversight.org.scope import viewer_for

        with pytest.raises(PermissionDenied):
            services.role_grant(
                actor=viewer_for(actor), user_id=city.no_role.user.pk, role="VIEWER"
            )
    services.role_grant(actor=_viewer(city.secadmin), user_id=city.no_role.user.pk, role="VIEWER")
    assert RoleGrant.objects.filter(user=city.no_role.user, role="VIEWER").exists()


def _viewer(user):
    from oversight.org.scope import viewer_for

    return viewer_for(user)


def test_separation_of_duties_refuses_mixing_admin_and_business_roles(city):
    secadmin = _viewer(city.secadmin)
    with pytest.raises(DomainError, match="Separation of duties"):
        services.role_grant(actor=secadmin, user_id=city.a_inspector.user.pk, role="AUDIT_ADMIN")
    with pytest.raises(DomainError, match="Separation of duties"):
        services.role_grant(actor=secadmin, user_id=city.sysadmin.pk, role="AUDIT_ADMIN")
    with pytest.raises(DomainError, match="own roles"):
        services.role_grant(actor=secadmin, user_id=city.secadmin.pk, role="VIEWER")


def test_business_roles_are_for_officers_only(city):
    account = services.account_create_admin(actor=None, username="someone", display_name="")
    with pytest.raises(DomainError, match="officers"):
        services.role_grant(actor=_viewer(city.secadmin), user_id=account.pk, role="VIEWER")


@pytest.mark.parametrize("admin", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_see_no_business_data(city, admin):
    viewer = _viewer(getattr(city, admin))
    assert not viewer.sees_business_data
    assert selectors.agency_list(viewer=viewer).count() == 0
    assert selectors.officer_list(viewer=viewer).count() == 0
    assert selectors.liaison_list(viewer=viewer).count() == 0
    assert selectors.department_list(viewer=viewer).count() == 0
    with pytest.raises(NotFound):
        selectors.agency_get(viewer=viewer, agency_id=city.a.pk)
    with pytest.raises(NotFound):
        selectors.officer_get(viewer=viewer, officer_id=city.a_inspector.officer.pk)


def test_a_county_viewer_sees_only_their_county(city):
    viewer = city.b_viewer.viewer
    codes = set(selectors.agency_list(viewer=viewer).values_list("code", flat=True))
    assert codes == {"CITY-B", "CITY-B-P1"}
    usernames = set(selectors.officer_list(viewer=viewer).values_list("user__username", flat=True))
    assert usernames == {"b.leader", "b.inspector", "b.viewer"}
    with pytest.raises(NotFound):
        selectors.officer_get(viewer=viewer, officer_id=city.a_inspector.officer.pk)


def test_the_city_sees_every_county(city):
    codes = set(
        selectors.agency_list(viewer=city.city_inspector.viewer).values_list("code", flat=True)
    )
    assert {"CITY", "CITY-A", "CITY-B", "CITY-A-P1", "CITY-B-P1"} <= codes


def test_an_officer_with_no_role_sees_nothing(city):
    assert selectors.agency_list(viewer=city.no_role.viewer).count() == 0


def test_api_tokens_are_stored_hashed_and_can_be_revoked(city):
    token, raw = services.token_issue(actor=None, username="a.inspector", days=30)
    assert raw.startswith("ovs_") and raw not in token.key_hash
    assert services.token_authenticate(raw).pk == city.a_inspector.user.pk
    services.token_revoke(actor=None, token_id=token.pk)
    assert services.token_authenticate(raw) is None
    assert services.token_authenticate("ovs_not-a-token") is None
    with pytest.raises(DomainError):
        services.token_issue(actor=None, username="a.inspector", days=0)


def test_an_expired_token_is_refused(city):
    from datetime import timedelta

    from oversight.core import clock

    _token, raw = services.token_issue(actor=None, username="a.inspector", days=1)
    assert services.token_authenticate(raw, now=clock.now() + timedelta(days=2)) is None


def test_a_non_leader_is_refused_before_learning_whether_a_badge_is_taken(city):
    with pytest.raises(PermissionDenied):
        services.officer_create(
            actor=city.a_inspector.viewer,
            username="probe",
            name="探测",
            badge_number=city.b_viewer.officer.badge_number,
            warrant_number="W999999",
            agency_id=city.a.pk,
        )

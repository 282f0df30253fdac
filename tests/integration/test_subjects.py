"""The subject registry: register and edit by hand, history, scope, units kept in step."""

from __future__ import annotations

import pytest

from oversight.audit.models import AuditEvent
from oversight.catalog.services import catalog_load
from oversight.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from oversight.org import services as org
from oversight.subjects import selectors, services
from oversight.subjects.follow import subjects_follow
from oversight.subjects.models import Subject, SubjectChange

VALID = "9144030071526726XG"  # a real, valid code (GB 32100 check character G)
OTHER = "91330100799655058B"


@pytest.fixture
def registry(city, small_catalog):
    catalog_load(actor=None, path=small_catalog)
    return city


def _own(kind: str) -> dict:
    """Values for a kind's own required fields, from each field's declared example."""
    spec = services.kind_fields(kind)
    return {f.name: f.example for f in spec.own.specs if f.required}


def _values(registry, **changes):
    return {
        "name": "甲县第一中学",
        "credit_code": VALID,
        "agency_id": registry.a_station.pk,
        "risk_grade": "B",
        "status": "ACTIVE",
        **_own("KEY_SECURITY_UNIT"),
    } | changes


def test_an_inspector_registers_a_subject_with_history_and_an_audit_event(registry):
    subject = services.subject_create(
        actor=registry.a_inspector.viewer, kind="KEY_SECURITY_UNIT", values=_values(registry)
    )
    assert (subject.natural_key, subject.agency_id) == (f"credit:{VALID}", registry.a_station.pk)
    change = SubjectChange.objects.get(subject=subject)
    assert change.after["name"] == "甲县第一中学" and change.before == {}
    assert AuditEvent.objects.filter(action="subject.create", object_id=str(subject.pk)).exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"credit_code": "9144030071526726XH"}, "credit_code"),  # wrong check character
        ({"credit_code": "9144030071526726X"}, "credit_code"),  # 17 characters
        ({"name": "\u200b"}, "name"),
        ({"risk_grade": "E"}, "risk_grade"),
        ({"shoe_size": 42}, "shoe_size"),  # not a field of the kind
    ],
)
def test_bad_values_are_refused_naming_the_field_and_nothing_is_written(registry, changes, field):
    before = (Subject.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as refused:
        services.subject_create(
            actor=registry.a_inspector.viewer,
            kind="KEY_SECURITY_UNIT",
            values=_values(registry, **changes),
        )
    assert refused.value.field == field
    assert (Subject.objects.count(), AuditEvent.objects.count()) == before


def test_the_same_credit_code_twice_is_one_subject(registry):
    viewer = registry.a_inspector.viewer
    services.subject_create(actor=viewer, kind="KEY_SECURITY_UNIT", values=_values(registry))
    with pytest.raises(Conflict):
        services.subject_create(
            actor=viewer, kind="KEY_SECURITY_UNIT", values=_values(registry, name="别名")
        )


def test_another_countys_jurisdiction_is_404_and_a_viewer_may_not_write(registry):
    with pytest.raises(NotFound):
        services.subject_create(
            actor=registry.a_inspector.viewer,
            kind="KEY_SECURITY_UNIT",
            values=_values(registry, agency_id=registry.b_station.pk, name="\x00"),
        )
    with pytest.raises(PermissionDenied):
        services.subject_create(
            actor=registry.b_viewer.viewer, kind="KEY_SECURITY_UNIT", values=_values(registry)
        )


def test_each_county_sees_only_its_own_subjects(registry):
    mine = services.subject_create(
        actor=registry.a_inspector.viewer, kind="KEY_SECURITY_UNIT", values=_values(registry)
    )
    theirs = services.subject_create(
        actor=registry.city_leader.viewer,
        kind="KEY_SECURITY_UNIT",
        values=_values(registry, credit_code=OTHER, agency_id=registry.b_station.pk),
    )
    a_sees = set(selectors.subject_list(viewer=registry.a_inspector.viewer))
    assert mine in a_sees and theirs not in a_sees
    with pytest.raises(NotFound):
        selectors.subject_get(viewer=registry.a_inspector.viewer, subject_id=theirs.pk)
    assert theirs in set(selectors.subject_list(viewer=registry.city_leader.viewer))


def test_an_edit_records_what_changed_from_what(registry):
    viewer = registry.a_inspector.viewer
    subject = services.subject_create(
        actor=viewer, kind="KEY_SECURITY_UNIT", values=_values(registry)
    )
    services.subject_update(
        actor=viewer, subject_id=subject.pk, values=_values(registry, risk_grade="A")
    )
    change = SubjectChange.objects.filter(subject=subject).order_by("-id").first()
    assert (change.before, change.after) == ({"risk_grade": "B"}, {"risk_grade": "A"})
    event = AuditEvent.objects.get(action="subject.update")
    assert event.summary["after"] == {"risk_grade": "A"}


def test_closing_a_subject_dates_it_and_reopening_clears_the_date(registry):
    viewer = registry.a_inspector.viewer
    subject = services.subject_create(
        actor=viewer, kind="KEY_SECURITY_UNIT", values=_values(registry)
    )
    closed = services.subject_update(
        actor=viewer, subject_id=subject.pk, values=_values(registry, status="CLOSED")
    )
    assert closed.closed_on is not None
    reopened = services.subject_update(
        actor=viewer, subject_id=subject.pk, values=_values(registry, status="ACTIVE")
    )
    assert reopened.closed_on is None


def test_units_of_the_organisation_are_subjects_kept_in_step(registry):
    """A detention centre is a custody facility: created, renamed and closed with its agency."""
    centre = org.agency_create(
        actor=registry.a_leader.viewer,
        code="CITY-A-KSS",
        name="甲县看守所",
        kind="DETENTION_CENTER",
        parent_id=registry.a.pk,
    )
    subject = Subject.objects.get(kind="CUSTODY_FACILITY", linked_agency=centre)
    assert (subject.name, subject.agency_id, subject.status) == ("甲县看守所", centre.pk, "ACTIVE")
    org.agency_update(
        actor=registry.a_leader.viewer,
        agency_id=centre.pk,
        name="甲县第一看守所",
        department_id=None,
    )
    org.agency_set_active(actor=registry.a_leader.viewer, agency_id=centre.pk, active=False)
    subject.refresh_from_db()
    assert (subject.name, subject.status) == ("甲县第一看守所", "CLOSED")
    sources = set(SubjectChange.objects.filter(subject=subject).values_list("source", flat=True))
    assert sources == {"SYNC"}


def test_a_linked_kind_is_not_typed_by_hand(registry):
    with pytest.raises(DomainError) as refused:
        services.subject_create(
            actor=registry.a_leader.viewer,
            kind="CUSTODY_FACILITY",
            values={"name": "假看守所", "agency_id": registry.a.pk},
        )
    assert refused.value.field == "kind"


def test_following_the_whole_organisation_twice_changes_nothing_the_second_time(registry):
    org.agency_create(
        actor=None,
        code="CITY-B-JLS",
        name="乙县拘留所",
        kind="CUSTODY_CENTER",
        parent_id=registry.b.pk,
    )
    SubjectChange.objects.all().delete()  # as on a registry started after the organisation
    Subject.objects.all().delete()
    first = subjects_follow()
    second = subjects_follow()
    assert first.created >= 1 and not second.changed


def test_the_catalog_reserves_every_column_of_a_subject_for_the_registry():
    """A kind's own field may not shadow a common one: the catalog (which may not import the
    subjects app) keeps its own list of their names, so this holds the two together."""
    from oversight.catalog.schema import RESERVED_FIELD_NAMES
    from oversight.subjects.fields import COMMON

    columns = {f.name for f in Subject._meta.get_fields()} | {
        f.attname for f in Subject._meta.concrete_fields
    }
    assert set(COMMON) <= RESERVED_FIELD_NAMES
    assert columns <= RESERVED_FIELD_NAMES

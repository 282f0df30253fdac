"""The inspector pool on the database: the services' order of checks, the records they keep, and
``pool_for`` — the query the draw will ask — against the pure rules it writes in SQL."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.audit.models import AuditEvent
from oversight.audit.presentation import present
from oversight.catalog.services import catalog_load
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from oversight.org import services as org
from oversight.org.models import Officer
from oversight.org.scope import viewer_for
from oversight.pool import policy, selectors, services
from oversight.pool.models import Conflict as ConflictRecord
from oversight.pool.models import RegimeQualification, Unavailability
from tests.conftest import make_officer
from tests.pool_builders import (
    REGIME,
    TODAY,
    frozen,
    make_subject,
    qualified,
    with_qualification,
)


@pytest.fixture
def pool(city, small_catalog):
    catalog_load(actor=None, path=small_catalog)
    with frozen():
        yield city


def _ids(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_a_qualified_officer_is_in_the_pool_of_the_regime_from_the_first_day(pool):
    officer = qualified(pool.a_inspector, pool.a_leader, starts_on="2026-03-05")
    viewer = pool.a_leader.viewer
    assert officer.pk not in _ids(selectors.pool_for(viewer=viewer, regime=REGIME, on=TODAY))
    on_the_day = selectors.pool_for(viewer=viewer, regime=REGIME, on=date(2026, 3, 5))
    assert _ids(on_the_day) == {officer.pk}
    assert not selectors.pool_for(viewer=viewer, regime="TRAFFIC", on=date(2026, 3, 5)).exists()


@pytest.mark.parametrize(
    "arrange, reason",
    [
        (lambda o, city: with_qualification(o, "NONE"), "no_qualification"),
        (
            lambda o, city: with_qualification(o, "BASIC", date(2026, 3, 1)),
            "qualification_expired",
        ),
        (
            lambda o, city: org.officer_set_active(
                actor=city.city_leader.viewer, officer_id=o.pk, active=False
            ),
            "inactive",
        ),
        (
            lambda o, city: services.unavailability_record(
                actor=city.a_leader.viewer, officer_id=o.pk, kind="LEAVE", starts_on="2026-03-01"
            ),
            "unavailable",
        ),
    ],
)
def test_an_officer_leaves_the_pool_for_each_reason_and_the_page_says_which(pool, arrange, reason):
    officer = qualified(pool.a_inspector, pool.a_leader)
    viewer = pool.a_leader.viewer
    assert _ids(selectors.pool_for(viewer=viewer, regime=REGIME, on=TODAY)) == {officer.pk}
    arrange(Officer.objects.get(pk=officer.pk), pool)
    assert not selectors.pool_for(viewer=viewer, regime=REGIME, on=TODAY).exists()
    table = selectors.pool_table(viewer=viewer, regime=selectors.regime_get(REGIME), on=TODAY)
    assert [(o.pk, reasons) for o, reasons in table.held_back] == [(officer.pk, [reason])]


def test_a_conflict_takes_the_officer_out_of_that_subjects_draws_only(pool):
    officer = qualified(pool.a_inspector, pool.a_leader)
    school = make_subject(pool.a_station, "甲县第一中学")
    bank = make_subject(pool.a_station, "甲县农商银行")
    services.conflict_declare(
        actor=pool.a_inspector.viewer,
        officer_id=officer.pk,
        subject_id=school.pk,
        kind="RELATIVE",
        note="配偶任该校保卫科长",
    )
    viewer = pool.a_leader.viewer
    assert not selectors.pool_for(viewer=viewer, regime=REGIME, on=TODAY, subject=school).exists()
    assert _ids(selectors.pool_for(viewer=viewer, regime=REGIME, on=TODAY, subject=bank.pk)) == {
        officer.pk
    }
    assert _ids(selectors.pool_for(viewer=viewer, regime=REGIME, on=TODAY)) == {officer.pk}


def test_each_county_draws_only_from_its_own_officers(pool):
    mine = qualified(pool.a_inspector, pool.a_leader)
    theirs = qualified(pool.b_inspector, pool.b_leader)
    assert _ids(selectors.pool_for(viewer=pool.a_leader.viewer, regime=REGIME, on=TODAY)) == {
        mine.pk
    }
    everyone = selectors.pool_for(viewer=pool.city_leader.viewer, regime=REGIME, on=TODAY)
    assert _ids(everyone) == {mine.pk, theirs.pk}
    admin = viewer_for(pool.sysadmin)
    assert not selectors.pool_for(viewer=admin, regime=REGIME, on=TODAY).exists()


def test_pool_for_is_one_query_however_many_officers_and_records(pool):
    viewer = pool.city_leader.viewer
    subject = make_subject(pool.a_station, "甲县第一中学")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            rows = list(selectors.pool_for(viewer=viewer, regime=REGIME, on=TODAY, subject=subject))
            [(o.agency.name, o.department) for o in rows]
        return len(ctx.captured_queries)

    qualified(pool.a_inspector, pool.a_leader)
    few = queries()
    for n in range(8):
        person = make_officer(pool.a_station, f"extra{n}", "INSPECTOR", department="TRAFFIC")
        qualified(person, pool.a_leader)
        services.unavailability_record(
            actor=pool.a_leader.viewer,
            officer_id=person.officer.pk,
            kind="TRAINING",
            starts_on="2026-04-01",
        )
    assert queries() == few == 1


def test_pool_for_agrees_with_the_rules_on_every_day(pool):
    """Random officers with random records: the SQL of ``pool_for`` and ``policy.pool`` over the
    facts give the same officers, for each day of a month, with and without a subject."""
    rng = random.Random(8)
    subjects = [make_subject(pool.a_station, f"单位{n}") for n in range(2)]
    officers = []
    for n in range(14):
        person = make_officer(pool.a_station, f"p{n}", "INSPECTOR")
        officer = with_qualification(
            person.officer,
            rng.choice(["NONE", "BASIC", "ADVANCED"]),
            rng.choice([None, TODAY + timedelta(days=rng.randint(-10, 20))]),
        )
        officers.append(officer)
        _random_records(rng, pool, officer, subjects)
    org.officer_set_active(actor=pool.city_leader.viewer, officer_id=officers[0].pk, active=False)
    viewer = pool.a_leader.viewer
    facts = selectors.facts_of(Officer.objects.filter(pk__in=[o.pk for o in officers]))
    for offset in range(-10, 25):
        on = TODAY + timedelta(days=offset)
        for subject in (None, *subjects):
            sid = subject.pk if subject else None
            expected = set(policy.pool(facts.items(), REGIME, on, sid))
            got = _ids(selectors.pool_for(viewer=viewer, regime=REGIME, on=on, subject=subject))
            assert got == expected, (on, sid)
            table = selectors.pool_table(
                viewer=viewer, regime=selectors.regime_get(REGIME), on=on, subject_id=sid
            )
            assert {o.pk for o in table.in_pool} == expected
    assert any(policy.pool(facts.items(), REGIME, TODAY + timedelta(d)) for d in range(20))


def _random_records(rng, pool, officer, subjects) -> None:
    """Records written as rows, with any dates (also past ones, revoked, ended)."""

    def day():
        return TODAY + timedelta(days=rng.randint(-12, 22))

    def span():
        starts, ends = sorted((day(), day()))
        return {
            "starts_on": starts,
            "ends_on": rng.choice([None, ends]),
            "ended_on": rng.choice([None, None, day()]),
        }

    for _ in range(rng.randint(0, 2)):
        RegimeQualification.objects.create(
            officer=officer,
            regime=rng.choice([REGIME, "TRAFFIC"]),
            granted_at=frozen_now(),
            **span(),
        )
    for _ in range(rng.randint(0, 2)):
        Unavailability.objects.create(
            officer=officer, kind="LEAVE", recorded_at=frozen_now(), **span()
        )
    for _ in range(rng.randint(0, 2)):
        ConflictRecord.objects.create(
            officer=officer,
            subject=rng.choice(subjects),
            kind="OTHER",
            note="x",
            declared_at=frozen_now(),
            **span(),
        )


def frozen_now():
    return clock.now()


# --- the services: permission, then scope, then values, then the pool's rules -----------------


def test_a_grant_is_audited_in_words_with_the_regimes_title(pool):
    officer = with_qualification(pool.a_inspector.officer)
    q = services.qualification_grant(
        actor=pool.a_leader.viewer, officer_id=officer.pk, regime="neibao", ends_on="2026-12-31"
    )
    assert (q.regime, q.starts_on, q.ends_on, q.granted_by_id) == (
        REGIME,
        TODAY,
        date(2026, 12, 31),
        pool.a_leader.user.pk,
    )
    event = AuditEvent.objects.get(action="qualification.grant")
    row = present([event])[0]
    words = {c.field: c.after for c in row.changes}
    assert words["regime"] == selectors.regime_get(REGIME).title
    assert words["officer_id"].startswith("民*")  # the officer, by name, masked


@pytest.mark.parametrize(
    "actor, officer, values, error",
    [
        # permission first: an inspector learns nothing of the officer or the values
        ("a_inspector", "b_inspector", {"regime": "\x00"}, PermissionDenied),
        # then scope: another county's officer is not found, whatever the values
        ("a_leader", "b_inspector", {"regime": "\x00"}, NotFound),
        # then the values
        ("a_leader", "a_inspector", {"regime": "\x00"}, DomainError),
        ("a_leader", "a_inspector", {"regime": "NOSUCH"}, DomainError),
        ("a_leader", "a_inspector", {"regime": REGIME, "ends_on": "2026-03-01"}, DomainError),
        (
            "a_leader",
            "a_inspector",
            {"regime": REGIME, "starts_on": "2026-04-02", "ends_on": "2026-04-01"},
            DomainError,
        ),
        # and no one grants to themselves
        ("a_leader", "a_leader", {"regime": REGIME}, DomainError),
    ],
)
def test_a_grant_is_refused_in_the_order_of_checks(pool, actor, officer, values, error):
    before = (RegimeQualification.objects.count(), AuditEvent.objects.count())
    with pytest.raises(error) as refused:
        services.qualification_grant(
            actor=getattr(pool, actor).viewer,
            officer_id=getattr(pool, officer).officer.pk,
            **values,
        )
    assert type(refused.value) is error
    assert (RegimeQualification.objects.count(), AuditEvent.objects.count()) == before


def test_overlapping_grants_are_one_too_many_and_a_later_one_follows(pool):
    officer = qualified(pool.a_inspector, pool.a_leader, ends_on="2026-06-30")
    leader = pool.a_leader.viewer
    with pytest.raises(Conflict):
        services.qualification_grant(
            actor=leader, officer_id=officer.pk, regime=REGIME, starts_on="2026-06-30"
        )
    services.qualification_grant(
        actor=leader, officer_id=officer.pk, regime=REGIME, starts_on="2026-07-01"
    )
    assert RegimeQualification.objects.filter(officer=officer).count() == 2


def test_a_revoked_qualification_stays_on_record_and_holds_no_more_from_today(pool):
    officer = qualified(pool.a_inspector, pool.a_leader, starts_on="2026-02-01")
    q = RegimeQualification.objects.get(officer=officer)
    services.qualification_revoke(actor=pool.city_leader.viewer, qualification_id=q.pk)
    q.refresh_from_db()
    assert (q.ended_on, q.revoked_by_id) == (TODAY, pool.city_leader.user.pk)
    viewer = pool.a_leader.viewer
    assert not selectors.pool_for(viewer=viewer, regime=REGIME, on=TODAY).exists()
    yesterday = selectors.pool_for(viewer=viewer, regime=REGIME, on=date(2026, 3, 1))
    assert _ids(yesterday) == {officer.pk}  # the pool of a past day reads the same
    with pytest.raises(Conflict) as again:
        services.qualification_revoke(actor=pool.city_leader.viewer, qualification_id=q.pk)
    assert str(again.value.message) == "该检查资格已撤销。"
    with pytest.raises(NotFound):
        services.qualification_revoke(actor=pool.b_leader.viewer, qualification_id=q.pk)


def test_no_one_records_their_own_absence_or_ends_their_own_conflict(pool):
    leader = pool.a_leader
    with pytest.raises(DomainError):
        services.unavailability_record(
            actor=leader.viewer, officer_id=leader.officer.pk, kind="LEAVE", starts_on="2026-03-03"
        )
    with pytest.raises(PermissionDenied):  # an inspector records no absence, not even their own
        services.unavailability_record(
            actor=pool.a_inspector.viewer,
            officer_id=pool.a_inspector.officer.pk,
            kind="LEAVE",
            starts_on="2026-03-03",
        )
    subject = make_subject(pool.a_station, "甲县第一中学")
    conflict = services.conflict_declare(
        actor=leader.viewer,
        officer_id=leader.officer.pk,
        subject_id=subject.pk,
        kind="FORMER_EMPLOYMENT",
        starts_on="2020-01-01",
        note="曾在该校任职",
    )
    with pytest.raises(DomainError):
        services.conflict_end(actor=leader.viewer, conflict_id=conflict.pk)
    services.conflict_end(actor=pool.city_leader.viewer, conflict_id=conflict.pk)
    with pytest.raises(Conflict):
        services.conflict_end(actor=pool.city_leader.viewer, conflict_id=conflict.pk)


def test_an_absence_overlapping_another_is_refused_and_ending_one_brings_the_officer_back(pool):
    officer = qualified(pool.a_inspector, pool.a_leader)
    leader = pool.a_leader.viewer
    away = services.unavailability_record(
        actor=leader,
        officer_id=officer.pk,
        kind="SECONDMENT",
        starts_on="2026-02-01",
        reason="抽调专案组",
    )
    with pytest.raises(Conflict):
        services.unavailability_record(
            actor=leader,
            officer_id=officer.pk,
            kind="LEAVE",
            starts_on="2026-05-01",
            ends_on="2026-05-03",
        )
    assert not selectors.pool_for(viewer=leader, regime=REGIME, on=TODAY).exists()
    services.unavailability_end(actor=leader, unavailability_id=away.pk)
    assert _ids(selectors.pool_for(viewer=leader, regime=REGIME, on=TODAY)) == {officer.pk}
    with pytest.raises(Conflict):
        services.unavailability_end(actor=leader, unavailability_id=away.pk)
    event = AuditEvent.objects.get(action="unavailability.record")
    assert event.summary["after"]["reason"] == "抽调专案组"  # kept in full, shown hidden
    reason = [c for c in present([event])[0].changes if c.field == "reason"]
    assert reason[0].after == "***"


def test_an_officer_declares_a_conflict_only_with_a_subject_of_their_scope(pool):
    inspector = pool.a_inspector
    theirs = make_subject(pool.b_station, "乙县第一中学")
    mine = make_subject(pool.a_station, "甲县第一中学")
    with pytest.raises(NotFound):
        services.conflict_declare(
            actor=inspector.viewer,
            officer_id=inspector.officer.pk,
            subject_id=theirs.pk,
            kind="\x00",
            note="",
        )
    with pytest.raises(PermissionDenied):  # not for a colleague
        services.conflict_declare(
            actor=inspector.viewer,
            officer_id=pool.a_liaison.officer.pk,
            subject_id=mine.pk,
            kind="RELATIVE",
            note="亲属",
        )
    values = {"subject_id": mine.pk, "kind": "RELATIVE", "note": "配偶任该校保卫科长"}
    services.conflict_declare(actor=inspector.viewer, officer_id=inspector.officer.pk, **values)
    with pytest.raises(Conflict):
        services.conflict_declare(
            actor=pool.a_leader.viewer, officer_id=inspector.officer.pk, **values
        )
    recorded = ConflictRecord.objects.get()
    assert (recorded.declared_by_id, recorded.starts_on) == (inspector.user.pk, None)


def test_the_pool_index_counts_each_regime_in_one_query(pool):
    qualified(pool.a_inspector, pool.a_leader)
    qualified(pool.b_inspector, pool.b_leader)
    viewer = pool.city_leader.viewer
    with CaptureQueriesContext(connection) as ctx:
        counts = selectors.pool_counts(viewer=viewer, on=TODAY)
    assert counts == {REGIME: 2} and len(ctx.captured_queries) == 1
    assert selectors.pool_counts(viewer=pool.a_leader.viewer, on=TODAY) == {REGIME: 1}


def test_the_demo_qualifies_inspectors_for_their_departments_regimes(db):
    from oversight.catalog.selectors import catalog_in_force
    from oversight.cli.demo import build_demo

    build_demo()
    catalog = catalog_in_force()  # the demo loads the catalog when none is in force
    owned = {r.code: r.department for r in catalog.regimes.values()}
    held = RegimeQualification.objects.select_related("officer__department")
    assert held.count() > 100
    assert all(owned[q.regime] == q.officer.department.code for q in held)
    city = viewer_for(Officer.objects.get(user__username="city.leader").user)
    today = selectors.today()
    away = Unavailability.objects.filter(selectors.holds_on(today))
    assert away.count() >= 2  # on leave today, so some pages say why someone is not drawn
    counts = selectors.pool_counts(viewer=city, on=today)
    assert counts["NEIBAO"] > 0 and counts["TRAFFIC"] > 0

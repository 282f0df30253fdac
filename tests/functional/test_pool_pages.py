"""The inspector pool's pages as leaders and officers use them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.catalog.services import catalog_load
from oversight.pool import selectors, services
from oversight.pool.models import Conflict, RegimeQualification, Unavailability
from tests.conftest import client_for, make_officer
from tests.html import every, field_errors, form_errors, one, texts
from tests.pool_builders import REGIME, TODAY, frozen, make_subject, qualified
from tests.visible_text import identifier_like


@pytest.fixture
def pool(city, small_catalog):
    catalog_load(actor=None, path=small_catalog)
    with frozen():
        yield city


def codes_in_main(page) -> list[str]:
    """Codes or English words in what the page itself shows (the menu is the site's)."""
    return identifier_like(str(one(page, "main")))


def _title() -> str:
    return selectors.regime_get(REGIME).title


def test_the_index_counts_who_may_inspect_under_each_regime_today(pool):
    qualified(pool.a_inspector, pool.a_leader)
    qualified(pool.b_inspector, pool.b_leader)
    page = client_for(pool.a_liaison.user).get("/pool/")
    assert texts(page, "tbody td:first-child a") == [_title()]
    assert texts(page, "[data-testid=pool-count]") == ["1"]  # only county A's officer
    assert codes_in_main(page) == []


def test_the_regime_page_shows_who_may_inspect_and_why_others_may_not(pool):
    officer = qualified(pool.a_inspector, pool.a_leader)
    away = qualified(pool.a_liaison, pool.a_leader)
    services.unavailability_record(
        actor=pool.a_leader.viewer,
        officer_id=away.pk,
        kind="LEAVE",
        starts_on="2026-03-01",
        ends_on="2026-03-02",
    )
    page = client_for(pool.a_leader.user).get(f"/pool/regimes/{REGIME}/")
    assert one(page, "input[name=on]")["value"] == "2026-03-02"  # the day shown: today
    assert texts(page, "[data-testid=in-pool] tbody td:first-child a") == [officer.name]
    assert texts(page, "[data-testid=held-back] tbody td:first-child a") == [away.name]
    assert texts(page, "[data-testid=reasons]") == ["当天不在岗（休假、借调、培训等）"]
    assert codes_in_main(page) == []
    before = client_for(pool.a_leader.user).get(f"/pool/regimes/{REGIME}/", {"on": "2026-03-03"})
    assert len(texts(before, "[data-testid=in-pool] tbody td:first-child a")) == 2


def test_a_bad_day_says_why_and_an_unknown_regime_is_not_found(pool):
    client = client_for(pool.a_leader.user)
    bad = client.get(f"/pool/regimes/{REGIME}/", {"on": "0"})
    assert bad.status_code == 400 and one(bad, "[data-testid=filter-error]").text
    assert client.get("/pool/regimes/NOSUCH/").status_code == 404


def test_an_officers_records_are_for_their_leaders_and_themself(pool):
    inspector = pool.a_inspector
    url = f"/pool/officers/{inspector.officer.pk}/"
    assert client_for(inspector.user).get(url).status_code == 200
    assert client_for(pool.a_leader.user).get(url).status_code == 200
    assert client_for(pool.a_liaison.user).get(url).status_code == 403  # a colleague
    assert client_for(pool.b_leader.user).get(url).status_code == 404  # another county
    detail = f"/org/officers/{inspector.officer.pk}/"
    assert one(client_for(inspector.user).get(detail), "[data-testid=pool-link]")["href"] == url
    assert every(client_for(pool.a_liaison.user).get(detail), "[data-testid=pool-link]") == []


def test_a_leader_qualifies_an_officer_choosing_the_regime_by_its_title(pool):
    client = client_for(pool.a_leader.user)
    officer = pool.a_inspector.officer
    url = f"/pool/officers/{officer.pk}/qualifications/new/"
    form = client.get(url, HTTP_REFERER=f"http://testserver/pool/officers/{officer.pk}/")
    assert texts(form, "select[name=regime] option:not([value=''])") == [_title()]
    assert one(form, "form a.btn-link")["href"].endswith(f"/pool/officers/{officer.pk}/")
    refused = client.post(
        url, {"regime": REGIME, "starts_on": "2026-04-02", "ends_on": "2026-04-01"}
    )
    assert len(field_errors(refused, "ends_on")) == 1
    assert not RegimeQualification.objects.exists()
    saved = client.post(url, {"regime": REGIME, "ends_on": "2026-12-31", "note": "培训合格"})
    assert saved["Location"] == f"/pool/officers/{officer.pk}/"
    page = client.get(saved["Location"])
    assert texts(page, "[data-testid=qualifications] tbody td:first-child") == [_title()]
    assert texts(page, "[data-testid=qualifications] [data-testid=state]") == ["有效"]
    assert codes_in_main(page) == []


def test_a_leader_cannot_qualify_themself(pool):
    leader = pool.a_leader
    url = f"/pool/officers/{leader.officer.pk}/qualifications/new/"
    refused = client_for(leader.user).post(url, {"regime": REGIME})
    assert form_errors(refused) and not RegimeQualification.objects.exists()
    own_page = client_for(leader.user).get(f"/pool/officers/{leader.officer.pk}/")
    assert every(own_page, f"a[href='{url}']") == []


def test_revoking_asks_first_and_cancel_goes_back(pool):
    officer = qualified(pool.a_inspector, pool.a_leader)
    q = RegimeQualification.objects.get(officer=officer)
    client = client_for(pool.a_leader.user)
    url = f"/pool/qualifications/{q.pk}/revoke/"
    ask = client.get(url)
    assert one(ask, "[data-testid=consequence]").text
    assert one(ask, "a.btn-outline-secondary")["href"] == f"/pool/officers/{officer.pk}/"
    assert RegimeQualification.objects.get(pk=q.pk).ended_on is None  # nothing done on a GET
    client.post(url)
    assert RegimeQualification.objects.get(pk=q.pk).ended_on == TODAY
    again = client.post(url, follow=True)
    assert one(again, ".alert-danger").text


def test_a_leader_records_an_absence_and_ends_it(pool):
    officer = qualified(pool.a_inspector, pool.a_leader)
    client = client_for(pool.a_leader.user)
    url = f"/pool/officers/{officer.pk}/absences/new/"
    assert len(field_errors(client.post(url, {"kind": "HOLIDAY"}), "kind")) == 1
    client.post(url, {"kind": "TRAINING", "starts_on": "2026-03-01", "reason": "业务培训"})
    away = Unavailability.objects.get(officer=officer)
    page = client.get(f"/pool/officers/{officer.pk}/")
    assert texts(page, "[data-testid=absences] tbody td:first-child") == ["培训"]
    assert one(client.get(f"/pool/absences/{away.pk}/end/"), "[data-testid=consequence]").text
    client.post(f"/pool/absences/{away.pk}/end/")
    assert Unavailability.objects.get(pk=away.pk).ended_on == TODAY


def test_an_officer_finds_a_subject_of_their_county_and_declares_a_conflict(pool):
    inspector = pool.a_inspector
    mine = make_subject(pool.a_station, "甲县第一中学")
    theirs = make_subject(pool.b_station, "乙县第一中学")
    client = client_for(inspector.user)
    url = f"/pool/officers/{inspector.officer.pk}/conflicts/new/"
    found = client.get(url, {"q": "第一中学"})
    options = texts(found, "select[name=subject_id] option:not([value=''])")
    assert options == ["甲县第一中学（甲县城关派出所）"]
    assert client.get(url, {"subject": theirs.pk}).status_code == 404
    foreign = client.post(url, {"subject_id": theirs.pk, "kind": "RELATIVE", "note": ""})
    assert foreign.status_code == 404 and not Conflict.objects.exists()
    data = {"subject_id": mine.pk, "kind": "RELATIVE", "note": "配偶任该校保卫科长"}
    assert client.post(url, data)["Location"] == f"/pool/officers/{inspector.officer.pk}/"
    conflict = Conflict.objects.get()
    assert (conflict.officer_id, conflict.subject_id) == (inspector.officer.pk, mine.pk)
    page = client.get(f"/pool/officers/{inspector.officer.pk}/")
    assert texts(page, "[data-testid=conflicts] tbody td:first-child a") == ["甲县第一中学"]
    assert every(page, "[data-testid=conflicts] a.btn-outline-danger") == []  # not ending one's own
    colleague = f"/pool/officers/{pool.a_liaison.officer.pk}/conflicts/new/"
    assert client.get(colleague).status_code == 403


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_pool_pages_run_a_constant_number_of_queries(pool):
    client = client_for(pool.city_leader.user)
    first = qualified(pool.a_inspector, pool.a_leader, ends_on="2026-12-31")
    subject = make_subject(pool.a_station, "甲县第一中学")
    services.conflict_declare(
        actor=pool.a_leader.viewer,
        officer_id=first.pk,
        subject_id=subject.pk,
        kind="OTHER",
        note="x",
    )
    urls = ["/pool/", f"/pool/regimes/{REGIME}/", f"/pool/officers/{first.pk}/"]
    small = [_queries(client, url) for url in urls]
    for n in range(6):
        person = make_officer(pool.a_station, f"more{n}", "INSPECTOR", department="TRAFFIC")
        qualified(person, pool.a_leader)
        services.unavailability_record(
            actor=pool.a_leader.viewer,
            officer_id=person.officer.pk,
            kind="LEAVE",
            starts_on=f"2026-04-{n + 1:02d}",
            ends_on=f"2026-04-{n + 1:02d}",
        )
        services.qualification_grant(
            actor=pool.a_leader.viewer,
            officer_id=first.pk,
            regime=REGIME,
            starts_on=f"2027-0{n + 1}-01",
            ends_on=f"2027-0{n + 1}-02",
        )
        services.unavailability_record(
            actor=pool.a_leader.viewer,
            officer_id=first.pk,
            kind="LEAVE",
            starts_on=f"2026-0{n + 4}-01",
            ends_on=f"2026-0{n + 4}-02",
        )
        other = make_subject(pool.a_station, f"单位{n}")
        services.conflict_declare(
            actor=pool.a_leader.viewer,
            officer_id=first.pk,
            subject_id=other.pk,
            kind="OTHER",
            note="曾参与该单位安保方案评审",
        )
    assert [_queries(client, url) for url in urls] == small

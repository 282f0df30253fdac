"""The audit trail in words, as the audit administrator reads it: who did what to which object,
which fields changed from what to what, personal data masked; the stored chain keeps it all."""

from __future__ import annotations

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from oversight import audit
from oversight.audit.models import AuditEvent
from oversight.audit.presentation import masked_summary, present
from oversight.org import services
from oversight.org.models import Role
from tests.integration.test_audit_chain import tamper

PHONE, NEW_PHONE = "13812345678", "13987650000"
WARRANT = "J12345678"


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def last_row():
    event = AuditEvent.objects.order_by("-seq").first()
    return event, present([event])[0]


def edit_phone(city, officer, phone):
    return services.officer_update(
        actor=city.a_leader.viewer,
        officer_id=officer.pk,
        name="王小明",
        badge_number=officer.badge_number,
        warrant_number=WARRANT,
        agency_id=officer.agency_id,
        department_id=None,
        title="",
        phone=phone,
        qualification="INTERMEDIATE",
        qualification_expires_on=None,
    )


def test_an_officer_edit_reads_as_who_did_what_to_whom_with_personal_data_masked(city):
    officer = city.a_inspector.officer
    edit_phone(city, officer, PHONE)
    edit_phone(city, officer, NEW_PHONE)

    _event, row = last_row()

    assert row.action == "修改民警信息"
    assert row.actor == "a.leader（民*）"
    assert row.object == f"民警 王*（警号 {officer.badge_number}）"
    assert [(c.label, c.before, c.after) for c in row.changes] == [
        ("联系电话", "138****5678", "139****0000")
    ]


def test_a_registration_shows_every_field_in_words(city):
    officer = services.officer_create(
        actor=city.a_leader.viewer,
        username="wang.xm",
        name="王小明",
        badge_number="700001",
        warrant_number=WARRANT,
        agency_id=city.a_station.pk,
        phone=PHONE,
        qualification="INTERMEDIATE",
    )

    _event, row = last_row()

    after = {c.label: c.after for c in row.changes}
    assert row.action == "登记民警"
    assert after["姓名"] == "王*"
    assert after["警官证号"] == "J1*****78"
    assert after["联系电话"] == "138****5678"
    assert after["机构"] == "甲县城关派出所"
    assert after["执法资格"] == "中级"
    assert after["在用"] == "是"
    assert after["警号"] == "700001"
    assert {c.before for c in row.changes} == {"—"}
    assert officer.phone == PHONE


def test_masking_is_for_display_only_the_stored_summary_and_the_chain_keep_full_values(city):
    officer = city.a_inspector.officer
    edit_phone(city, officer, PHONE)

    event, row = last_row()

    assert event.summary["after"]["phone"] == PHONE
    assert event.summary["after"]["warrant_number"] == WARRANT
    assert PHONE not in str([row.changes, row.details, row.object, row.actor])
    assert masked_summary(event)["after"]["phone"] == "138****5678"
    assert masked_summary(event)["after"]["name"] == "王*"
    assert event.summary["after"]["phone"] == PHONE  # masked_summary copies, never edits
    result = audit.verify()
    assert result.ok and result.count == event.seq


def test_an_agency_kind_and_level_read_as_words(city):
    with transaction.atomic():
        audit.record(
            action="agency.update",
            target=city.a_station,
            before={"kind": "BRIGADE", "level": "COUNTY", "parent_id": city.root.pk},
            after={"kind": "POLICE_STATION", "level": "COUNTY", "parent_id": city.a.pk},
        )

    _event, row = last_row()

    assert [(c.label, c.before, c.after) for c in row.changes] == [
        ("类别", "大队", "派出所"),
        ("上级机构", "示范市公安局", "甲县公安局"),
    ]
    assert row.object == "机构 甲县城关派出所"


def test_roles_a_revoked_role_and_empty_values_read_as_words(city):
    user = city.b_viewer.user
    with transaction.atomic():
        audit.record(
            action="role.grant",
            target=user,
            before={"roles": []},
            after={"roles": ["VIEWER", "INSPECTOR"]},
        )
        audit.record(
            action="role.revoke",
            object_type="org.user",
            object_id=user.pk,
            detail={"role": "LEADER"},
        )

    grant, revoke = present(AuditEvent.objects.order_by("-seq")[:2])[::-1]

    viewer, inspector, leader = (str(r.label) for r in (Role.VIEWER, Role.INSPECTOR, Role.LEADER))
    assert [(c.before, c.after) for c in grant.changes] == [("空", f"{viewer}、{inspector}")]
    assert [(d.label, d.value) for d in revoke.details] == [("角色", leader)]
    assert revoke.object == "账号 b.viewer（民*）"


def test_an_object_that_no_longer_exists_says_so_in_words(db):
    with transaction.atomic():
        audit.record(action="officer.update", object_type="org.officer", object_id="999999")

    _event, row = last_row()

    assert row.object == "民警 第 999999 号（已不存在）"


def test_events_without_an_actor_or_object_say_who_and_what_in_words(db):
    with transaction.atomic():
        audit.record(action="auth.login_failed", actor_name="ghost", detail={"username": "ghost"})
        audit.record(action="catalog.load")

    failed, loaded = present(AuditEvent.objects.order_by("seq"))

    assert (failed.actor, failed.action, failed.object) == ("ghost（未登录）", "登录失败", "—")
    assert [(d.label, d.value) for d in failed.details] == [("用户名", "ghost")]
    assert (loaded.actor, loaded.action) == ("系统", "加载责任清单版本")


def test_an_administrators_account_shows_its_title_unmasked(city):
    with transaction.atomic():
        audit.record(action="auth.login", actor=city.auditadmin, target=city.auditadmin)

    _event, row = last_row()

    assert row.actor == "auditadmin"  # its display name is its user name: nothing to add
    assert row.action == "登录"


def test_an_unregistered_action_is_named_as_such_rather_than_dropped(db):
    with transaction.atomic():
        audit.record(action="case.close", object_type="cases.case", object_id=4)

    _event, row = last_row()

    assert "case.close" in row.action and row.action.startswith("未登记名称的操作")
    assert row.object.startswith("未登记名称的对象")


def _events(city, count):
    officers = [city.a_inspector.officer, city.b_inspector.officer, city.a_liaison.officer]
    with transaction.atomic():
        for i in range(count):
            officer = officers[i % len(officers)]
            audit.record(
                action="officer.update",
                actor=city.a_leader.user,
                target=officer,
                before={"agency_id": city.a.pk, "department_id": None},
                after={"agency_id": city.a_station.pk, "phone": PHONE},
            )
            audit.record(action="agency.update", actor=city.b_leader.user, target=city.b)
    return list(AuditEvent.objects.order_by("-seq")[: count * 2])


@pytest.mark.parametrize("count", [5, 50])
def test_presenting_a_page_costs_the_same_queries_for_5_or_50_events(city, count):
    events = _events(city, count)

    with CaptureQueriesContext(connection) as queries:
        rows = present(events)

    assert len(rows) == count * 2
    # One lookup per object type on the page: officers, agencies (objects and references),
    # departments are not looked up (no id), accounts (actors).
    assert len(queries) == 3


def test_the_chain_covers_the_full_values_an_edit_hidden_by_the_mask_still_breaks_it(city):
    officer = city.a_inspector.officer
    edit_phone(city, officer, PHONE)
    event, before = last_row()
    forged = {**event.summary, "after": {**event.summary["after"], "phone": "13800005678"}}
    tamper(
        (
            f"UPDATE {AuditEvent._meta.db_table} SET summary = %s WHERE seq = %s",
            [json.dumps(forged), event.seq],
        )
    )

    _event, after = last_row()
    result = audit.verify()

    assert after.changes == before.changes  # the same masked words: 138****5678
    assert (result.ok, result.bad_position) == (False, event.seq)


def test_nothing_on_one_side_and_nothing_recorded_on_the_other_is_no_change(city):
    with transaction.atomic():
        audit.record(
            action="liaison.appoint",
            object_type="org.liaison",
            object_id=1,
            before={"officer_ids": []},
            after={"agency_id": city.a.pk},
        )

    _event, row = last_row()

    assert [(c.label, c.before, c.after) for c in row.changes] == [("机构", "—", "甲县公安局")]

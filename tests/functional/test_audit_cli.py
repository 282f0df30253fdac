"""``oversight audit list`` reads the trail as the audit administrator does: in words, with
personal data masked; its JSON keeps the keys scripts use and adds the words."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation

from oversight import audit

PHONE = "13812345678"


@pytest.fixture
def edit(city):
    officer = city.a_inspector.officer
    with transaction.atomic():
        audit.record(
            action="officer.update",
            actor=city.a_leader.user,
            target=officer,
            before={"phone": ""},
            after={"phone": PHONE, "name": "王小明"},
        )
    return officer


def audit_list(*args: str) -> str:
    out = StringIO()
    with translation.override("zh-hans"):
        call_command("audit", "list", *args, stdout=out)
    return out.getvalue()


def test_the_text_listing_is_in_words_with_personal_data_masked(edit):
    out = audit_list("--action", "officer.update")

    first, *changes = out.splitlines()
    assert "a.leader（民*）  修改民警信息  民警 民*（警号" in first
    assert changes == ["    姓名：— → 王*", "    联系电话：空 → 138****5678"]
    assert PHONE not in out and "王小明" not in out


def test_the_json_listing_keeps_its_keys_masks_the_summary_and_adds_words(edit):
    rows = json.loads(audit_list("--action", "officer.update", "--format", "json"))

    (row,) = rows
    assert {"seq", "occurred_at", "actor", "action", "object", "ip", "request_id", "summary"} < set(
        row
    )
    assert (row["action"], row["object"], row["actor"]) == (
        "officer.update",
        f"org.officer:{edit.pk}",
        "a.leader",
    )
    assert row["summary"] == {
        "before": {"phone": ""},
        "after": {"phone": "138****5678", "name": "王*"},
    }
    assert len(row["hash"]) == 64
    assert row["action_label"] == "修改民警信息"
    assert row["object_label"].startswith("民警 民*（警号")
    assert row["changes"][1] == {
        "field": "phone",
        "label": "联系电话",
        "before": "空",
        "after": "138****5678",
    }
    assert audit.verify().ok


def test_actions_and_object_types_are_chosen_by_code_or_by_their_words(edit):
    by_words = json.loads(audit_list("--action", "修改民警信息", "--format", "json"))
    by_type = json.loads(audit_list("--object-type", "民警", "--format", "json"))

    assert [r["action"] for r in by_words] == ["officer.update"]
    assert {r["action"] for r in by_type} == {"officer.create", "officer.update"}
    with pytest.raises(CommandError, match="--object-type: unknown value"):
        audit_list("--object-type", "org.nothing")


def test_an_empty_listing_says_so(db):
    assert audit_list("--actor", "nobody").strip() == "未查询到相关记录。"

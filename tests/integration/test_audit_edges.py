"""Edges of the audit trail: hostile text, an anchor at zero, listing for the auditor."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from oversight import audit
from oversight.audit.canonical import GENESIS, storable_text


def test_storable_text_leaves_ordinary_text_alone():
    assert storable_text("甲县公安局 ok") == "甲县公安局 ok"


def test_nul_and_lone_surrogates_become_escapes():
    assert storable_text("a\x00b") == "a\\x00b"
    assert storable_text("x\ud800y") == "x\\ud800y"


def test_an_event_with_nul_and_surrogates_is_stored_and_verifies(db):
    with transaction.atomic():
        audit.record(
            action="auth.login_failed",
            actor_name="ghost\x00\ud800",
            object_id="1\x00",
            detail={"username": "ghost\ud800", "k\x00": ["\x00"]},
        )
    result = audit.verify()
    assert result.ok and result.count == 1


def test_an_anchor_at_zero_must_be_the_genesis_hash(db):
    call_command("audit", "verify", "--anchor", f"0:{GENESIS}")
    with pytest.raises(CommandError, match="rewritten"):
        call_command("audit", "verify", "--anchor", f"0:{'a' * 64}")


def test_audit_list_prints_events_newest_first_as_json(db, capsys):
    import json

    with transaction.atomic():
        audit.record(action="demo.first", detail={"n": 1})
        audit.record(action="demo.second", detail={"n": 2})
    call_command("audit", "list", "--format", "json", "--limit", "5")
    rows = json.loads(capsys.readouterr().out)
    assert [r["action"] for r in rows] == ["demo.second", "demo.first"]
    call_command("audit", "list", "--q", "first")
    out = capsys.readouterr().out
    assert "demo.first" in out and "demo.second" not in out
    with pytest.raises(CommandError, match="--limit"):
        call_command("audit", "list", "--limit", "0")

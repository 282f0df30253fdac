"""The audit chain: appends link up, tampering in the database is found, the CLI reports it.

The tampering tests play a DBA who edits ``audit_auditevent`` by hand. On PostgreSQL that DBA
first switches off the append-only trigger (and switches it back on, inside the same
transaction, so nothing outlives the test).
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import ProgrammingError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight import audit
from oversight.audit.canonical import GENESIS, event_hash
from oversight.audit.chain import _FIELDS
from oversight.audit.models import AuditEvent
from oversight.core.context import RequestContext, bound
from oversight.org.models import User

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table
TRIGGER = "audit_auditevent_no_update_delete"
START = datetime(2026, 3, 1, 8, 30, 0, 123456, tzinfo=UTC)


def append(count: int) -> list[AuditEvent]:
    """Record ``count`` events, one second apart, and return them in order."""
    return [
        audit.record(
            action="case.update",
            object_type="cases.case",
            object_id=i,
            before={"status": "OPEN"},
            after={"status": "CLOSED", "note": f"第{i}次检查"},
            at=START + timedelta(seconds=i),
        )
        for i in range(1, count + 1)
    ]


def tamper(*statements: tuple[str, list[Any]]) -> None:
    """Run raw SQL on the audit table as a DBA would, bypassing ``record``.

    On PostgreSQL the append-only trigger is disabled for the statements and enabled again in the
    same transaction. ``SET CONSTRAINTS ALL IMMEDIATE`` first runs the deferred foreign-key checks
    of rows inserted earlier in the test, which would otherwise make ALTER TABLE refuse.
    """
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
        for sql, params in statements:
            cursor.execute(sql, params)
        if postgres:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def run_audit(*args: str) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out)
    return out.getvalue()


# --- appending ---------------------------------------------------------------------------------


def test_an_empty_chain_verifies_with_the_genesis_hash_as_head():
    result = audit.verify()

    assert (result.ok, result.count, result.head_hash, result.bad_position) == (
        True,
        0,
        GENESIS,
        None,
    )


def test_record_appends_events_numbered_from_one_each_linked_to_the_one_before():
    events = append(6)

    stored = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in stored] == [1, 2, 3, 4, 5, 6]
    assert stored[0].prev_hash == GENESIS
    for before, after in itertools.pairwise(stored):
        assert after.prev_hash == before.hash
    assert len({e.hash for e in stored}) == 6
    assert [e.hash for e in stored] == [e.hash for e in events]


def test_verify_accepts_an_intact_chain_and_reports_its_count_and_head():
    events = append(5)

    result = audit.verify()

    assert result.ok
    assert result.count == 5
    assert result.head_hash == events[-1].hash
    assert result.bad_position is None
    assert result.reason == ""


def test_verify_reads_the_chain_in_chunks_without_losing_the_links_between_them():
    events = append(7)

    result = audit.verify(chunk_size=2)

    assert (result.ok, result.count, result.head_hash) == (True, 7, events[-1].hash)


def test_the_stored_hash_is_the_canonical_hash_of_the_stored_fields():
    append(2)

    row = AuditEvent.objects.filter(seq=2).values(*_FIELDS).get()
    stored = row.pop("hash")

    assert event_hash(**row) == stored


def test_an_event_with_an_actor_a_request_context_and_awkward_values_survives_the_round_trip():
    user = User.objects.create(username="auditor")
    ctx = RequestContext(request_id="req-1", ip="2001:db8::1", channel="web")
    with bound(ctx):
        event = audit.record(
            action="officer.update",
            actor=user,
            target=user,
            before={"salary": Decimal("1234.50"), "since": date(2020, 2, 29)},
            after={"tags": {"b", "a"}, "ratio": 0.1, "big": 2**70, "名": "张三", "empty": []},
            detail={"uuid": UUID(int=7), "nested": {"t": (1, None, True)}},
        )

    stored = AuditEvent.objects.get(seq=1)
    assert stored.actor_id == user.pk
    assert stored.actor_name == "auditor"
    assert (stored.object_type, stored.object_id) == ("org.user", str(user.pk))
    assert (stored.request_id, stored.ip, stored.channel) == ("req-1", "2001:db8::1", "web")
    assert stored.summary["after"]["tags"] == ["a", "b"]
    assert stored.summary["after"]["ratio"] == "0.1"
    assert stored.summary["after"]["big"] == 2**70
    assert stored.summary["before"] == {"salary": "1234.50", "since": "2020-02-29"}
    assert audit.verify().head_hash == event.hash


# Any summary must come back from the database exactly as it was hashed. Left out: NUL, which
# PostgreSQL's jsonb cannot hold, and lone surrogates, which are not UTF-8 (record() refuses them
# with UnicodeEncodeError, so the write fails rather than the chain).
_text = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20)
_scalar = st.none() | st.booleans() | st.integers() | st.floats() | _text | st.decimals()
_summary = st.dictionaries(
    _text,
    st.recursive(
        _scalar | st.datetimes(timezones=st.just(UTC)),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_text, inner, max_size=4),
        max_leaves=12,
    ),
    max_size=5,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    after=_summary,
    at=st.datetimes(
        min_value=datetime(1970, 1, 2),
        max_value=datetime(2200, 1, 1),
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=-5)), ZoneInfo("Asia/Shanghai")]),
    ),
)
def test_any_summary_and_time_survive_the_database_round_trip_so_the_chain_verifies(after, at):
    event = audit.record(action="prop.test", after=after, at=at)

    result = audit.verify()

    assert result.ok, result.reason
    assert result.head_hash == event.hash


# --- tampering ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "case.view"),
        ("summary", json.dumps({"before": {"status": "OPEN"}, "after": {"status": "OPEN"}})),
        ("actor_name", "someone.else"),
        ("occurred_at", "2025-01-01 00:00:00"),
    ],
)
def test_editing_an_events_content_in_the_database_is_found_at_that_position(column, value):
    events = append(5)
    tamper((f"UPDATE {TABLE} SET {column} = %s WHERE seq = %s", [value, 3]))

    result = audit.verify()

    assert not result.ok
    assert result.bad_position == 3
    assert result.count == 2
    assert result.head_hash == events[1].hash
    assert "content does not match" in result.reason


def test_editing_the_first_event_is_found_at_position_one():
    append(3)
    tamper((f"UPDATE {TABLE} SET action = %s WHERE seq = %s", ["x.forged", 1]))

    result = audit.verify()

    assert (result.ok, result.bad_position, result.count, result.head_hash) == (
        False,
        1,
        0,
        GENESIS,
    )


def test_deleting_an_event_in_the_middle_is_found_where_the_gap_is():
    append(5)
    tamper((f"DELETE FROM {TABLE} WHERE seq = %s", [3]))

    result = audit.verify()

    assert not result.ok
    assert result.bad_position == 3
    assert "sequence 4 found at position 3" in result.reason


def test_deleting_the_middle_and_renumbering_the_rest_still_breaks_the_link():
    append(5)
    tamper(
        (f"DELETE FROM {TABLE} WHERE seq = %s", [3]),
        (f"UPDATE {TABLE} SET seq = seq - 1 WHERE seq = %s", [4]),
        (f"UPDATE {TABLE} SET seq = seq - 1 WHERE seq = %s", [5]),
    )

    result = audit.verify()

    assert not result.ok
    assert result.bad_position == 3
    assert "link to the previous event is broken" in result.reason


def test_swapping_the_sequence_numbers_of_two_events_is_found_at_the_first_of_them():
    append(5)
    tamper(
        (f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [-1, 2]),
        (f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [2, 3]),
        (f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", [3, -1]),
    )

    result = audit.verify()

    assert not result.ok
    assert result.bad_position == 2
    assert result.count == 1


def test_swapping_the_contents_of_two_events_in_place_is_found_at_the_first_of_them():
    append(5)
    second = AuditEvent.objects.get(seq=2)
    third = AuditEvent.objects.get(seq=3)
    swap = f"UPDATE {TABLE} SET action = %s, object_id = %s, summary = %s WHERE seq = %s"
    tamper(
        (swap, [third.action, third.object_id, json.dumps(third.summary), 2]),
        (swap, [second.action, second.object_id, json.dumps(second.summary), 3]),
    )

    result = audit.verify()

    assert not result.ok
    assert result.bad_position == 2
    assert "content does not match" in result.reason


def test_an_event_appended_behind_records_back_with_a_made_up_hash_is_found():
    events = append(3)
    fields: dict[str, Any] = {
        "seq": 4,
        "occurred_at": START,
        "actor_id": None,
        "actor_name": "",
        "action": "case.delete",
        "object_type": "cases.case",
        "object_id": "9",
        "summary": {},
        "request_id": "",
        "ip": "",
        "channel": "",
        "prev_hash": events[-1].hash,
    }
    AuditEvent.objects.create(hash="f" * 64, **fields)

    result = audit.verify()

    assert (result.ok, result.bad_position, result.count) == (False, 4, 3)


def test_a_chain_rewritten_with_fresh_hashes_verifies_but_no_longer_matches_an_earlier_anchor():
    events = append(4)
    old_anchor = f"4:{events[-1].hash}"
    rows = list(AuditEvent.objects.order_by("seq").values(*_FIELDS))
    prev, statements = rows[1]["hash"], []
    for row in rows[2:]:
        row.pop("hash")
        row["prev_hash"] = prev
        if row["seq"] == 3:
            row["action"] = "case.view"
        prev = event_hash(**row)
        statements.append(
            (
                f"UPDATE {TABLE} SET action = %s, prev_hash = %s, hash = %s WHERE seq = %s",
                [row["action"], row["prev_hash"], prev, row["seq"]],
            )
        )
    tamper(*statements)

    assert audit.verify().ok
    with pytest.raises(CommandError, match="anchor 4 does not match"):
        run_audit("verify", "--anchor", old_anchor)


# --- the PostgreSQL trigger ----------------------------------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the append-only trigger exists on PostgreSQL only; SQLite relies on record() alone",
)


@postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {TABLE} SET action = 'case.view' WHERE seq = 2",
        f"UPDATE {TABLE} SET summary = '{{}}'",
        f"DELETE FROM {TABLE} WHERE seq = 2",
        f"DELETE FROM {TABLE}",
    ],
)
def test_on_postgresql_the_trigger_refuses_updates_and_deletes(sql):
    append(3)

    with (
        pytest.raises(ProgrammingError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)

    assert AuditEvent.objects.count() == 3
    assert audit.verify().ok


@postgres_only
def test_on_postgresql_the_orm_cannot_update_or_delete_events_either():
    append(2)

    with pytest.raises(ProgrammingError, match="UPDATE refused"), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(action="case.view")
    with pytest.raises(ProgrammingError, match="DELETE refused"), transaction.atomic():
        AuditEvent.objects.filter(seq=2).delete()

    assert audit.verify().count == 2


# --- the CLI -------------------------------------------------------------------------------------


def test_audit_verify_prints_the_count_and_head_of_an_intact_chain():
    events = append(3)

    out = run_audit("verify", "--format", "json")

    data = json.loads(out)
    assert data["ok"] is True
    assert data["count"] == 3
    assert data["head_hash"] == events[-1].hash


def test_audit_verify_fails_naming_the_first_bad_position_after_tampering():
    append(5)
    tamper((f"UPDATE {TABLE} SET action = %s WHERE seq = %s", ["case.view", 4]))

    with pytest.raises(CommandError, match="broken at position 4"):
        call_command("audit", "verify", stdout=StringIO())


def test_audit_verify_in_json_prints_the_bad_position_before_failing():
    append(5)
    tamper((f"DELETE FROM {TABLE} WHERE seq = %s", [2]))
    out = StringIO()

    with pytest.raises(CommandError, match="position 2"):
        call_command("audit", "verify", "--format", "json", stdout=out)

    data = json.loads(out.getvalue())
    assert (data["ok"], data["bad_position"], data["count"]) == (False, 2, 1)


def test_audit_anchor_prints_the_count_and_head_hash_as_json():
    events = append(4)

    data = json.loads(run_audit("anchor", "--format", "json"))

    assert data["count"] == 4
    assert data["head_hash"] == events[-1].hash
    assert datetime.fromisoformat(data["at"]).tzinfo is not None


def test_audit_verify_accepts_an_anchor_the_chain_still_holds_even_after_more_appends():
    append(3)
    anchor = json.loads(run_audit("anchor", "--format", "json"))
    append(2)

    out = run_audit("verify", "--anchor", f"{anchor['count']}:{anchor['head_hash']}")

    assert "ok: True" in out
    assert "count: 5" in out


def test_audit_verify_with_an_anchor_fails_when_the_tail_was_deleted_after_it_was_taken():
    append(5)
    anchor = json.loads(run_audit("anchor", "--format", "json"))
    tamper((f"DELETE FROM {TABLE} WHERE seq >= %s", [4]))
    assert audit.verify().ok  # without the anchor, a cut tail is invisible

    with pytest.raises(CommandError, match="anchor 5 is past the end of the chain"):
        run_audit("verify", "--anchor", f"{anchor['count']}:{anchor['head_hash']}")


@pytest.mark.parametrize(
    "anchor",
    ["5", "five:" + "a" * 64, "5:" + "a" * 63, "5:" + "g" * 64, "-1:" + "a" * 64, ""],
)
def test_audit_verify_with_a_malformed_anchor_says_what_an_anchor_looks_like(anchor):
    append(1)

    with pytest.raises(CommandError, match=r"an anchor is COUNT:HASH \(64 hex digits\)"):
        run_audit("verify", f"--anchor={anchor}")


def _test_database_url() -> str:
    """The URL of the database this test runs on, for a child process to open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{db['HOST'] or 'localhost'}{port}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_console_script_exits_non_zero_and_names_the_bad_position(tmp_path):
    append(3)
    tamper((f"UPDATE {TABLE} SET action = %s WHERE seq = %s", ["case.view", 2]))
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "OVERSIGHT_DATA_DIR": str(tmp_path)}
    script = Path(sys.executable).parent / "oversight"

    done = subprocess.run(
        [str(script), "audit", "verify"], env=env, capture_output=True, text=True, timeout=60
    )

    assert done.returncode != 0
    assert "broken at position 2" in done.stderr

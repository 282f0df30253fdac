"""Anchors on a schedule: the worker writes the chain's head to a folder outside the database
once a day, and ``audit verify`` (and the audit administrator's check) compare the chain with
every anchor there, so a trail rewritten as a whole no longer passes."""

from __future__ import annotations

import contextlib
import json
import os
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from oversight import audit
from oversight.audit import anchors
from oversight.audit.canonical import event_hash
from oversight.audit.chain import _FIELDS
from oversight.audit.models import AuditEvent
from oversight.core import clock
from oversight.core.ticks import Failed, run_tick

pytestmark = pytest.mark.django_db

TABLE = AuditEvent._meta.db_table
TRIGGER = "audit_auditevent_no_update_delete"
MORNING = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai


@pytest.fixture
def folder(settings, tmp_path) -> Path:
    settings.OVERSIGHT_AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    return tmp_path / "anchors"


def append(count: int, at: datetime = MORNING) -> list[AuditEvent]:
    with transaction.atomic():
        return [
            audit.record(
                action="officer.update",
                object_type="org.officer",
                object_id=i,
                after={"phone": f"1380000{i:04d}"},
                at=at,
            )
            for i in range(count)
        ]


def run_audit(*args: str) -> str:
    out = StringIO()
    call_command("audit", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def rewrite_whole_chain(change: dict[str, Any]) -> None:
    """Rewrite every event as someone with write access to the database would: alter content
    and recompute every hash from the first event on, so the chain is consistent again."""
    rows = list(AuditEvent.objects.order_by("seq").values(*_FIELDS))
    prev = "0" * 64
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
        # Hashes are unique: clear them first so the new ones never collide with old ones.
        cursor.execute(f"UPDATE {TABLE} SET hash = 'x' || seq")
        columns = [*change, "prev_hash", "hash"]
        assignments = ", ".join(f"{column} = %s" for column in columns)
        for row in rows:
            row.pop("hash")
            row.update(change, prev_hash=prev)
            prev = event_hash(**row)
            values = [*change.values(), row["prev_hash"], prev, row["seq"]]
            cursor.execute(f"UPDATE {TABLE} SET {assignments} WHERE seq = %s", values)
        if postgres:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def cut_tail(from_seq: int) -> None:
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
        cursor.execute(f"DELETE FROM {TABLE} WHERE seq >= %s", [from_seq])
        if postgres:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# --- writing ---------------------------------------------------------------------------------


def test_the_daily_job_writes_todays_anchor_with_the_chains_head(folder):
    events = append(3)

    with clock.frozen(MORNING):
        outcome = anchors.write_daily()

    written = json.loads((folder / "anchor-2026-03-01.json").read_text())
    assert outcome == "anchor-2026-03-01.json written"
    assert (written["count"], written["head_hash"]) == (3, events[-1].hash)
    assert written["at"] == "2026-03-01T10:00:00+08:00"


def test_the_daily_job_writes_once_a_day_and_never_overwrites(folder):
    append(3)
    with clock.frozen(MORNING):
        anchors.write_daily()
    first = (folder / "anchor-2026-03-01.json").read_text()
    append(2)

    with clock.frozen(MORNING + timedelta(hours=12)):  # 22:00 local, the same day
        outcome = anchors.write_daily()

    assert outcome == "anchor-2026-03-01.json already written"
    assert (folder / "anchor-2026-03-01.json").read_text() == first
    with clock.frozen(MORNING + timedelta(hours=14)):  # 00:00 local, the next day
        anchors.write_daily()
    assert json.loads((folder / "anchor-2026-03-02.json").read_text())["count"] == 5


def test_the_day_of_an_anchor_is_the_local_day_in_shanghai(folder):
    with clock.frozen(datetime(2026, 3, 1, 16, 30, tzinfo=UTC)):  # 00:30 on 2 March local
        anchors.write_daily()

    assert [p.name for p in folder.iterdir()] == ["anchor-2026-03-02.json"]


def test_an_existing_anchor_file_is_left_as_it_is_and_no_temporary_file_remains(folder):
    folder.mkdir()
    (folder / "anchor-2026-03-01.json").write_text("kept as found")
    append(1)

    with clock.frozen(MORNING):
        anchors.write_daily()
    anchors._write_new(folder, "anchor-2026-03-01.json", "a racing second writer")

    assert (folder / "anchor-2026-03-01.json").read_text() == "kept as found"
    assert sorted(p.name for p in folder.iterdir()) == ["anchor-2026-03-01.json"]


def test_a_second_writer_racing_the_first_never_replaces_its_anchor(folder, monkeypatch):
    folder.mkdir()
    real_mkstemp = anchors.tempfile.mkstemp

    def first_writer_finishes_meanwhile(*args: Any, **kwargs: Any) -> Any:
        made = real_mkstemp(*args, **kwargs)
        (folder / "anchor-2026-03-01.json").write_text("the first writer's anchor")
        return made

    monkeypatch.setattr(anchors.tempfile, "mkstemp", first_writer_finishes_meanwhile)

    written = anchors._write_new(folder, "anchor-2026-03-01.json", "the second writer's")

    assert written is False
    assert (folder / "anchor-2026-03-01.json").read_text() == "the first writer's anchor"
    assert sorted(p.name for p in folder.iterdir()) == ["anchor-2026-03-01.json"]


def test_a_written_anchor_is_read_only(folder):
    with clock.frozen(MORNING):
        anchors.write_daily()

    assert os.stat(folder / "anchor-2026-03-01.json").st_mode & 0o222 == 0


def test_an_anchor_folder_whose_parent_is_missing_fails_the_job_but_not_the_others(
    settings, tmp_path
):
    settings.OVERSIGHT_AUDIT_ANCHOR_DIR = tmp_path / "unmounted-disk" / "anchors"

    outcomes = run_tick()

    assert isinstance(outcomes["audit_anchor"], Failed)
    assert outcomes["clear_expired_sessions"] == 0
    assert not (tmp_path / "unmounted-disk").exists()


def test_the_worker_writes_the_daily_anchor_once(folder):
    append(2)
    out = StringIO()

    with clock.frozen(MORNING):
        call_command("worker", "--once", stdout=out)

    assert "audit_anchor: anchor-2026-03-01.json written" in out.getvalue()
    assert json.loads((folder / "anchor-2026-03-01.json").read_text())["count"] == 2


def test_a_failed_job_makes_worker_once_exit_non_zero(settings, tmp_path):
    settings.OVERSIGHT_AUDIT_ANCHOR_DIR = tmp_path / "missing" / "anchors"

    with pytest.raises(CommandError, match="audit_anchor"):
        call_command("worker", "--once", stdout=StringIO())


def test_audit_anchor_write_writes_one_now(folder):
    events = append(4)

    with clock.frozen(MORNING):
        data = json.loads(run_audit("anchor", "--write", "--format", "json"))

    assert Path(data["file"]) == folder / "anchor-2026-03-01-100000.json"
    assert json.loads(Path(data["file"]).read_text())["head_hash"] == events[-1].hash
    with clock.frozen(MORNING), pytest.raises(CommandError, match="exists already"):
        run_audit("anchor", "--write")


# --- checking --------------------------------------------------------------------------------


def take_anchors(days: int = 3) -> None:
    """One anchor a day over ``days`` days, with events in between."""
    for day in range(days):
        at = MORNING + timedelta(days=day)
        append(2, at=at)
        with clock.frozen(at):
            anchors.write_daily()


def test_verify_checks_every_anchor_in_the_folder_and_says_how_many(folder):
    take_anchors(3)
    append(1)

    data = json.loads(run_audit("verify", "--format", "json"))

    assert data["ok"] is True
    assert data["anchors_checked"] == 3
    assert data["anchor_dir"] == str(folder)
    assert "anchors_checked: 3" in run_audit("verify")


def test_a_chain_rewritten_as_a_whole_passes_plain_verify_but_not_the_anchors(
    folder, settings, tmp_path
):
    take_anchors(3)
    rewrite_whole_chain({"action": "officer.view"})

    assert audit.verify().ok  # the hashes are consistent again: the chain alone cannot tell
    settings.OVERSIGHT_AUDIT_ANCHOR_DIR = tmp_path / "no-anchors-here"
    assert json.loads(run_audit("verify", "--format", "json"))["ok"] is True
    settings.OVERSIGHT_AUDIT_ANCHOR_DIR = folder

    with pytest.raises(CommandError) as failed:
        run_audit("verify")

    message = str(failed.value)
    for day in ("2026-03-01", "2026-03-02", "2026-03-03"):
        assert f"anchor-{day}.json: anchor" in message
    assert "does not match: the chain was rewritten" in message


def test_a_cut_tail_is_found_past_the_end_of_the_chain_naming_the_file(folder):
    take_anchors(2)
    cut_tail(3)

    assert audit.verify().ok
    with pytest.raises(CommandError, match=r"anchor-2026-03-02\.json: anchor 4 is past the end"):
        run_audit("verify")


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        '{"count": -1, "head_hash": "' + "a" * 64 + '"}',
        '{"count": true, "head_hash": "' + "a" * 64 + '"}',
        '{"count": 1, "head_hash": "ABC"}',
        '{"head_hash": "' + "a" * 64 + '"}',
    ],
)
def test_a_malformed_anchor_file_fails_verify_naming_it(folder, content):
    take_anchors(1)
    (folder / "anchor-2026-03-05.json").write_text(content)
    out = StringIO()

    with pytest.raises(CommandError, match=r"anchor-2026-03-05\.json: not an anchor"):
        call_command("audit", "verify", "--format", "json", stdout=out, stderr=StringIO())

    data = json.loads(out.getvalue())
    assert data["ok"] is False
    assert [p["source"] for p in data["anchor_problems"]] == ["anchor-2026-03-05.json"]
    assert data["anchors_checked"] == 2


def test_files_that_are_not_anchors_are_ignored(folder):
    take_anchors(1)
    (folder / "README.txt").write_text("anchors of the audit chain")
    (folder / ".anchor-abc.tmp").write_text("half written")

    assert json.loads(run_audit("verify", "--format", "json"))["anchors_checked"] == 1


def test_an_anchor_given_on_the_command_line_is_checked_with_those_in_the_folder(folder):
    take_anchors(1)
    head = audit.anchor()

    data = json.loads(run_audit("verify", "--anchor", f"2:{head.head_hash}", "--format", "json"))

    assert data["anchors_checked"] == 2
    with pytest.raises(CommandError, match="--anchor: anchor 1 does not match"):
        run_audit("verify", "--anchor", f"1:{head.head_hash}")


def test_verify_without_an_anchor_folder_warns_and_checks_the_chain(settings, tmp_path):
    settings.OVERSIGHT_AUDIT_ANCHOR_DIR = tmp_path / "absent"
    append(1)
    err = StringIO()

    call_command("audit", "verify", stdout=StringIO(), stderr=err)

    assert "no anchor folder at" in err.getvalue()


# --- the operator's check --------------------------------------------------------------------


def doctor_anchor_check() -> dict[str, Any]:
    checks = json.loads(_doctor())
    return next(c for c in checks if c["check"] == "audit_anchors")


def _doctor() -> str:
    out = StringIO()
    # A required part missing elsewhere on this machine is not this test's concern.
    with contextlib.suppress(CommandError):
        call_command("doctor", "--format", "json", stdout=out)
    return out.getvalue()


def test_doctor_warns_when_the_anchor_folder_is_missing(folder):
    check = doctor_anchor_check()

    assert check["ok"] is False and "missing" in check["detail"]


def test_doctor_warns_when_the_anchor_folder_cannot_be_written(folder, monkeypatch):
    folder.mkdir()

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(anchors.tempfile, "TemporaryFile", refuse)

    check = doctor_anchor_check()

    assert check["ok"] is False and "cannot be written" in check["detail"]


def test_doctor_warns_when_the_anchors_share_the_sqlite_databases_disk(folder, monkeypatch):
    folder.mkdir()
    monkeypatch.setattr(anchors, "_sqlite_file", lambda: folder.parent / "oversight.sqlite3")

    check = doctor_anchor_check()

    assert check["ok"] is False and "same disk as the database" in check["detail"]


def test_doctor_accepts_a_writable_anchor_folder_on_another_disk(folder, monkeypatch):
    folder.mkdir()
    monkeypatch.setattr(anchors, "_sqlite_file", lambda: None)  # e.g. PostgreSQL elsewhere

    assert doctor_anchor_check() == {
        "check": "audit_anchors",
        "required": False,
        "ok": True,
        "detail": str(folder),
    }

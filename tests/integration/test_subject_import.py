"""Importing subjects from spreadsheets: all rows or none, every error named, the same file twice
changes nothing, bad files refused by name, a killed import leaves nothing behind."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.db import connection

from oversight.audit.models import AuditEvent
from oversight.catalog.services import catalog_load
from oversight.core import clock
from oversight.core.errors import DomainError, PermissionDenied
from oversight.subjects import import_rows, imports, services, workbooks
from oversight.subjects.import_rows import EXAMPLE_MARK
from oversight.subjects.models import Subject, SubjectChange, SubjectImport
from oversight.subjects.policy import credit_check_character
from oversight.subjects.sheets import column_letter as letter
from tests.conftest import CATALOG_ROOT

KIND = "KEY_SECURITY_UNIT"
SHEET = "治安保卫重点单位"


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.OVERSIGHT_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def registry(city, tmp_path):
    catalog_load(actor=None, path=CATALOG_ROOT)
    return city


def credit(n: int) -> str:
    first = f"9144030{n:010d}"
    return first + credit_check_character(first)


def header(kind: str = KIND) -> list[str]:
    return [c.header for c in import_rows.columns_of(services.kind_fields(kind))]


def label(name: str) -> str:
    return str(services.kind_fields(KIND).all[name].label)


def row(n: int, **changes: object) -> list[object]:
    """A valid row of KEY_SECURITY_UNIT in county A (values by field name; the rest from the
    template's example)."""
    values = {
        "name": f"甲县第{n}单位",
        "credit_code": credit(n),
        "agency_id": "甲县城关派出所",
        "risk_grade": "B",
    } | changes
    example = _example_cells()
    return [
        "" if c.spec is None else values.get(c.spec.name, example[c.spec.name])
        for c in import_rows.columns_of(services.kind_fields(KIND))
    ]


_EXAMPLE: dict[str, object] = {}


def _example_cells() -> dict[str, object]:
    if not _EXAMPLE:
        kind = services.kind_fields(KIND)
        values = workbooks.example_values(kind, None)
        jurisdictions = import_rows.Jurisdictions(None)
        for spec in kind.all.specs:
            _EXAMPLE[spec.name] = workbooks.cell_value(spec, values[spec.name], jurisdictions)
    return _EXAMPLE


def column(name: str) -> int:
    """The 0-based index of a field's column."""
    specs = [c.spec for c in import_rows.columns_of(services.kind_fields(KIND))]
    return next(i for i, s in enumerate(specs) if s is not None and s.name == name)


def xlsx(path: Path, rows: list[list[object]], sheet: str = SHEET) -> Path:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def run(person, path: Path, *, dry_run: bool = False, kind: str = KIND) -> SubjectImport:
    record = imports.import_receive(
        actor=person.viewer if person else None,
        kind=kind,
        source=path,
        file_name=path.name,
        dry_run=dry_run,
    )
    return imports.import_run(import_id=record.pk)


def registry_state() -> list[tuple]:
    return sorted(
        Subject.objects.values_list(
            "natural_key", "name", "agency_id", "risk_grade", "status", "attributes"
        )
    )


# --- all or nothing, every error named -----------------------------------------------------------


def test_one_bad_row_among_ten_thousand_writes_nothing_and_is_reported(registry, tmp_path):
    rows = [header()] + [row(n) for n in range(1, 10_001)]
    rows[4_321][column("risk_grade")] = "E"  # sheet row 4322
    path = xlsx(tmp_path / "big.xlsx", rows)
    before = (Subject.objects.count(), SubjectChange.objects.count(), AuditEvent.objects.count())

    done = run(registry.a_inspector, path)

    assert done.state == SubjectImport.State.FAILED and done.errors == 1
    (error,) = imports.import_errors(done)
    assert (error.row, error.column, error.value, error.cell) == (
        4322,
        label("risk_grade"),
        "E",
        f"{letter(column('risk_grade'))}4322",
    )
    assert "A" in error.reason and "D" in error.reason  # names the grades it takes
    assert (
        Subject.objects.count(),
        SubjectChange.objects.count(),
        AuditEvent.objects.count(),
    ) == before
    marked = openpyxl.load_workbook(imports.error_workbook_path(done))
    sheet = marked.worksheets[0]
    assert sheet["A2"].value == 4322
    bad = sheet[f"{letter(column('risk_grade') + 1)}2"]  # after the column of row numbers
    assert bad.value == "E" and bad.fill.fgColor.rgb.endswith("FFC7CE") and bad.comment


def test_every_error_of_every_row_is_reported_with_its_cell(registry, tmp_path):
    rows = [
        header(),
        row(1, credit_code=credit(1)[:-1] + "0"),  # wrong check character
        row(2, name="", risk_grade="Z"),  # two errors in one row
        row(3, agency_id="乙县城关派出所"),  # another county's jurisdiction
        row(4, credit_code=credit(4)),
        row(5, credit_code=credit(4)),  # the same subject as row 5
    ]
    done = run(registry.a_inspector, xlsx(tmp_path / "bad.xlsx", rows))

    found = {(e.row, e.column) for e in imports.import_errors(done)}
    assert found == {
        (2, label("credit_code")),
        (3, label("name")),
        (3, label("risk_grade")),
        (4, label("agency_id")),
        (6, label("credit_code")),
    }
    assert Subject.objects.count() == 0


def test_the_same_file_twice_gives_the_same_registry(registry, tmp_path):
    path = xlsx(tmp_path / "units.xlsx", [header()] + [row(n) for n in range(1, 51)])
    first = run(registry.a_inspector, path)
    state = registry_state()
    history = SubjectChange.objects.count()

    second = run(registry.a_inspector, path)

    assert (first.state, first.added, first.changed) == ("DONE", 50, 0)
    assert (second.state, second.added, second.changed, second.unchanged) == ("DONE", 0, 0, 50)
    assert registry_state() == state
    assert SubjectChange.objects.count() == history


def test_a_changed_row_updates_its_subject_with_history_and_one_audit_event(registry, tmp_path):
    run(registry.a_inspector, xlsx(tmp_path / "v1.xlsx", [header(), row(1), row(2)]))
    events = AuditEvent.objects.count()

    done = run(
        registry.a_inspector,
        xlsx(tmp_path / "v2.xlsx", [header(), row(1, risk_grade="A"), row(2), row(3)]),
    )

    assert (done.added, done.changed, done.unchanged) == (1, 1, 1)
    change = SubjectChange.objects.filter(import_id=done.pk, before__risk_grade="B").get()
    assert change.after == {"risk_grade": "A"} and change.source == "IMPORT"
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.get(action="subjects.import", object_id=str(done.pk))
    detail = event.summary["detail"]
    assert (detail["added"], detail["changed"], detail["unchanged"]) == (1, 1, 1)
    assert detail["file_sha256"] == done.file_hash
    assert detail["changeset_sha256"] == imports.changeset_hash(done.pk)


def test_a_preview_counts_what_would_change_and_writes_nothing(registry, tmp_path):
    run(registry.a_inspector, xlsx(tmp_path / "v1.xlsx", [header(), row(1), row(2)]))
    state = registry_state()

    preview = run(
        registry.a_inspector,
        xlsx(tmp_path / "v2.xlsx", [header(), row(1, risk_grade="A"), row(2), row(3)]),
        dry_run=True,
    )

    assert (preview.state, preview.added, preview.changed, preview.unchanged) == (
        "PREVIEWED",
        1,
        1,
        1,
    )
    assert registry_state() == state
    confirmed = imports.import_confirm(actor=registry.a_inspector.viewer, import_id=preview.pk)
    done = imports.import_run(import_id=confirmed.pk)
    assert (done.state, done.added, done.changed) == ("DONE", 1, 1)


def test_the_templates_example_row_is_skipped_and_typed_again_imports(registry, tmp_path):
    """Every kind that is imported: its template's example, copied into row 3, imports."""
    viewer = registry.a_inspector.viewer
    for code in [k for k in _kinds() if import_rows.importable(services.kind_fields(k))]:
        kind = services.kind_fields(code)
        path = tmp_path / f"{code}.xlsx"
        workbooks.template_xlsx(kind, viewer, path)
        wb = openpyxl.load_workbook(path)
        ws = wb[import_rows.sheet_name(kind)]
        assert ws["A2"].value == EXAMPLE_MARK
        only_example = run(registry.a_inspector, path, kind=code)
        assert only_example.state == "FAILED" and only_example.skipped == 1, code
        for cell in ws[2][1:]:  # the same values typed into a new row, without the mark
            ws.cell(row=3, column=cell.column, value=cell.value)
        wb.save(path)

        done = run(registry.a_inspector, path, kind=code)

        assert (done.state, done.added, done.skipped) == ("DONE", 1, 1), (
            code,
            done.message,
            imports.import_errors(done),
        )


def test_the_csv_template_imports_the_same_way_and_gb18030_is_read(registry, tmp_path):
    kind = services.kind_fields(KIND)
    text = workbooks.template_csv(kind, registry.a_inspector.viewer).decode("utf-8-sig")
    head, example = text.splitlines()[:2]
    typed = example.replace(EXAMPLE_MARK, "", 1)
    path = tmp_path / "t.csv"
    path.write_bytes("\r\n".join([head, example, typed]).encode("gb18030"))

    done = run(registry.a_inspector, path)

    assert (done.state, done.file_format, done.added, done.skipped) == ("DONE", "csv", 1, 1)


def test_an_export_imported_again_changes_nothing(registry, tmp_path):
    run(registry.a_inspector, xlsx(tmp_path / "v1.xlsx", [header()] + [row(n) for n in (1, 2)]))
    kind = services.kind_fields(KIND)
    viewer = registry.a_inspector.viewer
    out = tmp_path / "export.xlsx"
    subjects = Subject.objects.filter(kind=KIND).order_by("id")
    assert workbooks.export_xlsx(kind, subjects, viewer, out) == 2

    done = run(registry.a_inspector, out)

    assert (done.state, done.unchanged, done.changed, done.added) == ("DONE", 2, 0, 0)


# --- checked in blocks, each distinct value once: never a value for another ----------------------

BLOCK = import_rows.PROGRESS_EVERY  # rows checked together


def test_equal_cells_of_different_types_are_checked_apart(registry, tmp_path):
    """1, 1.0 and True are equal in Python: a cell must not take the clean value remembered for
    another type, in one block or across blocks."""
    notes = column("notes")
    rows = [header()] + [row(n) for n in range(1, 2 * BLOCK + 4)]
    for n in range(1, BLOCK + 1):
        rows[n][notes] = True  # a whole block of yes: 是
    for n in range(BLOCK + 1, 2 * BLOCK + 1):
        rows[n][notes] = 1  # a whole block of the number 1
    for n, value in zip(range(2 * BLOCK + 1, 2 * BLOCK + 4), ["1", True, 1.5], strict=True):
        rows[n][notes] = value  # text, yes and a number in one block

    done = run(registry.a_inspector, xlsx(tmp_path / "types.xlsx", rows))

    assert (done.state, done.added) == ("DONE", 2 * BLOCK + 3), imports.import_errors(done)[:3]
    stored = dict(Subject.objects.values_list("name", "notes"))
    assert stored["甲县第1单位"] == stored[f"甲县第{BLOCK}单位"] == "是"
    assert stored[f"甲县第{BLOCK + 1}单位"] == stored[f"甲县第{2 * BLOCK}单位"] == "1"
    assert [stored[f"甲县第{n}单位"] for n in range(2 * BLOCK + 1, 2 * BLOCK + 4)] == [
        "1",
        "是",
        "1.5",
    ]


def test_errors_in_later_blocks_are_reported_like_the_first(registry, tmp_path):
    rows = [header()] + [row(n) for n in range(1, BLOCK + 11)]
    rows[4][column("risk_grade")] = "E"  # sheet row 5
    rows[BLOCK + 4][column("risk_grade")] = "E"  # the same bad value, remembered, a block later
    rows[BLOCK + 5][column("name")] = ""  # and a second error in that row's block
    rows[BLOCK + 5][column("risk_grade")] = "E"
    rows[BLOCK + 9][column("credit_code")] = credit(3)  # the subject of row 4 again

    done = run(registry.a_inspector, xlsx(tmp_path / "late.xlsx", rows))

    found = [(e.row, e.column, e.value) for e in imports.import_errors(done)]
    assert found == [
        (5, label("risk_grade"), "E"),
        (BLOCK + 5, label("risk_grade"), "E"),
        (BLOCK + 6, label("name"), ""),
        (BLOCK + 6, label("risk_grade"), "E"),
        (BLOCK + 10, label("credit_code"), credit(3)),
    ]
    assert "4" in imports.import_errors(done)[-1].reason  # the same subject as row 4
    assert done.errors == 5 and Subject.objects.count() == 0


def test_what_is_written_is_what_was_checked_and_the_change_set_hash_holds(registry, tmp_path):
    """The subjects' own fields and their history are written as ``_json`` writes them (sorted
    keys), whatever the characters; empty optional values are null in the subject and left out
    of its history; the change set's hash is the one recomputed from the history."""
    tricky = 'He said "hi" \\ back/slash <b>é 😀'
    rows = [
        header(),
        row(1, name=tricky, address="路\\n口", security_office="否", security_staff=0),
        row(2, registered_on="", security_filed_on="", security_staff="", emergency_plan=""),
    ]

    done = run(registry.a_inspector, xlsx(tmp_path / "values.xlsx", rows))

    assert done.state == "DONE", imports.import_errors(done)
    event = AuditEvent.objects.get(action="subjects.import", object_id=str(done.pk))
    assert event.summary["detail"]["changeset_sha256"] == imports.changeset_hash(done.pk)
    first = Subject.objects.get(natural_key=f"credit:{credit(1)}")
    assert (first.name, first.address) == (tricky, "路\\n口")
    assert first.attributes["security_office"] is False
    assert first.attributes["security_staff"] == 0
    second = Subject.objects.get(natural_key=f"credit:{credit(2)}")
    assert second.registered_on is None
    for name in ("security_filed_on", "security_staff", "emergency_plan"):
        assert name in second.attributes and second.attributes[name] is None
    kind = services.kind_fields(KIND)
    for subject in (first, second):
        change = SubjectChange.objects.get(subject=subject)
        values = {name: services.storable(getattr(subject, name)) for name in services.COLUMNS}
        values |= subject.attributes
        assert change.before == {}
        assert change.after == {k: v for k, v in values.items() if v is not None}
        assert set(subject.attributes) == set(kind.own)


def test_the_json_made_a_column_at_a_time_is_the_json_of_each_row():
    """The bulk writer builds each row's JSON from its columns (each repeated value encoded
    once); it must be, character for character, what ``_json`` makes of the row."""
    rows = [
        {"a": True, "b": 'x"\\y', "c": None, "d": 0, "é": "😀", "u": ""},
        {"a": 1, "b": "\u2028", "c": "", "d": 1.5, "é": None, "u": ""},
        {"a": 1.0, "b": 'x"\\y', "c": None, "d": False, "é": "\x01", "u": ""},
    ] * 4
    rows = [r | {"u": f"第{n}行\t"} for n, r in enumerate(rows)]  # one column all distinct
    for skip_none in (True, False):
        pieces = [
            imports._pieces(name, [r[name] for r in rows], skip_none=skip_none)[0]
            for name in sorted(rows[0])
        ]
        expected = [
            imports._json({k: v for k, v in r.items() if not (skip_none and v is None)})
            for r in rows
        ]
        assert imports._objects(pieces, len(rows)) == expected
    assert imports._objects([], 2) == [imports._json({})] * 2


def test_new_subjects_written_in_chunks_each_get_their_own_history(registry, tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "_CHUNK", 4)  # 10 rows: chunks of 4, 4 and 2

    done = run(
        registry.a_inspector,
        xlsx(tmp_path / "chunks.xlsx", [header()] + [row(n, address=f"{n}号") for n in range(10)]),
    )

    assert (done.state, done.added) == ("DONE", 10)
    for subject in Subject.objects.all():
        (change,) = SubjectChange.objects.filter(subject=subject)
        assert change.after["name"] == subject.name
        assert change.after["address"] == subject.address
    event = AuditEvent.objects.get(action="subjects.import", object_id=str(done.pk))
    assert event.summary["detail"]["changeset_sha256"] == imports.changeset_hash(done.pk)


def test_a_changed_own_field_is_written_with_its_history(registry, tmp_path):
    run(registry.a_inspector, xlsx(tmp_path / "v1.xlsx", [header(), row(1), row(2)]))

    done = run(
        registry.a_inspector,
        xlsx(tmp_path / "v2.xlsx", [header(), row(1, security_staff=13, notes="改"), row(2)]),
    )

    assert (done.added, done.changed, done.unchanged) == (0, 1, 1)
    change = SubjectChange.objects.get(import_id=done.pk)
    assert change.before == {"security_staff": 12, "notes": ""}
    assert change.after == {"security_staff": 13, "notes": "改"}
    subject = Subject.objects.get(natural_key=f"credit:{credit(1)}")
    assert (subject.attributes["security_staff"], subject.notes) == (13, "改")
    assert (
        imports.changeset_hash(done.pk)
        == AuditEvent.objects.get(action="subjects.import", object_id=str(done.pk)).summary[
            "detail"
        ]["changeset_sha256"]
    )


# --- scope ---------------------------------------------------------------------------------------


def test_a_county_user_may_not_name_another_countys_subject_or_jurisdiction(registry, tmp_path):
    run(
        registry.b_inspector,
        xlsx(tmp_path / "b.xlsx", [header(), row(7, agency_id="乙县城关派出所")]),
    )
    done = run(registry.a_inspector, xlsx(tmp_path / "a.xlsx", [header(), row(7)]))

    (error,) = imports.import_errors(done)
    assert (error.row, error.column) == (2, label("credit_code"))
    assert Subject.objects.get().agency.name == "乙县城关派出所"


def test_a_viewer_may_not_import(registry, tmp_path):
    with pytest.raises(PermissionDenied):
        run(registry.b_viewer, xlsx(tmp_path / "x.xlsx", [header(), row(1)]))


def test_a_kind_that_follows_the_organisation_is_not_imported(registry, tmp_path):
    with pytest.raises(DomainError) as refused:
        run(
            registry.a_inspector,
            xlsx(tmp_path / "x.xlsx", [header(), row(1)]),
            kind="CUSTODY_FACILITY",
        )
    assert refused.value.field == "kind"


# --- bad files ------------------------------------------------------------------------------------


def _encrypted(path: Path) -> Path:
    # What Excel writes for a password: a compound file holding an EncryptionInfo stream.
    blob = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + bytes(1024))
    name = "EncryptionInfo".encode("utf-16-le")
    blob[600 : 600 + len(name)] = name
    path.write_bytes(bytes(blob))
    return path


def _formulas(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    for r in [header(), row(1)]:
        ws.append(r)
    ws["F2"] = '=UPPER("b")'
    wb.save(path)
    return path


def _merged(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    for r in [header(), row(1), row(2)]:
        ws.append(r)
    ws.merge_cells("D2:D3")
    wb.save(path)
    return path


def _junk(path: Path, size: int) -> Path:
    with path.open("wb") as fh:
        fh.write(os.urandom(4096))
        fh.truncate(size)
    return path


def _zip_not_xlsx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    return path


BAD_FILES = {
    "not a spreadsheet": (lambda p: _junk(p, 5000), "不是电子表格"),
    "a zip that is no workbook": (_zip_not_xlsx, "不是 Excel 工作簿"),
    "an encrypted workbook": (_encrypted, "密码"),
    "an empty file": (lambda p: (p.write_bytes(b"") and p) or p, "文件是空的"),
    "an empty workbook": (lambda p: xlsx(p, []), "工作表是空的"),
    "a header and no rows": (lambda p: xlsx(p, [header()]), "没有可导入的行"),
    "the wrong sheet": (lambda p: xlsx(p, [header(), row(1)], sheet="Sheet1"), "Sheet1"),
    "a missing column": (lambda p: xlsx(p, [header()[:-1], row(1)[:-1]]), "缺少"),
    "a repeated column": (lambda p: xlsx(p, [[*header(), label("name")], [*row(1), "x"]]), "重复"),
    "an unknown column": (lambda p: xlsx(p, [[*header(), "序号"], [*row(1), 1]]), "序号"),
    "formulas": (_formulas, "F2"),
    "merged cells": (_merged, "D2:D3"),
    "200 MB of junk": (lambda p: _junk(p, 200 * 1024 * 1024), "200 MB"),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_naming_the_problem(registry, tmp_path, case):
    make, words = BAD_FILES[case]
    path = make(tmp_path / "upload.bin")
    try:
        done = run(registry.a_inspector, path)
        message = done.message
        assert done.state == "FAILED"
    except DomainError as refused:  # too large to keep: refused on arrival
        message = str(refused.message)
    assert words in message, message
    assert Subject.objects.count() == 0


# --- interrupted -------------------------------------------------------------------------------

_KILLER = """
import os, signal, sys
import django
django.setup()
from django.core.management import call_command
from oversight.subjects import imports
original = imports.write_plan
def write_then_die(*args, **kwargs):
    original(*args, **kwargs)  # the rows are written, the transaction is still open
    os.kill(os.getpid(), signal.SIGKILL)
imports.write_plan = write_then_die
call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
"""


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_the_registry_as_it_was(city, tmp_path, settings):
    from oversight.subjects.tasks import run_import

    catalog_load(actor=None, path=CATALOG_ROOT)
    path = xlsx(tmp_path / "units.xlsx", [header()] + [row(n) for n in range(1, 301)])
    record = imports.import_receive(
        actor=city.a_inspector.viewer, kind=KIND, source=path, file_name="u.xlsx", dry_run=False
    )
    run_import.enqueue(record.pk)
    before = (registry_state(), SubjectChange.objects.count(), AuditEvent.objects.count())
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "OVERSIGHT_IMPORT_DIR": str(settings.OVERSIGHT_IMPORT_DIR),
        "DATABASE_URL": _database_url(),
    }

    worker = subprocess.run(
        [sys.executable, "-c", _KILLER], env=env, capture_output=True, timeout=120, check=False
    )

    assert worker.returncode == -9, worker.stderr.decode()[-2000:]
    assert (registry_state(), SubjectChange.objects.count(), AuditEvent.objects.count()) == before
    record.refresh_from_db()
    assert record.state == "RUNNING" and record.phase == "WRITING"
    later = record.heartbeat_at + timedelta(
        minutes=django_settings.OVERSIGHT_IMPORT_STALE_MINUTES + 1
    )
    with clock.frozen(later):
        assert imports.interrupted(record)
    again = imports.import_run(import_id=record.pk)  # run again: it imports whole
    assert (again.state, again.added) == ("DONE", 300)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _kinds() -> list[str]:
    from oversight.catalog.selectors import catalog_in_force

    return [k.code for k in catalog_in_force().header.subject_kinds]


_ = (io, json, UTC, datetime)

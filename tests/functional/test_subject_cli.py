"""oversight subjects template|import|export on the console, acting as a user with --as."""

from __future__ import annotations

import csv
import io
import json
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from oversight.catalog.services import catalog_load
from oversight.subjects import import_rows, services
from oversight.subjects.models import Subject
from tests.conftest import CATALOG_ROOT

KIND = "KEY_SECURITY_UNIT"


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.OVERSIGHT_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def registry(city):
    catalog_load(actor=None, path=CATALOG_ROOT)
    return city


def run(*args: str) -> str:
    out = StringIO()
    call_command("subjects", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def filled_template(path: Path, username: str, rows: list[dict[str, str]]) -> Path:
    """The kind's template as ``username`` downloads it, with rows typed under the example."""
    run("template", "--kind", KIND, "--as", username, "--output", str(path))
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    columns = import_rows.columns_of(services.kind_fields(KIND))
    example = [c.value for c in ws[2]]
    for number, values in enumerate(rows, start=3):
        for index, column in enumerate(columns):
            if column.spec is None:
                continue
            value = values.get(column.spec.name, example[index])
            ws.cell(row=number, column=index + 1, value=value)
    wb.save(path)
    return path


def test_template_dry_run_import_and_import_again(registry, tmp_path):
    path = filled_template(
        tmp_path / "t.xlsx",
        "a.inspector",
        [
            {"name": "甲县一中", "credit_code": "91110000MA0000001L"},
            {"name": "甲县二中", "credit_code": "9144030071526726XG"},
        ],
    )

    preview = json.loads(
        run(
            "import",
            str(path),
            "--kind",
            KIND,
            "--as",
            "a.inspector",
            "--dry-run",
            "--format",
            "json",
        )
    )
    assert (preview["state"], preview["added"], preview["skipped"]) == ("PREVIEWED", 2, 1)
    assert Subject.objects.count() == 0

    done = json.loads(
        run("import", str(path), "--kind", KIND, "--as", "a.inspector", "--format", "json")
    )
    assert (done["state"], done["added"]) == ("DONE", 2)
    again = run("import", str(path), "--kind", KIND, "--as", "a.inspector")
    assert "0 added, 0 changed, 2 unchanged" in again
    assert Subject.objects.count() == 2


def test_a_county_user_cannot_import_into_another_county(registry, tmp_path):
    path = filled_template(
        tmp_path / "t.xlsx", "a.inspector", [{"name": "乙县单位", "agency_id": "乙县城关派出所"}]
    )

    with pytest.raises(CommandError) as refused:
        run("import", str(path), "--kind", KIND, "--as", "a.inspector")

    assert "nothing imported" in str(refused.value)
    assert Subject.objects.count() == 0
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "subjects",
            "import",
            str(path),
            "--kind",
            KIND,
            "--as",
            "a.inspector",
            stdout=out,
            stderr=StringIO(),
        )
    assert "row 3" in out.getvalue() and "乙县城关派出所" in out.getvalue()


def test_exports_hold_only_the_users_county(registry, tmp_path):
    a_file = filled_template(tmp_path / "a.xlsx", "a.inspector", [{"name": "甲县单位"}])
    b_file = filled_template(
        tmp_path / "b.xlsx",
        "b.inspector",
        [{"name": "乙县单位", "credit_code": "9144030071526726XG"}],
    )
    run("import", str(a_file), "--kind", KIND, "--as", "a.inspector")
    run("import", str(b_file), "--kind", KIND, "--as", "b.inspector")

    a_csv = tmp_path / "a.csv"
    run("export", "--kind", KIND, "--as", "a.inspector", "--output", str(a_csv))
    rows = list(csv.reader(io.StringIO(a_csv.read_text(encoding="utf-8-sig"))))
    names = [r[1] for r in rows[1:]]
    assert names == ["甲县单位"]
    everything = tmp_path / "all.xlsx"
    run("export", "--kind", KIND, "--output", str(everything))  # the operator: the whole registry
    ws = openpyxl.load_workbook(everything).worksheets[0]
    assert sorted(c.value for c in ws["B"][1:]) == ["乙县单位", "甲县单位"]


def test_a_bad_file_is_refused_in_one_line(registry, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 this is no workbook")

    with pytest.raises(CommandError) as refused:
        run("import", str(junk), "--kind", KIND, "--as", "a.inspector")

    assert "损坏" in str(refused.value) and "Traceback" not in str(refused.value)


def test_progress_is_shown_on_stderr(registry, tmp_path):
    path = filled_template(tmp_path / "t.xlsx", "a.inspector", [{"name": "甲县一中"}])
    err = StringIO()

    call_command(
        "subjects",
        "import",
        str(path),
        "--kind",
        KIND,
        "--as",
        "a.inspector",
        stdout=StringIO(),
        stderr=err,
    )

    assert err.getvalue().split() == ["reading…", "checking…", "writing…"]


def test_show_and_count_answer_only_within_the_users_county(registry, tmp_path):
    run("import", str(filled_template(tmp_path / "a.xlsx", "a.inspector", [{"name": "甲县单位"}])),
        "--kind", KIND, "--as", "a.inspector")  # fmt: skip
    subject = Subject.objects.get(name="甲县单位")
    shown = json.loads(run("show", str(subject.pk), "--as", "a.inspector", "--format", "json"))
    assert shown["id"] == subject.pk and "甲县单位" in shown["fields"].values()
    with pytest.raises(CommandError, match="not found"):
        run("show", str(subject.pk), "--as", "b.inspector")
    with pytest.raises(CommandError, match="not found"):
        run("show", "99999999999999999999999", "--as", "a.inspector")
    a_counts = json.loads(run("count", "--kind", KIND, "--as", "a.inspector", "--format", "json"))
    b_counts = json.loads(run("count", "--kind", KIND, "--as", "b.inspector", "--format", "json"))
    assert a_counts == {KIND: {"ACTIVE": 1}} and b_counts == {}

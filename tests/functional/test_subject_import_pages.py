"""The import, template and export pages, as a county inspector uses them."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from oversight.catalog.services import catalog_load
from oversight.core import clock
from oversight.subjects import import_rows, services
from oversight.subjects.models import Subject, SubjectImport
from oversight.subjects.policy import credit_check_character
from tests.conftest import CATALOG_ROOT, client_for
from tests.html import soup as page_of

KIND = "KEY_SECURITY_UNIT"


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.OVERSIGHT_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def registry(city):
    catalog_load(actor=None, path=CATALOG_ROOT)
    return city


def credit(n: int) -> str:
    first = f"9144030{n:010d}"
    return first + credit_check_character(first)


def template_rows(client) -> tuple[list[object], list[object]]:
    """The header and example row of the template ``client``'s user downloads."""
    response = client.get("/subjects/template/", {"kind": KIND})
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    return [c.value for c in ws[1]], [c.value for c in ws[2]]


def workbook(client, rows: list[dict[str, object]]) -> SimpleUploadedFile:
    """The template filled in with ``rows`` (values by field name; the rest from the example)."""
    header, example = template_rows(client)
    columns = import_rows.columns_of(services.kind_fields(KIND))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = import_rows.sheet_name(services.kind_fields(KIND))
    ws.append(header)
    ws.append(example)
    for values in rows:
        ws.append(
            [
                "" if c.spec is None else values.get(c.spec.name, example[i])
                for i, c in enumerate(columns)
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("单位.xlsx", out.getvalue())


def work() -> None:
    """Run what waits for ``oversight worker``, as its loop does (here, in the test's connection:
    the real worker closes its connections between tasks)."""
    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        task = result.task_result
        result.set_successful(result.task.call(*task.args, **task.kwargs))


def upload(client, file: SimpleUploadedFile) -> SubjectImport:
    response = client.post("/subjects/import/", {"kind": KIND, "file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return SubjectImport.objects.order_by("-id").first()


def test_a_bad_row_is_shown_with_its_cell_and_the_marked_workbook(registry):
    client = client_for(registry.a_inspector.user)
    record = upload(
        client,
        workbook(
            client,
            [
                {"name": "甲县一中", "credit_code": credit(1)},
                {"risk_grade": "Z", "credit_code": credit(2)},
            ],
        ),
    )
    work()

    page = page_of(client.get(f"/subjects/imports/{record.pk}/"))
    rows = page.select("[data-testid=errors] tbody tr")
    assert len(rows) == 1 and rows[0].select_one("td").get_text(" ", strip=True).startswith("4")
    label = str(services.kind_fields(KIND).all["risk_grade"].label)
    assert rows[0].select("td")[1].get_text(strip=True) == label
    download = client.get(f"/subjects/imports/{record.pk}/errors/")
    assert download.status_code == 200 and download["Content-Type"].startswith("application/vnd")
    assert Subject.objects.count() == 0


def test_preview_then_confirm_imports_all_rows(registry):
    client = client_for(registry.a_inspector.user)
    record = upload(
        client,
        workbook(
            client,
            [
                {"name": "甲县一中", "credit_code": credit(1)},
                {"name": "甲县二中", "credit_code": credit(2)},
            ],
        ),
    )
    queued = page_of(client.get(f"/subjects/imports/{record.pk}/"))
    assert queued.select_one("[data-testid=status]").get("hx-get", "").endswith("/progress/")
    work()
    done_check = client.get(f"/subjects/imports/{record.pk}/progress/", HTTP_HX_REQUEST="true")
    assert done_check["HX-Refresh"] == "true"
    preview = page_of(client.get(f"/subjects/imports/{record.pk}/"))
    assert preview.select_one("[data-testid=added]").get_text() == "2"
    assert Subject.objects.count() == 0

    ask = page_of(client.get(f"/subjects/imports/{record.pk}/confirm/"))
    assert "2" in ask.select_one("[data-testid=consequence]").get_text()
    assert client.post(f"/subjects/imports/{record.pk}/confirm/").status_code == 302
    work()

    record.refresh_from_db()
    assert (record.state, record.added) == ("DONE", 2)
    assert set(Subject.objects.values_list("name", flat=True)) == {"甲县一中", "甲县二中"}


def test_a_bad_file_gets_its_message_on_the_page(registry):
    client = client_for(registry.a_inspector.user)
    record = upload(client, SimpleUploadedFile("x.xlsx", b"%PDF-1.4 \x00\x01 not a workbook"))
    work()

    page = page_of(client.get(f"/subjects/imports/{record.pk}/"))
    assert "不是电子表格" in page.select_one("[data-testid=message]").get_text()


def test_a_file_over_the_limit_is_refused_before_it_is_read(registry, settings):
    settings.OVERSIGHT_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    client = client_for(registry.a_inspector.user)
    big = SimpleUploadedFile("big.xlsx", b"x" * (3 * 1024 * 1024))

    response = client.post("/subjects/import/", {"kind": KIND, "file": big})

    assert response.status_code == 413
    assert SubjectImport.objects.count() == 0


def test_an_import_is_seen_by_its_author_only(registry):
    mine = client_for(registry.a_inspector.user)
    record = upload(mine, workbook(mine, [{"name": "甲县一中"}]))

    assert (
        client_for(registry.a_leader.user).get(f"/subjects/imports/{record.pk}/").status_code == 404
    )
    assert (
        client_for(registry.b_viewer.user).get(f"/subjects/imports/{record.pk}/").status_code == 403
    )


def test_an_interrupted_import_says_nothing_was_written(registry):
    client = client_for(registry.a_inspector.user)
    record = upload(client, workbook(client, [{"name": "甲县一中"}]))
    SubjectImport.objects.filter(pk=record.pk).update(state="RUNNING", heartbeat_at=clock.now())

    with clock.frozen(clock.now() + timedelta(minutes=20)):  # stale, not yet logged out
        page = page_of(client.get(f"/subjects/imports/{record.pk}/"))

    assert page.select_one("[data-testid=interrupted]") is not None


def test_the_template_example_names_the_users_own_agency(registry):
    header, example = template_rows(client_for(registry.a_inspector.user))
    agency = next(
        i
        for i, c in enumerate(import_rows.columns_of(services.kind_fields(KIND)))
        if c.spec and c.spec.name == "agency_id"
    )
    assert example[agency] == "甲县城关派出所"
    csv_text = client_for(registry.a_inspector.user).get(
        "/subjects/template/", {"kind": KIND, "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(csv_text.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == header and rows[1][0].startswith("【填写示例】")


def test_a_county_user_exports_only_its_countys_subjects(registry):
    a = client_for(registry.a_inspector.user)
    b = client_for(registry.b_inspector.user)
    for client, name, code in ((a, "甲县单位", credit(1)), (b, "乙县单位", credit(2))):
        record = upload(client, workbook(client, [{"name": name, "credit_code": code}]))
        work()
        client.post(f"/subjects/imports/{record.pk}/confirm/")
        work()
    assert Subject.objects.count() == 2

    response = a.get("/subjects/export/", {"kind": KIND, "format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == ["甲县单位"]
    whole = a.get("/subjects/export/", {"kind": KIND})
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(whole.streaming_content))).worksheets[0]
    assert [c.value for c in ws["B"][1:]] == ["甲县单位"]
    assert a.get("/subjects/export/").status_code == 302  # no kind chosen: back to the list

"""Spreadsheets the registry writes (with openpyxl): a kind's template, an export, the workbook
that marks an import's bad cells.

A template and an export have the same columns (``imports.columns_of``), so an export edited and
imported again changes only what was edited. The template's second row is a filled-in example
(填写示例), marked in its first column so that the import skips it; its values, typed into a new
row, import as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from oversight.core.fields import FieldSpec
from oversight.org.models import Agency
from oversight.org.scope import Viewer
from oversight.subjects.import_rows import (
    EXAMPLE_MARK,
    Column,
    Jurisdictions,
    RowError,
    columns_of,
    sheet_name,
)
from oversight.subjects.models import RiskGrade, Subject, SubjectStatus
from oversight.subjects.services import KindFields
from oversight.subjects.sheets import Table, column_letter

EXAMPLE_CREDIT_CODE = "91110000MA0000001L"  # shaped and checked as GB 32100 asks; no real unit
EXAMPLE_DATE = date(2024, 1, 15)
TEMPLATE_ROWS = 2000  # rows a template's drop-down lists and text formats reach
_RED = PatternFill("solid", fgColor="FFC7CE")
_EXAMPLE = PatternFill("solid", fgColor="FFF2CC")
_HEAD = PatternFill("solid", fgColor="DDEBF7")
_BOLD = Font(bold=True)
_CSV_GUARDED = ("=", "+", "-", "@")


def _own_agency(viewer: Viewer | None) -> int:
    if viewer is not None and viewer.agency_id is not None:
        return viewer.agency_id
    root = Agency.objects.filter(parent__isnull=True).order_by("pk").values_list("pk", flat=True)
    return root.first() or 0


def example_value(spec: FieldSpec) -> Any:
    """A value that passes ``spec``: the one declared, or one made from its rules."""
    if spec.example not in (None, ""):
        return spec.example
    if spec.kind == "choice":
        return spec.choices[0][0] if spec.choices else ""
    if spec.kind == "boolean":
        return True
    if spec.kind == "date":
        return EXAMPLE_DATE
    if spec.kind in ("integer", "decimal"):
        low = spec.minimum if spec.minimum is not None else Decimal(1)
        return max(low, Decimal(1)) if spec.maximum is None or spec.maximum >= 1 else low
    return ""


def example_values(kind: KindFields, viewer: Viewer | None) -> dict[str, Any]:
    """The values of a kind's example row, as stored (codes of choices, the agency's id)."""
    common: dict[str, Any] = {
        "name": _("Example Trading Co., Ltd."),
        "credit_code": EXAMPLE_CREDIT_CODE,
        "agency_id": _own_agency(viewer),
        "address": _("No. 1, Example Road"),
        "contact_name": _("Zhang San"),
        "contact_phone": "13800000000",
        "risk_grade": RiskGrade.C.value,
        "status": SubjectStatus.ACTIVE.value,
        "registered_on": EXAMPLE_DATE,
        "notes": "",
    }
    return {
        spec.name: common[spec.name] if spec.name in common else example_value(spec)
        for spec in kind.all.specs
    }


def cell_value(spec: FieldSpec, value: Any, jurisdictions: Jurisdictions) -> Any:
    """One stored value as a sheet shows it: a choice's label, 是/否, a date, a number, a name."""
    if value is None or value == "":
        return ""
    if spec.name == "agency_id":
        return jurisdictions.shown(value) if value in jurisdictions.names else ""
    if spec.kind == "choice":
        return str(dict(spec.choices).get(value, value))
    if spec.kind == "boolean":
        return "是" if value in (True, "true") else "否"
    if spec.kind == "date":
        return date.fromisoformat(value) if isinstance(value, str) else value
    if spec.kind == "integer":
        return int(value)
    if spec.kind == "decimal":
        return Decimal(str(value))
    return str(value)


def rule_text(spec: FieldSpec | None) -> str:
    """What a column takes, in words, for the template's instructions sheet."""
    if spec is None:
        return _("Leave empty. It marks the template's example row, which the import skips.")
    if spec.name == "agency_id":
        words = _(
            "The name of an agency in your jurisdiction; where two agencies share a name, its code."
        )
    elif spec.kind == "choice":
        words = _("One of: %(labels)s.") % {"labels": "、".join(str(lb) for _v, lb in spec.choices)}
    elif spec.kind == "date":
        words = _("A date, as 2024-01-15.")
    elif spec.kind == "boolean":
        words = _("是 or 否.")
    elif spec.kind in ("integer", "decimal"):
        words = _("A whole number.") if spec.kind == "integer" else _("A number.")
        if spec.minimum is not None or spec.maximum is not None:
            words += " " + _("From %(low)s to %(high)s.") % {
                "low": spec.minimum if spec.minimum is not None else "—",
                "high": spec.maximum if spec.maximum is not None else "—",
            }
        if spec.unit:
            words += " " + _("In %(unit)s.") % {"unit": spec.unit}
    else:
        words = _("Text of at most %(n)d characters.") % {"n": spec.max_length or 200}
        if spec.pattern_message:
            words += " " + str(spec.pattern_message)
    help_text = str(spec.help_text or "")
    return f"{words} {help_text}".strip()


def row_cells(
    columns: list[Column], values: dict[str, Any], jurisdictions: Jurisdictions, mark: str
) -> list[Any]:
    return [
        mark if c.spec is None else cell_value(c.spec, values.get(c.spec.name), jurisdictions)
        for c in columns
    ]


def _text_cell(ws: Any, value: Any) -> Any:
    """A cell that keeps text as text (a value starting with = is no formula)."""
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value:
        cell.data_type = "s"
    return cell


# --- the template -----------------------------------------------------------------------------


def template_xlsx(kind: KindFields, viewer: Viewer | None, out: IO[bytes] | Path) -> None:
    """Write a kind's template: the header, the example row, an instructions sheet."""
    columns = columns_of(kind)
    jurisdictions = Jurisdictions(viewer)
    values = example_values(kind, viewer)
    example = row_cells(columns, values, jurisdictions, EXAMPLE_MARK)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet_name(kind)
    ws.append([c.header for c in columns])
    ws.append(example)
    ws.freeze_panes = "B2"
    for index, column in enumerate(columns):
        letter = column_letter(index)
        head = ws.cell(row=1, column=index + 1)
        head.font, head.fill = _BOLD, _HEAD
        head.comment = Comment(rule_text(column.spec), "")
        ws.cell(row=2, column=index + 1).fill = _EXAMPLE
        ws.column_dimensions[letter].width = max(12, min(40, 2 * len(column.header) + 4))
        spec = column.spec
        cells = f"{letter}3:{letter}{TEMPLATE_ROWS}"
        if spec is not None and spec.kind == "date":
            ws.cell(row=2, column=index + 1).number_format = "yyyy-mm-dd"
            for row in range(3, TEMPLATE_ROWS + 1):
                ws.cell(row=row, column=index + 1).number_format = "yyyy-mm-dd"
        elif spec is None or spec.kind in ("text", "choice") or spec.name == "agency_id":
            # Text stays text: an 18-digit credit code or a phone number is not a number.
            for row in range(2, TEMPLATE_ROWS + 1):
                ws.cell(row=row, column=index + 1).number_format = "@"
        if spec is not None and spec.kind in ("choice", "boolean"):
            labels = [str(lb) for _v, lb in spec.choices] if spec.kind == "choice" else ["是", "否"]
            listed = ",".join(labels)
            if len(listed) <= 250 and not any("," in lb or '"' in lb for lb in labels):
                check = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
                check.error = rule_text(spec)
                check.add(cells)
                ws.add_data_validation(check)
    guide = wb.create_sheet(_("Instructions")[:31])
    guide.append([_("Column"), _("Required"), _("What to fill in"), _("Example")])
    for cell in guide[1]:
        cell.font, cell.fill = _BOLD, _HEAD
    for column, shown in zip(columns, example, strict=True):
        required = column.spec is not None and column.spec.required
        guide.append(
            [
                column.header,
                _("required") if required else _("optional"),
                rule_text(column.spec),
                shown if not isinstance(shown, date) else shown.isoformat(),
            ]
        )
    for letter, width in zip("ABCD", (24, 8, 70, 30), strict=True):
        guide.column_dimensions[letter].width = width
    wb.save(out)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(_CSV_GUARDED) and not _is_number(text):
        return "'" + text  # a spreadsheet would read it as a formula (CSV injection)
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def csv_bytes(rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """Yield a CSV in UTF-8 with its byte-order mark (so Excel reads the Chinese), in pieces."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield "\ufeff".encode()
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_text(v) for v in row])
        if count % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def template_csv(kind: KindFields, viewer: Viewer | None) -> bytes:
    """The template as CSV: the header and the example row."""
    columns = columns_of(kind)
    values = example_values(kind, viewer)
    example = row_cells(columns, values, Jurisdictions(viewer), EXAMPLE_MARK)
    return b"".join(csv_bytes([[c.header for c in columns], example]))


# --- exports ------------------------------------------------------------------------------------


def export_rows(
    kind: KindFields, subjects: Iterable[Subject], viewer: Viewer | None
) -> Iterator[list[Any]]:
    """Yield the header, then one row per subject, in the template's columns."""
    columns = columns_of(kind)
    jurisdictions = Jurisdictions(viewer)
    yield [c.header for c in columns]
    common = [n for n in kind.common]
    for subject in subjects:
        values = {name: getattr(subject, name) for name in common} | dict(subject.attributes)
        yield row_cells(columns, values, jurisdictions, "")


def export_xlsx(
    kind: KindFields, subjects: Iterable[Subject], viewer: Viewer | None, out: IO[bytes] | Path
) -> int:
    """Write an export as XLSX (streamed, any size); return the number of subjects written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_name(kind))
    count = -1
    for count, row in enumerate(export_rows(kind, subjects, viewer)):  # noqa: B007
        ws.append([_text_cell(ws, v) for v in row])
    wb.save(out)
    return max(count, 0)


# --- the workbook of an import's errors -----------------------------------------------------------


def error_workbook(table: Table, errors: list[RowError], out: Path) -> None:
    """Write the rows that have errors, as read, with the bad cells marked and each reason in a
    note and a last column; and a sheet listing every error."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Rows with errors")[:31]
    header = list(table.rows[0]) if table.rows else []
    ws.append([_("Row"), *header, _("Errors")])
    for cell in ws[1]:
        cell.font, cell.fill = _BOLD, _HEAD
    by_row: dict[int, list[RowError]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(error)
    for out_row, (number, found) in enumerate(sorted(by_row.items()), start=2):
        cells = table.rows[number - 1] if 0 < number <= len(table.rows) else []
        ws.append(
            [
                number,
                *(_plain(c) for c in cells),
                "；".join(f"{e.column}：{e.reason}" for e in found),
            ]
        )
        for error in found:
            index = _column_index(error.cell)
            if index is None:
                continue
            target = ws.cell(row=out_row, column=index + 2)
            target.fill = _RED
            target.comment = Comment(error.reason, "")
    listing = wb.create_sheet(_("Errors")[:31])
    listing.append([_("Row"), _("Cell"), _("Column"), _("Value"), _("Reason")])
    for cell in listing[1]:
        cell.font, cell.fill = _BOLD, _HEAD
    for error in errors:
        listing.append([error.row, error.cell, error.column, error.value, error.reason])
    wb.save(out)


def _plain(cell: Any) -> Any:
    if isinstance(cell, str) and cell.startswith("="):
        return "'" + cell
    return cell


def _column_index(ref: str) -> int | None:
    letters = "".join(ch for ch in ref if ch.isalpha())
    if not letters:
        return None
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1

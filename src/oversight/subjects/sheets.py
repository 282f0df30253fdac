"""Read a spreadsheet someone uploaded, after checking by its content that it is one we can read.

An import reads XLSX (with python-calamine) and CSV (UTF-8, or GB18030 as Excel saves it on a
Chinese Windows). Everything else is refused before it is parsed, with a message that names the
problem: not a spreadsheet, an old or binary workbook, a password, a damaged or oversized file,
no such sheet, an empty sheet, formulas, merged cells. A refusal is a ``FileRefused``; nothing
here raises anything else for a bad file.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import python_calamine
from django.utils.translation import gettext as _

from oversight.core.errors import DomainError

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: .xls, or an encrypted .xlsx
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
# A workbook unpacks to at most this many times its size (plain XLSX: 5 to 20 times).
UNPACKED_RATIO = 30
SHOWN = 5  # cells or ranges named in a refusal before "…"

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_F_END = re.compile(rb"f>")
_CELL_REF = re.compile(rb"<(?:[A-Za-z0-9]+:)?c\s[^>]*?\br=\"([A-Z]+[0-9]+)\"")

Cell = Any  # str, float, int, bool, date, datetime, time, timedelta


class FileRefused(DomainError):
    """The file cannot be imported as it is; the message says why and what to do."""

    def __init__(self, message: Any) -> None:
        super().__init__(message, field="file")


@dataclass
class Table:
    """The cells of one sheet: ``rows[0]`` is row 1 of the sheet (the header)."""

    rows: list[list[Cell]]
    file_format: str  # "xlsx" or "csv"


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _listed(items: list[str]) -> str:
    shown = "、".join(items[:SHOWN])
    return shown + ("……" if len(items) > SHOWN else "")


def sniff(path: Path, *, max_bytes: int) -> str:
    """Return "xlsx" or "csv" for a file we may read; refuse any other by what it is."""
    size = path.stat().st_size
    if size == 0:
        raise FileRefused(_("The file is empty."))
    if size > max_bytes:
        raise FileRefused(
            _("The file is %(size)s MB; an import reads at most %(limit)s MB. Split it in parts.")
            % {"size": _megabytes(size), "limit": _megabytes(max_bytes)}
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head == OLE_MAGIC:
        if _has_encryption_info(path):
            raise FileRefused(
                _(
                    "The workbook is protected by a password. Open it in Excel, remove the "
                    "password (File → Info → Protect Workbook) and save it again."
                )
            )
        raise FileRefused(
            _("This is an old Excel workbook (.xls). Save it as an Excel workbook (.xlsx).")
        )
    return "csv"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def _has_encryption_info(path: Path) -> bool:
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            if _ENCRYPTION_INFO in tail + chunk:
                return True
            tail = chunk[-len(_ENCRYPTION_INFO) :]
    return False


def read_table(path: Path, *, sheet: str, max_bytes: int) -> Table:
    """Return the cells of ``sheet`` (XLSX) or of the file (CSV), checked as described above."""
    file_format = sniff(path, max_bytes=max_bytes)
    rows = _read_xlsx(path, sheet, max_bytes) if file_format == "xlsx" else _read_csv(path)
    while rows and all(_blank(c) for c in rows[-1]):
        rows.pop()
    if not rows:
        raise FileRefused(_("The sheet is empty: put the column names in row 1."))
    return Table(rows=rows, file_format=file_format)


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and cell.strip() == "")


# --- XLSX -----------------------------------------------------------------------------------------


def _damaged() -> FileRefused:
    return FileRefused(
        _("The file is damaged or is not an Excel workbook (.xlsx). Save it again from Excel.")
    )


def _read_xlsx(path: Path, sheet: str, max_bytes: int) -> list[list[Cell]]:
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet, max_bytes)
            _refuse_formulas(archive, part)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ElementTree.ParseError, KeyError, OSError):
        raise _damaged() from None
    except (NotImplementedError, RuntimeError):  # an unknown compression, an encrypted member
        raise _damaged() from None
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        data = workbook.get_sheet_by_name(sheet)
        merged = data.merged_cell_ranges or []
        if merged:
            ranges = [_range_name(start, end) for start, end in merged]
            raise FileRefused(
                _(
                    "Cells are merged (%(ranges)s). Unmerge them and put a value in every cell "
                    "of each row."
                )
                % {"ranges": _listed(ranges)}
            )
        rows = data.to_python(skip_empty_area=False)
        workbook.close()
    except python_calamine.PasswordError:
        raise FileRefused(_("The workbook is protected by a password: remove it.")) from None
    except python_calamine.CalamineError:
        raise _damaged() from None
    return [row if row.__class__ is list else list(row) for row in rows]


def _range_name(start: tuple[int, int], end: tuple[int, int]) -> str:
    return (
        f"{column_letter(start[1])}{start[0] + 1}:{column_letter(end[1])}{end[0] + 1}"
        if start != end
        else f"{column_letter(start[1])}{start[0] + 1}"
    )


def _sheet_part(archive: zipfile.ZipFile, sheet: str, max_bytes: int) -> str:
    """Return the archive member holding ``sheet``; refuse what is no workbook or no such sheet."""
    names = set(archive.namelist())
    if "xl/workbook.bin" in names:
        raise FileRefused(
            _("This is a binary Excel workbook (.xlsb). Save it as an Excel workbook (.xlsx).")
        )
    if "xl/workbook.xml" not in names:
        raise FileRefused(
            _("The file is an archive, not an Excel workbook (.xlsx). Choose the workbook itself.")
        )
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > max_bytes * UNPACKED_RATIO:
        raise FileRefused(_("The workbook unpacks to far more than it holds: it is not read."))
    # ElementTree resolves no external entity and the bundled expat (2.4.1+) refuses entity
    # expansion attacks; these two parts are a workbook's small index, read before any data.
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
    sheets = {
        s.get("name", ""): s.get(f"{{{_NS_REL}}}id", "")
        for s in workbook.iter(f"{{{_NS_MAIN}}}sheet")
    }
    if not sheets:
        raise FileRefused(_("The workbook has no sheets."))
    if sheet not in sheets:
        raise FileRefused(
            _(
                "The workbook has no sheet named “%(sheet)s” (its sheets: %(found)s). Put the "
                "data on a sheet with that name, as in the template."
            )
            % {"sheet": sheet, "found": _listed(list(sheets))}
        )
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{{{_NS_PKG}}}Relationship")}
    target = targets.get(sheets[sheet], "")
    part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    if part not in names:
        raise _damaged()
    return part


def _refuse_formulas(archive: zipfile.ZipFile, part: str) -> None:
    """Refuse a sheet with formulas: the import would read values Excel last computed.

    A formula is an ``<f>`` element of a cell; every formula closes one (``</f>``, ``</x:f>``).
    The sheet's XML is scanned in chunks for ``f>``, the rare hits then looked at closely.
    """
    cells: list[str] = []
    found = False
    tail = b""
    with archive.open(part) as xml:
        while chunk := xml.read(1 << 22):
            text = tail + chunk
            for match in _F_END.finditer(text):
                if text[match.start() - 1 : match.start()] not in (b"/", b":", b"<"):
                    continue
                found = True
                refs = list(_CELL_REF.finditer(text, max(match.start() - 2000, 0), match.start()))
                ref = refs[-1].group(1).decode() if refs else ""
                if ref and ref not in cells:
                    cells.append(ref)
                if len(cells) > SHOWN:
                    break
            if len(cells) > SHOWN:
                break
            tail = text[-2048:]
    if found:
        raise FileRefused(
            _(
                "Cells hold formulas (%(cells)s). Copy the sheet and paste it as values "
                "(Paste Special → Values), then import that."
            )
            % {"cells": _listed(cells) or "?"}
        )


# --- CSV ------------------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[list[Cell]]:
    raw = path.read_bytes()
    if b"\x00" in raw[: 1 << 16]:
        raise _not_a_spreadsheet()
    text = _decode(raw)
    if text is None:
        raise _not_a_spreadsheet()
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error:
        raise _not_a_spreadsheet() from None


def _not_a_spreadsheet() -> FileRefused:
    return FileRefused(
        _("The file is not a spreadsheet: import an Excel workbook (.xlsx) or a CSV file.")
    )


def _decode(raw: bytes) -> str | None:
    """UTF-8 (with or without its mark), else GB18030 (Excel's CSV on Chinese Windows)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    return None


def _looks_like_text(text: str) -> bool:
    sample = text[:65536]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n")
    return controls == 0


def iter_nonblank(rows: list[list[Cell]], start: int) -> Iterator[tuple[int, list[Cell]]]:
    """Yield (sheet row number, cells) for every row from ``start`` (0-based) that holds a value."""
    for index in range(start, len(rows)):
        row = rows[index]
        for cell in row:  # _blank, inline: a million cells
            if cell is not None and (not isinstance(cell, str) or cell.strip()):
                yield index + 1, row
                break

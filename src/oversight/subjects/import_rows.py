"""Check the rows of an import's sheet: its columns by their labels, each cell against the kind's
declared fields with ``clean_value`` (the rules of the pages and the API), the jurisdiction by
name or code within the actor's scope, each row's natural key. Nothing here writes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import itemgetter
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from oversight.core.errors import DomainError
from oversight.core.fields import FieldSpec, clean_value
from oversight.org.models import Agency
from oversight.org.scope import Viewer
from oversight.subjects import policy
from oversight.subjects.models import SubjectImport
from oversight.subjects.services import KindFields, storable
from oversight.subjects.sheets import Cell, FileRefused, Table, column_letter, iter_nonblank

# The first column of a template marks its example row; the import skips rows marked so.
EXAMPLE_MARK = "【填写示例】导入时跳过此行"
_EXAMPLE_PREFIXES = ("【填写示例】", "填写示例", "[填写示例]")
PROGRESS_EVERY = 2000  # rows between two progress notes
ERRORS_KEPT = 10_000  # errors kept in the report (all are counted)


# --- the sheet's columns ------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a kind's sheet: a declared field, or (``spec`` None) the example mark."""

    spec: FieldSpec | None
    label: str

    @property
    def header(self) -> str:
        """The header a template writes: the label, with ``*`` when the field is required."""
        return f"{self.label}*" if self.spec is not None and self.spec.required else self.label


def marker_label() -> str:
    return _("Example row")


def importable(kind: KindFields) -> bool:
    """Subjects of a kind that follows the organisation are never typed, so never imported."""
    return not kind.linked


def columns_of(kind: KindFields) -> list[Column]:
    """The columns of a kind's template, export and import, in the declaration's order."""
    return [Column(None, marker_label())] + [Column(s, str(s.label)) for s in kind.all.specs]


def sheet_name(kind: KindFields) -> str:
    """The name of the data sheet: the kind's name, as Excel allows a sheet name."""
    return re.sub(r"[\[\]:*?/\\]", "", kind.name)[:31] or kind.code[:31]


def _header_key(text: Any) -> str:
    key = unicodedata.normalize("NFKC", str(text or "")).strip()
    return key.rstrip("*").strip()


def map_header(header: list[Cell], columns: list[Column]) -> dict[int, Column]:
    """Return {cell index: column}; refuse missing, repeated or unknown column names.

    Labels are read in the user's language and in Chinese; a required column may be marked ``*``.
    """
    wanted: dict[str, Column] = {}
    for column in columns:
        wanted[_header_key(column.label)] = column
        if column.spec is not None:
            with translation.override("zh-hans"):
                wanted.setdefault(_header_key(str(column.spec.label)), column)
        else:
            with translation.override("zh-hans"):
                wanted.setdefault(_header_key(marker_label()), column)
    found: dict[int, Column] = {}
    seen: dict[Column, str] = {}
    repeated: list[str] = []
    unknown: list[str] = []
    for index, cell in enumerate(header):
        key = _header_key(cell)
        if not key:
            continue
        match = wanted.get(key)
        if match is None:
            unknown.append(f"{column_letter(index)}「{key}」")
        elif match in seen:
            repeated.append(key)
        else:
            seen[match] = key
            found[index] = match
    if repeated:
        raise FileRefused(
            _("These columns appear twice: %(names)s. Keep one of each.")
            % {"names": "、".join(dict.fromkeys(repeated))}
        )
    missing = [c.label for c in columns if c.spec is not None and c not in seen]
    if missing:
        raise FileRefused(
            _(
                "Row 1 lacks these columns: %(names)s. Row 1 holds the column names exactly as "
                "in the template."
            )
            % {"names": "、".join(missing)}
        )
    if unknown:
        raise FileRefused(
            _("The kind has no columns named %(names)s. Remove them or correct their names.")
            % {"names": "、".join(unknown)}
        )
    return found


# --- jurisdictions by name or code ----------------------------------------------------------------


class Jurisdictions:
    """The agencies a row may name as its jurisdiction: those in the actor's scope, by code, by
    name when only one has it, or as ``name（code）`` (what an export writes when names repeat)."""

    def __init__(self, viewer: Viewer | None) -> None:
        qs = Agency.objects.all()
        if viewer is not None:
            assert viewer.scope_path
            qs = qs.filter(path__startswith=viewer.scope_path)
        self.by_code: dict[str, tuple[int, bool]] = {}
        self.by_name: dict[str, list[tuple[int, bool]]] = {}
        self.names: dict[int, str] = {}
        self.codes: dict[int, str] = {}
        for pk, code, name, active in qs.values_list("pk", "code", "name", "active"):
            self.by_code[code.upper()] = (pk, active)
            self.by_name.setdefault(_header_key(name), []).append((pk, active))
            self.names[pk] = name
            self.codes[pk] = code
        self._memo: dict[str, int | DomainError] = {}

    def shown(self, agency_id: int) -> str:
        """How an export names an agency: its name, or ``name（code）`` if the name repeats."""
        name = self.names[agency_id]
        if len(self.by_name.get(_header_key(name), [])) > 1:
            return f"{name}（{self.codes[agency_id]}）"
        return name

    def resolve(self, raw: Any) -> int:
        """Return the agency's id; raise DomainError (field ``agency_id``) if it is not one."""
        text = _header_key(raw)
        if text not in self._memo:
            try:
                self._memo[text] = self._resolve(text)
            except DomainError as exc:
                self._memo[text] = exc
        found = self._memo[text]
        if isinstance(found, DomainError):
            raise found
        return found

    def _resolve(self, text: str) -> int:
        if not text:
            raise DomainError(_("This field is required."), field="agency_id")
        paired = re.fullmatch(r"(.+)[（(]([^（）()]+)[）)]", text)
        candidates: list[tuple[int, bool]] = []
        if paired and paired.group(2).strip().upper() in self.by_code:
            candidates = [self.by_code[paired.group(2).strip().upper()]]
        elif text.upper() in self.by_code:
            candidates = [self.by_code[text.upper()]]
        else:
            candidates = self.by_name.get(text, [])
        if not candidates:
            raise DomainError(
                _("No agency of your jurisdiction has this name or code."), field="agency_id"
            )
        if len(candidates) > 1:
            raise DomainError(
                _("Several agencies have this name: write its code instead."), field="agency_id"
            )
        pk, active = candidates[0]
        if not active:
            raise DomainError(_("The agency is deactivated."), field="agency_id")
        return pk


# --- one cell, one row ----------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def _as_date(text: str) -> date | str:
    match = _DATE.match(unicodedata.normalize("NFKC", text).strip())
    if not match:
        return text
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return text


def _prepared(spec: FieldSpec, cell: Cell, choices: Mapping[str, str]) -> Any:
    """Turn what a spreadsheet holds into what ``clean_value`` reads for this field.

    Whole numbers read as 3.0 become 3; numbers in text columns become their digits; dates in
    text columns become ISO text; choices may be written as their label; a CSV export's guard
    quote before ``=`` ``+`` ``-`` ``@`` is dropped.
    """
    kind = spec.kind
    if cell is None:
        return ""
    if isinstance(cell, str):
        text = cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell
        if kind == "choice":
            return choices.get(_header_key(text), text)
        if kind == "date":
            return _as_date(text)
        return text
    if isinstance(cell, bool):
        if kind == "boolean":
            return cell
        return "是" if cell else "否"
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        cell = int(cell)
    if isinstance(cell, int | float):
        if kind in ("integer", "decimal"):
            return cell
        text = str(cell)
        return choices.get(text, text) if kind == "choice" else text
    if isinstance(cell, datetime):
        if kind == "date" and cell.time() == datetime.min.time():
            return cell.date()
        return cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell if kind == "date" else cell.isoformat()
    if isinstance(cell, timedelta):
        return str(cell)
    return str(cell)


def _shown(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e15:
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell)


@dataclass(frozen=True)
class RowError:
    row: int  # the sheet's row number (the header is row 1)
    column: str  # the column's label
    value: str
    reason: str
    cell: str = ""  # A1-style reference ("" for a problem of the whole row)


@dataclass
class Row:
    """A row that passed: its subject's natural key and values as stored (``after``: the common
    columns, ``agency_id`` and the kind's own fields, dates as ISO text, decimals as text)."""

    number: int
    key: str
    after: dict[str, Any]


@dataclass
class Checked:
    rows: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    skipped: int = 0
    total: int = 0

    def refuse(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < ERRORS_KEPT:
            self.errors.append(error)


Progress = Callable[[str, int, int], None]


def quiet(phase: str, done: int, total: int) -> None:
    return None


_MEMO_LIMIT = 50_000  # distinct values remembered per column before the memory starts over
_NONE = type(None)


class _Cleaner:
    """One column's cells turned into clean values (or the DomainError refusing them), each
    distinct value once where values repeat (a jurisdiction, a grade, a status)."""

    def __init__(self, convert: Callable[[Cell], Any]) -> None:
        self.convert = convert
        # By the cell's exact type, so that 1, 1.0 and True (equal in Python) stay apart.
        self.memos: dict[type, dict[Any, Any]] = {}
        self.remember = True  # until the column shows mostly distinct values (names, codes)

    def _memo(self, kind: type, room: int) -> dict[Any, Any]:
        memo = self.memos.setdefault(kind, {})
        if len(memo) + room > _MEMO_LIMIT:
            memo.clear()
        return memo

    def clean(self, cells: tuple[Cell, ...]) -> list[Any]:
        """Return the cells' results, in order."""
        if not self.remember:
            return list(map(self.convert, cells))
        kinds = set(map(type, cells))
        kinds.discard(_NONE)
        if len(kinds) <= 1:  # one type (and empty cells): look the cells up as they are
            distinct = dict.fromkeys(cells)
            if len(distinct) * 2 > len(cells):
                self.remember = False
                self.memos.clear()
                return list(map(self.convert, cells))
            memo = self._memo(kinds.pop() if kinds else _NONE, len(distinct))
            missing = [v for v in distinct if v not in memo]
            memo.update(zip(missing, map(self.convert, missing), strict=True))
            return list(map(memo.__getitem__, cells))
        results = []
        for cell in cells:
            memo = self._memo(cell.__class__, 1)
            if cell not in memo:
                memo[cell] = self.convert(cell)
            results.append(memo[cell])
        return results


def _refusing(results: list[Any]) -> bool:
    """Whether any result is a DomainError (looked at by type: a million results)."""
    return any(issubclass(t, DomainError) for t in set(map(type, results)))


class RowChecker:
    """Check the rows of one sheet against one kind, a block of rows at a time: each column of
    the block cleaned at once (each distinct value once), then each row put together."""

    def __init__(self, kind: KindFields, jurisdictions: Jurisdictions) -> None:
        self.kind = kind
        self.jurisdictions = jurisdictions
        self.own = list(kind.own)
        self.choices = {
            spec.name: {
                **{_header_key(label): str(value) for value, label in spec.choices},
                **{str(value): str(value) for value, _label in spec.choices},
            }
            for spec in kind.all.specs
            if spec.kind == "choice"
        }
        self._cleaners = {spec.name: _Cleaner(self._converter(spec)) for spec in kind.all.specs}
        self._marks = _Cleaner(_header_key)

    def _converter(self, spec: FieldSpec) -> Callable[[Cell], Any]:
        """Return cell → clean value as stored, or the DomainError refusing it."""
        if spec.name == "agency_id":
            resolve = self.jurisdictions.resolve

            def agency(cell: Cell) -> Any:
                try:
                    return resolve(cell)
                except DomainError as exc:
                    return exc

            return agency
        choices = self.choices.get(spec.name, {})

        def convert(cell: Cell) -> Any:
            try:
                return storable(clean_value(spec, _prepared(spec, cell, choices)))
            except DomainError as exc:
                return exc

        return convert

    def check(self, table: Table, header: dict[int, Column], progress: Progress = quiet) -> Checked:
        """Check every data row (from row 2); skip rows marked as the template's example."""
        result = Checked()
        places = {c.spec.name: i for i, c in header.items() if c.spec is not None}
        marker = next((i for i, c in header.items() if c.spec is None), None)
        keys: dict[str, int] = {}
        rows = list(iter_nonblank(table.rows, 1))
        result.total = len(rows)
        for start in range(0, result.total, PROGRESS_EVERY):
            if start:
                progress(SubjectImport.Phase.CHECKING, start, result.total)
            self._block(rows[start : start + PROGRESS_EVERY], places, marker, keys, result)
        progress(SubjectImport.Phase.CHECKING, result.total, result.total)
        return result

    def _block(
        self,
        block: list[tuple[int, list[Cell]]],
        places: dict[str, int],
        marker: int | None,
        keys: dict[str, int],
        result: Checked,
    ) -> None:
        """Check a block of rows: the same checks, the same errors in the same order, as one row
        after the other (``services.clean_subject``'s checks, every refused cell reported)."""
        specs = self.kind.all.specs
        names = [spec.name for spec in specs]
        indices = [places[name] for name in names]
        if marker is not None:
            indices.append(marker)
        width = max(indices) + 1
        padded = [
            cells if len(cells) >= width else [*cells, *([None] * (width - len(cells)))]
            for _number, cells in block
        ]
        columns = list(zip(*map(itemgetter(*indices), padded), strict=True))
        cleaned = [
            self._cleaners[name].clean(cells)
            for name, cells in zip(names, columns[: len(names)], strict=True)
        ]
        refused: dict[int, list[tuple[str, DomainError]]] = {}
        for name, results in zip(names, cleaned, strict=True):
            if _refusing(results):
                for at, found in enumerate(results):
                    if isinstance(found, DomainError):
                        refused.setdefault(at, []).append((name, found))
        marks = self._marks.clean(columns[-1]) if marker is not None else []
        for at, values in enumerate(zip(*cleaned, strict=True)):
            number, cells = block[at]
            if marker is not None and marks[at]:
                self._marked(marks[at], marker, number, result)
                continue
            if refused and at in refused:
                for name, exc in refused[at]:
                    result.refuse(self._error(number, name, cells, places, str(exc.message)))
                continue
            row = self._row(number, dict(zip(names, values, strict=True)), cells, places, result)
            if row is None:
                continue
            first = keys.setdefault(row.key, number)
            if first != number:
                column = "credit_code" if row.key.startswith("credit:") else "name"
                reason = _("The same subject as row %(row)d.") % {"row": first}
                result.refuse(self._error(number, column, cells, places, reason))
                continue
            result.rows.append(row)

    def _marked(self, mark: str, marker: int, number: int, result: Checked) -> None:
        """A row with something in the example column: the template's example (skipped), or an
        error of that row."""
        if mark.startswith(_EXAMPLE_PREFIXES):
            result.skipped += 1
            return
        result.refuse(
            RowError(
                row=number,
                column=marker_label(),
                value=mark,
                reason=_("Leave this column empty: it marks the template's example row."),
                cell=f"{column_letter(marker)}{number}",
            )
        )

    def _error(
        self, number: int, name: str, cells: list[Cell], places: dict[str, int], reason: str
    ) -> RowError:
        index = places.get(name)
        value = _shown(cells[index]) if index is not None and index < len(cells) else ""
        return RowError(
            row=number,
            column=str(self.kind.all[name].label) if name in self.kind.all else "",
            value=value,
            reason=reason,
            cell=f"{column_letter(index)}{number}" if index is not None else "",
        )

    def _row(
        self,
        number: int,
        after: dict[str, Any],
        cells: list[Cell],
        places: dict[str, int],
        result: Checked,
    ) -> Row | None:
        """A row whose cells all passed: the credit code's check character, the natural key."""
        code = after.get("credit_code") or ""
        problem = policy.credit_code_problem(code) if code else None
        if problem:
            reason = (
                _("The credit code's check character does not match: check each character.")
                if problem == "check"
                else _("A unified social credit code has 18 digits or capital letters.")
            )
            result.refuse(self._error(number, "credit_code", cells, places, reason))
            return None
        after["credit_code"] = code
        if after.get("registered_on") == "":
            after["registered_on"] = None
        key = policy.natural_key(
            credit_code=code,
            linked_agency_id=None,
            agency_id=after["agency_id"],
            name=after["name"],
        )
        return Row(number, key, after)

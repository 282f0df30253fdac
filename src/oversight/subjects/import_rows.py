"""Check the rows of an import's sheet: its columns by their labels, each cell against the kind's
declared fields with ``clean_value`` (the rules of the pages and the API), the jurisdiction by
name or code within the actor's scope, each row's natural key. Nothing here writes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
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


_MISSING = object()
_MEMO_LIMIT = 50_000  # distinct values remembered per column before the memory starts over


class RowChecker:
    """Check the rows of one sheet against one kind, with each distinct value of a column
    cleaned once (a jurisdiction, a grade, a status repeat on every row)."""

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
        self._memo: dict[str, dict[Any, Any]] = {name: {} for name in kind.all}

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
        plan = [
            (spec.name, places[spec.name], self._memo[spec.name], self._converter(spec))
            for spec in self.kind.all.specs
        ]
        keys: dict[str, int] = {}
        rows = list(iter_nonblank(table.rows, 1))
        result.total = len(rows)
        for done, (number, cells) in enumerate(rows, start=1):
            if done % PROGRESS_EVERY == 0:
                progress(SubjectImport.Phase.CHECKING, done, result.total)
            if marker is not None and self._marked(cells, marker, number, result):
                continue
            row = self._row(number, cells, plan, places, result)
            if row is None:
                continue
            first = keys.setdefault(row.key, number)
            if first != number:
                column = "credit_code" if row.key.startswith("credit:") else "name"
                reason = _("The same subject as row %(row)d.") % {"row": first}
                result.refuse(self._error(number, column, cells, places, reason))
                continue
            result.rows.append(row)
        progress(SubjectImport.Phase.CHECKING, result.total, result.total)
        return result

    def _marked(self, cells: list[Cell], marker: int, number: int, result: Checked) -> bool:
        mark = _header_key(cells[marker] if marker < len(cells) else "")
        if not mark:
            return False
        if mark.startswith(_EXAMPLE_PREFIXES):
            result.skipped += 1
            return True
        result.refuse(
            RowError(
                row=number,
                column=marker_label(),
                value=mark,
                reason=_("Leave this column empty: it marks the template's example row."),
                cell=f"{column_letter(marker)}{number}",
            )
        )
        return True

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
        cells: list[Cell],
        plan: list[tuple[str, int, dict[Any, Any], Callable[[Cell], Any]]],
        places: dict[str, int],
        result: Checked,
    ) -> Row | None:
        """The same checks as ``services.clean_subject``, every refused cell reported."""
        after: dict[str, Any] = {}
        failed = False
        width = len(cells)
        for name, index, memo, convert in plan:
            cell = cells[index] if index < width else None
            key = cell if cell.__class__ is str else (cell.__class__, cell)
            found = memo.get(key, _MISSING)
            if found is _MISSING:
                found = convert(cell)
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                memo[key] = found
            if isinstance(found, DomainError):
                failed = True
                result.refuse(self._error(number, name, cells, places, str(found.message)))
            else:
                after[name] = found
        if failed:
            return None
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

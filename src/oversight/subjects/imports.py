"""Bring a spreadsheet of subjects into the registry: every row checked, then all written or none.

The steps of one import (``SubjectImport``):

1. ``import_receive`` keeps the uploaded file under ``OVERSIGHT_IMPORT_DIR`` with its SHA-256 and
   queues the import (the page hands it to ``oversight worker``; the console runs it itself).
2. ``import_run`` reads the file (``oversight.subjects.sheets``: a bad file is refused by name),
   checks every cell against the kind's declared fields with ``clean_value`` (the rules of the
   pages and the API), the jurisdiction against the actor's scope, and finds each row's subject by
   its natural key. Any error: nothing is written, and every error is kept (row, column, value,
   reason) with a workbook marking the bad cells. A preview (``dry_run``) stops there with the
   counts of rows to add, change and leave alone.
3. Otherwise one transaction writes the new and changed subjects in bulk, their history
   (``SubjectChange``, source IMPORT) in bulk, and one audit event ``subjects.import`` with the
   file's hash, the counts and the hash of the change set. A process killed before it commits
   leaves the registry as it was; its import shows as interrupted.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from oversight import audit
from oversight.core import clock
from oversight.core.errors import DomainError, NotFound, require
from oversight.org.models import Agency, User
from oversight.org.scope import Viewer, viewer_for
from oversight.subjects import bulk, policy, selectors
from oversight.subjects.import_rows import (
    Checked,
    Column,
    Jurisdictions,
    Progress,
    Row,
    RowChecker,
    RowError,
    columns_of,
    importable,
    map_header,
    quiet,
    sheet_name,
)
from oversight.subjects.models import Subject, SubjectChange, SubjectImport, SubjectStatus
from oversight.subjects.services import COLUMNS, KindFields, kind_fields, storable
from oversight.subjects.sheets import FileRefused, Table, column_letter, read_table, sniff


def import_dir() -> Path:
    folder = Path(settings.OVERSIGHT_IMPORT_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def upload_path(record: SubjectImport) -> Path:
    return import_dir() / f"{record.pk}.upload"


def errors_path(record: SubjectImport) -> Path:
    return import_dir() / f"{record.pk}-errors.json"


def error_workbook_path(record: SubjectImport) -> Path:
    return import_dir() / f"{record.pk}-errors.xlsx"


# --- what the rows do to the registry ---------------------------------------------------------


@dataclass
class Existing:
    pk: int
    columns: dict[str, Any]  # the common columns as JSON keeps them (dates as ISO text)
    attributes: dict[str, Any]
    closed_on: date | None
    in_scope: bool

    @cached_property
    def before(self) -> dict[str, Any]:
        """The subject's values as the history compares them: its columns, then its own fields."""
        return self.columns | self.attributes


@dataclass
class Plan:
    create: list[Row] = field(default_factory=list)
    update: list[tuple[Row, Existing]] = field(default_factory=list)
    unchanged: int = 0


_NAMES = (*(n for n in COLUMNS if n != "agency_id"), "agency_id")  # in the order ``before`` has


def _existing(kind: str, keys: list[str], viewer: Viewer | None) -> dict[str, Existing]:
    """The subjects of ``kind`` with these natural keys, in one query (the keys as one JSON
    array, which SQLite and PostgreSQL both unfold)."""
    found: dict[str, Existing] = {}
    if not keys:
        return found
    scope = viewer.scope_path if viewer is not None else None
    quote = connection.ops.quote_name
    unfold = (
        "SELECT jsonb_array_elements_text(%s::jsonb)"
        if connection.vendor == "postgresql"
        else "SELECT value FROM json_each(%s)"
    )
    sql = (
        "SELECT s.id, s.natural_key, a.path, s.attributes, s.closed_on, "  # noqa: S608
        + ", ".join(f"s.{quote(n)}" for n in _NAMES)
        + f" FROM {quote(Subject._meta.db_table)} s"
        + f" JOIN {quote(Agency._meta.db_table)} a ON a.id = s.agency_id"
        + f" WHERE s.kind = %s AND s.natural_key IN ({unfold})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [kind, json.dumps(keys, ensure_ascii=False)])
        for pk, key, path, attributes, closed_on, *values in cursor.fetchall():
            columns = dict(zip(_NAMES[:-1], map(storable, values[:-1]), strict=True))
            columns["agency_id"] = values[-1]
            found[key] = Existing(
                pk=pk,
                columns=columns,
                attributes=dict(_loaded(attributes) or {}),
                closed_on=closed_on,
                in_scope=scope is None or path.startswith(scope),
            )
    return found


def _loaded(value: Any) -> Any:
    """A JSON column as the ORM reads it (``JSONField.from_db_value``)."""
    if value is None or not isinstance(value, str | bytes):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def _changed(found: Existing, after: dict[str, Any]) -> bool:
    """Whether ``policy.changed_fields(found.before, after)`` finds any, without building it."""
    columns, attributes = found.columns, found.attributes
    if not attributes.keys().isdisjoint(columns):  # an own field named as a column: as written
        return bool(policy.changed_fields(found.before, after))
    for name, value in after.items():
        old = columns[name] if name in columns else attributes.get(name)
        if old != value:
            return True
    return False


def plan_rows(
    kind: KindFields, checked: Checked, viewer: Viewer | None, header: dict[int, Column]
) -> Plan:
    """Sort the checked rows into subjects to add, change and leave alone; a row whose subject
    is registered outside the actor's scope is an error of that row."""
    plan = Plan()
    existing = _existing(kind.code, [r.key for r in checked.rows], viewer)
    places = {c.spec.name: i for i, c in header.items() if c.spec is not None}
    for row in checked.rows:
        found = existing.get(row.key)
        if found is None:
            plan.create.append(row)
        elif not found.in_scope:
            name = "credit_code" if row.key.startswith("credit:") else "name"
            index = places.get(name)
            checked.refuse(
                RowError(
                    row=row.number,
                    column=str(kind.all[name].label),
                    value=str(row.after.get(name, "")),
                    reason=_("This subject is registered in a jurisdiction outside your scope."),
                    cell=f"{column_letter(index)}{row.number}" if index is not None else "",
                )
            )
        elif _changed(found, row.after):
            plan.update.append((row, found))
        else:
            plan.unchanged += 1
    return plan


def _closed_on(status: str, before_status: Any, closed_on: date | None) -> date | None:
    """The day a subject closed: kept while it stays closed, today when it closes."""
    if status != SubjectStatus.CLOSED:
        return None
    if before_status == SubjectStatus.CLOSED and closed_on:
        return closed_on
    return clock.now().date()


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def _json(value: dict[str, Any]) -> str:
    return _ENCODER.encode(value)


def _line(key: str, before: str, after: str) -> bytes:
    return f"{key}\t{before}\t{after}\n".encode()


def changeset_hash(import_id: int) -> str:
    """Recompute the hash of what an import changed, from the history it wrote (in id order):
    SHA-256 over one line per change, ``natural key TAB before TAB after`` (JSON, sorted keys)."""
    digest = hashlib.sha256()
    changes = SubjectChange.objects.filter(import_id=import_id).order_by("id")
    for key, before, after in changes.values_list("subject__natural_key", "before", "after"):
        digest.update(_line(key, _json(before), _json(after)))
    return digest.hexdigest()


def _values(kind: KindFields, row: Row, closed_on: date | None) -> tuple[Any, ...]:
    """A row's values for ``bulk.UPDATED_COLUMNS`` minus ``updated_at``."""
    a = row.after
    return (
        a["name"],
        a["credit_code"],
        a["agency_id"],
        a["address"],
        a["contact_name"],
        a["contact_phone"],
        a["risk_grade"],
        a["status"],
        bulk.day(a["registered_on"]),
        bulk.day(closed_on),
        a["notes"],
        _json({name: a[name] for name in kind.own}),
    )


_TEXT = json.encoder.encode_basestring  # a str as ``_ENCODER`` writes it (ensure_ascii=False)


def _encoded(value: Any) -> str:
    """One value as ``_ENCODER`` writes it inside an object."""
    if value.__class__ is str:
        return _TEXT(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value.__class__ is int:
        return int.__repr__(value)
    return _ENCODER.encode(value)


def _pieces(name: str, values: Sequence[Any], *, skip_none: bool) -> tuple[list[str], bool]:
    """Each value as ``, "name": value``, the way ``_json`` writes it inside an object ("" for
    None when ``skip_none``), each distinct value once where values repeat; and whether any
    value was None."""
    prefix = ", " + _TEXT(name) + ": "

    def piece(value: Any) -> str:
        return "" if value is None and skip_none else prefix + _encoded(value)

    kinds = set(map(type, values))
    gaps = type(None) in kinds
    kinds.discard(type(None))
    if len(kinds) > 1:  # 1 and True are equal in Python but not in JSON: one by one
        return list(map(piece, values)), gaps
    distinct = dict.fromkeys(values)
    if len(distinct) * 2 <= len(values):
        memo = {value: piece(value) for value in distinct}
        return list(map(memo.__getitem__, values)), gaps
    if kinds == {str} and not gaps:
        return list(map(prefix.__add__, map(_TEXT, values))), gaps
    return list(map(piece, values)), gaps


def _objects(pieces: list[list[str]], count: int) -> list[str]:
    """Each row's object from its ``_pieces`` (in the order of their names, sorted), as
    ``_json`` writes it."""
    if not pieces:
        return ["{}"] * count
    return ["{" + row[2:] + "}" for row in map("".join, zip(*pieces, strict=True))]


def _columns(rows: list[Row]) -> dict[str, tuple[Any, ...]] | None:
    """The rows' values by name, when every row has the same names (None otherwise)."""
    if not rows:
        return None
    names = rows[0].after.keys()
    if len(names) < 2 or any(row.after.keys() != names for row in rows):
        return None
    picked = map(itemgetter(*names), (row.after for row in rows))
    return dict(zip(names, zip(*picked, strict=True), strict=True))


def _created(
    kind: KindFields, rows: list[Row], ids: list[int], now: Any
) -> tuple[list[tuple[Any, ...]], list[str]]:
    """New subjects: their rows for ``bulk.SUBJECT_COLUMNS`` (what ``_values`` gives each) and the
    JSON of their history's ``after``, made a column at a time: each distinct value encoded once
    (the per-row way when the rows do not all have the same names)."""
    values = _columns(rows)
    if values is None:
        subjects = [
            (
                pk,
                kind.code,
                *_values(kind, row, _closed_on(row.after["status"], None, None)),
                row.key,
                now,
                now,
            )
            for pk, row in zip(ids, rows, strict=True)
        ]
        afters = [_json({k: v for k, v in row.after.items() if v is not None}) for row in rows]
        return subjects, afters
    after_pieces: dict[str, list[str]] = {}
    own_pieces: dict[str, list[str]] = {}
    for name in values:
        after_pieces[name], gaps = _pieces(name, values[name], skip_none=True)
        if name in kind.own:  # the subject's attributes keep None (null)
            own_pieces[name] = (
                _pieces(name, values[name], skip_none=False)[0] if gaps else after_pieces[name]
            )
    attributes = _objects([own_pieces[name] for name in sorted(kind.own)], len(rows))
    days = {v: bulk.day(v) for v in set(values["registered_on"])}
    closed = {v: bulk.day(_closed_on(v, None, None)) for v in set(values["status"])}
    subjects = list(
        zip(
            ids,
            repeat(kind.code),
            values["name"],
            values["credit_code"],
            values["agency_id"],
            values["address"],
            values["contact_name"],
            values["contact_phone"],
            values["risk_grade"],
            values["status"],
            map(days.__getitem__, values["registered_on"]),
            map(closed.__getitem__, values["status"]),
            values["notes"],
            attributes,
            (row.key for row in rows),
            repeat(now),
            repeat(now),
        )
    )
    return subjects, _objects([after_pieces[name] for name in sorted(values)], len(rows))


_CHUNK = 10_000  # new subjects made together; on PostgreSQL one streams while the next is made


def write_plan(record: SubjectImport, kind: KindFields, plan: Plan, actor: Viewer | None) -> str:
    """Write the plan in bulk, with one history row per subject added or changed; return the
    change set's hash. In the caller's transaction."""
    now = bulk.stamp(clock.now())
    actor_id = actor.pk if actor else None
    source = SubjectChange.Source.IMPORT.value
    digest = hashlib.sha256()
    ids = bulk.reserve_ids(len(plan.create))
    history: list[tuple[Any, ...]] = []

    def created() -> Iterator[tuple[Any, ...]]:
        """The new subjects' rows, a chunk at a time; once a chunk is handed over (on
        PostgreSQL: queued for the server), its history and its lines of the hash."""
        for start in range(0, len(plan.create), _CHUNK):
            rows, chunk = plan.create[start : start + _CHUNK], ids[start : start + _CHUNK]
            subjects, afters = _created(kind, rows, chunk, now)
            yield from subjects
            history.extend(
                zip(
                    chunk,
                    repeat(now),
                    repeat(actor_id),
                    repeat(source),
                    repeat("{}"),
                    afters,
                    repeat(record.pk),
                )
            )
            lines = map("\t{}\t".join, zip((row.key for row in rows), afters, strict=True))
            digest.update(("\n".join(lines) + "\n").encode())  # _line(key, "{}", after) each

    if plan.create:
        bulk.insert_subjects(created())
    updated: list[tuple[Any, ...]] = []
    for row, found in plan.update:
        closed = _closed_on(row.after["status"], found.before.get("status"), found.closed_on)
        updated.append((*_values(kind, row, closed), now, found.pk))
        diff = policy.changed_fields(found.before, row.after)
        before = _json({k: old for k, (old, _new) in diff.items() if k in found.before})
        after = _json({k: new for k, (_old, new) in diff.items()})
        history.append((found.pk, now, actor_id, source, before, after, record.pk))
        digest.update(_line(row.key, before, after))
    bulk.update_subjects(updated)
    bulk.insert_changes(history)
    return digest.hexdigest()


# --- the import as a whole ------------------------------------------------------------------------


def _kind_to_import(code: str) -> KindFields:
    kind = kind_fields(code)
    if not importable(kind):
        raise DomainError(
            _("Subjects of this kind follow the organisation: they are not imported."),
            field="kind",
        )
    return kind


def import_receive(
    *,
    actor: Viewer | None,
    kind: str,
    source: IO[bytes] | Path,
    file_name: str,
    dry_run: bool,
) -> SubjectImport:
    """Keep an uploaded file and register its import (QUEUED); refuse a file over the limit.

    ``actor`` None is the server's operator (the console without ``--as``): the whole registry.
    Raises PermissionDenied, DomainError (no such kind, a kind not imported, too large).
    """
    if actor is not None:
        require(selectors.may_write(actor))
    _kind_to_import(kind)
    limit = settings.OVERSIGHT_IMPORT_MAX_BYTES
    if isinstance(source, Path):
        sniff(source, max_bytes=limit)  # an empty or oversized file is refused by its size
    folder = import_dir()
    partial = folder / f"receiving-{clock.now().timestamp():.6f}-{id(source)}"
    digest = hashlib.sha256()
    size = 0
    try:
        with contextlib.ExitStack() as stack:
            reader = stack.enter_context(source.open("rb")) if isinstance(source, Path) else source
            out = stack.enter_context(partial.open("wb"))
            while chunk := reader.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise FileRefused(
                        _("The file is larger than %(limit)s MB, the most an import reads.")
                        % {"limit": limit // (1024 * 1024)}
                    )
                digest.update(chunk)
                out.write(chunk)
        record = SubjectImport.objects.create(
            kind=kind,
            actor_id=actor.pk if actor else None,
            file_name=(file_name or "")[:200],
            file_format="",
            file_size=size,
            file_hash=digest.hexdigest(),
            dry_run=dry_run,
            created_at=clock.now(),
        )
        partial.rename(upload_path(record))
    finally:
        partial.unlink(missing_ok=True)
    return record


def import_get(*, viewer: Viewer | None, import_id: Any) -> SubjectImport:
    """One import of the viewer's own (the operator's: any); NotFound otherwise."""
    qs = SubjectImport.objects.all()
    if viewer is not None:
        qs = qs.filter(actor_id=viewer.pk)
    found = qs.filter(pk=import_id).first() if isinstance(import_id, int) else None
    if found is None:
        raise NotFound()
    return found


def interrupted(record: SubjectImport) -> bool:
    """Tell whether a running import stopped without finishing (its heartbeat went quiet)."""
    if record.state != SubjectImport.State.RUNNING or record.heartbeat_at is None:
        return False
    stale = timedelta(minutes=settings.OVERSIGHT_IMPORT_STALE_MINUTES)
    return clock.now() - record.heartbeat_at > stale


def import_confirm(*, actor: Viewer | None, import_id: Any) -> SubjectImport:
    """Turn a checked preview into the import itself, queued for the worker. Raises NotFound,
    Conflict (not a preview that passed)."""
    from oversight.core.errors import Conflict

    record = import_get(viewer=actor, import_id=import_id)
    if actor is not None:
        require(selectors.may_write(actor))
    updated = SubjectImport.objects.filter(
        pk=record.pk, state=SubjectImport.State.PREVIEWED
    ).update(state=SubjectImport.State.QUEUED, dry_run=False, phase="")
    if not updated:
        raise Conflict(_("Only a checked preview without errors can be imported."))
    record.refresh_from_db()
    return record


def _note(record: SubjectImport, **values: Any) -> None:
    """Save progress outside any transaction, so a page polling it sees it at once."""
    values["heartbeat_at"] = clock.now()
    SubjectImport.objects.filter(pk=record.pk).update(**values)
    for name, value in values.items():
        setattr(record, name, value)


def _actor_of(record: SubjectImport) -> Viewer | None:
    if record.actor_id is None:
        return None
    user = User.objects.filter(pk=record.actor_id).first()
    return viewer_for(user) if user else viewer_for(None)


def import_run(*, import_id: int, progress: Progress = quiet) -> SubjectImport:
    """Run a queued import: check it whole, then (unless a preview) write it whole or not at all.

    The outcome is on the returned row (state, counts, message); the errors in its report.
    """
    record = SubjectImport.objects.get(pk=import_id)
    actor = _actor_of(record)
    user = User.objects.filter(pk=record.actor_id).first() if record.actor_id else None
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language), _without_cycle_collection():
        return _run(record, actor, progress)


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Let the cyclic garbage collector rest while an import runs.

    A sheet of 100,000 rows is millions of cells, strings and tuples, none of them in a cycle
    (reference counting frees them); the collector would walk them all again each time enough
    new ones were made, which costs an import about a tenth of its time. It resumes afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _run(record: SubjectImport, actor: Viewer | None, progress: Progress) -> SubjectImport:
    now = clock.now()
    _note(
        record,
        state=SubjectImport.State.RUNNING,
        phase=SubjectImport.Phase.READING,
        started_at=now,
        rows_checked=0,
        errors=0,
        message="",
    )

    def noted(phase: str, done: int, total: int) -> None:
        _note(record, phase=phase, rows_checked=done, rows_total=total)
        progress(phase, done, total)

    try:
        if actor is not None:
            require(selectors.may_write(actor))
        kind = _kind_to_import(record.kind)
        path = upload_path(record)
        if _hash(path) != record.file_hash:
            raise FileRefused(_("The stored file changed since it was received: upload it again."))
        progress(SubjectImport.Phase.READING, 0, 0)
        table = read_table(
            path, sheet=sheet_name(kind), max_bytes=settings.OVERSIGHT_IMPORT_MAX_BYTES
        )
        _note(record, file_format=table.file_format)
        header = map_header(table.rows[0], columns_of(kind))
        jurisdictions = Jurisdictions(actor)
        checked = RowChecker(kind, jurisdictions).check(table, header, noted)
        if checked.total - checked.skipped == 0 and not checked.error_count:
            _note(record, skipped=checked.skipped, rows_total=checked.total)
            raise FileRefused(_("The sheet has no rows to import under its column names."))
        if checked.error_count:
            return _failed(record, table, checked)
        if record.dry_run:
            plan = plan_rows(kind, checked, actor, header)
            if checked.error_count:
                return _failed(record, table, checked)
            return _finish(record, SubjectImport.State.PREVIEWED, plan, checked)
        _note(record, phase=SubjectImport.Phase.WRITING)
        progress(SubjectImport.Phase.WRITING, checked.total, checked.total)
        return _commit(record, kind, table, header, checked, actor)
    except DomainError as exc:
        _note(
            record,
            state=SubjectImport.State.FAILED,
            message=str(exc.message)[:500],
            finished_at=clock.now(),
        )
        return record


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _commit(
    record: SubjectImport,
    kind: KindFields,
    table: Table,
    header: dict[int, Column],
    checked: Checked,
    actor: Viewer | None,
) -> SubjectImport:
    class _Refused(Exception):
        pass

    try:
        with transaction.atomic():
            plan = plan_rows(kind, checked, actor, header)
            if checked.error_count:
                raise _Refused
            digest = write_plan(record, kind, plan, actor)
            counts = {
                "rows": checked.total,
                "added": len(plan.create),
                "changed": len(plan.update),
                "unchanged": plan.unchanged,
                "skipped": checked.skipped,
            }
            audit.record(
                action="subjects.import",
                actor=actor,
                object_type="subjects.subjectimport",
                object_id=record.pk,
                detail={
                    "kind": kind.code,
                    "file_sha256": record.file_hash,
                    "changeset_sha256": digest,
                    **counts,
                },
            )
            record.changeset_hash = digest
            _finish(record, SubjectImport.State.DONE, plan, checked)
    except _Refused:
        return _failed(record, table, checked)
    except IntegrityError:
        raise DomainError(
            _("Another change to the registry crossed this import: run it again.")
        ) from None
    return record


def _finish(record: SubjectImport, state: str, plan: Plan, checked: Checked) -> SubjectImport:
    _note(
        record,
        state=state,
        phase="",
        added=len(plan.create),
        changed=len(plan.update),
        unchanged=plan.unchanged,
        skipped=checked.skipped,
        errors=0,
        rows_total=checked.total,
        rows_checked=checked.total,
        changeset_hash=record.changeset_hash,
        finished_at=clock.now(),
    )
    return record


def _failed(record: SubjectImport, table: Table, checked: Checked) -> SubjectImport:
    from oversight.subjects.workbooks import error_workbook

    errors = sorted(checked.errors, key=lambda e: (e.row, e.cell))
    errors_path(record).write_text(
        json.dumps([vars(e) for e in errors], ensure_ascii=False), encoding="utf-8"
    )
    error_workbook(table, errors, error_workbook_path(record))
    _note(
        record,
        state=SubjectImport.State.FAILED,
        phase="",
        errors=checked.error_count,
        skipped=checked.skipped,
        rows_total=checked.total,
        added=0,
        changed=0,
        unchanged=0,
        message=_("%(n)d errors: nothing was imported.") % {"n": checked.error_count},
        finished_at=clock.now(),
    )
    return record


def import_errors(record: SubjectImport) -> list[RowError]:
    """The errors an import kept (the first ``ERRORS_KEPT``), in row order."""
    path = errors_path(record)
    if not path.exists():
        return []
    return [RowError(**e) for e in json.loads(path.read_text(encoding="utf-8"))]


def import_files_remove(record: SubjectImport) -> None:
    """Remove what an import kept on disk (its upload and reports)."""
    for path in (upload_path(record), errors_path(record), error_workbook_path(record)):
        path.unlink(missing_ok=True)

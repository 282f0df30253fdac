"""Write many subjects and their history at once (an import), in plain parameterised SQL.

The ORM's ``bulk_create`` prepares every field of every object in Python and, on SQLite, sends
some fifty rows per statement; here each row is one tuple and the driver's ``executemany`` sends
them all. Ids are reserved first (the sequence on PostgreSQL; on SQLite the transaction already
holds the write lock), so the history rows can name their subjects without reading them back.
Runs inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from itertools import chain, islice
from typing import Any

from django.db import connection
from psycopg.copy import QueuedLibpqWriter

from oversight.subjects.models import Subject, SubjectChange

# The columns an import writes, in the order of the tuples it hands over.
SUBJECT_COLUMNS = (
    "id",
    "kind",
    "name",
    "credit_code",
    "agency_id",
    "address",
    "contact_name",
    "contact_phone",
    "risk_grade",
    "status",
    "registered_on",
    "closed_on",
    "notes",
    "attributes",
    "natural_key",
    "created_at",
    "updated_at",
)
UPDATED_COLUMNS = (*SUBJECT_COLUMNS[2:14], "updated_at")  # from name to attributes
CHANGE_COLUMNS = ("subject_id", "changed_at", "actor_id", "source", "before", "after", "import_id")
_JSON = {"attributes", "before", "after"}


def _placeholder(column: str) -> str:
    if column in _JSON and connection.vendor == "postgresql":
        return "%s::jsonb"
    return "%s"


def stamp(at: datetime) -> Any:
    """A datetime as the database's driver takes it."""
    return connection.ops.adapt_datetimefield_value(at)


def day(value: str | date | None) -> Any:
    """A date (or its ISO text) as the database's driver takes it: ISO text for SQLite."""
    if value is None or value == "":
        return None
    if connection.vendor == "sqlite":
        return value if isinstance(value, str) else value.isoformat()
    return date.fromisoformat(value) if isinstance(value, str) else value


def reserve_ids(count: int) -> list[int]:
    """Reserve ``count`` new subject ids."""
    if count == 0:
        return []
    table = Subject._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        sequence = cursor.fetchone()
        start = max(highest, sequence[0] if sequence else 0) + 1
    return list(range(start, start + count))


def insert_subjects(rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert subjects. ``rows`` may be made as they are taken: on PostgreSQL a second thread sends
    what was taken while this one makes the next (so making them must not use the connection)."""
    _insert(Subject._meta.db_table, SUBJECT_COLUMNS, rows)


def insert_changes(rows: Iterable[tuple[Any, ...]]) -> None:
    _insert(SubjectChange._meta.db_table, CHANGE_COLUMNS, rows)


def update_subjects(rows: Sequence[tuple[Any, ...]]) -> None:
    """Each row: the values of ``UPDATED_COLUMNS``, then the subject's id."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(c)} = {_placeholder(c)}" for c in UPDATED_COLUMNS)
    sql = f"UPDATE {quote(Subject._meta.db_table)} SET {sets} WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _insert(table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    rows = chain([first], rows)
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: rows streamed in PostgreSQL's own text format, no statement per row; a
            # queue and a thread send them while this thread goes on (one COPY per table).
            raw = cursor.cursor
            sql = f"COPY {quote(table)} ({names}) FROM STDIN"
            with (
                connection.wrap_database_errors,
                raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(_placeholder(c) for c in columns)
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608
        while batch := list(islice(rows, 5000)):
            cursor.executemany(sql, batch)

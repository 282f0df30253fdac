"""The ``oversight`` console script: Django's commands plus Oversight's own."""

from __future__ import annotations

import os
import re
import sys

NOT_SET_UP = 'error: the database is not set up: run "oversight init"\n'
# A table the database lacks: SQLite says "no such table: x", PostgreSQL 'relation "x" does not
# exist' (SQLSTATE 42P01, undefined_table).
_MISSING_TABLE = re.compile(r"no such table|relation \S+ does not exist")
_UNDEFINED_TABLE = "42P01"


def main() -> None:
    """Run a command; on failure print one line to stderr and exit non-zero."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["oversight", *sys.argv[1:]])
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("OVERSIGHT_DEBUG"):
            raise
        if _database_not_set_up(exc):
            sys.stderr.write(NOT_SET_UP)
            sys.exit(1)
        message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
        sys.stderr.write(f"error: {message}\n")
        sys.exit(1)


def _database_not_set_up(exc: BaseException) -> bool:
    """Say whether ``exc``, or an error it came from, is a query on a table that does not exist:
    the database was never migrated (``oversight init`` creates the tables)."""
    from django.db import utils

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if getattr(current, "sqlstate", None) == _UNDEFINED_TABLE:
            return True
        if isinstance(
            current, utils.OperationalError | utils.ProgrammingError
        ) and _MISSING_TABLE.search(str(current)):
            return True
        current = current.__cause__ or current.__context__
    return False


if __name__ == "__main__":
    main()

"""A command run against a database that was never set up says so, in one line, and names the
command that sets it up — on SQLite (a fresh data directory) and on PostgreSQL (an empty
database), instead of a raw "no such table" or "relation … does not exist"."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import utils

from oversight.cli.main import NOT_SET_UP, _database_not_set_up

OVERSIGHT = str(Path(sys.executable).with_name("oversight"))
POSTGRES = os.environ.get("OVERSIGHT_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")


def _env(tmp_path: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "OVERSIGHT_DEBUG"}}
    env["OVERSIGHT_DATA_DIR"] = str(tmp_path)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [OVERSIGHT, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    "command",
    [["catalog", "export"], ["catalog", "versions"], ["token", "list"], ["audit", "verify"]],
    ids=" ".join,
)
def test_a_command_on_a_fresh_sqlite_data_dir_says_to_run_init(tmp_path, command):
    done = _run(_env(tmp_path), *command)
    assert done.returncode != 0
    assert done.stderr == NOT_SET_UP
    assert "no such table" not in done.stdout + done.stderr


def test_after_init_the_same_command_works(tmp_path):
    env = _env(tmp_path)
    assert _run(env, "init").returncode == 0
    done = _run(env, "catalog", "versions")
    assert (done.returncode, done.stderr) == (0, "")


def _postgres_server() -> str:
    psycopg = pytest.importorskip("psycopg")
    try:
        with psycopg.connect(POSTGRES, connect_timeout=3):
            pass
    except psycopg.OperationalError:
        pytest.skip(f"no PostgreSQL server at {POSTGRES}")
    return POSTGRES


def test_a_command_on_an_empty_postgresql_database_says_to_run_init(tmp_path):
    import psycopg

    server = _postgres_server()
    name = f"oversight_not_set_up_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = server.rsplit("/", 1)[0] + f"/{name}"
        done = _run(_env(tmp_path, url), "catalog", "export")
        assert done.returncode != 0
        assert done.stderr == NOT_SET_UP
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (utils.OperationalError("no such table: org_apitoken"), True),
        (utils.ProgrammingError('relation "audit_auditevent" does not exist\nLINE 1: …'), True),
        (utils.OperationalError("database is locked"), False),
        (utils.ProgrammingError('column "x" does not exist'), False),
        (ValueError("no such table in this sentence"), False),
    ],
)
def test_only_a_missing_table_is_taken_for_a_database_not_set_up(error, expected):
    assert _database_not_set_up(error) is expected


def test_a_missing_table_behind_another_error_is_found():
    try:
        try:
            raise utils.ProgrammingError('relation "catalog_catalogversion" does not exist')
        except utils.ProgrammingError as inner:
            raise RuntimeError("the command failed") from inner
    except RuntimeError as outer:
        assert _database_not_set_up(outer)

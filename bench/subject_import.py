"""What an import costs beyond reading the file: 100,000 rows against python-calamine's bare read.

Run ``.venv/bin/python bench/subject_import.py`` (``make bench`` runs it too). On a throwaway
database (SQLite, and PostgreSQL when ``BENCH_PG_URL`` or ``--pg`` reaches a server), each in its
own child process: a city with a county, the catalog loaded, and an XLSX of ``--rows`` subjects of
one kind laid out as its template. Then, in the same run:

- the bare read: ``python_calamine`` reading the whole sheet (``to_python``), nothing else;
- the import: ``import_receive`` + ``import_run`` into an empty registry — the file's hash, the
  content checks, the read, every cell checked, the natural keys looked up, the subjects, their
  history and the audit event written in one transaction;
- the same file imported again (every row found unchanged: nothing written);
- openpyxl's read-only bare read of the same file, once, beside them.

Each figure: ratio against the bare read, then the absolute median, then the scale. A bare read
runs just before each import (the machine may be shared: both see the same load), and each import
is split into its phases, as parts of the bare read: the read (``read_table``: the content checks
and calamine's read), the check (every cell, ``RowChecker.check``), the write (``_commit``: the
natural keys looked up, the rows written, the audit event, the commit) and the rest (the file's
hash, the progress notes). The goal is an import at most twice the bare read. Nothing in the test
suite asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KIND = "KEY_SECURITY_UNIT"


def _median(fn: Callable[[], object], repeat: int, reset: Callable[[], object] | None = None):
    runs = []
    for _ in range(repeat):
        if reset:
            reset()
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def _setup() -> object:
    from oversight.catalog.services import catalog_load
    from oversight.org import services
    from oversight.org.reference import load_departments
    from oversight.org.scope import viewer_for

    load_departments()
    city = services.agency_create(
        actor=None, code="BB", name="市局", kind="BUREAU", division_code="139900", parent_id=None
    )
    county = services.agency_create(
        actor=None,
        code="BB-A",
        name="县局",
        kind="BUREAU",
        division_code="139901",
        parent_id=city.pk,
    )
    for n in range(1, 6):
        services.agency_create(
            actor=None,
            code=f"BB-A-P{n}",
            name=f"第{n}派出所",
            kind="POLICE_STATION",
            parent_id=county.pk,
        )
    leader = services.officer_create(
        actor=None,
        username="leader",
        name="领导",
        badge_number="100001",
        warrant_number="W100001",
        agency_id=county.pk,
    )
    services.role_grant(actor=None, user_id=leader.user_id, role="LEADER")
    catalog_load(actor=None, path=ROOT / "catalog")
    return viewer_for(leader.user)


def _workbook(path: Path, rows: int, viewer: object) -> int:
    """Write ``rows`` valid subjects, as the template lays them out; return the column count."""
    from openpyxl import Workbook

    from oversight.subjects import import_rows, services, workbooks
    from oversight.subjects.policy import credit_check_character

    kind = services.kind_fields(KIND)
    columns = import_rows.columns_of(kind)
    jurisdictions = import_rows.Jurisdictions(viewer)  # type: ignore[arg-type]
    example = workbooks.example_values(kind, viewer)  # type: ignore[arg-type]
    cells = {
        c.spec.name: workbooks.cell_value(c.spec, example[c.spec.name], jurisdictions)
        for c in columns
        if c.spec is not None
    }
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(import_rows.sheet_name(kind))
    ws.append([c.header for c in columns])
    grades = "ABCD"
    for n in range(rows):
        first = f"91440300{n:09d}"
        values = cells | {
            "name": f"示范单位{n}",
            "credit_code": first + credit_check_character(first),
            "agency_id": f"第{n % 5 + 1}派出所",
            "address": f"示范路{n}号",
            "contact_phone": f"138{n:08d}",
            "risk_grade": grades[n % 4],
        }
        ws.append(["" if c.spec is None else values[c.spec.name] for c in columns])
    wb.save(path)
    return len(columns)


def child(rows: int, repeat: int) -> None:
    """Measure on the database DATABASE_URL names (migrated here first)."""
    import django

    sys.path.insert(0, str(ROOT / "src"))
    django.setup()
    import python_calamine
    from django.core.management import call_command
    from django.db import connection
    from openpyxl import load_workbook

    from oversight.subjects import import_rows, imports
    from oversight.subjects.models import Subject, SubjectChange

    call_command("migrate", verbosity=0, interactive=False)
    viewer = _setup()
    path = Path(os.environ["OVERSIGHT_DATA_DIR"]) / "subjects.xlsx"
    start = time.perf_counter()
    width = _workbook(path, rows, viewer)
    made = time.perf_counter() - start

    def bare_read() -> None:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        assert len(book.get_sheet_by_index(0).to_python()) == rows + 1

    def openpyxl_read() -> None:
        book = load_workbook(path, read_only=True)
        assert sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) == rows + 1

    outcomes: list[str] = []
    phases: dict[str, float] = {}  # of the import running now
    spent: dict[str, list[dict[str, float]]] = {"fresh": [], "again": []}
    reads: list[float] = []

    def timed(owner: object, name: str, phase: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            begun = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                phases[phase] = phases.get(phase, 0.0) + time.perf_counter() - begun

        setattr(owner, name, wrapper)

    timed(imports, "read_table", "read")
    timed(import_rows.RowChecker, "check", "check")
    timed(imports, "_commit", "write")  # natural keys looked up, rows written, audit, commit

    def import_file(label: str) -> float:
        reads.append(_median(bare_read, 1))  # a bare read beside each import: same noise
        phases.clear()
        begun = time.perf_counter()
        record = imports.import_receive(
            actor=viewer,
            kind=KIND,
            source=path,
            file_name=path.name,
            dry_run=False,  # type: ignore[arg-type]
        )
        done = imports.import_run(import_id=record.pk)
        took = time.perf_counter() - begun
        outcomes.append(f"{done.state} +{done.added} ~{done.changed} ={done.unchanged}")
        assert done.state == "DONE", (done.message, imports.import_errors(done)[:3])
        spent[label].append(phases | {"rest": took - sum(phases.values())})
        return took

    def empty() -> None:
        SubjectChange.objects.all().delete()
        Subject.objects.all().delete()

    fresh_runs, again_runs = [], []
    for _ in range(repeat):
        empty()
        fresh_runs.append(import_file("fresh"))
    for _ in range(repeat):
        again_runs.append(import_file("again"))
    bare = statistics.median(reads)
    fresh = statistics.median(fresh_runs)
    again = statistics.median(again_runs)
    heavy = _median(openpyxl_read, 1)
    name = connection.vendor

    def split(label: str) -> str:
        return ", ".join(
            f"{phase} {statistics.median(run[phase] for run in spent[label]) / bare:.2f}x"
            for phase in ("read", "check", "write", "rest")
        )

    print(f"[subject import · {name}]")
    print(f"  import            ratio  {fresh / bare:.2f}x  (whole import / calamine's bare read)")
    print(f"                    import median {fresh:.2f} s, bare read {bare:.2f} s")
    print(f"                    of the bare read: {split('fresh')}")
    print(f"  import again      ratio  {again / bare:.2f}x  (every row unchanged: nothing written)")
    print(f"                    median {again:.2f} s; {split('again')}")
    print(f"  openpyxl read     ratio  {heavy / bare:.2f}x  (read-only mode, one run)")
    print(f"                    {heavy:.2f} s")
    print(
        f"  scale: {rows:,} rows x {width} columns ({path.stat().st_size / 1e6:.1f} MB, written "
        f"in {made:.0f} s), {repeat} runs each; last outcome {outcomes[-1]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the file (100,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; median (3)")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.rows, args.repeat)
        return
    for backend in args.backends.split(","):
        tmp = tempfile.mkdtemp(prefix="oversight-bench-import-")
        env = os.environ | {
            "OVERSIGHT_DATA_DIR": tmp,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "OVERSIGHT_AUDIT_ANCHOR_DIR": f"{tmp}/anchors",
            "PYTHONPATH": str(ROOT / "src"),
        }
        db = ""
        if backend == "postgres":
            db = f"oversight_bench_import_{uuid.uuid4().hex[:8]}"
            made = _psql(args.pg, f"CREATE DATABASE {db}")
            if made:
                print(f"[subject import · postgresql] skipped: {made}")
                continue
            env["DATABASE_URL"] = f"{args.pg.rstrip('/')}/{db}"
        else:
            env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        try:
            subprocess.run(  # noqa: S603 (this very script, as a child)
                [
                    sys.executable,
                    __file__,
                    "--child",
                    "--rows",
                    str(args.rows),
                    "--repeat",
                    str(args.repeat),
                ],
                env=env,
                check=True,
            )
        finally:
            if db:
                _psql(args.pg, f"DROP DATABASE IF EXISTS {db}")


def _psql(url: str, sql: str) -> str:
    """Run one statement on the server's postgres database; return the error, or ""."""
    try:
        import psycopg

        with psycopg.connect(f"{url.rstrip('/')}/postgres", autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]
    except Exception as exc:  # the server is not there: say so, skip
        return str(exc).splitlines()[0]
    return ""


if __name__ == "__main__":
    main()

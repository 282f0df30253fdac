"""Benchmarks for the audit trail: what an audited write costs, and how long ``audit verify`` takes.

Run ``make bench`` (or ``.venv/bin/python bench/run.py --help``). Every figure is a ratio against
a baseline measured in the same run, followed by the absolute median and the scale, so results
from different machines can be compared by their ratios. Nothing here asserts a time.

Each database is measured in its own child process (Django's settings are read once per
process): SQLite in a temporary directory, PostgreSQL in a throwaway database
``oversight_bench_<pid>`` that is dropped at the end.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


# --- the measurements (run in a child process, with DATABASE_URL set) ----------------------------


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _timed(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _build_chain(events: int, batch: int = 5000) -> None:
    """Append ``events`` events quickly: hash the chain in Python, insert with bulk_create."""
    from django.db import transaction

    from oversight.audit.canonical import GENESIS, event_hash
    from oversight.audit.models import AuditEvent

    start = datetime(2026, 1, 1, tzinfo=UTC)
    prev = GENESIS
    for first in range(1, events + 1, batch):
        rows = []
        for seq in range(first, min(first + batch, events + 1)):
            fields: dict[str, Any] = {
                "seq": seq,
                "occurred_at": start + timedelta(milliseconds=37 * seq),
                "actor_id": None,
                "actor_name": f"officer{seq % 97}",
                "action": ("case.update", "department.create", "officer.update")[seq % 3],
                "object_type": "org.department",
                "object_id": str(seq),
                "summary": {
                    "before": {"code": f"D{seq}", "name": "治安支队"},
                    "after": {"code": f"D{seq}", "name": "治安支队一大队", "active": True},
                },
                "request_id": f"{seq:032x}",
                "ip": "10.0.0.1",
                "channel": "web",
                "prev_hash": prev,
            }
            prev = event_hash(**fields)
            rows.append(AuditEvent(hash=prev, **fields))
        with transaction.atomic():
            AuditEvent.objects.bulk_create(rows, batch_size=1000)


def bench_verify(events: int, repeat: int) -> dict[str, Any]:
    """``audit.verify()`` over ``events`` events vs. reading the same rows without hashing."""
    from oversight import audit
    from oversight.audit.chain import _FIELDS
    from oversight.audit.models import AuditEvent

    def scan() -> None:
        rows = AuditEvent.objects.order_by("seq").values_list(*_FIELDS)
        for _ in rows.iterator(chunk_size=5000):
            pass

    def verify() -> None:
        result = audit.verify()
        if not (result.ok and result.count == events):
            raise SystemExit(f"verify failed on the benchmark chain: {result}")

    build = _timed(lambda: _build_chain(events))
    scan()  # warm the cache once so neither side pays for the first read from disk
    baseline, measured = [], []
    for _ in range(repeat):
        baseline.append(_timed(scan))
        measured.append(_timed(verify))
    return {"build_s": build, "baseline_s": baseline, "measured_s": measured}


def bench_writes(writes: int, repeat: int) -> dict[str, Any]:
    """``writes`` transactions each creating a Department, with and without ``audit.record``.

    Both variants run on top of whatever chain is already there (the verify benchmark leaves one),
    alternating so that neither gets the warmer cache or the emptier table.
    """
    from django.db import transaction

    from oversight import audit
    from oversight.core import clock
    from oversight.org.models import Department

    def run(audited: bool, tag: str, count: int = writes) -> list[float]:
        latencies = []
        for i in range(count):
            start = time.perf_counter()
            with transaction.atomic():
                now = clock.now()
                code = f"{tag}{i:05d}"
                dept = Department.objects.create(
                    code=code, name=f"部门{code}", created_at=now, updated_at=now
                )
                if audited:
                    audit.record(
                        action="department.create",
                        target=dept,
                        after={"code": code, "name": dept.name},
                    )
            latencies.append(time.perf_counter() - start)
        return latencies

    warm = max(writes // 10, 1)
    for audited, tag in ((True, "W"), (False, "V")):  # connection, caches, the audit head index
        run(audited, tag, warm)
    baseline_runs: list[float] = []
    measured_runs: list[float] = []
    baseline_lat: list[float] = []
    measured_lat: list[float] = []
    for r in range(repeat):
        order = (False, True) if r % 2 == 0 else (True, False)
        for audited in order:
            gc.collect()
            lat = run(audited, f"{'A' if audited else 'U'}{r:02d}")
            (measured_runs if audited else baseline_runs).append(sum(lat))
            (measured_lat if audited else baseline_lat).extend(lat)
    return {
        "baseline_s": baseline_runs,
        "measured_s": measured_runs,
        "baseline_median_write_s": statistics.median(baseline_lat),
        "measured_median_write_s": statistics.median(measured_lat),
    }


def child(backend: str, args: argparse.Namespace) -> None:
    _setup_django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if backend == "postgresql" else "SELECT sqlite_version()")
        server = cursor.fetchone()[0].split(" on ")[0]
    out = {
        "backend": backend,
        "server": server,
        "verify": bench_verify(args.events, args.repeat),
        "writes": bench_writes(args.writes, args.repeat),
    }
    print(json.dumps(out))


# --- orchestration -------------------------------------------------------------------------------


def _run_child(backend: str, url: str, data_dir: str, args: argparse.Namespace) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": url, "OVERSIGHT_DATA_DIR": data_dir}
    env.pop("OVERSIGHT_DEBUG", None)
    cmd = [sys.executable, __file__, "--child", backend]
    cmd += ["--writes", str(args.writes), "--events", str(args.events)]
    cmd += ["--repeat", str(args.repeat)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise RuntimeError(f"{backend} benchmark failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_sqlite(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="oversight-bench-") as tmp:
        return _run_child("sqlite", f"sqlite:///{tmp}/bench.sqlite3", tmp, args)


def run_postgresql(args: argparse.Namespace) -> dict[str, Any] | str:
    """Measure in a throwaway database; return a reason instead if PostgreSQL is unreachable."""
    try:
        import psycopg
        from psycopg import sql
    except ImportError as exc:  # pragma: no cover - psycopg is a dependency
        return f"psycopg is not installed ({exc})"
    name = f"oversight_bench_{os.getpid()}"
    try:
        admin = psycopg.connect(args.pg, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        return f"PostgreSQL unreachable at {args.pg}: {str(exc).strip().splitlines()[0]}"
    try:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = urlsplit(args.pg)._replace(path=f"/{name}").geturl()
        with tempfile.TemporaryDirectory(prefix="oversight-bench-") as tmp:
            return _run_child("postgresql", url, tmp, args)
    finally:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.close()


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def report(result: dict[str, Any], args: argparse.Namespace) -> list[str]:
    backend = f"{result['backend']} {result['server']}"
    w, v = result["writes"], result["verify"]
    w_base, w_meas = statistics.median(w["baseline_s"]), statistics.median(w["measured_s"])
    v_base, v_meas = statistics.median(v["baseline_s"]), statistics.median(v["measured_s"])
    return [
        f"[{backend}]",
        f"  audited writes    ratio {w_meas / w_base:5.2f}x  (audited / unaudited time per run)",
        f"                    audited    median {_ms(w['measured_median_write_s'])} per write"
        f"  ({args.writes / w_meas:,.0f} writes/s)",
        f"                    unaudited  median {_ms(w['baseline_median_write_s'])} per write"
        f"  ({args.writes / w_base:,.0f} writes/s)",
        f"                    scale: {args.writes:,} transactions per run, {args.repeat} runs each,"
        f" chain already {args.events:,}+ events long",
        f"  audit verify      ratio {v_meas / v_base:5.2f}x  (verify / plain values_list scan)",
        f"                    verify     median {v_meas:.3f} s"
        f"  ({v_meas / args.events * 1e6:.1f} µs per event)",
        f"                    scan       median {v_base:.3f} s"
        f"  ({v_base / args.events * 1e6:.1f} µs per event)",
        f"                    scale: {args.events:,} events, {args.repeat} runs each"
        f" (chain built in {v['build_s']:.1f} s)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writes", type=int, default=2000, help="transactions per run (2000)")
    parser.add_argument("--events", type=int, default=100_000, help="events verified (100000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; median (5)")
    parser.add_argument(
        "--backends", default="sqlite,postgresql", help="comma-separated (sqlite,postgresql)"
    )
    parser.add_argument(
        "--pg", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG), help="PostgreSQL admin URL"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args)
        return

    print(
        f"Oversight audit benchmarks — Python {platform.python_version()},"
        f" {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
    )
    print(f"Each figure: median of {args.repeat} runs; ratio = figure / baseline of the same run.")
    started = time.perf_counter()
    for backend in args.backends.split(","):
        print()
        try:
            result = run_sqlite(args) if backend == "sqlite" else run_postgresql(args)
        except RuntimeError as exc:
            print(f"[{backend}] FAILED: {exc}")
            continue
        if isinstance(result, str):
            print(f"[{backend}] skipped: {result}")
            continue
        print("\n".join(report(result, args)))
    print(f"\n(total {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()

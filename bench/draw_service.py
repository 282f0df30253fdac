"""A random draw as Oversight makes one, end to end, over a million subjects on PostgreSQL.

Run ``.venv/bin/python bench/draw_service.py`` (``make bench`` runs it too). In a throwaway
database ``oversight_bench_drawsvc_<pid>`` (dropped at the end): the catalog, a city bureau with
two counties of five stations, ``--subjects`` key units (1,000,000 by default, bulk-loaded),
then ``--runs`` random tasks of the city's approved plan, each drawing ``-k`` subjects from all
of them. For each task, timed separately: ``draw_commit`` (the population from the database, its
commitment, the stored file) and ``draw_seed`` (the draw, its verification, the stored result) —
the very services the worker runs — against ``ORDER BY random() LIMIT k`` over the same
population, the same query the commitment takes, measured in the same run. Each figure: ratio,
median, scale; then the draw file's size and the process's peak memory. Nothing asserts a time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SEED = "03 09 14 21 27 33 + 08"
SOURCE = "中国福利彩票双色球 2026060期 开奖号码"


def _load(subjects: int) -> None:
    """The catalog, a city of two counties with stations, its leader and inspector, and
    ``subjects`` key units spread over the stations."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from oversight.catalog.services import catalog_load
    from oversight.org import services
    from oversight.org.models import User

    call_command("migrate", verbosity=0, interactive=False)
    catalog_load(actor=None, path=ROOT / "catalog")
    city = services.agency_create(
        actor=None, code="BC", name="市局", kind="BUREAU", division_code="139900", parent_id=None
    )
    stations = []
    for c in range(2):
        county = services.agency_create(
            actor=None,
            code=f"BC-{c}",
            name=f"县局{c}",
            kind="BUREAU",
            division_code=f"13990{c + 1}",
            parent_id=city.pk,
        )
        for s in range(5):
            stations.append(
                services.agency_create(
                    actor=None,
                    code=f"BC-{c}-P{s}",
                    name=f"派出所{c}{s}",
                    kind="POLICE_STATION",
                    parent_id=county.pk,
                ).pk
            )
    for number, (username, role) in enumerate((("leader", "LEADER"), ("drafter", "INSPECTOR"))):
        officer = services.officer_create(
            actor=None,
            username=username,
            name="民警",
            badge_number=f"20000{number}",
            warrant_number=f"W20000{number}",
            agency_id=city.pk,
        )
        services.role_grant(actor=None, user_id=officer.user_id, role=role)
    User.objects.update(must_change_password=False, password_changed_at=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO subjects_subject (kind, name, credit_code, agency_id, address,
                contact_name, contact_phone, risk_grade, status, notes, attributes,
                natural_key, created_at, updated_at)
            SELECT 'KEY_SECURITY_UNIT', '单位' || g, '', (%s::bigint[])[1 + g %% 10], '', '', '',
                (ARRAY['A','B','C','D'])[1 + g %% 4], 'ACTIVE', '', '{}', 'name:' || g, now(), now()
            FROM generate_series(1, %s) AS g
            """,
            [stations, subjects],
        )
        cursor.execute("ANALYZE subjects_subject")


def _tasks(runs: int, k: int) -> list[int]:
    """An approved 2026 plan of the city with ``runs`` random tasks of ``k`` key units each."""
    from oversight.org.models import User
    from oversight.org.scope import viewer_for
    from oversight.planning import services

    drafter = viewer_for(User.objects.get(username="drafter"))
    leader = viewer_for(User.objects.get(username="leader"))
    plan = services.plan_create(actor=drafter, year=2026, title="抽查计划")
    ids = []
    for run in range(runs):
        task = services.task_add(
            actor=drafter,
            plan_id=plan.pk,
            regime="NEIBAO",
            mode="RANDOM",
            announced=True,
            method="M04",
            starts_on=f"2026-{run % 9 + 3:02d}-01",
            ends_on=f"2026-{run % 9 + 3:02d}-28",
            inspectors_per_target=2,
            target_count=k,
            include_checked=True,  # each task draws from the whole million
        )
        ids.append(task.pk)
    services.plan_submit(actor=drafter, plan_id=plan.pk)
    services.plan_approve(actor=leader, plan_id=plan.pk)
    return ids


def _line(name: str, runs: list[float], base: list[float] | None, scale: str) -> str:
    median = statistics.median(runs)
    ratio = "  base" if base is None else f"{median / statistics.median(base):5.2f}x"
    return f"  {name:56s} {ratio}  median {median * 1000:9.1f} ms  ({scale})"


def child(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from datetime import timedelta

    from django.db import connection

    from oversight.core import clock
    from oversight.org.models import User
    from oversight.org.scope import viewer_for
    from oversight.planning import services, verify
    from oversight.planning.models import Draw
    from oversight.planning.selectors import task_get
    from oversight.subjects.models import Subject

    started = time.perf_counter()
    _load(args.subjects)
    loaded = time.perf_counter() - started
    tasks = _tasks(args.runs, args.k)
    leader = viewer_for(User.objects.get(username="leader"))
    task = task_get(viewer=leader, task_id=tasks[0])
    scope = Subject.objects.filter(agency__path__startswith=task.plan.agency.path)
    scope = scope.filter(kind="KEY_SECURITY_UNIT").exclude(status="CLOSED")
    query, params = scope.values("id").query.sql_with_params()
    baseline, commits, seeds = [], [], []
    now = clock.now()
    for run, task_id in enumerate(tasks):
        with connection.cursor() as cursor:
            t = time.perf_counter()
            cursor.execute(f"{query} ORDER BY random() LIMIT %s", [*params, args.k])
            assert len(cursor.fetchall()) == args.k
            baseline.append(time.perf_counter() - t)
        with clock.frozen(now + timedelta(minutes=2 * run)):
            t = time.perf_counter()
            draw = services.draw_commit(actor=leader, task_id=task_id)
            commits.append(time.perf_counter() - t)
        with clock.frozen(now + timedelta(minutes=2 * run + 1)):
            t = time.perf_counter()
            services.draw_seed(actor=leader, draw_id=draw.pk, seed=SEED, source=SOURCE)
            seeds.append(time.perf_counter() - t)
    made = Draw.objects.get(pk=draw.pk)
    if made.population_size != args.subjects or verify.verify(made.file):
        sys.exit("the draw did not take the whole population, or its file does not verify")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_size(file) FROM planning_draw WHERE id = %s", [draw.pk])
        stored = cursor.fetchone()[0]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    scale = f"{args.subjects:,} subjects, k = {args.k}"
    print(
        f"Draw services at {args.subjects:,} subjects (PostgreSQL; loaded in {loaded:.0f} s); "
        f"median of {args.runs} tasks; ratio = figure / baseline"
    )
    print(_line("ORDER BY random() LIMIT k over the task's population", baseline, None, scale))
    print(_line("draw_commit: population, commitment, stored file", commits, baseline, scale))
    print(_line("draw_seed: the draw, its verification, the stored result", seeds, baseline, scale))
    print(f"  the draw file as stored (jsonb, compressed): {stored / 1e6:.1f} MB")
    print(f"  peak memory of the process: {peak:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("-k", type=int, default=1000, help="subjects drawn by each task")
    parser.add_argument("--runs", type=int, default=3, help="tasks drawn; medians")
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL admin URL")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    import subprocess
    import tempfile

    import psycopg
    from psycopg import sql

    name = f"oversight_bench_drawsvc_{os.getpid()}"
    try:
        admin = psycopg.connect(args.pg, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        print(f"[postgresql] skipped: unreachable at {args.pg}: {exc}".splitlines()[0])
        return
    try:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        url = urlsplit(args.pg)._replace(path=f"/{name}").geturl()
        with tempfile.TemporaryDirectory(prefix="oversight-bench-") as tmp:
            env = {**os.environ, "DATABASE_URL": url, "OVERSIGHT_DATA_DIR": tmp}
            cmd = [sys.executable, __file__, "--child", "--subjects", str(args.subjects)]
            cmd += ["-k", str(args.k), "--runs", str(args.runs)]
            subprocess.run(cmd, env=env, check=False)  # noqa: S603
    finally:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.close()


if __name__ == "__main__":
    main()

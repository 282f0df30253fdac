"""The subject list at a million rows: page 1 and page 1,000, as a page and over the API.

Run ``.venv/bin/python bench/subject_list.py`` (``make bench`` runs it too). On PostgreSQL, in a
throwaway database ``oversight_bench_list_<pid>`` (dropped at the end): a city of two counties
and ``--subjects`` subjects (1,000,000 by default, bulk-loaded), then, in one process through the
whole middleware stack (Django's test client), a county leader's list page and API list, first
page and the page 1,000 pages in (read by key, ``after=``), each against a bare Django view behind
the same middleware running the same single indexed query. Each figure: requests per second as
a ratio of the bare view's, p95 and median latency, the scale. Goals (issue 8): at least 50% of
the bare view's requests per second, p95 under 100 ms. Nothing asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def _latencies(call: Callable[[], object], count: int) -> list[float]:
    out = []
    for _ in range(count):
        start = time.perf_counter()
        call()
        out.append(time.perf_counter() - start)
    return out


def _load(subjects: int) -> dict[str, int]:
    """A city of two counties with stations, and ``subjects`` subjects spread over them."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from oversight.catalog.services import catalog_load
    from oversight.org import services
    from oversight.org.models import User

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)  # pages as served: manifest
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
        leader = services.officer_create(
            actor=None,
            username=f"leader{c}",
            name="领导",
            badge_number=f"10000{c}",
            warrant_number=f"W10000{c}",
            agency_id=county.pk,
        )
        services.role_grant(actor=None, user_id=leader.user_id, role="LEADER")
    # else every page redirects to a password change (none set yet) or the second factor
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
    return {"stations": len(stations)}


def _bare_view() -> object:
    """A view that runs the list's single indexed query and renders its names, nothing else."""
    from django.http import HttpResponse

    from oversight.subjects.models import Subject

    def bare(request: object) -> HttpResponse:
        after = int(request.GET.get("after") or 0)  # type: ignore[attr-defined]
        rows = (
            Subject.objects.filter(agency__path__startswith="BC/BC-0/", id__gt=after)
            .order_by("id")
            .values_list("id", "name")[:51]
        )
        return HttpResponse("\n".join(name for _id, name in rows))

    return bare


def child(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import path

    import config.urls
    from oversight.org.models import User
    from oversight.org.services import token_issue
    from oversight.subjects.models import Subject

    config.urls.urlpatterns.insert(0, path("bench/bare/", _bare_view()))
    settings.ALLOWED_HOSTS = ["testserver"]
    started = time.perf_counter()
    _load(args.subjects)
    loaded = time.perf_counter() - started
    scope = Subject.objects.filter(agency__path__startswith="BC/BC-0/").order_by("id")
    deep = scope.values_list("id", flat=True)[999 * 50 - 1]  # page 1,000 follows it
    page = Client()
    page.force_login(User.objects.get(username="leader0"))
    _token, raw = token_issue(actor=None, username="leader0")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    targets = {
        "bare view": lambda after: page.get(f"/bench/bare/?after={after}"),
        "list page": lambda after: page.get(f"/subjects/?after={after}" if after else "/subjects/"),
        "list API": lambda after: api.get(
            f"/api/v1/subjects?after={after}" if after else "/api/v1/subjects"
        ),
    }
    print(f"Subject list at {args.subjects:,} subjects (PostgreSQL; loaded in {loaded:.0f} s)")
    for label, after in (("page 1", 0), ("page 1,000", deep)):
        first, last = (
            s.name for s in (scope.filter(id__gt=after)[0], scope.filter(id__gt=after)[49])
        )
        for name, fn in targets.items():  # each answers the same rows, or the figures mean nothing
            response = fn(after)
            body = response.content.decode()
            if response.get("Content-Type", "").startswith("application/json"):
                body = json.dumps(response.json(), ensure_ascii=False)
            if response.status_code != 200 or first not in body or last not in body:
                sys.exit(
                    f"{name} ({label}) did not answer the expected page: {response.status_code}"
                )
        for fn in targets.values():
            _latencies(lambda fn=fn, after=after: fn(after), 10)  # warm
        results = {
            name: _latencies(lambda fn=fn, after=after: fn(after), args.requests)
            for name, fn in targets.items()
        }
        bare_rps = len(results["bare view"]) / sum(results["bare view"])
        print(f"[{label}]  ({args.requests} requests each, one process)")
        for name, lat in results.items():
            rps = len(lat) / sum(lat)
            p95 = sorted(lat)[int(len(lat) * 0.95) - 1]
            print(
                f"  {name:10s} {rps / bare_rps:6.0%} of the bare view's requests/s"
                f"  ({rps:6.0f}/s)  median {statistics.median(lat) * 1000:6.1f} ms"
                f"  p95 {p95 * 1000:6.1f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
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

    name = f"oversight_bench_list_{os.getpid()}"
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
            env["OVERSIGHT_MFA"] = "admins"  # a county leader signs in with a password
            cmd = [sys.executable, __file__, "--child", "--subjects", str(args.subjects)]
            cmd += ["--requests", str(args.requests)]
            subprocess.run(cmd, env=env, check=False)  # noqa: S603
    finally:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.close()


if __name__ == "__main__":
    main()

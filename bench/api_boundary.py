"""What the API's checks cost: token, permission rule, scope of every id, declared validation.

Run ``.venv/bin/python bench/api_boundary.py`` (``make bench`` runs it too). In one process, on a
throwaway SQLite database with a small city, through the whole middleware stack (Django's test
client): reading one officer and updating one officer, each against ``/healthz`` — a bare Django
view doing one ``SELECT 1`` behind the same middleware — as the baseline measured in the same
run. A second pair times the input boundary alone: ``clean_value`` of a name against a plain
``str.strip``. Each figure: ratio, then the absolute median, then the scale. Nothing asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _median_us(fn: Callable[[], object], count: int, repeat: int) -> float:
    """The median, over ``repeat`` runs, of the mean time of one call in µs."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(count):
            fn()
        runs.append((time.perf_counter() - start) / count * 1e6)
    return statistics.median(runs)


def _city() -> tuple[str, int, dict[str, object]]:
    """A city, a county, a station and a leader with a token; return token, officer id, body."""
    from oversight.org import services
    from oversight.org.reference import load_departments

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
    station = services.agency_create(
        actor=None, code="BB-A-P", name="派出所", kind="POLICE_STATION", parent_id=county.pk
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
    officer = services.officer_create(
        actor=None,
        username="officer",
        name="民警",
        badge_number="100002",
        warrant_number="W100002",
        agency_id=station.pk,
    )
    _token, raw = services.token_issue(actor=None, username="leader")
    body = {
        "name": "民警",
        "badge_number": "100002",
        "warrant_number": "W100002",
        "agency_id": station.pk,
        "qualification": "BASIC",
        "qualification_expires_on": "2030-01-01",
    }
    return raw, officer.pk, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per run (300)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; median (5)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="oversight-bench-")
    os.environ.update(
        DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3",
        OVERSIGHT_DATA_DIR=tmp,
        DJANGO_SETTINGS_MODULE="config.settings",
        OVERSIGHT_AUDIT_ANCHOR_DIR=f"{tmp}/anchors",
    )
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from oversight.core.fields import clean_value
    from oversight.org.fields import OFFICER

    call_command("migrate", verbosity=0, interactive=False)
    raw, officer_id, body = _city()
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/api/v1/officers/{officer_id}"
    payload = json.dumps(body)

    def health() -> None:
        assert client.get("/healthz").status_code == 200

    def read() -> None:
        assert client.get(url).status_code == 200

    def update() -> None:
        assert client.put(url, payload, "application/json").status_code == 200

    for fn in (health, read, update):  # warm: caches, the token's last-used stamp
        _median_us(fn, 20, 1)
    n, r = args.requests, args.repeat
    bare = _median_us(health, n, r)
    figures = {
        "read one officer": _median_us(read, n, r),
        "update one officer": _median_us(update, n, r),
    }
    name = " 民警\u0301甲 "
    strip = _median_us(lambda: name.strip(), 100_000, r)
    clean = _median_us(lambda: clean_value(OFFICER["name"], name), 100_000, r)
    print("Oversight API boundary — SQLite, in process, whole middleware stack")
    print(f"baseline /healthz (bare view, SELECT 1): median {bare / 1000:.3f} ms per request")
    for label, us in figures.items():
        print(f"  {label:20s} ratio {us / bare:5.2f}x  median {us / 1000:.3f} ms", end="")
        print(f"  ({n} requests × {r} runs)")
    print(f"  clean_value(name)    ratio {clean / strip:5.1f}x  median {clean:.2f} µs", end="")
    print(f" vs str.strip {strip:.3f} µs  (100,000 calls × {r} runs)")


if __name__ == "__main__":
    main()

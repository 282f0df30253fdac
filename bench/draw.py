"""The random draw (双随机) over a million members: in pure Python and with its keys in PostgreSQL.

Run ``.venv/bin/python bench/draw.py`` (``--help`` for the options). Every figure is a ratio
against a baseline measured in the same run, then the absolute median, then the scale; nothing
asserts a time.

- **Python**: U for every member (``verify.score``'s formula) against ``hashlib.sha256`` alone
  over the same messages, built beforehand; then the whole reference draw (``verify.select``:
  U, a bounded heap per class, the exact merge) against the same baseline.
- **PostgreSQL** (skipped with the reason if the server cannot be reached): in a throwaway
  database ``oversight_bench_draw_<pid>`` (dropped at the end), on one temporary table of the same
  population, ``ORDER BY random() LIMIT k`` as the baseline; the hashing floor (one ordering by
  the first 8 bytes of SHA-256 of every row); the draw with U computed in SQL per weight class
  (``ORDER BY … DESC, id LIMIT k`` per class, one statement) and the candidates merged exactly in
  Python; and the rows fetched to Python to be drawn there. Then the per-class SQL again on an
  ordinary (unlogged) table, where PostgreSQL may scan in parallel, as a production table would.
  Before timing, the SQL draw is checked to be the pure-Python draw, id for id and U for U.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from oversight.planning import verify  # noqa: E402

DEFAULT_PG = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SEED = "03 09 14 21 27 33 + 08"
CONTEXT = "bench"
# Risk grades A–D as weights 1–4, for 40%, 30%, 20%, 10% of the members (by id modulo 10).
WEIGHT_SQL = "CASE WHEN g % 10 < 4 THEN 1 WHEN g % 10 < 7 THEN 2 WHEN g % 10 < 9 THEN 3 ELSE 4 END"


def weight_of(member_id: int) -> int:
    """Return the weight the SQL above gives a member (the same population on both sides)."""
    r = member_id % 10
    return 1 if r < 4 else 2 if r < 7 else 3 if r < 9 else 4


def interleaved(runs: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Return the run times of each function in seconds: one run of each per round, ``repeat``
    rounds, so that a machine busy with something else slows them alike."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, fn in runs.items():
            gc.collect()
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return times


def line(name: str, runs: list[float], base: list[float] | None, scale: str) -> str:
    """Return one figure: ratio to the baseline, median, scale."""
    median = statistics.median(runs)
    ratio = f"{median / statistics.median(base):5.2f}x" if base else "  base"
    return f"  {name:<46} {ratio}  median {median * 1000:8.1f} ms  ({scale})"


# --- pure Python ----------------------------------------------------------------------------------


def bench_python(population: list[verify.Member], k: int, repeat: int, committed: str) -> None:
    """Print U over every member and the whole draw against hashlib alone."""
    prefix = verify.key_prefix(SEED, committed)
    messages = [prefix + b"%d" % m.id for m in population]
    sha256, from_bytes = hashlib.sha256, int.from_bytes

    def hashlib_alone() -> None:
        for message in messages:
            sha256(message).digest()

    def keys() -> None:
        [from_bytes(sha256(prefix + b"%d" % m.id).digest()[:8], "big") + 1 for m in population]

    def whole_draw() -> None:
        verify.select(SEED, committed, population, k)

    t = interleaved({"hashlib": hashlib_alone, "keys": keys, "draw": whole_draw}, repeat)
    n = f"{len(population):,} members"
    print("Python (pure, one process):")
    print(line("hashlib.sha256 alone over the messages", t["hashlib"], None, n))
    print(line("U of every member (message, SHA-256, 8 bytes)", t["keys"], t["hashlib"], n))
    print(line(f"the whole draw, k = {k} (U, heaps, merge)", t["draw"], t["hashlib"], n))


# --- PostgreSQL -----------------------------------------------------------------------------------

U_SQL = "substring(sha256(convert_to(%(prefix)s || id::text, 'UTF8')) FROM 1 FOR 8)"


def per_class_sql(table: str, weights: list[int]) -> str:
    """Return one statement taking, for each weight class, its k first members by U."""
    parts = [
        f"(SELECT id, weight, {U_SQL} AS h FROM {table} WHERE weight = {w} "
        f"ORDER BY h DESC, id LIMIT %(k)s)"
        for w in weights
    ]
    return " UNION ALL ".join(parts)


def sql_draw(cur, table: str, weights: list[int], k: int, prefix: str) -> list[verify.Pick]:
    """Return the draw with U computed in SQL per class, merged exactly in Python."""
    cur.execute(per_class_sql(table, weights), {"prefix": prefix, "k": k})
    candidates = [
        verify.Pick(member_id, weight, 0, None, int.from_bytes(h, "big") + 1)
        for member_id, weight, h in cur.fetchall()
    ]
    return verify.select_from_candidates(candidates, k)


def fetched_draw(cur, table: str, k: int, committed: str) -> list[verify.Pick]:
    """Return the draw made in Python over the rows fetched from the table."""
    cur.execute(f"SELECT id, weight FROM {table}", binary=True)
    population = [verify.Member(member_id, weight) for member_id, weight in cur.fetchall()]
    return verify.select(SEED, committed, population, k)


def bench_postgresql(
    url: str, population: list[verify.Member], k: int, repeat: int, committed: str
) -> None:
    """Print the SQL draw against ORDER BY random() on the same table, in a throwaway database."""
    try:
        import psycopg
    except ImportError as exc:
        print(f"PostgreSQL: skipped ({exc})")
        return
    parts = urlsplit(url)
    name = f"oversight_bench_draw_{os.getpid()}"
    try:
        admin = psycopg.connect(url, autocommit=True)
    except psycopg.Error as exc:
        print(f"PostgreSQL: skipped ({str(exc).strip()})")
        return
    n = len(population)
    prefix = verify.key_prefix(SEED, committed).decode("utf-8")
    weights = sorted({m.weight for m in population})
    expected = verify.select(SEED, committed, population, k)
    try:
        admin.execute(f"CREATE DATABASE {name}")
        with psycopg.connect(urlunsplit(parts._replace(path=f"/{name}"))) as conn:
            cur = conn.cursor()
            version = cur.execute("SHOW server_version").fetchone()
            rows = f"SELECT g::bigint AS id, {WEIGHT_SQL} AS weight FROM generate_series(1, {n}) g"
            cur.execute(f"CREATE TEMP TABLE pop AS {rows}")
            cur.execute(f"CREATE UNLOGGED TABLE pop_shared AS {rows}")
            cur.execute("ANALYZE pop")
            cur.execute("ANALYZE pop_shared")
            conn.commit()
            for table in ("pop", "pop_shared"):
                for how in (
                    sql_draw(cur, table, weights, k, prefix),
                    fetched_draw(cur, table, k, committed),
                ):
                    if how != expected:
                        print(f"PostgreSQL: the draw on {table} differs from the pure-Python draw")
                        return
            print(
                f"PostgreSQL {version[0] if version else '?'} (same {n:,} members; "
                f"SQL draw = pure-Python draw, checked):"
            )

            def random_order(table: str) -> None:
                cur.execute(f"SELECT id FROM {table} ORDER BY random() LIMIT %s", (k,))
                cur.fetchall()

            def hashing_floor() -> None:
                cur.execute(
                    f"SELECT id FROM pop ORDER BY {U_SQL} DESC, id LIMIT %(k)s",
                    {"prefix": prefix, "k": k},
                )
                cur.fetchall()

            t = interleaved(
                {
                    "random": lambda: random_order("pop"),
                    "floor": hashing_floor,
                    "sql": lambda: sql_draw(cur, "pop", weights, k, prefix),
                    "fetched": lambda: fetched_draw(cur, "pop", k, committed),
                    "random shared": lambda: random_order("pop_shared"),
                    "sql shared": lambda: sql_draw(cur, "pop_shared", weights, k, prefix),
                },
                repeat,
            )
            scale = f"{n:,} rows, k = {k}"
            floor = statistics.median(t["floor"])
            print(line("ORDER BY random() LIMIT k (temp table)", t["random"], None, scale))
            print(line("ORDER BY first 8 bytes of SHA-256 (floor)", t["floor"], t["random"], scale))
            per_class = f"draw: U in SQL per class ({len(weights)}), merged"
            print(line(per_class, t["sql"], t["random"], scale))
            print(f"  {'':<46} {statistics.median(t['sql']) / floor:5.2f}x the floor")
            print(line("draw: rows fetched, U in Python", t["fetched"], t["random"], scale))
            print(
                line("ORDER BY random() LIMIT k (unlogged table)", t["random shared"], None, scale)
            )
            shared = "draw: U in SQL per class, parallel scans"
            print(line(shared, t["sql shared"], t["random shared"], scale))
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=1_000_000, help="population (1000000)")
    parser.add_argument("-k", type=int, default=1000, help="members drawn (1000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; median (5)")
    parser.add_argument("--pg", default=DEFAULT_PG, help="PostgreSQL server (BENCH_PG_URL)")
    parser.add_argument("--no-pg", action="store_true", help="Python only")
    args = parser.parse_args()
    print(
        f"Draw benchmark: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs; median of {args.repeat} runs; ratio = figure / baseline."
    )
    population = [verify.Member(i, weight_of(i)) for i in range(1, args.members + 1)]
    start = time.perf_counter()
    committed = verify.commitment(population, kind="TARGETS", context=CONTEXT, k=args.k)
    print(f"  (commitment of the population: {(time.perf_counter() - start) * 1000:.0f} ms, once)")
    bench_python(population, args.k, args.repeat, committed)
    if not args.no_pg:
        bench_postgresql(args.pg, population, args.k, args.repeat, committed)


if __name__ == "__main__":
    main()

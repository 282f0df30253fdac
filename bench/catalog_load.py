"""Catalog benchmark: the strict loader against a plain yaml.safe_load of the same files.

Run by `make bench` after the audit benchmarks; alone with `.venv/bin/python bench/catalog_load.py`.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from oversight.catalog.loader import load  # noqa: E402

CATALOG = ROOT / "catalog"
REPEAT = 7


def median_seconds(fn) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def plain() -> None:
    for path in sorted(CATALOG.glob("**/*.yaml")):
        yaml.safe_load(path.read_text(encoding="utf-8"))


def main() -> None:
    catalog = load(CATALOG)
    files = len(list(CATALOG.glob("**/*.yaml")))
    baseline = median_seconds(plain)
    strict = median_seconds(lambda: load(CATALOG))
    print("[catalog]")
    print(f"  strict load      ratio  {strict / baseline:.2f}x  (loader / plain yaml.safe_load)")
    pad = " " * 19
    print(f"{pad}loader median {strict * 1000:.1f} ms, plain {baseline * 1000:.1f} ms")
    print(
        f"                   scale: {files} files, {len(catalog.regimes)} regimes, "
        f"{len(catalog.provisions)} provisions, {REPEAT} runs each"
    )


if __name__ == "__main__":
    main()

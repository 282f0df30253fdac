"""Walk the responsibility list (the seed) regime by regime: nothing in it may be missing.

Every enumerated line of a regime's span of the seed — （一）, 1., ⑴, （1） — must be found, in the
seed's own words, somewhere in that regime's catalog entry; and the counts the issue names are
checked part by part.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oversight.catalog.loader import load
from oversight.catalog.schema import Regime

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "catalog" / "seed.txt").read_text(encoding="utf-8")
CATALOG = load(ROOT / "catalog")

ENUMERATOR = re.compile(
    r"^\s*(?:（[一二三四五六七八九十]+）|（\d+）|\(\d+\)|\d+[.．、]|[⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽])\s*"
)
# Headings of the six parts, which the catalog holds as its structure, not as text.
HEADING = re.compile(r"^监督检查(对象|内容|方式|措施|程序|处理)([及和](程序|措施))?$")
PUNCTUATION = str.maketrans(
    {"；": "", "。": "", ";": "", "，": "", ",": "", "、": "", "：": "", ":": ""}
)


def flat(text: str) -> str:
    """Compare texts without spaces and light punctuation (the seed is inconsistent in both)."""
    return "".join(text.split()).translate(PUNCTUATION)


def span(regime: Regime) -> str:
    start = SEED.index(regime.seed.first)
    end = SEED.index(regime.seed.last, start) + len(regime.seed.last)
    return SEED[start:end]


def all_text(regime: Regime) -> str:
    """Every text the regime holds, joined: where a seed line must be found."""
    texts: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(regime.model_dump(mode="json"))
    return flat("\n".join(texts))


def enumerated_lines(text: str) -> list[str]:
    lines = []
    for raw in text.splitlines():
        match = ENUMERATOR.match(raw)
        if not match:
            continue
        body = raw[match.end() :].strip()
        if not body or HEADING.match(flat(body)):
            continue
        lines.append(body)
    return lines


@pytest.mark.parametrize("code", list(CATALOG.regimes))
def test_every_enumerated_line_of_the_seed_is_in_the_regime(code):
    regime = CATALOG.regimes[code]
    haystack = all_text(regime)
    missing = [line for line in enumerated_lines(span(regime)) if flat(line) not in haystack]
    assert missing == []


def test_the_regimes_cover_the_whole_seed():
    """Every numbered section of the seed, （一） to （十）, has at least one regime."""
    numbered = re.compile(r"^（[一二三四五六七八九十]+）")
    sections = {numbered.match(r.section)[0] for r in CATALOG.regimes.values()}
    expected = {f"（{n}）" for n in ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")}
    assert sections == expected


# (regime, part, count) as the issue states them.
COUNTS = [
    ("NEIBAO", "content", 12),
    ("NEIBAO", "measures", 5),
]


@pytest.mark.parametrize("code, part, count", COUNTS)
def test_the_counts_of_the_issue_hold(code, part, count):
    regime = CATALOG.regimes[code]
    value = getattr(regime, part)
    items = value if isinstance(value, list) else value.items
    assert len(items) == count

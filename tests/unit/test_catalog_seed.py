"""Walk the responsibility list (the seed) regime by regime: nothing in it may be missing.

Every enumerated line of a regime's span of the seed — （一）, 1., ⑴, （1） — must be found, in the
seed's own words, somewhere in that regime's catalog entry; and the counts the issue names are
checked part by part.
"""

from __future__ import annotations

import re
from datetime import date
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


# (regime, part, count) as the issue states them, and as the seed numbers them.
COUNTS = [
    ("TRAFFIC", "content", 6),
    ("TRAFFIC", "methods", 3),
    ("PUBLIC_ORDER", "content", 7),
    ("PUBLIC_ORDER", "correction_grounds", 6),
    ("PUBLIC_ORDER", "fault_types", 17),
    ("PUBLIC_ORDER", "accountability_forms", 6),
    ("NEIBAO", "content", 12),
    ("NEIBAO", "measures", 5),
    ("FINANCE_SECURITY", "violations", 2),
    ("CUSTODY_OWN", "content", 5),
    ("CUSTODY_OWN", "methods", 2),
    ("CUSTODY_OWN", "measures", 4),
    ("CYBER_PROTECTION", "methods", 4),
    ("CYBER_PROTECTION", "determination_steps", 8),  # four steps, inward and outward
    ("CYBER_CONTENT", "content", 10),  # the duty and the 9 categories of 第五条
    ("CYBER_CONTENT", "determination_steps", 4),
    ("CYBER_CAFE", "methods", 4),
    ("CYBER_CAFE", "determination_steps", 4),
    ("EXIT_ENTRY", "content", 7),
    ("EXIT_ENTRY", "methods", 5),
    ("EXIT_ENTRY", "correction_grounds", 6),
    ("EXIT_ENTRY", "fault_types", 13),
    ("EXIT_ENTRY", "accountability_forms", 5),
    ("CALL_110", "content", 4),
    ("CALL_110", "methods", 4),
    ("EMERGENCY_INFO", "methods", 2),
    ("EMERGENCY_INFO", "handling", 4),
    ("DUTY", "content", 2),
    ("DUTY", "methods", 3),
    ("DUTY", "handling", 3),
    ("PRECURSOR_PERMITS", "content", 5),
    ("PRECURSOR_PERMITS", "methods", 5),
    ("PRECURSOR_PERMITS", "correction_grounds", 6),
    ("PRECURSOR_ENTERPRISES", "content", 2),
    ("PRECURSOR_ENTERPRISES", "methods", 2),
    ("PRECURSOR_ENTERPRISES", "measures", 3),
    ("PRECURSOR_ENTERPRISES", "violations", 8),
    ("CUSTODY_CITY", "content", 6),
    ("CUSTODY_CITY", "measures", 3),
]


@pytest.mark.parametrize("code, part, count", COUNTS)
def test_the_counts_of_the_issue_hold(code, part, count):
    regime = CATALOG.regimes[code]
    value = getattr(regime, part)
    items = value if isinstance(value, list) else value.items
    assert len(items) == count


def figure(code: str, key: str, on: date = date(2026, 1, 1)):
    return CATALOG.regimes[code].figures[key].value_at(on)


def test_two_officers_with_credentials_and_a_signed_record_where_the_seed_says_so():
    for code in ("NEIBAO", "CALL_110"):
        rules = CATALOG.regimes[code].procedure.rules
        assert figure(code, rules.min_inspectors).value == 2
        assert rules.show_credentials and rules.record and rules.record.required
    assert CATALOG.regimes["NEIBAO"].procedure.rules.record.refusal_noted
    assert figure("DUTY", "min_inspectors").value == 2


def test_the_scoring_scheme_is_thirty_thirty_twenty_twenty_of_a_hundred():
    scoring = CATALOG.regimes["ENFORCEMENT_QUALITY"].scoring
    weights = [figure("ENFORCEMENT_QUALITY", c.weight).value for c in scoring.components]
    assert weights == [30, 30, 20, 20]
    assert figure("ENFORCEMENT_QUALITY", scoring.total).value == 100
    assert figure("ENFORCEMENT_QUALITY", scoring.recheck_limit).value == 1
    assert scoring.veto and scoring.award_exclusions


def test_sampling_caps_are_ten_and_two_percent_a_year():
    assert figure("CYBER_CONTENT", CATALOG.regimes["CYBER_CONTENT"].sampling_cap).value == 10
    assert figure("PRECURSOR_PERMITS", CATALOG.regimes["PRECURSOR_PERMITS"].sampling_cap).value == 2


def test_the_fines_of_the_law_are_encoded():
    unit = figure("NEIBAO", "unit_fine")
    assert (unit.min, unit.max) == (10000, 100000)
    precursor = figure("PRECURSOR_ENTERPRISES", "fine")
    assert (precursor.min, precursor.max) == (10000, 50000)


def test_the_regimes_follow_the_seed_order():
    sections = [r.section for r in CATALOG.regimes.values()]
    assert sections[0].startswith("（一）") and sections[-1] == "（十）"
    assert sections.index("（二）") < sections.index("（十）")


def test_the_precursor_permit_matrix_follows_articles_17_and_20():
    matrix = {
        (r.category, r.activity): r.act for r in CATALOG.regimes["PRECURSOR_PERMITS"].permit_matrix
    }
    assert matrix == {
        (1, "PURCHASE"): "PERMIT",
        (1, "TRANSPORT"): "PERMIT",
        (2, "PURCHASE"): "FILING",
        (2, "TRANSPORT"): "PERMIT",
        (3, "PURCHASE"): "FILING",
        (3, "TRANSPORT"): "FILING",
    }
    out_of_scope = [r for r in CATALOG.regimes["PRECURSOR_PERMITS"].permit_matrix if not r.in_scope]
    assert [(r.category, r.activity) for r in out_of_scope] == [(1, "PURCHASE")]


def test_the_rhythms_of_checks_are_monthly_on_site_round_the_clock_video_and_a_yearly_check():
    """每月实地检查一次 and 24小时视频巡查 of one's own custody facilities; the yearly check
    (年检) of precursor enterprises their grading rests on — not of the narcotics offices."""
    custody = CATALOG.regimes["CUSTODY_OWN"].procedure.rules.frequencies
    assert [(f.method, f.per, f.applies_to) for f in custody] == [
        ("ON_SITE", "month", []),
        ("VIDEO_PATROL", "day", []),
    ]
    assert figure("CUSTODY_OWN", custody[0].figure).value == 1
    assert figure("CUSTODY_OWN", custody[1].figure).value == 24
    [yearly] = CATALOG.regimes["PRECURSOR_ENTERPRISES"].procedure.rules.frequencies
    assert (yearly.method, yearly.per, yearly.applies_to) == (
        "ON_SITE",
        "year",
        ["PRECURSOR_ENTERPRISE"],
    )
    assert figure("PRECURSOR_ENTERPRISES", yearly.figure).value == 1
    cited = CATALOG.regimes["PRECURSOR_ENTERPRISES"].figures[yearly.figure].reference
    assert CATALOG.provisions[cited].status == "unconfirmed"  # the list's words alone
    with_rhythm = [code for code, r in CATALOG.regimes.items() if r.procedure.rules.frequencies]
    assert with_rhythm == ["TRAFFIC", "CUSTODY_OWN", "ENFORCEMENT_QUALITY", "PRECURSOR_ENTERPRISES"]

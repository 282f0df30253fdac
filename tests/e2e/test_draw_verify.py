"""The draw verifier of the public page agrees with verify.py bit for bit (issue 9, "Proof").

Draw files are made with the Python code (target draws with strata and weights up to 1,000,
inspector draws with loads), then tampered with in every way that matters and in many that
make a file malformed. Each file is checked by ``verify.py`` and by the page's script in
Chromium, anonymously: the verdict, every problem's text, the commitment, the draw recomputed
and every member's U (decimal strings) must be the same. Some files go through the page itself
(the file picker or the paste box, then 核验) and the verdict shown is checked in Chinese.
"""

from __future__ import annotations

import copy
import hashlib
import json
import random
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from oversight.planning import verify as v
from oversight.planning.verify import Member

pytestmark = pytest.mark.e2e

COMMITTED_AT = "2026-03-02T09:00:00+08:00"
ENTERED_AT = "2026-03-05T21:45:00+08:00"
DOC = Path(__file__).resolve().parents[2] / "docs" / "draw.md"
PAGE = "/public/verify/"


def _file(
    population: list[Member],
    *,
    k: int,
    quotas: dict[str, int] | None = None,
    kind: str = "TARGETS",
    context: str = "2026年 抽查任务 T-7 检查对象",
    seed: str = "03 09 14 21 27 33 + 08",
) -> dict[str, Any]:
    committed = v.commit_file(
        kind=kind,
        context=context,
        population=population,
        k=k,
        quotas=quotas,
        committed_at=COMMITTED_AT,
    )
    return v.complete_file(
        committed,
        seed=seed,
        source="中国福利彩票双色球 2026025期 开奖号码",
        entered_by="010203",
        entered_at=ENTERED_AT,
    )


def valid_files() -> dict[str, dict[str, Any]]:
    """Correct draw files of every shape, built by verify.py's own functions."""
    rng = random.Random(9)
    grades = [1, 2, 3, 5, 8, 13, 40, 100, 997, 999, 1000]
    ids = rng.sample(range(1, 10**9), 240)
    mixed = [Member(i, rng.choice(grades)) for i in ids]
    heavy = [Member(i, rng.randint(900, 1000)) for i in ids[:60]]
    edges = [Member(0, 1), Member(v.MAX_ID, 1000), Member(v.MAX_ID - 1, 999), Member(7, 2)]
    strata = ["COUNTY-A", "COUNTY-B", "county.c_3"]
    stratified = [Member(i, rng.choice(grades), rng.choice(strata)) for i in ids[:150]]
    sizes = {s: sum(m.stratum == s for m in stratified) for s in strata}
    quotas = {"COUNTY-A": 4, "COUNTY-B": 0, "county.c_3": min(6, sizes["county.c_3"])}
    officers = [Member(100 + i, 1, None, rng.randint(0, 3)) for i in range(14)]
    even = [Member(500 + i, 1, None, 2) for i in range(9)]
    files = {
        "targets-mixed-weights": _file(mixed, k=25),
        "targets-heavy-weights": _file(heavy, k=15, seed="7 7 2 9 4 1 8"),
        "targets-all-drawn": _file(heavy[:12], k=12),
        "targets-edge-ids": _file(edges, k=3, context="", seed="骰子：3 5 6 1 2 4（公证处见证）"),
        "targets-strata": _file(stratified, k=sum(quotas.values()), quotas=quotas),
        "inspectors-loads": _file(
            officers, k=3, kind="INSPECTORS", context="2026年 抽查任务 T-7 对象 42 检查人员"
        ),
        "inspectors-equal-loads": _file(even, k=2, kind="INSPECTORS", context="对象 43"),
    }
    page = DOC.read_text("utf-8")
    for name in ("draw-file", "stratified-file"):
        block = page.split(f"<!-- example: {name} -->\n```json\n", 1)[1].split("\n```", 1)[0]
        files[f"doc-{name}"] = json.loads(block)
    return files


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        target = doc
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value

    return edit


def _swap_first_two(doc: dict[str, Any]) -> None:
    doc["result"][0], doc["result"][1] = doc["result"][1], doc["result"][0]


def _seed_digit(doc: dict[str, Any]) -> None:
    doc["seed"]["value"] = doc["seed"]["value"].replace("3", "4", 1)


def _commitment_digit(doc: dict[str, Any]) -> None:
    c = doc["commitment"]
    doc["commitment"] = ("1" if c[0] == "0" else "0") + c[1:]


def _weight(doc: dict[str, Any]) -> None:
    doc["population"][3]["weight"] = doc["population"][3]["weight"] % 1000 + 1


def _load(doc: dict[str, Any]) -> None:
    doc["population"][2]["load"] = doc["population"][2].get("load", 0) + 1


def _result_id(doc: dict[str, Any]) -> None:
    drawn = {r["id"] for r in doc["result"]}
    doc["result"][1]["id"] = next(m["id"] for m in doc["population"] if m["id"] not in drawn)


def _drop_member(doc: dict[str, Any]) -> None:
    del doc["population"][-1]


def _unsorted(doc: dict[str, Any]) -> None:
    doc["population"].reverse()


def _many_bad_members(doc: dict[str, Any]) -> None:
    for m in doc["population"][:12]:
        m["weight"] = 0


# (name, file it starts from, edit)
TAMPERED: list[tuple[str, str, Callable[[dict[str, Any]], None]]] = [
    ("seed-digit", "targets-mixed-weights", _seed_digit),
    ("seed-digit-strata", "targets-strata", _seed_digit),
    ("weight", "targets-mixed-weights", _weight),
    ("load", "inspectors-loads", _load),
    ("result-id", "targets-heavy-weights", _result_id),
    ("result-id-unknown", "targets-mixed-weights", _set(("result", 0, "id"), 424242)),
    ("order", "targets-mixed-weights", _swap_first_two),
    ("order-inspectors", "inspectors-loads", _swap_first_two),
    ("commitment", "targets-mixed-weights", _commitment_digit),
    ("commitment-upper", "doc-draw-file", lambda d: d.update(commitment=d["commitment"].upper())),
    ("u", "doc-draw-file", _set(("result", 1, "u"), "4822584942121322465")),
    ("u-not-digits", "doc-draw-file", _set(("result", 1, "u"), " 4822584942121322464")),
    ("duplicate-result", "doc-draw-file", lambda d: d["result"].append(dict(d["result"][0]))),
    ("short-result", "targets-mixed-weights", lambda d: d["result"].pop()),
    ("empty-result", "doc-draw-file", _set(("result",), [])),
    ("dropped-member", "targets-mixed-weights", _drop_member),
    ("k", "targets-mixed-weights", _set(("parameters", "k"), 24)),
    ("k-too-large", "doc-draw-file", _set(("parameters", "k"), 7)),
    ("k-float", "doc-draw-file", _set(("parameters", "k"), 2.0)),
    ("context", "targets-mixed-weights", _set(("context",), "2026年 抽查任务 T-8 检查对象")),
    ("context-not-canonical", "doc-draw-file", _set(("context",), " 示例")),
    ("context-number", "doc-draw-file", _set(("context",), 5)),
    ("kind", "doc-draw-file", _set(("kind",), "INSPECTORS")),
    ("kind-unknown", "doc-draw-file", _set(("kind",), "抽查")),
    ("seed-before-commitment", "doc-draw-file", _set(("seed", "entered_at"), COMMITTED_AT)),
    ("seed-missing", "doc-draw-file", _set(("seed",), None)),
    ("seed-double-space", "doc-draw-file", _set(("seed", "value"), "03  09 14 21 27 33 + 08")),
    ("seed-ideographic-space", "doc-draw-file", _set(("seed", "value"), "03\u300009")),
    ("seed-too-long", "doc-draw-file", _set(("seed", "value"), "9" * 201)),
    ("seed-empty-source", "doc-draw-file", _set(("seed", "source"), " \u3000")),
    ("seed-extra-key", "doc-draw-file", _set(("seed", "note"), "x")),
    ("committed-at-bad-date", "doc-draw-file", _set(("committed_at",), "2026-02-30T09:00:00Z")),
    (
        "entered-at-odd-offset",
        "doc-draw-file",
        _set(("seed", "entered_at"), "2026-03-02T02:39:00+00:99"),
    ),
    ("entered-at-no-offset", "doc-draw-file", _set(("seed", "entered_at"), "2026-03-05T21:45:00")),
    ("version-float", "doc-draw-file", _set(("version",), 1.0)),
    ("version-true", "doc-draw-file", _set(("version",), True)),
    ("version-2", "doc-draw-file", _set(("version",), 2)),
    (
        "format",
        "doc-draw-file",
        _set(("format",), {"name": "oversight-draw", "v": [1, 1e16, None]}),
    ),
    ("algorithm", "doc-draw-file", _set(("algorithm", "version"), "1")),
    ("unknown-fields", "doc-draw-file", lambda d: d.update({"zeta": 1, "note\u200b's": 2, "é": 3})),
    ("not-an-object", "doc-draw-file", lambda d: d.clear()),
    ("population-unsorted", "targets-mixed-weights", _unsorted),
    ("member-stratum-null", "doc-draw-file", _set(("population", 0, "stratum"), None)),
    ("member-extra-key", "doc-draw-file", _set(("population", 0, "name"), "某单位")),
    ("member-weight-float", "doc-draw-file", _set(("population", 1, "weight"), 2.0)),
    ("member-weight-too-heavy", "doc-draw-file", _set(("population", 1, "weight"), 1001)),
    ("member-id-too-large", "doc-draw-file", _set(("population", 5, "id"), 2**53)),
    ("member-id-duplicate", "doc-draw-file", _set(("population", 1, "id"), 1001)),
    ("many-bad-members", "targets-mixed-weights", _many_bad_members),
    ("population-empty", "doc-draw-file", _set(("population",), [])),
    ("quota-sum", "targets-strata", _set(("parameters", "quotas", "COUNTY-B"), 1)),
    ("quota-too-large", "targets-strata", _set(("parameters", "quotas", "COUNTY-A"), 999)),
    ("quota-negative", "targets-strata", _set(("parameters", "quotas", "COUNTY-B"), -1)),
    ("quota-bad-name", "targets-strata", _set(("parameters", "quotas", "-x"), 0)),
    ("quota-missing", "targets-strata", lambda d: d["parameters"]["quotas"].pop("COUNTY-B")),
    ("quotas-empty", "targets-strata", _set(("parameters", "quotas"), {})),
    ("quotas-dropped", "targets-strata", _set(("parameters", "quotas"), None)),
    ("result-not-a-list", "doc-draw-file", _set(("result",), {"id": 1006})),
    ("result-u-number", "doc-draw-file", _set(("result", 0, "u"), 6484841499830299577)),
]

# Bytes a verifier cannot read as a draw file's JSON, and one it can (a byte-order mark).
RAW: dict[str, bytes] = {
    "unreadable-duplicate-key": b'{"format": "oversight-draw", "format": "x"}',
    "unreadable-nan": b'{"version": NaN}',
    "unreadable-not-utf8": b'{"context": "\xff"}',
    "unreadable-trailing": b"{} {}",
    "unreadable-empty": b"",
    "unreadable-control-character": b'{"context": "a\tb"}',
}


def all_files() -> dict[str, bytes]:
    """Every file of the test, by name, as the bytes a visitor would pick."""
    valid = valid_files()
    files = {
        name: json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")
        for name, doc in valid.items()
    }
    for name, start, edit in TAMPERED:
        doc = copy.deepcopy(valid[start])
        edit(doc)
        files[f"tampered-{name}"] = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    files |= RAW
    files["bom-prefixed"] = b"\xef\xbb\xbf" + files["doc-draw-file"]
    files["escaped-ascii"] = json.dumps(valid["targets-strata"]).encode("ascii")
    return files


def python_verdict(path: Path) -> dict[str, Any]:
    """What verify.py says of a file, and the numbers it computes (as decimal strings)."""
    try:
        doc = v.load(str(path))
    except v.Unreadable:
        return {"unreadable": True, "problems": [], "valid": False}
    problems = v.verify(doc)
    verdict: dict[str, Any] = {"unreadable": False, "problems": problems, "valid": not problems}
    try:
        population = [v._member(m) for m in doc["population"]]
        k, quotas = doc["parameters"]["k"], doc["parameters"]["quotas"]
        committed = v.commitment(
            population, kind=doc["kind"], context=doc["context"], k=k, quotas=quotas
        )
        seed = doc["seed"]["value"]
        picks = v.select(seed, committed, population, k, quotas)
        prefix = v.key_prefix(seed, committed)
    except Exception:  # a malformed file: verify.py names why, and computes nothing further
        return verdict
    verdict["commitment"] = committed
    verdict["result"] = [{"id": str(p.id), "u": str(p.u)} for p in picks]
    verdict["members"] = [{"id": str(m.id), "u": str(v.score(prefix, m.id))} for m in population]
    return verdict


@pytest.fixture
def verifier(live_server: Any, page: Any) -> Any:
    """The public page, opened without logging in, with its script ready."""
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if m.type == "error" else None)
    response = page.goto(f"{live_server.url}{PAGE}")
    assert response.status == 200
    assert "set-cookie" not in response.headers  # no session, no CSRF cookie
    page.wait_for_selector("#draw-verify[data-ready=true]")
    yield page
    assert violations == []  # e.g. a script refused by the Content-Security-Policy


VERIFY_IN_PAGE = """async ([bytes, plain]) => {
  const r = await window.OversightDraw.verify(new Uint8Array(bytes), {plainSha256: plain});
  return {unreadable: r.unreadable !== null, valid: r.valid,
          problems: r.problems.map(p => p.text), codes: r.problems.map(p => p.code),
          commitment: r.commitment, result: r.result, members: r.members};
}"""


def test_the_browser_and_verify_py_agree_on_every_file(verifier: Any, tmp_path: Path) -> None:
    files = all_files()
    reached_the_draw = 0
    for name, data in files.items():
        path = tmp_path / f"{name}.json"
        path.write_bytes(data)
        want = python_verdict(path)
        got = verifier.evaluate(VERIFY_IN_PAGE, [list(data), False])
        label = f"{name}: browser {got['problems'] or got['valid']}, Python {want['problems']}"
        assert got["unreadable"] == want["unreadable"], label
        assert got["valid"] == want["valid"], label
        assert got["problems"] == want["problems"], label
        assert all(got["codes"]), label
        if got["result"] is not None:  # the browser got as far as recomputing the draw
            reached_the_draw += 1
            assert got["commitment"] == want["commitment"], name
            assert got["result"] == want["result"], name
            assert got["members"] == want["members"], name
        if name.startswith(("targets", "inspectors", "doc")) or name in {
            "bom-prefixed",
            "escaped-ascii",
        }:
            assert want["valid"] and got["valid"], label
            assert got["result"] is not None
        if name.startswith("tampered") or name.startswith("unreadable"):
            assert not want["valid"] and not got["valid"], label
    # the five changes of the issue are named, the draw recomputed in each case
    for name in ("seed-digit", "weight", "result-id", "order", "commitment"):
        data = files[f"tampered-{name}"]
        got = verifier.evaluate(VERIFY_IN_PAGE, [list(data), False])
        assert got["result"] is not None and got["problems"], name
    assert reached_the_draw >= 30


def test_the_fallback_sha256_gives_webcrypto_numbers(verifier: Any) -> None:
    """Where a browser offers no WebCrypto (plain http off the local machine), the script's own
    SHA-256 is used; it gives the same commitment and the same U."""
    assert verifier.evaluate("window.OversightDraw.internals.hasWebCrypto()")
    files = all_files()
    for name in ("targets-mixed-weights", "targets-strata", "tampered-seed-digit"):
        data = list(files[name])
        web = verifier.evaluate(VERIFY_IN_PAGE, [data, False])
        plain = verifier.evaluate(VERIFY_IN_PAGE, [data, True])
        assert web == plain and web["members"], name
    lengths = [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000]
    sums = verifier.evaluate(
        """lengths => lengths.map(n => {
             const bytes = new Uint8Array(n).map((_, i) => (i * 7 + n) & 255);
             return Array.from(window.OversightDraw.internals.sha256Plain(bytes))
               .map(b => b.toString(16).padStart(2, '0')).join('');
           })""",
        lengths,
    )
    want = [hashlib.sha256(bytes((i * 7 + n) & 255 for i in range(n))).hexdigest() for n in lengths]
    assert sums == want


def test_a_visitor_checks_a_file_on_the_page(verifier: Any, tmp_path: Path) -> None:
    files = all_files()
    valid = tmp_path / "抽取文件.json"
    valid.write_bytes(files["targets-strata"])
    verifier.set_input_files("[data-draw-file]", str(valid))
    verifier.click("[data-draw-verify]")
    verdict = verifier.wait_for_selector("[data-draw-result] [data-verdict]")
    assert verdict.get_attribute("data-verdict") == "valid"
    assert "有效" in verdict.inner_text()
    recomputed = verifier.locator(".draw-recomputed li")
    want = python_verdict(valid)["result"]
    assert recomputed.count() == len(want)
    assert want[0]["id"] in recomputed.first.inner_text()

    tampered = tmp_path / "改过的.json"
    tampered.write_bytes(files["tampered-order"])
    verifier.set_input_files("[data-draw-file]", str(tampered))
    verifier.click("[data-draw-verify]")
    verifier.wait_for_selector("[data-draw-result] [data-verdict=invalid]")
    problems = verifier.locator(".draw-problems li")
    assert problems.count() == len(python_verdict(tampered)["problems"])
    shown = problems.first.inner_text()
    assert "顺序" in shown  # said in Chinese, with verify.py's line beside it
    assert python_verdict(tampered)["problems"][0] in shown


def test_a_visitor_pastes_a_file(verifier: Any) -> None:
    files = all_files()
    verifier.fill("[data-draw-text]", files["tampered-seed-digit"].decode("utf-8"))
    verifier.click("[data-draw-verify]")
    verifier.wait_for_selector("[data-draw-result] [data-verdict=invalid]")
    codes = verifier.eval_on_selector_all(
        ".draw-problems li", "els => els.map(e => e.dataset.code)"
    )
    assert codes and set(codes) <= {"result_u", "result_id", "result_order", "result_not_drawn"}
    assert "无效" in verifier.inner_text("[data-draw-result]")

    verifier.fill("[data-draw-text]", files["doc-draw-file"].decode("utf-8"))
    verifier.click("[data-draw-verify]")
    verifier.wait_for_selector("[data-draw-result] [data-verdict=valid]")

    verifier.fill("[data-draw-text]", "{")
    verifier.click("[data-draw-verify]")
    verifier.wait_for_selector("[data-draw-result] [data-verdict=invalid]")
    assert "无法读取" in verifier.inner_text("[data-draw-result]")


RANGES_IN_PAGE = """() => {
  const I = window.OversightDraw.internals;
  const runs = {bad: [], unprintable: []};
  const add = (list, c) => {
    const last = list[list.length - 1];
    if (last && last[1] === c - 1) last[1] = c; else list.push([c, c]);
  };
  for (let c = 0; c < 0x110000; c++) {
    const s = String.fromCodePoint(c);
    const p = I.textProblem(s, false);
    if (p && p[0] === 'bad_char') add(runs.bad, c);
    if (c >= 0x7f && I.pyRepr(s).startsWith("'\\\\")) add(runs.unprintable, c);
  }
  return runs;
}"""


def _expand(runs: list[list[int]]) -> set[int]:
    return {c for start, end in runs for c in range(start, end + 1)}


def test_the_scripts_texts_and_times_are_pythons(verifier: Any) -> None:
    """The character classes, canonical form and times the script uses are verify.py's, for
    every character this Python's Unicode knows (a newer browser knows more)."""
    runs = verifier.evaluate(RANGES_IN_PAGE)
    known = [c for c in range(0x110000) if unicodedata.category(chr(c)) != "Cn"]
    bad, unprintable = _expand(runs["bad"]), _expand(runs["unprintable"])
    for c in known:
        assert (c in bad) == (v.text_problem(chr(c)) or "").startswith("holds"), hex(c)
        assert c < 0x7F or (c in unprintable) == repr(chr(c)).startswith("'\\"), hex(c)

    spaces = "".join(chr(c) for c in range(0x3100) if chr(c).isspace())
    texts = [
        f"a{spaces}b",
        f"{spaces}x{spaces}",
        "e\u0301 \u212b",
        "a\u200bb\ufeffc\u180ed",
        "  双色球\u3000 2026025期 ",
    ]
    got = verifier.evaluate("ts => ts.map(window.OversightDraw.internals.canonicalText)", texts)
    assert got == [v.canonical_text(t) for t in texts]

    times = [
        COMMITTED_AT,
        "2026-03-02T01:00:00Z",
        "2026-03-02T01:00:00.5Z",
        "2026-03-02T01:00:00.500Z",
        "2026-03-02T01:00:00.000001-00:00",
        "2024-02-29T23:59:59+23:59",
        "2026-02-29T00:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59-23:59",
        "2026-01-01T24:00:00Z",
        "2026-01-01T00:00:60Z",
        "2026-01-01T00:00:00+05:60",
        "2026-01-01T00:00:00+23:60",
        "2026-01-01 00:00:00Z",
        "2026-01-01T00:00:00",
        "２０２６-01-01T00:00:00Z",
    ]
    got = verifier.evaluate(
        "ts => ts.map(t => { const m = window.OversightDraw.internals.parseTime(t);"
        " return m === null ? null : m.toString(); })",
        times,
    )
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    want = []
    for t in times:
        parsed = v._time(t)
        delta = parsed - epoch if parsed is not None else None
        want.append(delta and str(delta // timedelta(microseconds=1)))
    assert got == want

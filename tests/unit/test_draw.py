"""The random draw (双随机) and its verifier: the selection is Efraimidis–Spirakis, exact and
reproducible; the fast paths equal the definition; a draw file verifies untouched and any change
that matters is named; the verifier runs alone on the standard library."""

from __future__ import annotations

import copy
import hashlib
import json
import math
import shutil
import subprocess
import sys
from functools import cmp_to_key
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.planning import verify as v
from oversight.planning.verify import Member, Pick

SRC = Path(v.__file__)
COMMITTED_AT = "2026-03-02T09:00:00+08:00"
ENTERED_AT = "2026-03-05T21:45:00+08:00"
SEED = "03 09 14 21 27 33 + 08"

seeds = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Co", "Zl", "Zp")),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())
weights = st.integers(1, 6) | st.sampled_from([1, 2, 3, 4, 997, 1000])


@st.composite
def populations(draw, *, strata: bool = False, loads: bool = False, min_size: int = 1):
    ids = draw(st.lists(st.integers(0, v.MAX_ID), min_size=min_size, max_size=25, unique=True))
    return [
        Member(
            i,
            draw(weights),
            draw(st.sampled_from(["A", "B", "C-1"])) if strata else None,
            draw(st.integers(0, 2)) if loads else 0,
        )
        for i in ids
    ]


@st.composite
def draws(draw, *, strata: bool = False, loads: bool = False):
    """A population with a valid k, or quotas (each at most its stratum's size)."""
    population = draw(populations(strata=strata, loads=loads))
    if not strata:
        return population, draw(st.integers(1, len(population))), None
    sizes: dict[str, int] = {}
    for m in population:
        sizes[m.stratum] = sizes.get(m.stratum, 0) + 1
    quotas = {s: draw(st.integers(0, n)) for s, n in sizes.items()}
    if not sum(quotas.values()):
        first = sorted(quotas)[0]
        quotas[first] = 1
    return population, sum(quotas.values()), quotas


def before(a: Pick, b: Pick) -> int:
    """The order of docs/draw.md read literally: load, then the exact key comparison without
    dividing by the gcd, then the id."""
    if a.load != b.load:
        return a.load - b.load
    left = a.u**b.weight * 2 ** (64 * a.weight)
    right = b.u**a.weight * 2 ** (64 * b.weight)
    return (left < right) - (left > right) or (a.id > b.id) - (a.id < b.id)


def by_definition(seed: str, population: list[Member], k: int, quotas=None, **kw) -> list[int]:
    """The draw read straight from docs/draw.md: U of every member, every stratum sorted whole
    by (load, exact key, id), the quota (or k) first of each, strata in name order."""
    committed = v.commitment(population, k=k, quotas=quotas, **kw)
    prefix = v.canonical_seed(seed).encode() + b":" + committed.encode() + b":"

    def pick(m: Member) -> Pick:
        digest = hashlib.sha256(prefix + str(m.id).encode()).digest()
        return Pick(m.id, m.weight, m.load, m.stratum, int.from_bytes(digest[:8], "big") + 1)

    picks = [pick(m) for m in population]
    if quotas is None:
        return [p.id for p in sorted(picks, key=cmp_to_key(before))[:k]]
    out: list[int] = []
    for stratum in sorted(quotas):
        ranked = sorted((p for p in picks if p.stratum == stratum), key=cmp_to_key(before))
        out += [p.id for p in ranked[: quotas[stratum]]]
    return out


def ids(picks: list[Pick]) -> list[int]:
    return [p.id for p in picks]


# --- the selection --------------------------------------------------------------------------------


@given(seeds, draws(strata=False, loads=True))
def test_the_same_inputs_give_the_same_draw(seed, drawn):
    population, k, quotas = drawn
    first = v.draw(seed, population, k, quotas)
    assert v.draw(seed, list(reversed(population)), k, quotas) == first


@given(seeds, draws(strata=True, loads=True))
def test_a_draw_takes_k_members_of_the_population_once_each(seed, drawn):
    population, k, quotas = drawn
    chosen = ids(v.draw(seed, population, k, quotas))
    assert len(chosen) == k
    assert len(set(chosen)) == k
    assert set(chosen) <= {m.id for m in population}


@given(seeds, draws(strata=True))
def test_each_stratum_gives_exactly_its_quota_in_name_order(seed, drawn):
    population, k, quotas = drawn
    stratum = {m.id: m.stratum for m in population}
    chosen = [stratum[i] for i in ids(v.draw(seed, population, k, quotas))]
    assert chosen == [s for s in sorted(quotas) for _ in range(quotas[s])]


@settings(max_examples=300)
@given(seeds, st.one_of(draws(), draws(strata=True, loads=True), draws(loads=True)))
def test_the_draw_is_the_definition_sorted_whole(seed, drawn):
    population, k, quotas = drawn
    assert ids(v.draw(seed, population, k, quotas)) == by_definition(seed, population, k, quotas)


@given(seeds, st.one_of(draws(), draws(strata=True, loads=True)), st.integers(0, 5))
def test_candidates_taken_per_class_by_u_merge_to_the_draw(seed, drawn, extra):
    """What the database does: per class, the first members by (U desc, id asc), at least the
    class limit of them (more do no harm); the merge in Python gives the draw exactly."""
    population, k, quotas = drawn
    committed = v.commitment(population, k=k, quotas=quotas)
    prefix = v.key_prefix(seed, committed)
    limits = v.class_limits(population, k, quotas)
    candidates = []
    for cls, limit in limits.items():
        members = [m for m in population if v.class_of(m) == cls]
        scored = [Pick(m.id, m.weight, m.load, m.stratum, v.score(prefix, m.id)) for m in members]
        scored.sort(key=lambda p: (-p.u, p.id))
        candidates += scored[: limit + extra]
    assert v.select_from_candidates(candidates, k, quotas) == v.select(
        seed, committed, population, k, quotas
    )


@given(
    st.integers(1, 2**64),
    st.integers(1, 2**64),
    st.integers(1, 1000),
    st.integers(1, 1000),
)
def test_the_exact_order_is_the_order_of_the_keys_u_to_the_one_over_w(ua, ub, wa, wb):
    a, b = Pick(1, wa, 0, None, ua), Pick(2, wb, 0, None, ub)
    # log of (u/2**64)**(1/w), in floating point: trusted only where the two are well apart
    la = (math.log(ua) - 64 * math.log(2)) / wa
    lb = (math.log(ub) - 64 * math.log(2)) / wb
    if abs(la - lb) > 1e-9 * max(1.0, abs(la), abs(lb)):
        assert (v.compare(a, b) < 0) == (la > lb)
    assert v.compare(a, b) == -v.compare(b, a) != 0


@given(st.integers(1, 2**16), st.integers(-2, 2), st.lists(st.integers(1, 2**64), max_size=4))
def test_near_ties_are_ordered_exactly(s, delta, others):
    """(s²·2³² / 2⁶⁴)¹ and (s⁴ / 2⁶⁴)^(1/2) are the same key: nudged by a unit of U, the two are
    closer than floating point can tell apart, and the merge must still order them exactly."""
    a = Pick(1, 1, 0, None, s**2 * 2**32)
    b = Pick(2, 2, 0, None, min(2**64, max(1, s**4 + delta)))
    rest = [Pick(10 + n, 1 + n, 0, None, u) for n, u in enumerate(others)]
    candidates = [b, *rest, a]
    assert v.merge(candidates, 9) == sorted(candidates, key=cmp_to_key(before))


@given(st.lists(st.tuples(st.integers(990, 1000), st.integers(1, 2**64)), max_size=12))
def test_heavy_weights_are_ordered_exactly(members):
    candidates = [Pick(n, w, 0, None, u) for n, (w, u) in enumerate(members)]
    assert v.merge(candidates, len(candidates)) == sorted(candidates, key=cmp_to_key(before))


@pytest.mark.parametrize(("light", "heavy"), [(3, 7), (7, 3)])
def test_equal_keys_of_different_weights_go_to_the_smaller_id(light, heavy):
    # (2**32 / 2**64) ** (1/1) == (1 / 2**64) ** (1/2) == 2**-32: the same key, exactly
    a, b = Pick(light, 1, 0, None, 2**32), Pick(heavy, 2, 0, None, 1)
    assert ids(v.merge([a, b], 2)) == ids(v.merge([b, a], 2)) == [3, 7]
    assert ids(v.merge([Pick(light, 1, 0, None, 2**32 + 1), b], 2)) == [light, heavy]


@given(seeds, draws(loads=True))
def test_a_member_of_lower_load_is_always_drawn_before_one_of_higher_load(seed, drawn):
    population, k, _ = drawn
    chosen = v.draw(seed, population, k)
    loads = [p.load for p in chosen]
    assert loads == sorted(loads)
    left_out = [m.load for m in population if m.id not in set(ids(chosen))]
    assert not left_out or max(loads) <= min(left_out)


def chi_square(counts: dict, expected: dict) -> float:
    return sum((counts.get(key, 0) - e) ** 2 / e for key, e in expected.items())


def test_the_first_member_drawn_is_chosen_in_proportion_to_its_weight():
    population = [Member(1, 1), Member(2, 2), Member(3, 3), Member(4, 4)]
    runs = 4000
    counts: dict[int, int] = {}
    for n in range(runs):
        first = v.draw(f"seed {n}", population, 1)[0].id
        counts[first] = counts.get(first, 0) + 1
    expected = {m.id: runs * m.weight / 10 for m in population}
    assert chi_square(counts, expected) < 16.27  # 3 degrees of freedom, p = 0.001


def test_successive_members_are_drawn_as_weighted_sampling_without_replacement():
    """P(i then j) = w_i/W · w_j/(W − w_i): the law of ES, over 12 ordered pairs."""
    population = [Member(10, 1), Member(20, 3), Member(30, 5), Member(40, 11)]
    total = sum(m.weight for m in population)
    runs = 6000
    counts: dict[tuple[int, int], int] = {}
    for n in range(runs):
        pair = tuple(ids(v.draw(f"2026-{n:05d}", population, 2)))
        counts[pair] = counts.get(pair, 0) + 1
    expected = {
        (a.id, b.id): runs * a.weight / total * b.weight / (total - a.weight)
        for a in population
        for b in population
        if a is not b
    }
    assert set(counts) <= set(expected)
    assert chi_square(counts, expected) < 31.26  # 11 degrees of freedom, p = 0.001


def test_a_heavy_member_among_light_ones_is_drawn_as_often_as_its_weight_says():
    population = [Member(i, 1) for i in range(1, 100)] + [Member(100, 99)]
    runs = 2000
    hits = sum(100 in ids(v.draw(f"#{n}", population, 1)) for n in range(runs))
    # p = 99/198 = 0.5; 4 standard deviations of a binomial(2000, 0.5) is about 89
    assert abs(hits - runs / 2) < 4 * math.sqrt(runs / 4)


@pytest.mark.parametrize(
    ("population", "k", "quotas", "message"),
    [
        ([], 1, None, "population is empty"),
        ([Member(1), Member(1)], 1, None, "more than once"),
        ([Member(1, 0)], 1, None, "weight"),
        ([Member(1, 1001)], 1, None, "weight"),
        ([Member(-1)], 1, None, "id"),
        ([Member(2**53)], 1, None, "id"),
        ([Member(1, 1, None, -1)], 1, None, "load"),
        ([Member(1, 1, "no space")], 1, {"no space": 1}, "stratum"),
        ([Member(1), Member(2)], 3, None, "k is 3"),
        ([Member(1)], 0, None, "k must be"),
        ([Member(1, 1, "A")], 1, None, "no quotas"),
        ([Member(1, 1, "A"), Member(2)], 1, {"A": 1}, "no stratum"),
        ([Member(1, 1, "A")], 2, {"A": 2}, "quota for A is 2"),
        ([Member(1, 1, "A"), Member(2, 1, "B")], 1, {"A": 1}, "B has members but no quota"),
        ([Member(1, 1, "A")], 2, {"A": 1}, "add up to 1"),
    ],
)
def test_a_draw_with_impossible_inputs_is_refused_with_the_reason(population, k, quotas, message):
    with pytest.raises(v.DrawError, match=message):
        v.draw(SEED, population, k, quotas)


def test_seeds_are_recorded_in_canonical_form():
    assert v.canonical_seed("  03\u300009 14\t21 \n") == "03 09 14 21"
    assert v.canonical_seed("Ａ\u0301") == "Ａ\u0301"  # no composition exists: kept
    assert v.canonical_seed("e\u0301") == "é"
    for bad in ("", "   ", "a\x00b", "a\u200bb", "x" * 201):
        with pytest.raises(v.DrawError):
            v.canonical_seed(bad)


# --- the commitment -------------------------------------------------------------------------------


def test_the_commitment_hashes_these_exact_bytes():
    population = [Member(12, 3, "B"), Member(5, 1, "A", 2)]
    encoded = v.commitment_bytes(
        kind="INSPECTORS", context="任务 7", k=2, quotas={"B": 1, "A": 1}, population=population
    )
    assert (
        encoded
        == (
            "oversight-draw/1\nalgorithm es-sha256/1\nkind INSPECTORS\ncontext 任务 7\nk 2\n"
            "quota A 1\nquota B 1\npopulation 2\n5 1 2 A\n12 3 0 B\n"
        ).encode()
    )
    assert (
        v.commitment(population, kind="INSPECTORS", context="任务 7", k=2, quotas={"B": 1, "A": 1})
        == hashlib.sha256(encoded).hexdigest()
    )


def test_everything_fixed_before_the_seed_changes_the_commitment():
    base = {"kind": "TARGETS", "context": "c", "k": 1, "quotas": {"A": 1}}
    population = [Member(1, 2, "A"), Member(2, 1, "A")]
    first = v.commitment(population, **base)
    variants = [
        (population, {**base, "kind": "INSPECTORS"}),
        (population, {**base, "context": "d"}),
        (population, {**base, "k": 2, "quotas": {"A": 2}}),
        ([Member(1, 3, "A"), Member(2, 1, "A")], base),
        ([Member(1, 2, "A", 1), Member(2, 1, "A")], base),
        ([Member(1, 2, "B"), Member(2, 1, "A")], {**base, "quotas": {"A": 1, "B": 0}}),
        ([Member(1, 2, "A"), Member(3, 1, "A")], base),
        ([Member(1, 2, "A")], base),
    ]
    assert len({first} | {v.commitment(p, **kw) for p, kw in variants}) == len(variants) + 1


# --- the draw file --------------------------------------------------------------------------------


def make_file(stratified: bool = False) -> dict:
    if stratified:
        population = [
            Member(i, 1 + i % 4, "COUNTY-A" if i < 20 else "COUNTY-B") for i in range(12, 30)
        ]
        k, quotas = 4, {"COUNTY-A": 3, "COUNTY-B": 1}
    else:
        population = [Member(i, 1 + i % 4, None, i % 2) for i in range(101, 113)]
        k, quotas = 3, None
    committed = v.commit_file(
        kind="TARGETS",
        context="2026年 抽查任务 T-7",
        population=population,
        k=k,
        quotas=quotas,
        committed_at=COMMITTED_AT,
    )
    return v.complete_file(
        committed,
        seed=SEED,
        source="中国福利彩票双色球 2026025期 开奖号码",
        entered_by="010203",
        entered_at=ENTERED_AT,
    )


@pytest.mark.parametrize("stratified", [False, True])
def test_an_untouched_draw_file_verifies(stratified):
    doc = make_file(stratified)
    assert v.verify(doc) == []
    assert v.verify(json.loads(json.dumps(doc, ensure_ascii=False))) == []


def leaves(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, (*path, index))
    else:
        yield path, node


def changed(value):
    if value is None:
        return 1
    if isinstance(value, int):
        return value + 1
    return value[:-1] + ("x" if value[-1] != "x" else "y")


def with_value(doc, path, value):
    out = copy.deepcopy(doc)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


# Recorded for the reader, not inputs of the draw: where the seed came from and who entered it
# (people check them against the public source). The two times only have to be valid and in
# order (tested on their own below).
INFORMATIONAL = {("seed", "source"), ("seed", "entered_by")}
TIMES = {("committed_at",), ("seed", "entered_at")}


@pytest.mark.parametrize("stratified", [False, True])
def test_changing_any_value_that_matters_makes_the_verifier_say_so(stratified):
    doc = make_file(stratified)
    checked = 0
    for path, value in leaves(doc):
        if path in TIMES:
            continue
        problems = v.verify(with_value(doc, path, changed(value)))
        if path in INFORMATIONAL:
            assert problems == [], path
        else:
            assert problems, f"changing {path} went unnoticed"
            checked += 1
    assert checked > 40


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d["seed"].update(value=d["seed"]["value"].replace("08", "09")), "result"),
        (
            lambda d: d["population"][3].update(weight=d["population"][3]["weight"] + 1),
            "commitment",
        ),
        (lambda d: d["result"][0].update(id=d["population"][0]["id"]), "result[0]"),
        (lambda d: d["result"].reverse(), "wrong order"),
        (lambda d: d.update(commitment="0" + d["commitment"][1:]), "commitment: the file says"),
        (lambda d: d["result"][1].update(u=str(int(d["result"][1]["u"]) - 1)), "u of id"),
        (lambda d: d["result"].append(d["result"][0]), "appears 2 times"),
        (lambda d: d["result"].pop(), "2 drawn, but the draw takes 3"),
        (lambda d: d["parameters"].update(k=2), "commitment"),
        (lambda d: d["population"].pop(), "commitment"),
        (lambda d: d["population"].reverse(), "ascending order of id"),
        (lambda d: d["population"].append({"id": 1, "weight": 1}), "ascending order"),
        (lambda d: d["population"].append(d["population"][0]), "more than once"),
        (lambda d: d.update(kind="INSPECTORS"), "commitment"),
        (lambda d: d.update(context=d["context"] + "!"), "commitment"),
        (lambda d: d["algorithm"].update(version=2), "algorithm"),
        (lambda d: d["algorithm"].update(version=True), "algorithm"),
        (lambda d: d.update(version=2), "version"),
        (lambda d: d["seed"].update(entered_at="2026-03-01T09:00:00+08:00"), "before"),
        (lambda d: d["seed"].update(entered_at="2026-03-05 21:45"), "entered_at"),
        (lambda d: d["seed"].update(value=" " + d["seed"]["value"]), "canonical"),
        (lambda d: d["result"].__setitem__(0, {"id": 999, "u": "1"}), "not in the population"),
        (lambda d: d.update(extra=1), "unknown field"),
        (lambda d: d.update(seed=None), "not made yet"),
    ],
)
def test_each_kind_of_tampering_is_named(change, named):
    doc = make_file()
    change(doc)
    problems = v.verify(doc)
    assert any(named in p for p in problems), problems


def test_a_stratum_moved_or_a_quota_changed_is_named():
    doc = make_file(stratified=True)
    moved = copy.deepcopy(doc)
    moved["population"][0]["stratum"] = "COUNTY-B"
    assert any("commitment" in p for p in v.verify(moved))
    quota = copy.deepcopy(doc)
    quota["parameters"]["quotas"] = {"COUNTY-A": 2, "COUNTY-B": 2}
    assert any("commitment" in p for p in v.verify(quota))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
def test_the_verifier_answers_any_json_with_problems_and_never_raises(value):
    assert v.verify(value)


@settings(max_examples=200)
@given(st.data())
def test_the_verifier_never_raises_on_a_draw_file_with_a_value_replaced(data):
    doc = make_file(data.draw(st.booleans()))
    paths = [path for path, _ in leaves(doc)] + [("population",), ("result",), ("seed",)]
    path = data.draw(st.sampled_from(paths))
    v.verify(with_value(doc, path, data.draw(json_values)))


def test_a_committed_file_is_refused_a_seed_entered_before_it():
    committed = v.commit_file(
        kind="TARGETS", context="", population=[Member(1), Member(2)], k=1, committed_at=ENTERED_AT
    )
    with pytest.raises(v.DrawError, match="before the commitment"):
        v.complete_file(committed, seed="1", source="s", entered_by="e", entered_at=COMMITTED_AT)


# --- the command ----------------------------------------------------------------------------------


def write(tmp_path: Path, doc, name: str = "draw.json") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False), "utf-8")
    return path


def test_the_command_prints_valid_or_each_problem(tmp_path, capsys):
    good = make_file()
    assert v.main([str(write(tmp_path, good))]) == 0
    assert capsys.readouterr().out == "VALID\n"
    bad = copy.deepcopy(good)
    bad["result"].reverse()
    bad["commitment"] = "f" * 64
    assert v.main([str(write(tmp_path, bad))]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("commitment") and "order" in lines[1]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (None, "No such file"),
        ("{", "not JSON"),
        ('{"a": 1, "a": 2}', "appears twice"),
        ('{"a": NaN}', "NaN"),
        (b"\xff\xfe", "decode"),
    ],
)
def test_an_unreadable_file_exits_2_with_one_line(tmp_path, capsys, content, reason):
    path = tmp_path / "draw.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, "utf-8")
    assert v.main([str(path)]) == 2
    err = capsys.readouterr().err
    assert reason in err and len(err.splitlines()) == 1


def test_the_verifier_runs_as_a_loose_copy_on_the_standard_library_alone(tmp_path):
    loose = tmp_path / "copy"
    loose.mkdir()
    shutil.copy(SRC, loose / "verify.py")
    good = write(tmp_path, make_file())
    bad_doc = make_file()
    bad_doc["seed"]["value"] = "03 09 14 21 27 33 + 09"
    bad = write(tmp_path, bad_doc, "bad.json")
    # -I: no environment, no user site; -S: no site-packages at all (Django is not reachable)
    run = [sys.executable, "-I", "-S", "verify.py"]
    ok = subprocess.run([*run, str(good)], cwd=loose, capture_output=True, text=True, check=False)
    assert (ok.returncode, ok.stdout) == (0, "VALID\n"), ok.stderr
    no = subprocess.run([*run, str(bad)], cwd=loose, capture_output=True, text=True, check=False)
    assert no.returncode == 1 and "result" in no.stdout
    probe = (
        "import sys; sys.path.insert(0, '.'); import verify; "
        "mods = {m.split('.')[0] for m in sys.modules} - set(sys.stdlib_module_names); "
        "print(sorted(mods - {'__main__', 'verify'}))"
    )
    imported = subprocess.run(
        [sys.executable, "-I", "-S", "-c", probe],
        cwd=loose,
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.strip() == "[]"


def test_the_verifier_runs_as_a_module_of_oversight(tmp_path):
    path = write(tmp_path, make_file())
    done = subprocess.run(
        [sys.executable, "-m", "oversight.planning.verify", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "VALID\n"), done.stderr

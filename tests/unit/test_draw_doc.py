"""docs/draw.md's worked example is what the code computes: its files verify, and its bytes,
hashes, numbers, keys, order and comparison are recomputed here from the page itself."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from oversight.planning import verify as v

DOC = Path(__file__).resolve().parents[2] / "docs" / "draw.md"


@pytest.fixture(scope="module")
def page() -> str:
    return DOC.read_text("utf-8")


def block(page: str, name: str) -> str:
    found = re.search(rf"<!-- example: {name} -->\n```\w+\n(.*?)\n```", page, re.DOTALL)
    assert found, f"no example {name} in docs/draw.md"
    return found.group(1)


def example(page: str, name: str = "draw-file") -> dict:
    return json.loads(block(page, name))


def members(doc: dict) -> list[v.Member]:
    return [
        v.Member(m["id"], m["weight"], m.get("stratum"), m.get("load", 0))
        for m in doc["population"]
    ]


def prefix(doc: dict) -> bytes:
    return v.key_prefix(doc["seed"]["value"], doc["commitment"])


def key(u: int, weight: int) -> str:
    return f"{(u / 2**64) ** (1 / weight):.6f}"


@pytest.mark.parametrize("name", ["draw-file", "stratified-file"])
def test_the_example_files_verify(page, name):
    assert v.verify(example(page, name)) == []


def test_the_commitment_hashes_the_bytes_shown(page):
    doc = example(page)
    shown = (block(page, "commitment-bytes") + "\n").encode("utf-8")
    parameters = doc["parameters"]
    assert shown == v.commitment_bytes(
        kind=doc["kind"],
        context=doc["context"],
        k=parameters["k"],
        quotas=parameters["quotas"],
        population=members(doc),
    )
    assert f"these {len(shown)} bytes" in page
    assert hashlib.sha256(shown).hexdigest() == doc["commitment"]


def test_the_bytes_hashed_for_one_member_and_its_number(page):
    doc = example(page)
    found = re.search(r"the (\d+) ASCII bytes\n?`([^`]+)`", page)
    assert found
    message = found.group(2).encode("ascii")
    assert message == prefix(doc) + b"1006" and len(message) == int(found.group(1))
    digest = hashlib.sha256(message).hexdigest()
    begins = re.search(r"SHA-256 begins `([0-9a-f]{16})`", page)
    number = re.search(r"U\(1006\) = 0x([0-9a-f]{16}) \+ 1 = (\d+)", page)
    assert begins and number
    assert begins.group(1) == number.group(1) == digest[:16]
    assert int(number.group(2)) == int(digest[:16], 16) + 1 == v.score(prefix(doc), 1006)


def test_the_table_of_numbers_is_the_draw_order_with_every_number_recomputed(page):
    doc = example(page)
    table = page.split("<!-- example: keys -->", 1)[1].split("\n\n", 1)[0]
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in table.strip().splitlines()[2:]
    ]
    weights = {m.id: m.weight for m in members(doc)}
    assert sorted(int(r[1]) for r in rows) == sorted(weights)
    picks = []
    for _order, member_id, weight, first8, u, approx in rows:
        member_id, weight, u = int(member_id), int(weight), int(u)
        digest = hashlib.sha256(prefix(doc) + str(member_id).encode()).hexdigest()
        assert weight == weights[member_id]
        assert first8 == digest[:16]
        assert u == int(first8, 16) + 1 == v.score(prefix(doc), member_id)
        assert approx == key(u, weight)
        picks.append(v.Pick(member_id, weight, 0, None, u))
    drawn = v.merge(picks, len(picks))
    assert [p.id for p in drawn] == [int(r[1]) for r in rows]
    assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1))
    assert [r["id"] for r in doc["result"]] == [p.id for p in drawn[: doc["parameters"]["k"]]]


def test_the_comparison_shown_is_the_exact_one(page):
    doc = example(page)
    u = {m.id: v.score(prefix(doc), m.id) for m in members(doc)}
    lines = dict(
        (left.strip(), int(right))
        for left, right in (line.split("=") for line in block(page, "comparison").splitlines())
    )
    assert lines == {"U(1004)^2 * 2^64": u[1004] ** 2 << 64, "U(1002)^3": u[1002] ** 3}
    assert lines["U(1004)^2 * 2^64"] > lines["U(1002)^3"]


def test_the_numbers_told_of_the_stratified_example(page):
    doc = example(page, "stratified-file")
    paragraph = page.split("**With strata.**", 1)[1].split("<!--", 1)[0]
    keys = {m.id: key(v.score(prefix(doc), m.id), m.weight) for m in members(doc)}
    assert set(re.findall(r"≈ ([0-9.]+)", paragraph)) == {keys[1003], keys[1004], keys[1006]}
    told = re.search(r"\(1003: U = (\d+)", paragraph)
    assert told and int(told.group(1)) == v.score(prefix(doc), 1003)

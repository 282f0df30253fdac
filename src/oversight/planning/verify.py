"""Verify a random draw (双随机) from its draw file, with Python's standard library alone.

    python -m oversight.planning.verify FILE      (inside Oversight)
    python verify.py FILE                         (a copy of this one file, anywhere)

It prints VALID and exits 0 when the file holds a correct draw; otherwise it prints each problem
on its own line and exits 1. A file that cannot be read as JSON exits 2 with the reason.

This module is also the reference implementation: Oversight makes its draws with these same
functions (``draw``, ``select``, ``merge``), so the system and the verifier cannot drift apart.
The method is described byte by byte in docs/draw.md. It needs Python 3.8 or later and nothing
else: no Django, no database, no network.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cmp_to_key
from itertools import islice
from typing import Any

FORMAT = "oversight-draw"
VERSION = 1
ALGORITHM = "es-sha256"
ALGORITHM_VERSION = 1
KINDS = ("TARGETS", "INSPECTORS")
MAX_ID = 2**53 - 1  # ids are read exactly by JavaScript's JSON.parse too
MAX_WEIGHT = 1000
MAX_LOAD = 1_000_000
MAX_TEXT = 200  # characters of a seed or a context
STRATUM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
HEX64 = re.compile(r"[0-9a-f]{64}")
# The times Oversight writes; fixed here so that every Python version reads the same ones.
TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3}|\.\d{6})?(Z|[+-]\d{2}:\d{2})")
# Characters a seed or context may not hold (besides the ASCII space, which is allowed alone):
# control, format, surrogate, private-use, and every separator.
BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp", "Zs"})
TOP_KEYS = frozenset(
    {
        "format",
        "version",
        "algorithm",
        "kind",
        "context",
        "parameters",
        "population",
        "commitment",
        "committed_at",
        "seed",
        "result",
    }
)
SEED_KEYS = frozenset({"value", "source", "entered_by", "entered_at"})
MEMBER_KEYS = frozenset({"id", "weight", "stratum", "load"})
LOG_2_64 = 64 * math.log(2)
NEAR = 1e-9  # log keys closer than this are compared exactly (see ``merge``)
LISTED = 10  # malformed members named one by one; past that, one line says there are more
CHUNK = 65536  # members scored between two reports of progress


class DrawError(ValueError):
    """Raised when a draw is asked for with inputs no draw may have (the message says which)."""


@dataclass(frozen=True)
class Member:
    """One member of a draw's population: a subject or an officer, by database id.

    ``weight`` (1–1000) makes the member more likely to be drawn; ``stratum`` names its stratum
    when the draw has quotas; ``load`` (for inspector draws: draws already taken this year) puts
    the members of lower load before all others.
    """

    id: int
    weight: int = 1
    stratum: str | None = None
    load: int = 0


@dataclass(frozen=True)
class Pick:
    """A member with its number ``u`` (1 … 2**64) drawn from SHA-256 of the seed and its id."""

    id: int
    weight: int
    load: int
    stratum: str | None
    u: int


# --- text -----------------------------------------------------------------------------------------


def canonical_text(text: str) -> str:
    """Return ``text`` in canonical form: NFC, each run of whitespace one space, none at either
    end."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def text_problem(value: object, *, empty_ok: bool = False) -> str | None:
    """Return why ``value`` is not a canonical seed or context text, or None."""
    if not isinstance(value, str):
        return "is not a string"
    if not value and not empty_ok:
        return "is empty"
    if len(value) > MAX_TEXT:
        return f"is longer than {MAX_TEXT} characters"
    for char in value:
        if char != " " and unicodedata.category(char) in BAD_CATEGORIES:
            return f"holds the character U+{ord(char):04X}, which is not allowed"
    if value != canonical_text(value):
        return "is not canonical (NFC, single spaces, no space at either end)"
    return None


def canonical_seed(text: str) -> str:
    """Return the seed as it is recorded and hashed: ``text`` in canonical form.

    Raises DrawError if it is empty, too long or holds a control or format character.
    """
    seed = canonical_text(text)
    problem = text_problem(seed)
    if problem:
        raise DrawError(f"the seed {problem}")
    return seed


# --- the population and the parameters ------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def member_problem(member: Member) -> str | None:
    """Return why ``member`` cannot be in a population, or None."""
    if not _is_int(member.id) or not 0 <= member.id <= MAX_ID:
        return f"id must be an integer from 0 to {MAX_ID}"
    if not _is_int(member.weight) or not 1 <= member.weight <= MAX_WEIGHT:
        return f"weight must be an integer from 1 to {MAX_WEIGHT}"
    if not _is_int(member.load) or not 0 <= member.load <= MAX_LOAD:
        return f"load must be an integer from 0 to {MAX_LOAD}"
    if member.stratum is not None and not (
        isinstance(member.stratum, str) and STRATUM.fullmatch(member.stratum)
    ):
        return "stratum must be 1–64 letters, digits, '_', '.', '-', first a letter or digit"
    return None


def parameter_problems(
    population: Sequence[Member], k: object, quotas: Mapping[str, int] | None
) -> list[str]:
    """Return why ``k`` and ``quotas`` do not fit ``population`` (empty when they do)."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        return ["k must be a positive integer"]
    if quotas is None:
        if any(m.stratum is not None for m in population):
            return ["members have strata but the draw has no quotas"]
        if k > len(population):
            return [f"k is {k} but the population has {len(population)} members"]
        return []
    problems = []
    if not quotas:
        problems.append("quotas must name at least one stratum (or be null)")
    sizes: dict[str, int] = {}
    for m in population:
        if m.stratum is None:
            return ["the draw has quotas but some members have no stratum"]
        sizes[m.stratum] = sizes.get(m.stratum, 0) + 1
    for stratum in sorted(set(sizes) - set(quotas)):
        problems.append(f"stratum {stratum} has members but no quota")
    for stratum, quota in sorted(quotas.items()):
        if not isinstance(stratum, str) or not STRATUM.fullmatch(stratum):
            problems.append(f"quota for {stratum!r}: not a stratum name")
        elif not _is_int(quota) or quota < 0:
            problems.append(f"quota for {stratum}: must be an integer of 0 or more")
        elif quota > sizes.get(stratum, 0):
            size = sizes.get(stratum, 0)
            problems.append(f"quota for {stratum} is {quota} but the stratum has {size} members")
    if not problems and sum(quotas.values()) != k:
        problems.append(f"k is {k} but the quotas add up to {sum(quotas.values())}")
    return problems


def population_problems(population: Sequence[Member]) -> list[str]:
    """Return why ``population`` is not a valid population (empty when it is)."""
    problems = []
    seen: set[int] = set()
    for index, member in enumerate(population):
        problem = member_problem(member)
        if problem:
            problems.append(f"population[{index}]: {problem}")
        elif member.id in seen:
            problems.append(f"population[{index}]: id {member.id} appears more than once")
        else:
            seen.add(member.id)
        if len(problems) >= LISTED:
            break
    if not population:
        problems.append("the population is empty")
    return problems


# --- the commitment -------------------------------------------------------------------------------


def commitment_bytes(
    *,
    kind: str,
    context: str,
    k: int,
    quotas: Mapping[str, int] | None,
    population: Iterable[Member],
) -> bytes:
    """Return the exact bytes the commitment hashes (docs/draw.md, "The commitment").

    Lines end in LF; numbers are decimal ASCII; quotas in ascending order of stratum; members in
    ascending order of id, each as "id weight load stratum" with "-" for no stratum.
    """
    lines = [
        f"{FORMAT}/{VERSION}",
        f"algorithm {ALGORITHM}/{ALGORITHM_VERSION}",
        f"kind {kind}",
        f"context {context}",
        f"k {k}",
    ]
    lines += [f"quota {s} {q}" for s, q in sorted((quotas or {}).items())]
    members = sorted(population, key=lambda m: m.id)
    lines.append(f"population {len(members)}")
    lines += [f"{m.id} {m.weight} {m.load} {m.stratum or '-'}" for m in members]
    return ("\n".join(lines) + "\n").encode("utf-8")


def commitment(
    population: Iterable[Member],
    *,
    kind: str = "TARGETS",
    context: str = "",
    k: int,
    quotas: Mapping[str, int] | None = None,
) -> str:
    """Return the commitment of a draw: lowercase hex SHA-256 of ``commitment_bytes``.

    It fixes everything chosen before the seed is known: the population with its weights, strata
    and loads, the kind, the context and the parameters.
    """
    encoded = commitment_bytes(
        kind=kind, context=context, k=k, quotas=quotas, population=population
    )
    return hashlib.sha256(encoded).hexdigest()


# --- the selection --------------------------------------------------------------------------------


def key_prefix(seed: str, commitment_hex: str) -> bytes:
    """Return the bytes hashed before each id: UTF-8 seed, ':', the commitment, ':'."""
    return seed.encode("utf-8") + b":" + commitment_hex.encode("ascii") + b":"


def score(prefix: bytes, member_id: int) -> int:
    """Return U of a member: the first 8 bytes of SHA-256(prefix, decimal id) as a big-endian
    integer, plus 1 (so 1 <= U <= 2**64)."""
    digest = hashlib.sha256(prefix + b"%d" % member_id).digest()
    return int.from_bytes(digest[:8], "big") + 1


def compare(a: Pick, b: Pick) -> int:
    """Return a negative number if ``a`` is drawn before ``b``, positive if after (never 0 for two
    members).

    Lower load first; then the larger Efraimidis–Spirakis key (u/2**64)**(1/weight), compared
    exactly in integers as U_a**(w_b/g) * 2**(64*w_a/g) against U_b**(w_a/g) * 2**(64*w_b/g)
    with g = gcd(w_a, w_b); then the smaller id.
    """
    if a.load != b.load:
        return -1 if a.load < b.load else 1
    if a.weight == b.weight:
        left, right = a.u, b.u
    else:
        g = math.gcd(a.weight, b.weight)
        wa, wb = a.weight // g, b.weight // g
        left = a.u**wb << (64 * wa)
        right = b.u**wa << (64 * wb)
    if left != right:
        return -1 if left > right else 1
    return (a.id > b.id) - (a.id < b.id)


def merge(candidates: Iterable[Pick], limit: int) -> list[Pick]:
    """Return the first ``limit`` of ``candidates`` in draw order (the order of ``compare``).

    The exact comparison of two large weights works on numbers of up to 64,000 bits; so two keys
    are first compared by their logarithms in floating point, and exactly only when those are
    within ``NEAR`` of each other. Floating point errs here by less than 1e-13, so the order is
    always ``compare``'s: the shortcut changes the time taken, never the result.
    """
    approx = [(p, (math.log(p.u) - LOG_2_64) / p.weight) for p in candidates]

    def order(x: tuple[Pick, float], y: tuple[Pick, float]) -> int:
        (a, la), (b, lb) = x, y
        if a.load == b.load and abs(la - lb) > NEAR:
            return -1 if la > lb else 1
        return compare(a, b)

    approx.sort(key=cmp_to_key(order))
    return [p for p, _ in approx[:limit]]


def class_of(member: Member | Pick) -> tuple[str, int, int]:
    """Return the class of a member: (stratum or "", load, weight).

    Within a class the draw order is simply U descending, then id ascending; so a database may
    take, for each class, its ``limit`` first members that way (``class_limits``), and ``merge``
    those candidates exactly.
    """
    return (member.stratum or "", member.load, member.weight)


def class_limits(
    population: Iterable[Member], k: int, quotas: Mapping[str, int] | None = None
) -> dict[tuple[str, int, int], int]:
    """Return, for each class present, how many of its first members can be drawn at most."""
    limits: dict[tuple[str, int, int], int] = {}
    for m in population:
        cls = class_of(m)
        if cls not in limits:
            limits[cls] = k if quotas is None else quotas.get(m.stratum or "", 0)
    return limits


def select_from_candidates(
    candidates: Iterable[Pick], k: int, quotas: Mapping[str, int] | None = None
) -> list[Pick]:
    """Return the draw from candidates that hold, for each class, at least its first
    ``class_limits`` members: strata in ascending order of name, each its quota in draw order."""
    if quotas is None:
        return merge(candidates, k)
    by_stratum: dict[str, list[Pick]] = {}
    for p in candidates:
        by_stratum.setdefault(p.stratum or "", []).append(p)
    chosen: list[Pick] = []
    for stratum in sorted(quotas):
        chosen += merge(by_stratum.get(stratum, []), quotas[stratum])
    return chosen


def select(
    seed: str,
    commitment_hex: str,
    population: Iterable[Member],
    k: int,
    quotas: Mapping[str, int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[Pick]:
    """Return the members drawn, in order, for a committed population and a seed.

    Each class keeps only its first members (a bounded heap on (U, -id)), then ``merge`` orders
    the candidates exactly. Inputs are not checked here (``draw`` and ``verify`` check them).
    ``progress``, if given, is told how many members were scored, every ``CHUNK`` members.
    """
    prefix = key_prefix(seed, commitment_hex)
    sha256, from_bytes = hashlib.sha256, int.from_bytes
    push, replace = heapq.heappush, heapq.heapreplace
    classes: dict[tuple[str | None, int, int], tuple[list[tuple[int, int, Member]], int]] = {}
    members = iter(population)
    scored = 0
    while chunk := list(islice(members, CHUNK)):
        for m in chunk:
            u = from_bytes(sha256(prefix + b"%d" % m.id).digest()[:8], "big") + 1
            found = classes.get((m.stratum, m.load, m.weight))
            if found is None:
                limit = k if quotas is None else quotas.get(m.stratum or "", 0)
                found = classes[(m.stratum, m.load, m.weight)] = ([], limit)
            heap, limit = found
            if len(heap) < limit:
                push(heap, (u, -m.id, m))
            elif limit and u >= heap[0][0] and (u, -m.id) > heap[0][:2]:
                replace(heap, (u, -m.id, m))
        scored += len(chunk)
        if progress is not None:
            progress(scored)
    candidates = [
        Pick(m.id, m.weight, m.load, m.stratum, u)
        for heap, _ in classes.values()
        for u, _, m in heap
    ]
    return select_from_candidates(candidates, k, quotas)


def draw(
    seed: str,
    population: Sequence[Member],
    k: int,
    quotas: Mapping[str, int] | None = None,
    *,
    kind: str = "TARGETS",
    context: str = "",
) -> list[Pick]:
    """Draw ``k`` members of ``population`` with ``seed`` (the reference draw).

    The seed is taken in canonical form. Raises DrawError for an invalid population, k, quotas,
    kind, context or seed.
    """
    seed = canonical_seed(seed)
    problems = _input_problems(kind, context, population, k, quotas)
    if problems:
        raise DrawError("; ".join(problems))
    committed = commitment(population, kind=kind, context=context, k=k, quotas=quotas)
    return select(seed, committed, population, k, quotas)


def _input_problems(
    kind: str,
    context: str,
    population: Sequence[Member],
    k: int,
    quotas: Mapping[str, int] | None,
) -> list[str]:
    problems = []
    if kind not in KINDS:
        problems.append(f"kind must be one of {', '.join(KINDS)}")
    problem = text_problem(context, empty_ok=True)
    if problem:
        problems.append(f"context {problem}")
    problems += population_problems(population)
    return problems or parameter_problems(population, k, quotas)


# --- the draw file --------------------------------------------------------------------------------


def commit_file(
    *,
    kind: str,
    context: str,
    population: Sequence[Member],
    k: int,
    quotas: Mapping[str, int] | None = None,
    committed_at: str,
) -> dict[str, Any]:
    """Return a draw file committed but not yet drawn: no seed and no result.

    ``committed_at`` is an ISO 8601 time with its offset. Raises DrawError for invalid inputs.
    """
    problems = _input_problems(kind, context, population, k, quotas)
    if _time(committed_at) is None:
        problems.append("committed_at must be an ISO 8601 time with its UTC offset")
    if problems:
        raise DrawError("; ".join(problems))
    members = sorted(population, key=lambda m: m.id)
    return {
        "format": FORMAT,
        "version": VERSION,
        "algorithm": {"name": ALGORITHM, "version": ALGORITHM_VERSION},
        "kind": kind,
        "context": context,
        "parameters": {"k": k, "quotas": dict(sorted(quotas.items())) if quotas else None},
        "population": [_member_json(m) for m in members],
        "commitment": commitment(members, kind=kind, context=context, k=k, quotas=quotas),
        "committed_at": committed_at,
        "seed": None,
        "result": None,
    }


def complete_file(
    committed: Mapping[str, Any],
    *,
    seed: str,
    source: str,
    entered_by: str,
    entered_at: str,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Return the draw file of ``committed`` drawn with ``seed``: its seed block and its result.

    The draw is made, then the whole file verified (which makes it again): ``progress``, if
    given, is told how many members were scored so far, up to twice the population.
    Raises DrawError if the seed is invalid, if the seed is entered before the commitment, or if
    ``committed`` is not a correct committed file.
    """
    seed = canonical_seed(seed)
    done = dict(committed)
    done["seed"] = {
        "value": seed,
        "source": source,
        "entered_by": entered_by,
        "entered_at": entered_at,
    }
    try:
        parameters = done["parameters"]
        population = [_member(item) for item in done["population"]]
        k, quotas = parameters["k"], parameters["quotas"]
        picks = select(seed, done["commitment"], population, k, quotas, progress)
        done["result"] = [{"id": p.id, "u": str(p.u)} for p in picks]
    except (KeyError, TypeError, AttributeError, ValueError):
        done["result"] = []  # verify() below names what is wrong with the committed file
    size = len(done.get("population") or ())
    again = None if progress is None else (lambda n: progress(size + n))
    problems = verify(done, again)
    if problems:
        raise DrawError("; ".join(problems))
    return done


def _member_json(m: Member) -> dict[str, Any]:
    item: dict[str, Any] = {"id": m.id, "weight": m.weight}
    if m.stratum is not None:
        item["stratum"] = m.stratum
    if m.load:
        item["load"] = m.load
    return item


def _member(item: Mapping[str, Any]) -> Member:
    return Member(item["id"], item["weight"], item.get("stratum"), item.get("load", 0))


def _time(value: object) -> datetime | None:
    """Return the time an ISO 8601 text names (date, time, UTC offset or Z), or None."""
    if not isinstance(value, str) or not TIME.fullmatch(value):
        return None
    try:
        parsed = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        return None
    return parsed if parsed.utcoffset() is not None else None


# --- verification ---------------------------------------------------------------------------------


def verify(doc: Any, progress: Callable[[int], None] | None = None) -> list[str]:
    """Return what is wrong with a draw file (parsed JSON); an empty list means it is valid.

    Recomputes the commitment from the population and parameters, and the result from the seed,
    and names each difference (``progress`` as for ``select``). Never raises, whatever ``doc``
    holds.
    """
    if not isinstance(doc, dict):
        return ["the file does not hold a JSON object"]
    problems = [f"unknown field {key!r}" for key in sorted(set(doc) - TOP_KEYS, key=str)]
    if doc.get("format") != FORMAT:
        return [*problems, f"format: expected {FORMAT!r}, found {doc.get('format')!r}"]
    if doc.get("version") != VERSION or not _is_int(doc.get("version")):
        return [*problems, f"version {doc.get('version')!r} is not known (this verifier: 1)"]
    algorithm = doc.get("algorithm")
    if algorithm != {"name": ALGORITHM, "version": ALGORITHM_VERSION} or not _is_int(
        algorithm.get("version")
    ):
        return [
            *problems,
            f"algorithm {algorithm!r} is not known "
            f"(this verifier: {ALGORITHM} version {ALGORITHM_VERSION})",
        ]
    kind = doc.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        problems.append(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    context = doc.get("context")
    problem = text_problem(context, empty_ok=True)
    if problem or not isinstance(context, str):
        problems.append(f"context {problem}")
    k, quotas = _read_parameters(doc.get("parameters"), problems)
    population = _read_population(doc.get("population"), problems)
    seed = _read_seed(doc.get("seed"), problems)
    committed = doc.get("commitment")
    if not isinstance(committed, str) or not HEX64.fullmatch(committed):
        problems.append("commitment: not 64 lowercase hexadecimal digits")
    committed_at = _time(doc.get("committed_at"))
    if committed_at is None:
        problems.append("committed_at: not an ISO 8601 time with its UTC offset")
    result = _read_result(doc.get("result"), problems)
    unusable = ("kind", "context", "parameters")
    if (
        population is None
        or k is None
        or not isinstance(kind, str)
        or not isinstance(context, str)
        or any(p.startswith(unusable) for p in problems)
    ):
        return problems
    wrong = parameter_problems(population, k, quotas)
    if wrong:
        return problems + [f"parameters: {p}" for p in wrong]

    expected_commitment = commitment(population, kind=kind, context=context, k=k, quotas=quotas)
    if isinstance(committed, str) and committed != expected_commitment:
        problems.append(
            f"commitment: the file says {committed}, "
            f"the population and parameters give {expected_commitment}"
        )
    if seed is None or result is None:
        return problems
    value, entered_at = seed
    if committed_at is not None and entered_at is not None and entered_at <= committed_at:
        problems.append("seed: entered at or before the commitment (it must come after)")
    expected = select(value, expected_commitment, population, k, quotas, progress)
    return problems + _result_problems(result, expected, population, value, expected_commitment)


def _read_parameters(
    value: object, problems: list[str]
) -> tuple[int | None, dict[str, int] | None]:
    if not isinstance(value, dict) or set(value) != {"k", "quotas"}:
        problems.append("parameters: must be an object with exactly k and quotas")
        return None, None
    k, quotas = value["k"], value["quotas"]
    if not _is_int(k) or k < 1:
        problems.append("parameters: k must be a positive integer")
        k = None
    if quotas is not None and not (
        isinstance(quotas, dict) and all(_is_int(q) for q in quotas.values())
    ):
        problems.append("parameters: quotas must be null or an object of integers")
        return k, None
    return k, quotas


def _read_population(value: object, problems: list[str]) -> list[Member] | None:
    if not isinstance(value, list):
        problems.append("population: not a list")
        return None
    members, bad = [], []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not {"id", "weight"} <= set(item) <= MEMBER_KEYS:
            bad.append(f"population[{index}]: must be an object with id, weight[, stratum, load]")
            continue
        if "stratum" in item and item["stratum"] is None:
            bad.append(f"population[{index}]: stratum is null (leave it out instead)")
            continue
        members.append(_member(item))
    found = population_problems(members) if not bad else []
    bad += found
    if bad:
        problems.extend(bad[:LISTED])
        if len(bad) > LISTED:
            problems.append("population: more malformed members are not listed")
        return None
    ids = [m.id for m in members]
    if any(ids[i] > ids[i + 1] for i in range(len(ids) - 1)):
        problems.append("population: members are not in ascending order of id")
    return members


def _read_seed(value: object, problems: list[str]) -> tuple[str, datetime | None] | None:
    if value is None:
        problems.append("seed: missing (the draw is committed but not made yet)")
        return None
    if not isinstance(value, dict) or set(value) != SEED_KEYS:
        problems.append("seed: must be an object with value, source, entered_by, entered_at")
        return None
    seed = value["value"]
    problem = text_problem(seed)
    if problem:
        problems.append(f"seed: the value {problem}")
        if not isinstance(seed, str) or not seed or problem.startswith("holds"):
            return None
    for field in ("source", "entered_by"):
        if not isinstance(value[field], str) or not value[field].strip():
            problems.append(f"seed: {field} must be a non-empty text")
    entered_at = _time(value["entered_at"])
    if entered_at is None:
        problems.append("seed: entered_at is not an ISO 8601 time with its UTC offset")
    return seed, entered_at


def _read_result(value: object, problems: list[str]) -> list[tuple[int, str]] | None:
    if value is None:
        problems.append("result: missing")
        return None
    if not isinstance(value, list):
        problems.append("result: not a list")
        return None
    entries = []
    for index, item in enumerate(value):
        if (
            not isinstance(item, dict)
            or set(item) != {"id", "u"}
            or not _is_int(item["id"])
            or not isinstance(item["u"], str)
        ):
            problems.append(f"result[{index}]: must be an object with an integer id and a text u")
            return None
        entries.append((item["id"], item["u"]))
    return entries


def _result_problems(
    result: list[tuple[int, str]],
    expected: list[Pick],
    population: list[Member],
    seed: str,
    commitment_hex: str,
) -> list[str]:
    problems = []
    want = [p.id for p in expected]
    got = [member_id for member_id, _ in result]
    if len(got) != len(want):
        problems.append(f"result: {len(got)} drawn, but the draw takes {len(want)}")
    counts: dict[int, int] = {}
    for member_id in got:
        counts[member_id] = counts.get(member_id, 0) + 1
    problems += [f"result: id {i} appears {n} times" for i, n in counts.items() if n > 1]
    known = {m.id for m in population}
    prefix = key_prefix(seed, commitment_hex)
    for index, (member_id, u) in enumerate(result):
        if member_id not in known:
            problems.append(f"result[{index}]: id {member_id} is not in the population")
            continue
        true_u = str(score(prefix, member_id))
        if u != true_u:
            problems.append(f"result[{index}]: u of id {member_id} is {u}, recomputed {true_u}")
    if got != want:
        if sorted(got) == sorted(want):
            problems.append(
                "result: the right ids in the wrong order; expected "
                + ", ".join(str(i) for i in want)
            )
        else:
            for index in range(min(len(got), len(want))):
                if got[index] != want[index]:
                    problems.append(f"result[{index}]: id {got[index]}, expected {want[index]}")
            missing = [str(i) for i in want if i not in counts]
            if missing:
                problems.append("result: not drawn though they should be: " + ", ".join(missing))
    return problems


# --- the command ----------------------------------------------------------------------------------


class Unreadable(Exception):
    """Raised when a file cannot be read as JSON (the message says why)."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise Unreadable(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return found


def _no_constant(name: str) -> None:
    raise Unreadable(f"{name} is not a JSON number")


def load(path: str) -> Any:
    """Return the JSON a file holds. Raises Unreadable (missing file, bad UTF-8, bad JSON,
    a key twice in one object, NaN or Infinity)."""
    try:
        with open(path, encoding="utf-8-sig") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise Unreadable(str(e)) from e
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as e:
        raise Unreadable(f"not JSON: {e}") from e
    except RecursionError as e:
        raise Unreadable("not JSON: nested too deeply") from e


def main(argv: Sequence[str] | None = None) -> int:
    """Verify the draw file named on the command line; return the exit status (0, 1 or 2)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1 or args[0].startswith("-"):
        print("usage: python -m oversight.planning.verify FILE", file=sys.stderr)
        return 2
    try:
        doc = load(args[0])
    except Unreadable as e:
        print(f"cannot read {args[0]}: {e}", file=sys.stderr)
        return 2
    problems = verify(doc)
    if not problems:
        print("VALID")
        return 0
    for problem in problems:
        print(problem)
    return 1


if __name__ == "__main__":
    sys.exit(main())

"""Properties of the canonical form an audit hash is computed over. No database."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oversight.audit.canonical import GENESIS, event_hash, jsonable, timestamp

HEX64 = re.compile(r"^[0-9a-f]{64}$")
TIMEZONES = [UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-9, minutes=-30))]

text = st.text(alphabet=st.characters(codec="utf-8"), max_size=30)
json_scalars = st.none() | st.booleans() | st.integers() | text
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=15,
)
aware_datetimes = st.datetimes(
    min_value=datetime(1900, 1, 2),
    max_value=datetime(2999, 12, 30),
    timezones=st.sampled_from([*TIMEZONES, ZoneInfo("Asia/Shanghai")]),
)
hex_hashes = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)

events = st.fixed_dictionaries(
    {
        "seq": st.integers(min_value=1, max_value=2**62),
        "occurred_at": aware_datetimes,
        "actor_id": st.none() | st.integers(min_value=1, max_value=2**62),
        "actor_name": text,
        "action": text,
        "object_type": text,
        "object_id": text,
        "summary": st.dictionaries(text, json_values, max_size=5),
        "request_id": text,
        "ip": text,
        "channel": text,
        "prev_hash": st.just(GENESIS) | hex_hashes,
    }
)
FIELDS = [
    "seq",
    "occurred_at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "summary",
    "request_id",
    "ip",
    "channel",
    "prev_hash",
]


def changed(field: str, value: Any) -> Any:
    """A value of the same kind as ``value`` that is certainly different from it."""
    if field == "occurred_at":
        return value + timedelta(microseconds=1)
    if field == "actor_id":
        return 1 if value is None else None
    if field == "seq":
        return value + 1
    if field == "summary":
        return {"wrapped": value}
    if field == "prev_hash":
        return ("1" if value[0] == "0" else "0") + value[1:]
    return value + "x"


# --- event_hash ----------------------------------------------------------------------------------


@given(events)
def test_event_hash_is_64_lower_case_hex_digits(event):
    assert HEX64.match(event_hash(**event))


@given(events)
def test_event_hash_is_the_same_for_the_same_event_computed_twice(event):
    again = json.loads(json.dumps(event, default=str))  # a fresh copy of every container
    again["occurred_at"] = event["occurred_at"]

    assert event_hash(**event) == event_hash(**again)


@given(events, st.sampled_from(TIMEZONES))
def test_event_hash_depends_on_the_instant_not_on_the_time_zone_it_is_written_in(event, tz):
    moved = {**event, "occurred_at": event["occurred_at"].astimezone(tz)}

    assert event_hash(**moved) == event_hash(**event)


@given(events, st.sampled_from(FIELDS))
def test_event_hash_changes_when_any_field_changes(event, field):
    tampered = {**event, field: changed(field, event[field])}

    assert event_hash(**tampered) != event_hash(**event)


@given(events, st.sampled_from(["actor_name", "action", "object_type", "object_id"]))
def test_event_hash_changes_when_text_moves_from_one_field_to_its_neighbour(event, field):
    index = FIELDS.index(field)
    following = FIELDS[index + 1]
    a, b = {**event, field: "ab", following: "c"}, {**event, field: "a", following: "bc"}

    assert event_hash(**a) != event_hash(**b)


@given(events, st.dictionaries(text, json_values, min_size=2, max_size=5))
def test_event_hash_does_not_depend_on_the_order_of_summary_keys(event, summary):
    reordered = dict(reversed(list(summary.items())))

    assert event_hash(**{**event, "summary": summary}) == event_hash(
        **{**event, "summary": reordered}
    )


def test_event_hash_refuses_a_naive_time():
    event: dict[str, Any] = dict.fromkeys(FIELDS, "")
    event.update(seq=1, occurred_at=datetime(2026, 1, 1), actor_id=None, summary={})

    with pytest.raises(ValueError, match="timezone-aware"):
        event_hash(**event)


def test_timestamp_is_utc_with_microseconds():
    at = datetime(2026, 1, 2, 11, 4, 5, 6, tzinfo=timezone(timedelta(hours=8)))

    assert timestamp(at) == "2026-01-02T03:04:05.000006Z"


# --- jsonable ------------------------------------------------------------------------------------

hashable_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | text
    | st.decimals(allow_nan=False)
    | st.uuids()
    | st.dates()
    | aware_datetimes
    | st.binary(max_size=8)
)
python_values = st.recursive(
    hashable_scalars | st.decimals(),  # a NaN Decimal cannot be hashed, so only as a value
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.frozensets(hashable_scalars, max_size=4)
        | st.sets(hashable_scalars, max_size=4)
        | st.dictionaries(hashable_scalars, inner, max_size=4)
    ),
    max_leaves=20,
)


@given(python_values)
def test_jsonable_output_is_plain_json_that_survives_a_round_trip_unchanged(value):
    plain = jsonable(value)

    dumped = json.dumps(plain, allow_nan=False, sort_keys=True)

    assert json.loads(dumped) == plain


@given(python_values)
def test_jsonable_is_idempotent(value):
    plain = jsonable(value)

    assert jsonable(plain) == plain


@given(st.lists(st.integers(), max_size=8) | st.lists(text, max_size=8))
def test_jsonable_writes_a_set_the_same_way_whatever_order_it_was_built_in(items):
    assert jsonable(set(items)) == jsonable(set(reversed(items)))
    assert jsonable(frozenset(items)) == jsonable(set(items))


@given(python_values)
def test_an_event_hash_over_a_jsonable_summary_is_deterministic(value):
    event: dict[str, Any] = dict.fromkeys(FIELDS, "")
    event.update(seq=1, occurred_at=datetime(2026, 1, 1, tzinfo=UTC), actor_id=None)
    event["summary"] = {"after": jsonable(value)}
    stored = {**event, "summary": json.loads(json.dumps(event["summary"]))}

    assert event_hash(**event) == event_hash(**stored)


def test_event_hash_of_a_known_event_is_pinned():
    """A change to the canonical form would silently break every stored chain: pin one hash."""
    event: dict[str, Any] = dict.fromkeys(FIELDS, "")
    event.update(
        seq=1,
        occurred_at=datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC),
        actor_id=7,
        action="department.create",
        summary={"after": {"code": "ZA", "name": "治安"}},
        prev_hash=GENESIS,
    )

    canonical = (
        '{"action":"department.create","actor_id":7,"actor_name":"","channel":"","ip":"",'
        '"object_id":"","object_type":"","occurred_at":"2026-01-02T03:04:05.000006Z",'
        f'"prev_hash":"{GENESIS}","request_id":"","seq":1,'
        '"summary":{"after":{"code":"ZA","name":"治安"}}}'
    )

    assert event_hash(**event) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert event_hash(**event) == "82adbbad4a5ed062479c19a4b0deb8a3fe925cbfb34c36e93dcd03306e641ab5"

"""oversight pool show: who may inspect under a regime on a day, on the console."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from oversight.catalog.services import catalog_load
from oversight.pool import services
from tests.pool_builders import REGIME, frozen, qualified


@pytest.fixture
def pool(city, small_catalog):
    catalog_load(actor=None, path=small_catalog)
    with frozen():
        yield city


def show(*args: str) -> str:
    out = StringIO()
    call_command("pool", "show", *args, stdout=out)
    return out.getvalue()


def test_the_operator_sees_the_whole_city_and_a_user_their_scope(pool):
    mine = qualified(pool.a_inspector, pool.a_leader)
    theirs = qualified(pool.b_inspector, pool.b_leader)
    services.unavailability_record(
        actor=pool.b_leader.viewer, officer_id=theirs.pk, kind="LEAVE", starts_on="2026-03-05"
    )
    everyone = json.loads(show("--regime", "neibao", "--format", "json"))
    assert {o["id"] for o in everyone["officers"]} == {mine.pk, theirs.pk}
    later = json.loads(show("--regime", REGIME, "--on", "2026-03-05", "--format", "json"))
    assert [o["id"] for o in later["officers"]] == [mine.pk]
    assert later["held_back"] == [
        {"officer": later["held_back"][0]["officer"], "reasons": ["unavailable"]}
    ]
    county = json.loads(show("--regime", REGIME, "--as", "a.leader", "--format", "json"))
    assert [o["id"] for o in county["officers"]] == [mine.pk]
    text = show("--regime", REGIME, "--on", "2026-03-05")
    assert theirs.badge_number in text and "当天不在岗" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["--regime", "NOSUCH"], "no regime NOSUCH"),
        (["--regime", REGIME, "--on", "2026-13-01"], "2026-01-31"),
        (["--regime", REGIME, "--as", "sysadmin"], "may read the pool"),
    ],
)
def test_a_bad_question_gets_one_line_saying_why(pool, args, message):
    with pytest.raises(CommandError) as refused:
        show(*args)
    assert message in str(refused.value)

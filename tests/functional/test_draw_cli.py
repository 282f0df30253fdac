"""oversight draw list|show|export|verify|commit|seed: random draws on the console."""

from __future__ import annotations

import json
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from oversight.catalog.services import catalog_load
from oversight.cli.main import main
from oversight.core import clock
from oversight.planning import verify
from oversight.planning.models import Draw
from tests.draw_builders import (
    COMMITTED,
    SEED,
    SEEDED,
    SOURCE,
    approved_task,
    committed,
    drawn,
    subjects,
)
from tests.pool_builders import frozen


@pytest.fixture
def world(city, small_catalog):
    catalog_load(actor=None, path=small_catalog)
    with frozen():
        city.units = subjects(city.a_station, 6)
        city.b_units = subjects(city.b_station, 3, prefix="乙县")
        yield city


def draw(*args: str) -> str:
    out = StringIO()
    call_command("draw", *args, stdout=out)
    return out.getvalue()


def test_a_leader_commits_and_seeds_on_the_console_and_the_draw_verifies(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    with clock.frozen(COMMITTED):
        said = draw("commit", str(task.pk), "--as", "a.leader")
    made = Draw.objects.get()
    assert made.commitment in said
    with clock.frozen(SEEDED):
        said = draw("seed", str(made.pk), "--seed", SEED, "--source", SOURCE, "--as", "a.leader")
    picks = list(Draw.objects.get().picks.order_by("position").values_list("subject_id", flat=True))
    assert said.strip().endswith(", ".join(str(i) for i in picks))
    assert draw("verify", str(made.pk)).strip() == "VALID"
    assert draw("verify", str(made.pk), "--as", "a.liaison").strip() == "VALID"


def test_list_show_and_export_give_the_draws_and_their_files(world, tmp_path):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    a_draw = drawn(world.a_leader, task)
    _plan, b_task = approved_task(world.b_inspector, world.b_leader, "乙县抽查", target_count=1)
    b_draw = committed(world.b_leader, b_task)

    everyone = json.loads(draw("list", "--format", "json"))
    assert [d["id"] for d in everyone] == [b_draw.pk, a_draw.pk]  # the same time: newest id
    county = json.loads(draw("list", "--as", "a.liaison", "--year", "2026", "--format", "json"))
    assert [(d["id"], d["state"], d["k"]) for d in county] == [(a_draw.pk, "DRAWN", 2)]
    assert json.loads(draw("list", "--year", "2025", "--format", "json")) == []
    assert a_draw.commitment[:16] in draw("list")

    shown = json.loads(draw("show", str(a_draw.pk), "--format", "json"))
    assert [p["subject_id"] for p in shown["picks"]] == [r["id"] for r in a_draw.file["result"]]
    assert shown["seed"] == SEED
    assert SEED in draw("show", str(a_draw.pk))

    target = tmp_path / "draw.json"
    draw("export", str(a_draw.pk), str(target))
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported == a_draw.file and verify.verify(exported) == []
    assert json.loads(draw("export", str(b_draw.pk), "-"))["seed"] is None


def test_a_tampered_stored_file_fails_verify_and_says_what_differs(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    made = drawn(world.a_leader, task)
    file = dict(made.file)
    file["result"] = list(reversed(file["result"]))
    Draw.objects.filter(pk=made.pk).update(file=file)
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("draw", "verify", str(made.pk), stdout=out)
    assert "does not verify" in str(refused.value)
    assert "wrong order" in out.getvalue()

    seed = dict(made.file, seed=dict(made.file["seed"], value="03 09 14 21 27 33 + 09"))
    Draw.objects.filter(pk=made.pk).update(file=seed)
    with pytest.raises(CommandError):
        call_command("draw", "verify", str(made.pk), stdout=StringIO())


def test_a_committed_draw_is_not_valid_yet(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    made = committed(world.a_leader, task)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("draw", "verify", str(made.pk), stdout=out)
    assert "seed: missing" in out.getvalue()


@pytest.mark.parametrize(
    "args, message",
    [
        (["show", "999999"], "not found"),
        (["verify", "x"], "not found"),
        (["list", "--as", "auditadmin"], "may read plans"),
        (["list", "--year", "20x6"], "请输入数字"),
        (["commit", "1"], "--as USERNAME"),
        (["seed", "1", "--seed", "1", "--source", "x"], "--as USERNAME"),
    ],
)
def test_a_bad_question_gets_one_line_saying_why(world, args, message):
    with pytest.raises(CommandError) as refused:
        draw(*args)
    assert message in str(refused.value)


def test_another_countys_draw_is_not_found_and_an_inspector_may_not_commit(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    made = committed(world.a_leader, task)
    with pytest.raises(CommandError) as refused:
        draw("show", str(made.pk), "--as", "b.leader")
    assert "not found" in str(refused.value)
    with pytest.raises(CommandError) as refused, clock.frozen(SEEDED):
        draw("seed", str(made.pk), "--seed", SEED, "--source", SOURCE, "--as", "b.leader")
    assert "not found" in str(refused.value)
    with pytest.raises(CommandError):
        draw("commit", str(task.pk), "--as", "a.inspector")


def exit_status(monkeypatch, *args: str) -> int:
    """Run ``oversight ARGS`` as the console script does; return its exit status."""
    monkeypatch.setattr(sys, "argv", ["oversight", *args])
    # A command run from the command line closes the connections when done: not the test's.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    try:
        main()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_the_console_script_exits_0_for_a_valid_draw_and_1_for_a_tampered_one(
    world, monkeypatch, capsys
):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    made = drawn(world.a_leader, task)
    assert exit_status(monkeypatch, "draw", "verify", str(made.pk)) == 0
    assert capsys.readouterr().out.strip() == "VALID"
    population = [dict(m) for m in made.file["population"]]
    population[-1]["weight"] = 1000
    Draw.objects.filter(pk=made.pk).update(file=dict(made.file, population=population))
    assert exit_status(monkeypatch, "draw", "verify", str(made.pk)) == 1
    said = capsys.readouterr()
    assert "commitment" in said.out and "does not verify" in said.err


def test_a_leader_draws_the_teams_on_the_console_and_show_names_the_leader(world):
    from tests.conftest import make_officer
    from tests.pool_builders import qualified

    with frozen():
        officers = [qualified(world.a_inspector, world.a_leader)] + [
            qualified(make_officer(world.a_station, f"a.team{i}"), world.a_leader) for i in range(2)
        ]
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=1)
    drawn(world.a_leader, task)
    with clock.frozen(COMMITTED.replace(day=5)):
        said = draw("teams", str(task.pk), "--as", "a.leader")
    team = Draw.objects.get(kind="INSPECTORS")
    assert team.commitment in said and team.state == "COMMITTED"
    with clock.frozen(SEEDED.replace(day=6)):
        said = draw(
            "teams-seed", str(task.pk), "--seed", SEED, "--source", SOURCE, "--as", "a.leader"
        )
    team.refresh_from_db()
    badges = {o.pk: o.badge_number for o in officers}
    order = [badges[p.officer_id] for p in team.picks.order_by("position")]
    assert said.strip().endswith(", ".join(order))
    shown = json.loads(draw("show", str(team.pk), "--format", "json"))
    assert [p["badge_number"] for p in shown["picks"]] == order
    assert [p["leader"] for p in shown["picks"]] == [True, False]
    assert shown["subject_id"] == team.subject_id and shown["kind"] == "INSPECTORS"
    assert draw("verify", str(team.pk)).strip() == "VALID"
    with pytest.raises(CommandError, match="种子"):
        draw("teams-seed", str(task.pk), "--seed", SEED, "--source", SOURCE, "--as", "a.leader")


def test_commit_and_seed_show_their_progress_on_the_standard_error(world):
    _plan, task = approved_task(world.a_inspector, world.a_leader, target_count=2)
    err = StringIO()
    with clock.frozen(COMMITTED):
        call_command(
            "draw", "commit", str(task.pk), "--as", "a.leader", stdout=StringIO(), stderr=err
        )
    lines = err.getvalue().splitlines()
    assert lines[0] == "正在抽取总体"
    assert lines[-1].endswith("100% (6/6)") and lines[-1].startswith("正在保存")
    made = Draw.objects.get()
    err = StringIO()
    with clock.frozen(SEEDED):
        call_command(
            "draw",
            "seed",
            str(made.pk),
            "--seed",
            SEED,
            "--source",
            SOURCE,
            "--as",
            "a.leader",
            stdout=StringIO(),
            stderr=err,
        )
    assert err.getvalue().splitlines()[-1].endswith("100% (12/12)")

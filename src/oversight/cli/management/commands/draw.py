"""oversight draw list|show|export|verify|commit|seed|teams|teams-seed — random draws (双随机)
on the console: of a random task's subjects (commit, seed), and of the inspectors of each subject
of a task (teams, teams-seed).

``--as USERNAME`` acts as that user: their scope, their permission (a county's officer sees only
their county's draws; another county's id is "not found"). Reading without it reads as the
server's operator, over every draw; committing and entering a seed always name the leader who
does it.

``verify`` re-runs the stored draw file with the verifier (``oversight.planning.verify``, the
same code as ``python -m oversight.planning.verify FILE``): it prints VALID, or each problem and
exits non-zero.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet
from django.utils import timezone

from oversight.cli.acting import plan_reader
from oversight.cli.output import add_format, emit
from oversight.core.errors import DomainError, NotFound
from oversight.core.fields import clean_value
from oversight.core.text import parse_id
from oversight.org.scope import Viewer
from oversight.planning import selectors, services, verify
from oversight.planning.fields import DRAW_FILTERS
from oversight.planning.models import Draw, DrawPhase
from oversight.planning.presentation import pick_words


def _draws(viewer: Viewer | None, year: int | None) -> QuerySet[Draw]:
    if viewer is not None:
        return selectors.draw_list(viewer=viewer, year=year)
    qs = Draw.objects.all()
    if year is not None:
        qs = qs.filter(task__plan__year=year)
    return selectors.draw_rows(qs)


def _draw(viewer: Viewer | None, draw_id: str) -> Draw:
    if viewer is not None:
        return selectors.draw_get(viewer=viewer, draw_id=draw_id)
    pk = parse_id(draw_id)
    found = selectors.draw_rows(Draw.objects.filter(pk=pk)).defer(None).first() if pk else None
    if found is None:
        raise NotFound()
    return found


def _time(value: Any) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def draw_data(draw: Draw, titles: dict[str, str]) -> dict[str, Any]:
    """A draw as the console and its JSON tell it (without the file)."""
    plan = draw.task.plan
    return {
        "id": draw.pk,
        "task_id": draw.task_id,
        "plan_id": plan.pk,
        "plan_title": plan.title,
        "year": plan.year,
        "agency": plan.agency.name,
        "regime": draw.task.regime,
        "regime_title": titles.get(draw.task.regime, ""),
        "kind": draw.kind,
        "subject_id": draw.subject_id,
        "state": draw.state,
        "state_words": draw.get_state_display(),
        "commitment": draw.commitment,
        "committed_at": _time(draw.committed_at),
        "population_size": draw.population_size,
        "k": draw.k,
        "seed": draw.seed or None,
        "seed_source": draw.seed_source or None,
        "entered_by": draw.entered_by.username if draw.entered_by else None,
        "entered_at": _time(draw.entered_at),
        "drawn_at": _time(draw.drawn_at),
        "catalog_version_id": draw.catalog_version_id,
    }


class ProgressBar:
    """How far a draw got, on the standard error: a line per phase, and within a phase a bar
    of 40 columns redrawn each tenth of the way (one line each, so logs read well too)."""

    WIDTH = 40

    def __init__(self, out: Any) -> None:
        self.out = out
        self.phase = ""
        self.tenth = -1

    def __call__(self, phase: str, done: int, total: int) -> None:
        words = str(DrawPhase(phase).label)
        if phase != self.phase:
            self.phase, self.tenth = phase, -1
            if not total:
                self.out.write(words)
        if not total:
            return
        tenth = 10 * done // total
        if tenth == self.tenth:
            return
        self.tenth = tenth
        filled = self.WIDTH * done // total
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.out.write(f"{words} [{bar}] {100 * done // total:3d}% ({done}/{total})")


class Command(BaseCommand):
    help = "Random draws (双随机): list, show, export and verify them; commit one, enter its seed."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        def command(name: str, text: str) -> CommandParser:
            found: CommandParser = sub.add_parser(name, help=text)
            return found

        listing = command("list", "list the draws, newest first")
        listing.add_argument("--year", default="", help="only the draws of this year's plans")
        add_format(listing)
        show = command("show", "show one draw and the subjects it took")
        show.add_argument("draw_id")
        add_format(show)
        export = command("export", "write a draw's file (JSON), to verify anywhere")
        export.add_argument("draw_id")
        export.add_argument("file", help="where to write it ('-' for the standard output)")
        check = command("verify", "re-run a stored draw with the verifier: VALID or what differs")
        check.add_argument("draw_id")
        commit = command("commit", "commit the draw of a random task's subjects (leaders)")
        commit.add_argument("task_id")
        seed = command("seed", "enter the public seed of a committed draw and make it (leaders)")
        seed.add_argument("draw_id")
        seed.add_argument("--seed", required=True, help="the seed, as published")
        seed.add_argument("--source", required=True, help="where it was published")
        teams = command("teams", "commit an inspector draw for each subject of a task (leaders)")
        teams.add_argument("task_id")
        teams_seed = command(
            "teams-seed", "enter one public seed for a task's inspector draws and make them"
        )
        teams_seed.add_argument("task_id")
        teams_seed.add_argument("--seed", required=True, help="the seed, as published")
        teams_seed.add_argument("--source", required=True, help="where it was published")
        for each in (listing, show, export, check, commit, seed, teams, teams_seed):
            each.add_argument("--as", dest="as_user", metavar="USERNAME", help="act as this user")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except NotFound:
            raise CommandError("not found (or not in your scope)") from None
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None

    def _list(self, options: dict[str, Any]) -> None:
        year = clean_value(DRAW_FILTERS["year"], options["year"])
        titles = selectors.regime_titles()
        draws = [draw_data(d, titles) for d in _draws(plan_reader(options["as_user"]), year)]
        table = [["id", "year", "agency", "regime", "status", "k", "of", "commitment"]] + [
            [
                d["id"],
                d["year"],
                d["agency"],
                d["regime_title"] or d["regime"],
                d["state_words"],
                d["k"],
                d["population_size"],
                d["commitment"][:16],
            ]
            for d in draws
        ]
        emit(self, options["format"], draws, table)

    def _show(self, options: dict[str, Any]) -> None:
        draw = _draw(plan_reader(options["as_user"]), options["draw_id"])
        picks = pick_words(selectors.draw_picks(draw=draw))
        data = draw_data(draw, selectors.regime_titles()) | {
            "picks": [
                {
                    "position": p.position,
                    "subject_id": p.subject_id,
                    "officer_id": p.officer_id,
                    "badge_number": p.badge_number,
                    "leader": p.leader,
                    "name": p.name,
                    "agency": p.agency,
                    "risk_grade": p.risk_grade,
                    "u": p.u,
                }
                for p in picks
            ]
        }
        if options["format"] == "json":
            emit(self, "json", data)
            return
        self.stdout.write(
            f"{data['year']} {data['plan_title']} · {data['regime_title']} · {data['state_words']}"
        )
        self.stdout.write(f"commitment {draw.commitment} ({data['committed_at']})")
        self.stdout.write(f"{draw.k} of {draw.population_size}")
        if draw.seed:
            self.stdout.write(f"seed {draw.seed} ({draw.seed_source}; {data['entered_at']})")
        member = "officer" if draw.kind == "INSPECTORS" else "subject"
        rows = [["#", member, "agency", "u"]] + [
            [p["position"], p["name"] + (" (leader)" if p["leader"] else ""), p["agency"], p["u"]]
            for p in data["picks"]
        ]
        if data["picks"]:
            emit(self, "text", data, rows)

    def _export(self, options: dict[str, Any]) -> None:
        draw = _draw(plan_reader(options["as_user"]), options["draw_id"])
        text = json.dumps(selectors.draw_file(draw), ensure_ascii=False, indent=2) + "\n"
        if options["file"] == "-":
            self.stdout.write(text, ending="")
            return
        try:
            Path(options["file"]).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"cannot write {options['file']}: {exc.strerror}") from None
        self.stdout.write(f"draw {draw.pk} written to {options['file']}")

    def _verify(self, options: dict[str, Any]) -> None:
        draw = _draw(plan_reader(options["as_user"]), options["draw_id"])
        problems = verify.verify(selectors.draw_file(draw))
        if not problems:
            self.stdout.write("VALID")
            return
        for problem in problems:
            self.stdout.write(problem)
        raise CommandError(f"draw {draw.pk} does not verify ({len(problems)} problems)")

    def _commit(self, options: dict[str, Any]) -> None:
        viewer = plan_reader(options["as_user"], required=True)
        assert viewer is not None
        draw = services.draw_commit(
            actor=viewer, task_id=options["task_id"], progress=ProgressBar(self.stderr)
        )
        self.stdout.write(
            f"draw {draw.pk} committed: {draw.k} of {draw.population_size}, "
            f"commitment {draw.commitment}"
        )

    def _seed(self, options: dict[str, Any]) -> None:
        viewer = plan_reader(options["as_user"], required=True)
        assert viewer is not None
        draw = services.draw_seed(
            actor=viewer,
            draw_id=options["draw_id"],
            seed=options["seed"],
            source=options["source"],
            progress=ProgressBar(self.stderr),
        )
        ids = [p.subject_id for p in selectors.draw_picks(draw=draw)]
        self.stdout.write(f"draw {draw.pk} made: " + ", ".join(str(i) for i in ids))

    def _teams(self, options: dict[str, Any]) -> None:
        viewer = plan_reader(options["as_user"], required=True)
        assert viewer is not None
        for draw in services.teams_commit(actor=viewer, task_id=options["task_id"]):
            self.stdout.write(
                f"draw {draw.pk} committed for subject {draw.subject_id}: {draw.k} of "
                f"{draw.population_size} officers, commitment {draw.commitment}"
            )

    def _teams_seed(self, options: dict[str, Any]) -> None:
        viewer = plan_reader(options["as_user"], required=True)
        assert viewer is not None
        draws = services.teams_seed(
            actor=viewer, task_id=options["task_id"], seed=options["seed"], source=options["source"]
        )
        for draw in draws:
            badges = [p.badge_number for p in pick_words(selectors.draw_picks(draw=draw))]
            self.stdout.write(
                f"draw {draw.pk} made for subject {draw.subject_id}: " + ", ".join(map(str, badges))
            )

"""oversight plan list|show|obligations — the plans of checks on the console; ``obligations``
adds the periodic tasks the catalog's rhythms require (``--as`` names who does it).

``--as USERNAME`` reads as that user: their scope, their permission (a county's officer sees only
their county's plans; another county's id is "not found"). Without it the command reads as the
server's operator, over every plan.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, QuerySet

from oversight.cli import obligations
from oversight.cli.acting import plan_reader
from oversight.cli.output import add_format, emit
from oversight.core.errors import DomainError, NotFound
from oversight.core.fields import clean_value
from oversight.core.text import parse_id
from oversight.org.scope import Viewer
from oversight.planning import selectors
from oversight.planning.fields import PLAN_FILTERS
from oversight.planning.models import Plan
from oversight.planning.presentation import task_words


def _plans(viewer: Viewer | None, year: int | None) -> QuerySet[Plan]:
    if viewer is not None:
        return selectors.plan_list(viewer=viewer, filters=selectors.PlanFilters(year=year))
    qs = Plan.objects.select_related("agency").annotate(task_count=Count("tasks"))
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "agency__path", "id")


def _plan_data(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "year": plan.year,
        "title": plan.title,
        "agency": plan.agency.name,
        "agency_code": plan.agency.code,
        "status": plan.status,
        "status_words": plan.get_status_display(),
        "tasks": getattr(plan, "task_count", None),
        "catalog_version_id": plan.catalog_version_id,
    }


class Command(BaseCommand):
    help = "Plans of checks: list them, show one with its tasks."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="list the plans, newest year first")
        listing.add_argument("--year", default="", help="only this year's plans")
        listing.add_argument("--as", dest="as_user", metavar="USERNAME", help="read as this user")
        add_format(listing)
        generate = sub.add_parser(
            "obligations", help="add the periodic tasks the catalog's rhythms require"
        )
        generate.add_argument("plan_id")
        generate.add_argument("--as", dest="as_user", metavar="USERNAME", help="act as this user")
        add_format(generate)
        show = sub.add_parser("show", help="show one plan and its tasks")
        show.add_argument("plan_id")
        show.add_argument("--as", dest="as_user", metavar="USERNAME", help="read as this user")
        add_format(show)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except NotFound:
            raise CommandError("not found (or not in your scope)") from None
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None

    def _obligations(self, options: dict[str, Any]) -> None:
        obligations.generate(self, options)

    def _list(self, options: dict[str, Any]) -> None:
        year = clean_value(PLAN_FILTERS["year"], options["year"])
        plans = [_plan_data(p) for p in _plans(plan_reader(options["as_user"]), year)]
        table = [["id", "year", "agency", "status", "tasks", "title"]] + [
            [p["id"], p["year"], p["agency"], p["status_words"], p["tasks"], p["title"]]
            for p in plans
        ]
        emit(self, options["format"], plans, table)

    def _show(self, options: dict[str, Any]) -> None:
        viewer = plan_reader(options["as_user"])
        if viewer is not None:
            plan = selectors.plan_get(viewer=viewer, plan_id=options["plan_id"])
        else:
            pk = parse_id(options["plan_id"])
            found = Plan.objects.select_related("agency").filter(pk=pk).first() if pk else None
            if found is None:
                raise NotFound()
            plan = found
        tasks = task_words(selectors.plan_tasks(plan=plan))
        data = _plan_data(plan) | {
            "tasks": [
                {
                    "id": t.task.pk,
                    "regime": t.task.regime,
                    "regime_title": t.regime,
                    "mode": t.task.mode,
                    "announced": t.task.announced,
                    "method": t.task.method,
                    "starts_on": t.task.starts_on.isoformat(),
                    "ends_on": t.task.ends_on.isoformat(),
                    "jurisdictions": t.jurisdictions,
                    "subject_kinds": t.task.subject_kinds,
                    "risk_grades": t.task.risk_grades,
                    "subjects": [s.pk for s in t.task.subjects.all()],
                    "target_count": t.task.target_count,
                    "per_jurisdiction": t.task.per_jurisdiction,
                    "inspectors_per_target": t.task.inspectors_per_target,
                    "include_checked": t.task.include_checked,
                }
                for t in tasks
            ],
        }
        if options["format"] == "json":
            emit(self, "json", data)
            return
        self.stdout.write(
            f"{plan.year} {plan.title} [{plan.agency.name}] {plan.get_status_display()}"
        )
        rows = [["id", "regime", "mode", "window", "targets"]] + [
            [
                t.task.pk,
                t.regime,
                f"{t.mode} {t.announced}",
                t.window,
                t.task.target_count if t.random else len(t.subjects),
            ]
            for t in tasks
        ]
        emit(self, "text", data, rows)

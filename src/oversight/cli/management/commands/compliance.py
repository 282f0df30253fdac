"""oversight compliance — the subjects' compliance with the catalog's rhythms of checks
(每月实地检查一次, 年检): per subject and period, the checks required and done, missed ones
flagged.

``--as USERNAME`` reads as that user: their scope, their permission (a county's officer sees
only their county's subjects). Without it the command reads as the server's operator, over every
subject.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from oversight.cli.acting import plan_reader
from oversight.cli.output import add_format, emit
from oversight.core import clock
from oversight.core.errors import DomainError
from oversight.core.fields import clean_value
from oversight.inspections.compliance import Compliance, compliance, compliance_data
from oversight.inspections.fields import COMPLIANCE_FILTERS, INSPECTION
from oversight.planning import obligations


def _rows(result: Compliance) -> list[list[Any]]:
    """A line per subject and rhythm judged: its missed periods by number (a month's, or the
    year's 1), and how many are still due."""
    rows: list[list[Any]] = [["id", "subject", "jurisdiction", "method", "missed", "due"]]
    for row in result.rows:
        for rule, states in zip(result.rules, row.states, strict=True):
            if states is None:
                continue
            missed = [str(s.period.index) for s in states if s.state == obligations.MISSED]
            due = sum(s.state == obligations.DUE for s in states)
            rows.append(
                [
                    row.subject.pk,
                    row.subject.name,
                    row.subject.agency.name,
                    rule.frequency.method,
                    ",".join(missed) or "-",
                    due,
                ]
            )
    return rows


class Command(BaseCommand):
    help = "Compliance with the catalog's rhythms of checks: each subject's missed periods."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--regime", required=True, help="the regime's code, e.g. CUSTODY_OWN")
        parser.add_argument("--year", default="", help="the year (default this year)")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME", help="read as this user")
        add_format(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            regime = clean_value(INSPECTION["regime"], options["regime"])
            year = clean_value(COMPLIANCE_FILTERS["year"], options["year"])
            today = timezone.localdate(clock.now())
            result = compliance(
                viewer=plan_reader(options["as_user"]),
                regime=regime,
                year=year or today.year,
                today=today,
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        data = compliance_data(result)
        if options["format"] == "json":
            emit(self, "json", data)
            return
        self.stdout.write(
            f"{result.regime.code} {result.year} (as of {result.today:%Y-%m-%d}): "
            f"{len(result.rows)} subjects, {result.missed} missed periods"
        )
        for rule in result.rules:
            if not rule.judged:
                self.stdout.write(
                    f"{rule.frequency.method} per {rule.frequency.per}: no data, not judged yet"
                )
        emit(self, "text", data, _rows(result))

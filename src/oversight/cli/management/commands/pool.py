"""oversight pool show --regime CODE [--on DATE] — who may inspect under a regime on a day.

``--as USERNAME`` reads the pool as that user: their scope, their permission (a county's officer
sees only their county's officers). Without it the command reads as the server's operator, over
the whole organisation.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.cli.output import add_format, emit
from oversight.core.errors import DomainError, NotFound
from oversight.core.fields import clean_value
from oversight.org.models import Officer, User
from oversight.org.scope import viewer_for
from oversight.pool import policy, selectors
from oversight.pool.fields import DAY
from oversight.pool.presentation import reasons_in_words


def _officer(officer: Officer) -> dict[str, Any]:
    return {
        "id": officer.pk,
        "name": officer.name,
        "badge_number": officer.badge_number,
        "agency": officer.agency.name,
    }


class Command(BaseCommand):
    help = "The inspector pool: who may inspect under a regime on a day, and why others may not."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="who may inspect under a regime on a day")
        show.add_argument("--regime", required=True, help="the regime's code in the catalog")
        show.add_argument("--on", default="", help="the day, YYYY-MM-DD (default: today)")
        show.add_argument("--as", dest="as_user", metavar="USERNAME", help="read as this user")
        add_format(show)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._show(options)
        except NotFound:
            raise CommandError("not found (or not in your scope)") from None
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None

    def _show(self, options: dict[str, Any]) -> None:
        try:
            regime = selectors.regime_get(options["regime"].upper())
        except NotFound:
            codes = ", ".join(r.code for r in selectors.regimes()) or "none: run `oversight init`"
            raise CommandError(f"no regime {options['regime']}; known: {codes}") from None
        on: date = clean_value(DAY, options["on"]) or selectors.today()
        table = self._table(options["as_user"], regime, on)
        data = {
            "regime": regime.code,
            "regime_title": regime.title,
            "on": on.isoformat(),
            "officers": [_officer(o) for o in table.in_pool],
            "held_back": [
                {"officer": _officer(o), "reasons": reasons} for o, reasons in table.held_back
            ],
            "never_qualified": table.never_qualified,
        }
        if options["format"] == "json":
            emit(self, "json", data)
            return
        self.stdout.write(f"{regime.title} [{regime.code}] {on:%Y-%m-%d}: {len(table.in_pool)}")
        rows = [["badge", "name", "agency", "not in the pool because"]]
        rows += [[o.badge_number, o.name, o.agency.name, "-"] for o in table.in_pool]
        rows += [
            [o.badge_number, o.name, o.agency.name, "；".join(reasons_in_words(r))]
            for o, r in table.held_back
        ]
        emit(self, "text", data, rows)
        self.stdout.write(f"{table.never_qualified} other active officers are not qualified")

    def _table(self, username: str | None, regime: Any, on: date) -> selectors.PoolTable:
        if not username:
            return selectors.pool_table_in_scope(scope_path="", regime=regime, on=on)
        user = User.objects.filter(username=username, is_active=True).first()
        viewer = viewer_for(user) if user else None
        if viewer is None or not policy.may_read_pool(viewer):
            raise CommandError(f"{username} is not an active user who may read the pool")
        return selectors.pool_table(viewer=viewer, regime=regime, on=on)

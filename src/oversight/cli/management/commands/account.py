"""oversight account activate USERNAME — break-glass: an activation code issued on the console."""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.cli.output import add_format, emit
from oversight.core.context import RequestContext, bound, new_request_id
from oversight.core.errors import DomainError
from oversight.org.services import activation_break_glass


def _operator() -> str:
    """The login of whoever runs the command, for the audit trail."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


ACTIVATE_HELP = (
    "issue a one-time activation code for USERNAME and print it once; the user sets a new "
    "password with it on the activation page"
)


class Command(BaseCommand):
    help = (
        "Break-glass for accounts: issue an activation code on the server console, with no "
        "second person. Use it only when fewer than two other administrators can act "
        "(docs/accounts.md); it is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        activate = sub.add_parser("activate", help=ACTIVATE_HELP)
        activate.add_argument("username")
        add_format(activate)

    def handle(self, *args: Any, **options: Any) -> None:
        operator = _operator()
        context = RequestContext(request_id=new_request_id(), ip=None, channel="cli")
        try:
            with bound(context):
                activation, code = activation_break_glass(
                    username=options["username"], operator=operator
                )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        emit(
            self,
            options["format"],
            {
                "username": activation.user.username,
                "code": code,
                "expires_at": activation.expires_at,
                "audited_as": "account.activation_break_glass",
            },
        )

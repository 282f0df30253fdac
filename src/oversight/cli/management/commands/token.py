"""oversight token issue|revoke|list — bearer tokens for the API."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from oversight.cli.output import add_format, emit
from oversight.core.errors import DomainError
from oversight.org.models import ApiToken
from oversight.org.services import token_issue, token_revoke


class Command(BaseCommand):
    help = "Issue, revoke or list API bearer tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="issue a token for USERNAME; it is printed only once")
        issue.add_argument("username")
        issue.add_argument("--name", default="cli")
        issue.add_argument("--days", type=int, default=90, help="lifetime in days (1–366)")
        add_format(issue)
        revoke = sub.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("token_id", type=int)
        listing = sub.add_parser("list", help="list tokens (never their secret)")
        add_format(listing)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "issue":
                token, raw = token_issue(
                    actor=None,
                    username=options["username"],
                    name=options["name"],
                    days=options["days"],
                )
                emit(
                    self,
                    options["format"],
                    {"id": token.pk, "token": raw, "expires_at": token.expires_at},
                )
            elif options["action"] == "revoke":
                with transaction.atomic():
                    token_revoke(actor=None, token_id=options["token_id"])
                self.stdout.write(f"revoked token {options['token_id']}")
            else:
                rows = list(
                    ApiToken.objects.order_by("id").values(
                        "id",
                        "user__username",
                        "name",
                        "prefix",
                        "created_at",
                        "expires_at",
                        "revoked_at",
                    )
                )
                table = [["id", "user", "name", "prefix", "expires", "revoked"]] + [
                    [
                        r["id"],
                        r["user__username"],
                        r["name"],
                        r["prefix"],
                        r["expires_at"] or "-",
                        r["revoked_at"] or "-",
                    ]
                    for r in rows
                ]
                emit(self, options["format"], rows, table)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None

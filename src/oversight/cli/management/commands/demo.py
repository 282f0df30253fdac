"""oversight demo — fill an empty database with the synthetic city."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from oversight.cli.demo import DEFAULT_PASSWORD, build_demo
from oversight.cli.output import add_format, emit
from oversight.org.models import Agency


class Command(BaseCommand):
    help = "Create the deterministic demo city (agencies, officers, roles, liaisons)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing (exit 0) if agencies exist"
        )
        add_format(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if options["if_empty"] and Agency.objects.exists():
            self.stdout.write("data present; demo not loaded")
            return
        password = os.environ.get("OVERSIGHT_DEMO_PASSWORD", DEFAULT_PASSWORD)
        result = build_demo(seed=options["seed"], password=password)
        data = {
            "agencies": result.agencies,
            "officers": result.officers,
            "liaisons": result.liaisons,
            "subjects": result.subjects,
            "password": password,
            "logins": [{"username": u, "roles": r, "agency": a} for u, r, a in result.logins],
        }
        if options["format"] == "json":
            emit(self, "json", data)
            return
        self.stdout.write(
            f"demo city: {result.agencies} agencies, {result.officers} officers, "
            f"{result.liaisons} liaisons, {result.subjects} outside subjects imported; "
            f"every demo account's password is {password}"
        )
        emit(self, "text", data, [["username", "roles", "agency"], *result.logins])

"""oversight serve — run the web application under gunicorn."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Collect static files and serve the application with gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=f"127.0.0.1:{os.environ.get('PORT', '8000')}")
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("OVERSIGHT_WORKERS", "2"))
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.wsgiapp import WSGIApplication

        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"serving on http://{options['bind']}/")
        argv = [
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
        ]
        sys.argv = argv  # gunicorn reads its options from argv when the application is built
        WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()

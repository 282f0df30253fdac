"""oversight worker — run background tasks and the periodic tick."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oversight.core.ticks import Failed, run_tick

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the task worker (django-tasks database backend) and the periodic tick."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tick-seconds", type=int, default=300)
        parser.add_argument("--once", action="store_true", help="run one tick and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            outcomes = run_tick()
            for name, outcome in outcomes.items():
                self.stdout.write(f"{name}: {outcome}")
            failed = [name for name, outcome in outcomes.items() if isinstance(outcome, Failed)]
            if failed:
                raise CommandError("periodic jobs failed (see the log): " + ", ".join(failed))
            return
        stop = threading.Event()

        def ticker() -> None:
            while not stop.wait(options["tick_seconds"]):
                try:
                    run_tick()
                except Exception:  # one failed tick must not end the worker; it is logged
                    log.exception("periodic tick failed")

        thread = threading.Thread(target=ticker, name="oversight-tick", daemon=True)
        thread.start()
        try:
            call_command("db_worker")
        finally:
            stop.set()

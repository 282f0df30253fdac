"""``oversight plan obligations PLAN_ID --as USERNAME``: a plan takes the periodic tasks the
catalog's rhythms ask of its bureau, as on the plan's page (kept here so that ``plan.py`` stays a
list of its subcommands)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from oversight.cli.output import emit
from oversight.org.models import User
from oversight.org.scope import viewer_for
from oversight.planning.services.obligations import plan_generate_obligations, rhythm_data


def generate(command: BaseCommand, options: dict[str, Any]) -> None:
    """Generate as the user ``--as`` names (an inspector or leader of the plan's scope); print
    what was added and what was there, or the refusal (non-zero exit)."""
    username = options.get("as_user")
    if not username:
        raise CommandError("name the inspector or leader who does it: --as USERNAME")
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"{username} is not an active user")
    done = plan_generate_obligations(actor=viewer_for(user), plan_id=options["plan_id"])
    data: dict[str, Any] = {
        "plan_id": done.plan.pk,
        "added": len(done.added),
        "present": done.present,
        "task_ids": [t.pk for t in done.added],
        "rhythms": [rhythm_data(r) for r in done.rhythms],
    }
    if options["format"] == "json":
        emit(command, "json", data)
        return
    if not done.rhythms:
        command.stdout.write("the catalog sets no rhythm of checks for this bureau: nothing added")
        return
    rows = [["regime", "method", "per", "added", "present", "without subjects"]] + [
        [r["regime"], r["method"], r["per"], r["added"], r["present"], r["without_subjects"]]
        for r in data["rhythms"]
    ]
    emit(command, "text", data, rows)
    if not done.added:
        command.stdout.write("nothing added: the plan already has every required periodic task")

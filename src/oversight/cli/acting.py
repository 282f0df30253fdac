"""Who a console command acts as: ``--as USERNAME`` names a user, whose scope and permission the
command takes; without it a reading command reads as the server's operator."""

from __future__ import annotations

from django.core.management.base import CommandError

from oversight.org.models import User
from oversight.org.scope import Viewer, viewer_for
from oversight.planning import workflow


def plan_reader(username: str | None, *, required: bool = False) -> Viewer | None:
    """The viewer ``--as`` names, or None for the operator (refused when ``required``: an act
    names the leader who does it); refuses a user who is inactive or may not read plans."""
    if not username:
        if required:
            raise CommandError("name the leader who does it: --as USERNAME")
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    viewer = viewer_for(user) if user else None
    if viewer is None or not workflow.may_read_plans(viewer):
        raise CommandError(f"{username} is not an active user who may read plans")
    return viewer

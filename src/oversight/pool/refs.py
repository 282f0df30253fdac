"""How the pool's rows named by id are loaded for a viewer (the scope check of raw input)."""

from __future__ import annotations

from typing import Any

from oversight.core import refs
from oversight.core.errors import PermissionDenied
from oversight.core.text import parse_id
from oversight.org.scope import Viewer
from oversight.pool import policy, selectors


def declarant(viewer: Viewer, pk: int) -> Any:
    """The officer a conflict is declared for: the viewer themself, or an officer of a leader's
    scope. Anyone else's id is refused for the role (403) before its scope is looked at."""
    own = viewer.officer_id is not None and parse_id(pk) == viewer.officer_id
    leader = policy.may_manage_pool(viewer)
    if policy.write_problem(leader=leader, own=own, action=policy.DECLARE) == "not_permitted":
        raise PermissionDenied()
    return selectors.officer_get(viewer=viewer, officer_id=pk)


def register() -> None:
    refs.register(
        "qualification",
        lambda viewer, pk: selectors.qualification_get(viewer=viewer, qualification_id=pk),
    )
    refs.register(
        "unavailability",
        lambda viewer, pk: selectors.unavailability_get(viewer=viewer, unavailability_id=pk),
    )
    refs.register(
        "conflict", lambda viewer, pk: selectors.conflict_get(viewer=viewer, conflict_id=pk)
    )
    refs.register("declarant", declarant)

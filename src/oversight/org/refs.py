"""How the organisation's rows are loaded for a viewer when a request names them by id."""

from __future__ import annotations

from oversight.core import refs
from oversight.org import selectors


def register() -> None:
    refs.register("agency", lambda viewer, pk: selectors.agency_get(viewer=viewer, agency_id=pk))
    refs.register("officer", lambda viewer, pk: selectors.officer_get(viewer=viewer, officer_id=pk))
    refs.register(
        "department",
        lambda viewer, pk: selectors.department_get(viewer=viewer, department_id=pk),
    )
    refs.register("liaison", lambda viewer, pk: selectors.liaison_get(viewer=viewer, liaison_id=pk))

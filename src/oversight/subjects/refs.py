"""How a subject named by id is loaded for a viewer (the scope check of raw input)."""

from __future__ import annotations

from oversight.core import events, refs
from oversight.subjects import selectors


def register() -> None:
    refs.register("subject", lambda viewer, pk: selectors.subject_get(viewer=viewer, subject_id=pk))

    def follow(agency: object) -> None:
        from oversight.subjects.follow import subjects_follow

        subjects_follow(agency=agency)  # type: ignore[arg-type]

    events.subscribe("agency.changed", follow)

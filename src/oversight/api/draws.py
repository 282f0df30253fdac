"""Random draws (双随机) over the API: list and read them, get a draw file, commit the draw of a
random task's subjects, enter the public seed; commit and seed the inspector draws of a task's
subjects (one team per subject).

Each operation names its rule and the ids it takes (``guard``), checked before its input is
validated: another county's task or draw answers 404 whatever else the request holds.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from oversight.api.auth import guard, viewer
from oversight.api.declared import declared_schema
from oversight.api.problems import READ_ERRORS, WRITE_ERRORS
from oversight.api.schemas import PageOut, PathId
from oversight.core.pagination import paginate
from oversight.core.text import MAX_ID
from oversight.planning import selectors, services, workflow
from oversight.planning.fields import SEED
from oversight.planning.models import Draw, DrawKind, DrawState
from oversight.planning.presentation import pick_words

router = Router(tags=["draws"])

READ = workflow.may_read_plans
DRAW = workflow.may_draw


class PickOut(Schema):
    """A subject a draw of subjects took, or an officer an inspector draw took."""

    position: int = Field(description="1 for the member drawn first (an inspector team's leader).")
    subject_id: int | None = Field(description="The subject drawn (draws of subjects).")
    subject_name: str | None
    risk_grade: str | None
    officer_id: int | None = Field(description="The officer drawn (inspector draws).")
    officer_name: str | None
    badge_number: str | None
    leader: bool = Field(description="The officer leads the team (组长).")
    agency_name: str
    u: str = Field(description="The member's number U from the seed, in decimal digits.")


class DrawOut(Schema):
    id: int
    task_id: int
    plan_id: int
    year: int
    regime: str
    kind: DrawKind
    subject_id: int | None = Field(description="The subject an inspector draw sends its team to.")
    state: DrawState
    commitment: str = Field(description="SHA-256 of the population and parameters (hex).")
    committed_at: datetime
    population_size: int
    k: int
    seed: str | None
    seed_source: str | None
    entered_by_id: int | None
    entered_at: datetime | None
    drawn_at: datetime | None
    catalog_version_id: int


class DrawDetailOut(DrawOut):
    picks: list[PickOut] = Field(description="The subjects drawn, in draw order.")


class DrawQuery(Schema):
    """Filters of the draw list, and the page."""

    year: int | None = Field(None, ge=2000, le=2100, description="Only the draws of this year.")
    page: int = Field(1, ge=1, le=MAX_ID, description="Page number, from 1.")


class SeedIn(declared_schema("DrawSeedFields", SEED)):  # type: ignore[misc]
    """The public randomness of a committed draw, and where anyone can check it."""


def _draw(draw: Draw) -> dict[str, Any]:
    return {
        "id": draw.pk,
        "task_id": draw.task_id,
        "plan_id": draw.task.plan_id,
        "year": draw.task.plan.year,
        "regime": draw.task.regime,
        "kind": draw.kind,
        "subject_id": draw.subject_id,
        "state": draw.state,
        "commitment": draw.commitment,
        "committed_at": draw.committed_at,
        "population_size": draw.population_size,
        "k": draw.k,
        "seed": draw.seed or None,
        "seed_source": draw.seed_source or None,
        "entered_by_id": draw.entered_by_id,
        "entered_at": draw.entered_at,
        "drawn_at": draw.drawn_at,
        "catalog_version_id": draw.catalog_version_id,
    }


def _detail(request: HttpRequest, draw_id: int) -> dict[str, Any]:
    draw = selectors.draw_get(viewer=viewer(request), draw_id=draw_id)
    return _draw(draw) | {"picks": _picks(draw)}


def _picks(draw: Draw) -> list[dict[str, Any]]:
    return [
        {
            "position": p.position,
            "subject_id": p.subject_id,
            "subject_name": p.name if p.subject_id else None,
            "risk_grade": p.risk_grade,
            "officer_id": p.officer_id,
            "officer_name": p.name if p.officer_id else None,
            "badge_number": p.badge_number,
            "leader": p.leader,
            "agency_name": p.agency,
            "u": p.u,
        }
        for p in pick_words(selectors.draw_picks(draw=draw))
    ]


@router.get("/draws", response={200: PageOut[DrawOut], **READ_ERRORS}, auth=guard(READ))
def draw_list(request: HttpRequest, query: Query[DrawQuery]) -> dict[str, Any]:
    """The draws of the token's scope, newest first; filter by the plans' year."""
    page = paginate(selectors.draw_list(viewer=viewer(request), year=query.year), query.page)
    return {
        "items": [_draw(d) for d in page.object_list],
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
    }


@router.get(
    "/draws/{id:draw_id}",
    response={200: DrawDetailOut, **READ_ERRORS},
    auth=guard(READ, draw_id="draw"),
)
def draw_get(request: HttpRequest, draw_id: PathId) -> Any:
    """A draw, with the subjects it took once drawn."""
    return _detail(request, draw_id)


@router.get(
    "/draws/{id:draw_id}/file",
    response={200: dict[str, Any], **READ_ERRORS},
    auth=guard(READ, draw_id="draw"),
)
def draw_file(request: HttpRequest, draw_id: PathId) -> Any:
    """The draw file: verify it with ``python -m oversight.planning.verify FILE`` (docs/draw.md).
    Committed but not drawn yet, it has no seed and no result."""
    return selectors.draw_file(selectors.draw_get(viewer=viewer(request), draw_id=draw_id))


@router.post(
    "/tasks/{id:task_id}/draws",
    response={201: DrawDetailOut, **WRITE_ERRORS},
    auth=guard(DRAW, task_id="task_drawer"),
)
def draw_commit(request: HttpRequest, task_id: PathId) -> Any:
    """Commit the draw of a random task's subjects (a leader of the plan's bureau; the plan
    approved or published): who may be drawn is fixed and the commitment published."""
    draw = services.draw_commit(actor=viewer(request), task_id=task_id)
    return Status(201, _detail(request, draw.pk))


@router.post(
    "/draws/{id:draw_id}/seed",
    response={200: DrawDetailOut, **WRITE_ERRORS},
    auth=guard(DRAW, draw_id="draw_leader"),
)
def draw_seed(request: HttpRequest, draw_id: PathId, payload: SeedIn) -> Any:
    """Enter the public seed of a committed draw and make it (a leader of the plan's bureau).
    A draw takes one seed: a second is refused (409)."""
    services.draw_seed(actor=viewer(request), draw_id=draw_id, **payload.dict())
    return _detail(request, draw_id)


@router.post(
    "/tasks/{id:task_id}/teams",
    response={201: list[DrawDetailOut], **WRITE_ERRORS},
    auth=guard(DRAW, task_id="task_drawer"),
)
def teams_commit(request: HttpRequest, task_id: PathId) -> Any:
    """Commit an inspector draw for each subject of the task that has none (a leader of the
    plan's bureau; the plan approved or published; a random task once its subjects are drawn):
    the officers who may check each subject are fixed and the commitments published."""
    draws = services.teams_commit(actor=viewer(request), task_id=task_id)
    return Status(201, [_draw(d) | {"picks": []} for d in draws])


@router.post(
    "/tasks/{id:task_id}/teams/seed",
    response={200: list[DrawDetailOut], **WRITE_ERRORS},
    auth=guard(DRAW, task_id="task_drawer"),
)
def teams_seed(request: HttpRequest, task_id: PathId, payload: SeedIn) -> Any:
    """Enter one public seed for every inspector draw of the task awaiting it, and make them
    (a leader of the plan's bureau). Answers the draws made, each with its team in order."""
    draws = services.teams_seed(actor=viewer(request), task_id=task_id, **payload.dict())
    return [_draw(d) | {"picks": _picks(d)} for d in draws]

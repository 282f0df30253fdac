"""The inspector pool over the API: who may inspect under a regime on a day, an officer's
qualifications, absences and conflicts, and the writes that keep them.

Each operation names its rule and the ids it takes (``guard``): both are checked before its input
is validated. An officer declares their own conflicts; every other write is a leader's, for
officers of their scope and never for themselves.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status

from oversight.api.auth import guard, viewer
from oversight.api.declared import declared_schema
from oversight.api.problems import READ_ERRORS, WRITE_ERRORS
from oversight.api.schemas import PathId
from oversight.core.text import MAX_ID
from oversight.pool import policy, selectors, services
from oversight.pool.fields import CONFLICT, QUALIFICATION, UNAVAILABILITY
from oversight.pool.models import ConflictKind, UnavailabilityKind
from oversight.pool.presentation import state

router = Router(tags=["pool"])

Reason = Literal[
    "inactive",
    "no_qualification",
    "qualification_expired",
    "no_regime_qualification",
    "unavailable",
    "recused",
]
State = Literal["holds", "pending", "ended", "over"]
RegimeCode = Path(..., max_length=40, description="A regime's code in the catalog in force.")


class PoolOfficerOut(Schema):
    id: int
    name: str
    badge_number: str
    agency_id: int
    department_id: int | None


class HeldBackOut(Schema):
    officer: PoolOfficerOut
    reasons: list[Reason]


class PoolOut(Schema):
    regime: str
    regime_title: str
    on: date
    officers: list[PoolOfficerOut] = Field(description="Who may inspect on that day.")
    held_back: list[HeldBackOut] = Field(
        description="Officers qualified for the regime who may not, and why."
    )
    never_qualified: int = Field(description="Active officers never qualified for the regime.")


class PoolQuery(Schema):
    on: date | None = Field(None, description="The day (default: today).")
    subject_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Leave out the officers recused from this subject."
    )


class RecordOut(Schema):
    id: int
    officer_id: int
    starts_on: date | None
    ends_on: date | None
    ended_on: date | None = Field(description="Revoked or ended: no longer from this day.")
    state: State


class QualificationOut(RecordOut):
    regime: str
    regime_title: str
    note: str
    granted_at: datetime


class UnavailabilityOut(RecordOut):
    kind: UnavailabilityKind
    reason: str
    recorded_at: datetime


class ConflictOut(RecordOut):
    subject_id: int
    kind: ConflictKind
    note: str
    declared_at: datetime


class OfficerPoolOut(Schema):
    officer_id: int
    qualifications: list[QualificationOut]
    unavailability: list[UnavailabilityOut]
    conflicts: list[ConflictOut]


_QualificationIn: Any = declared_schema("QualificationIn", QUALIFICATION)
_UnavailabilityIn: Any = declared_schema("UnavailabilityIn", UNAVAILABILITY)
_ConflictIn: Any = declared_schema("ConflictIn", CONFLICT)


class QualificationIn(_QualificationIn):
    """A regime of the catalog and the days the officer may inspect under it."""


class UnavailabilityIn(_UnavailabilityIn):
    """Days the officer is away: leave, secondment, training, other."""


class ConflictIn(_ConflictIn):
    """A subject of the actor's scope the officer must recuse from, and why."""


def _record(record: Any, **extra: Any) -> dict[str, Any]:
    return {
        "id": record.pk,
        "officer_id": record.officer_id,
        "starts_on": record.starts_on,
        "ends_on": record.ends_on,
        "ended_on": record.ended_on,
        "state": state(record, selectors.today())[0],
        **extra,
    }


def _qualification(q: Any, titles: dict[str, str] | None = None) -> dict[str, Any]:
    titles = selectors.regime_titles() if titles is None else titles
    return _record(
        q,
        regime=q.regime,
        regime_title=titles.get(q.regime, ""),
        note=q.note,
        granted_at=q.granted_at,
    )


def _unavailability(u: Any) -> dict[str, Any]:
    return _record(u, kind=u.kind, reason=u.reason, recorded_at=u.recorded_at)


def _conflict(c: Any) -> dict[str, Any]:
    return _record(c, subject_id=c.subject_id, kind=c.kind, note=c.note, declared_at=c.declared_at)


@router.get(
    "/pool/regimes/{code}",
    response={200: PoolOut, **READ_ERRORS},
    auth=guard(policy.may_read_pool, subject_id="subject"),
)
def pool_get(request: HttpRequest, query: Query[PoolQuery], code: str = RegimeCode) -> Any:
    """Who of the token's scope may inspect under a regime on a day, and why the others
    qualified for it may not; with ``subject_id``, minus those recused from that subject."""
    regime = selectors.regime_get(code)
    on = query.on or selectors.today()
    table = selectors.pool_table(
        viewer=viewer(request), regime=regime, on=on, subject_id=query.subject_id
    )
    return {
        "regime": regime.code,
        "regime_title": regime.title,
        "on": on,
        "officers": table.in_pool,
        "held_back": [{"officer": o, "reasons": r} for o, r in table.held_back],
        "never_qualified": table.never_qualified,
    }


@router.get(
    "/pool/officers/{id:officer_id}",
    response={200: OfficerPoolOut, **READ_ERRORS},
    auth=guard(policy.may_read_pool, officer_id="officer"),
)
def officer_pool(request: HttpRequest, officer_id: PathId) -> Any:
    """An officer's regime qualifications, absences and conflicts: for the leaders of their
    scope and for the officer themself (403 for anyone else)."""
    records = selectors.officer_records(viewer=viewer(request), officer_id=officer_id)
    titles = selectors.regime_titles()
    return {
        "officer_id": records.officer.pk,
        "qualifications": [_qualification(q, titles) for q in records.qualifications],
        "unavailability": [_unavailability(u) for u in records.unavailability],
        "conflicts": [_conflict(c) for c in records.conflicts],
    }


@router.post(
    "/pool/officers/{id:officer_id}/qualifications",
    response={201: QualificationOut, **WRITE_ERRORS},
    auth=guard(policy.may_manage_pool, officer_id="officer"),
)
def qualification_grant(request: HttpRequest, officer_id: PathId, payload: QualificationIn) -> Any:
    """Qualify an officer of the scope for a regime (leaders; never oneself)."""
    q = services.qualification_grant(actor=viewer(request), officer_id=officer_id, **payload.dict())
    return Status(201, _qualification(q))


@router.post(
    "/pool/qualifications/{id:qualification_id}/revoke",
    response={200: QualificationOut, **WRITE_ERRORS},
    auth=guard(policy.may_manage_pool, qualification_id="qualification"),
)
def qualification_revoke(request: HttpRequest, qualification_id: PathId) -> Any:
    """Revoke a regime qualification from today on; it stays on record."""
    q = services.qualification_revoke(actor=viewer(request), qualification_id=qualification_id)
    return _qualification(q)


@router.post(
    "/pool/officers/{id:officer_id}/unavailability",
    response={201: UnavailabilityOut, **WRITE_ERRORS},
    auth=guard(policy.may_manage_pool, officer_id="officer"),
)
def unavailability_record(
    request: HttpRequest, officer_id: PathId, payload: UnavailabilityIn
) -> Any:
    """Record the days an officer of the scope is away (leaders; never oneself)."""
    away = services.unavailability_record(
        actor=viewer(request), officer_id=officer_id, **payload.dict()
    )
    return Status(201, _unavailability(away))


@router.post(
    "/pool/unavailability/{id:unavailability_id}/end",
    response={200: UnavailabilityOut, **WRITE_ERRORS},
    auth=guard(policy.may_manage_pool, unavailability_id="unavailability"),
)
def unavailability_end(request: HttpRequest, unavailability_id: PathId) -> Any:
    """End an absence: the officer can be drawn again from today."""
    away = services.unavailability_end(actor=viewer(request), unavailability_id=unavailability_id)
    return _unavailability(away)


@router.post(
    "/pool/officers/{id:officer_id}/conflicts",
    response={201: ConflictOut, **WRITE_ERRORS},
    auth=guard(policy.may_declare_conflict, officer_id="declarant", subject_id="subject"),
)
def conflict_declare(request: HttpRequest, officer_id: PathId, payload: ConflictIn) -> Any:
    """Declare a conflict with a subject of the scope: one's own (every officer), or an officer's
    of the scope (leaders). While it holds, the officer is never drawn for that subject."""
    conflict = services.conflict_declare(
        actor=viewer(request), officer_id=officer_id, **payload.dict()
    )
    return Status(201, _conflict(conflict))


@router.post(
    "/pool/conflicts/{id:conflict_id}/end",
    response={200: ConflictOut, **WRITE_ERRORS},
    auth=guard(policy.may_manage_pool, conflict_id="conflict"),
)
def conflict_end(request: HttpRequest, conflict_id: PathId) -> Any:
    """End a conflict from today on (leaders; never their own)."""
    return _conflict(services.conflict_end(actor=viewer(request), conflict_id=conflict_id))

"""Plans of checks and their tasks over the API: list, read, draft, change, and the steps of the
workflow (submit, approve, return, publish).

Each operation names its rule and the ids it takes (``guard``), the lists of ids too (a task's
jurisdictions and subjects): all are checked before its input is validated, so another county's
plan, task, jurisdiction or subject answers 404 whatever else the request holds.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator, WithJsonSchema, create_model
from pydantic_core import PydanticCustomError

from oversight.api.auth import BearerToken, _body_values, viewer
from oversight.api.declared import declared_schema
from oversight.api.problems import READ_ERRORS, WRITE_ERRORS
from oversight.api.schemas import PageOut, PathId
from oversight.core.errors import DomainError
from oversight.core.pagination import paginate
from oversight.core.text import MAX_ID
from oversight.planning import refs as plan_refs
from oversight.planning import selectors, services, workflow
from oversight.planning.fields import (
    PLAN,
    PLAN_EDIT,
    PLAN_FILTERS,
    RETURN,
    TASK,
    TASK_SCOPE,
    Many,
    clean_many,
)
from oversight.planning.models import Plan, PlanStatus, Task, TaskMode

router = Router(tags=["plans"])


class Guard(BearerToken):
    """``guard``, and the ids in lists of the JSON body (``lists``: field -> what they name)."""

    def __init__(self, rule: Any, refs: dict[str, str], lists: dict[str, str]) -> None:
        super().__init__(rule, refs)
        self.lists = lists

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = super().authenticate(request, token)
        if user is not None and self.lists:
            body = _body_values(request)
            plan_refs.check_many(viewer(request), self.lists, body.get)
        return user


def guard(rule: Any, lists: dict[str, str] | None = None, **refs: str) -> Guard:
    return Guard(rule, refs, lists or {})


READ = guard(workflow.may_read_plans)
DRAFT = workflow.may_draft_plans
DECIDE = workflow.may_decide_plans
LISTS = TASK_SCOPE.refs()


# --- shapes ---------------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    agency_id: int
    agency_name: str
    year: int
    title: str
    notes: str
    status: PlanStatus
    catalog_version_id: int
    task_count: int
    created_by_id: int | None
    created_at: datetime
    submitted_by_id: int | None
    submitted_at: datetime | None
    approved_by_id: int | None
    approved_at: datetime | None
    returned_by_id: int | None
    returned_at: datetime | None
    return_reason: str
    published_by_id: int | None
    published_at: datetime | None
    steps: list[str] = Field(description="The steps the token's user may take on it now.")


class TaskOut(Schema):
    id: int
    plan_id: int
    regime: str
    regime_title: str
    mode: TaskMode
    announced: bool = Field(description="true: announced (明查); false: unannounced (暗访).")
    method: str
    starts_on: date
    ends_on: date
    note: str
    jurisdiction_ids: list[int]
    subject_kinds: list[str]
    risk_grades: list[str]
    subject_ids: list[int]
    target_count: int | None
    per_jurisdiction: int | None = Field(
        description="A stratified draw: how many in each jurisdiction (target_count is the total)."
    )
    inspectors_per_target: int
    include_checked: bool
    catalog_version_id: int


def _item_schema(many: Many) -> dict[str, Any]:
    spec = many.item
    if spec.kind == "ref":
        return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    if spec.kind == "choice":
        return {"type": "string", "enum": spec.choice_values()}
    return {"type": "string", "maxLength": spec.max_length, "pattern": spec.pattern}


def _many(many: Many) -> Any:
    """A list member of a request: each value checked by ``clean_many``, as the page does."""
    wanted = int if many.item.kind == "ref" else str

    def check(value: Any) -> Any:
        if value is None:
            return []
        if not isinstance(value, list) or any(
            isinstance(v, bool) or not isinstance(v, wanted) for v in value
        ):
            raise PydanticCustomError("invalid", _("Send a list of the values this field takes."))
        try:
            return clean_many(many, value)
        except DomainError as exc:
            raise PydanticCustomError("invalid", str(exc.message)) from None

    schema = {
        "anyOf": [
            {"type": "array", "items": _item_schema(many), "maxItems": many.max_items},
            {"type": "null"},
        ],
        "title": str(many.label),
        "description": str(many.help_text),
        "default": [],
    }
    return Annotated[list[Any] | None, BeforeValidator(check), WithJsonSchema(schema)]


_PlanIn: Any = declared_schema("PlanIn", PLAN)
_PlanUpdate: Any = declared_schema("PlanUpdate", PLAN_EDIT)
_ReturnIn: Any = declared_schema("ReturnIn", RETURN)
_TaskFields: Any = declared_schema("TaskFields", TASK)
_PlanQuery: Any = declared_schema("PlanQueryFields", PLAN_FILTERS.only("status"))

_TaskIn: Any = create_model(  # type: ignore[call-overload]
    "TaskInFields",
    __base__=_TaskFields,
    **{name: (_many(TASK_SCOPE[name]), None) for name in TASK_SCOPE},
)


class PlanIn(_PlanIn):
    """A new plan of a bureau of the token's scope (left out: the user's own bureau)."""


class PlanUpdate(_PlanUpdate):
    """A draft or returned plan's title and notes."""


class ReturnIn(_ReturnIn):
    """Why a submitted plan goes back to its drafters."""


class TaskIn(_TaskIn):
    """A task: every value, for a new one and for a change alike. A random spot check
    (``RANDOM``) gives ``target_count`` — or ``per_jurisdiction``, a number drawn in each of two or
    more ``jurisdiction_ids`` — and no subjects; any other names its ``subject_ids``."""


class PlanQuery(_PlanQuery):
    """Filters of the plan list, and the page."""

    year: int | None = Field(None, ge=2000, le=2100, description="Only this year's plans.")
    page: int = Field(1, ge=1, le=MAX_ID, description="Page number, from 1.")


# --- answers --------------------------------------------------------------------------------------


def _plan(request: HttpRequest, plan: Plan, task_count: int | None = None) -> dict[str, Any]:
    actor = selectors.actor_on(viewer(request), plan)
    count = getattr(plan, "task_count", None) if task_count is None else task_count
    return {
        "id": plan.pk,
        "agency_id": plan.agency_id,
        "agency_name": plan.agency.name,
        "year": plan.year,
        "title": plan.title,
        "notes": plan.notes,
        "status": plan.status,
        "catalog_version_id": plan.catalog_version_id,
        "task_count": count if count is not None else plan.tasks.count(),
        "created_by_id": plan.created_by_id,
        "created_at": plan.created_at,
        "submitted_by_id": plan.submitted_by_id,
        "submitted_at": plan.submitted_at,
        "approved_by_id": plan.approved_by_id,
        "approved_at": plan.approved_at,
        "returned_by_id": plan.returned_by_id,
        "returned_at": plan.returned_at,
        "return_reason": plan.return_reason,
        "published_by_id": plan.published_by_id,
        "published_at": plan.published_at,
        "steps": workflow.steps_open(plan.status, actor),
    }


def _task(task: Task, titles: dict[str, str] | None = None) -> dict[str, Any]:
    titles = selectors.regime_titles() if titles is None else titles
    return {
        "id": task.pk,
        "plan_id": task.plan_id,
        "regime": task.regime,
        "regime_title": titles.get(task.regime, ""),
        "mode": task.mode,
        "announced": task.announced,
        "method": task.method,
        "starts_on": task.starts_on,
        "ends_on": task.ends_on,
        "note": task.note,
        "jurisdiction_ids": sorted(a.pk for a in task.jurisdictions.all()),
        "subject_kinds": task.subject_kinds,
        "risk_grades": task.risk_grades,
        "subject_ids": sorted(s.pk for s in task.subjects.all()),
        "target_count": task.target_count,
        "per_jurisdiction": task.per_jurisdiction,
        "inspectors_per_target": task.inspectors_per_target,
        "include_checked": task.include_checked,
        "catalog_version_id": task.catalog_version_id,
    }


def _fresh(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    return _plan(request, selectors.plan_get(viewer=viewer(request), plan_id=plan.pk))


# --- plans ----------------------------------------------------------------------------------------


@router.get("/plans", response={200: PageOut[PlanOut], **READ_ERRORS}, auth=READ)
def plan_list(request: HttpRequest, query: Query[PlanQuery]) -> dict[str, Any]:
    """The plans of the token's scope, newest year first; filter by year and status."""
    filters = selectors.PlanFilters(year=query.year, status=query.status or "")
    page = paginate(selectors.plan_list(viewer=viewer(request), filters=filters), query.page)
    return {
        "items": [_plan(request, p) for p in page.object_list],
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
    }


@router.post(
    "/plans", response={201: PlanOut, **WRITE_ERRORS}, auth=guard(DRAFT, agency_id="agency")
)
def plan_create(request: HttpRequest, payload: PlanIn) -> Any:
    """Draft a plan (inspectors and leaders)."""
    plan = services.plan_create(actor=viewer(request), **payload.dict())
    return Status(201, _plan(request, plan, task_count=0))


@router.get(
    "/plans/{id:plan_id}",
    response={200: PlanOut, **READ_ERRORS},
    auth=guard(workflow.may_read_plans, plan_id="plan"),
)
def plan_get(request: HttpRequest, plan_id: PathId) -> Any:
    return _plan(request, selectors.plan_get(viewer=viewer(request), plan_id=plan_id))


@router.put(
    "/plans/{id:plan_id}",
    response={200: PlanOut, **WRITE_ERRORS},
    auth=guard(DRAFT, plan_id="plan"),
)
def plan_update(request: HttpRequest, plan_id: PathId, payload: PlanUpdate) -> Any:
    """Change a draft or returned plan's title and notes."""
    plan = services.plan_update(actor=viewer(request), plan_id=plan_id, **payload.dict())
    return _fresh(request, plan)


@router.post(
    "/plans/{id:plan_id}/submit",
    response={200: PlanOut, **WRITE_ERRORS},
    auth=guard(DRAFT, plan_id="plan"),
)
def plan_submit(request: HttpRequest, plan_id: PathId) -> Any:
    """Submit a draft or returned plan for approval (it must have tasks)."""
    return _fresh(request, services.plan_submit(actor=viewer(request), plan_id=plan_id))


@router.post(
    "/plans/{id:plan_id}/approve",
    response={200: PlanOut, **WRITE_ERRORS},
    auth=guard(DECIDE, plan_id="plan_decider"),
)
def plan_approve(request: HttpRequest, plan_id: PathId) -> Any:
    """Approve a submitted plan: a leader of its bureau who did not submit it."""
    return _fresh(request, services.plan_approve(actor=viewer(request), plan_id=plan_id))


@router.post(
    "/plans/{id:plan_id}/return",
    response={200: PlanOut, **WRITE_ERRORS},
    auth=guard(DECIDE, plan_id="plan_decider"),
)
def plan_return(request: HttpRequest, plan_id: PathId, payload: ReturnIn) -> Any:
    """Return a submitted plan to its drafters, with the reason: a leader of its bureau who did
    not submit it."""
    plan = services.plan_return(actor=viewer(request), plan_id=plan_id, **payload.dict())
    return _fresh(request, plan)


@router.post(
    "/plans/{id:plan_id}/publish",
    response={200: PlanOut, **WRITE_ERRORS},
    auth=guard(DECIDE, plan_id="plan"),
)
def plan_publish(request: HttpRequest, plan_id: PathId) -> Any:
    """Publish an approved plan (leaders)."""
    return _fresh(request, services.plan_publish(actor=viewer(request), plan_id=plan_id))


# --- tasks ----------------------------------------------------------------------------------------


@router.get(
    "/plans/{id:plan_id}/tasks",
    response={200: list[TaskOut], **READ_ERRORS},
    auth=guard(workflow.may_read_plans, plan_id="plan"),
)
def task_list(request: HttpRequest, plan_id: PathId) -> list[dict[str, Any]]:
    """The tasks of a plan, by window."""
    titles = selectors.regime_titles()
    return [_task(t, titles) for t in selectors.task_list(viewer=viewer(request), plan_id=plan_id)]


@router.post(
    "/plans/{id:plan_id}/tasks",
    response={201: TaskOut, **WRITE_ERRORS},
    auth=guard(DRAFT, lists=LISTS, plan_id="plan"),
)
def task_add(request: HttpRequest, plan_id: PathId, payload: TaskIn) -> Any:
    """Add a task to a draft or returned plan."""
    task = services.task_add(actor=viewer(request), plan_id=plan_id, **payload.dict())
    return Status(201, _task(selectors.task_get(viewer=viewer(request), task_id=task.pk)))


@router.get(
    "/tasks/{id:task_id}",
    response={200: TaskOut, **READ_ERRORS},
    auth=guard(workflow.may_read_plans, task_id="task"),
)
def task_get(request: HttpRequest, task_id: PathId) -> Any:
    return _task(selectors.task_get(viewer=viewer(request), task_id=task_id))


@router.put(
    "/tasks/{id:task_id}",
    response={200: TaskOut, **WRITE_ERRORS},
    auth=guard(DRAFT, lists=LISTS, task_id="task"),
)
def task_update(request: HttpRequest, task_id: PathId, payload: TaskIn) -> Any:
    """Change a task of a draft or returned plan: every value is given again."""
    task = services.task_update(actor=viewer(request), task_id=task_id, **payload.dict())
    return _task(task)


@router.delete(
    "/tasks/{id:task_id}",
    response={204: None, **WRITE_ERRORS},
    auth=guard(DRAFT, task_id="task"),
)
def task_remove(request: HttpRequest, task_id: PathId) -> Any:
    """Remove a task from a draft or returned plan."""
    services.task_remove(actor=viewer(request), task_id=task_id)
    return Status(204, None)

"""Agencies, officers and departments, scoped to the token's user.

Each operation names its permission rule and the ids it takes (``guard``): both are checked
before its input is validated. Errors are documented per operation (``READ_ERRORS``,
``WRITE_ERRORS``) as problem+json.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from oversight.api.auth import guard, viewer
from oversight.api.problems import READ_ERRORS, WRITE_ERRORS
from oversight.api.schemas import (
    AgencyIn,
    AgencyOut,
    AgencyQuery,
    AgencyUpdate,
    DepartmentOut,
    MeOut,
    OfficerIn,
    OfficerOut,
    OfficerQuery,
    OfficerTransfer,
    OfficerUpdate,
    PageOut,
    PathId,
)
from oversight.core import clock
from oversight.core.pagination import paginate
from oversight.org import policy, selectors, services
from oversight.org.models import Officer

router = Router()

BUSINESS = guard(policy.sees_business_data)


def _page(qs: Any, number: int, convert: Any) -> dict[str, Any]:
    page = paginate(qs, number)
    return {
        "items": [convert(o) for o in page.object_list],
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
    }


def _officer_out(officer: Officer) -> dict[str, Any]:
    today = clock.now().date()
    return {
        "id": officer.pk,
        "username": officer.user.username,
        "name": officer.name,
        "badge_number": officer.badge_number,
        "warrant_number": officer.warrant_number,
        "agency_id": officer.agency_id,
        "department_id": officer.department_id,
        "title": officer.title,
        "qualification": officer.qualification,
        "qualification_expires_on": officer.qualification_expires_on,
        "qualification_valid": policy.qualification_valid(
            officer.qualification, officer.qualification_expires_on, today
        ),
        "active": officer.active,
    }


@router.get("/me", response={200: MeOut, **READ_ERRORS}, tags=["me"], auth=guard())
def me(request: HttpRequest) -> dict[str, Any]:
    v = viewer(request)
    user = request.auth  # type: ignore[attr-defined]
    officer = selectors.officer_self(viewer=v)
    return {
        "username": user.username,
        "display_name": user.display_name,
        "roles": sorted(v.roles),
        "officer": _officer_out(officer) if officer else None,
        "scope_path": v.scope_path if v.sees_business_data else None,
    }


@router.get(
    "/agencies",
    response={200: PageOut[AgencyOut], **READ_ERRORS},
    tags=["organisation"],
    auth=BUSINESS,
)
def agency_list(request: HttpRequest, query: Query[AgencyQuery]) -> dict[str, Any]:
    filters = selectors.AgencyFilters(q=query.q, kind=query.kind, active=query.active)
    return _page(
        selectors.agency_list(viewer=viewer(request), filters=filters), query.page, lambda a: a
    )


@router.get(
    "/agencies/{id:agency_id}",
    response={200: AgencyOut, **READ_ERRORS},
    tags=["organisation"],
    auth=guard(policy.sees_business_data, agency_id="agency"),
)
def agency_get(request: HttpRequest, agency_id: PathId) -> Any:
    return selectors.agency_get(viewer=viewer(request), agency_id=agency_id)


@router.post(
    "/agencies",
    response={201: AgencyOut, **WRITE_ERRORS},
    tags=["organisation"],
    auth=guard(policy.may_manage_org, parent_id="agency", department_id="department"),
)
def agency_create(request: HttpRequest, payload: AgencyIn) -> Any:
    return Status(201, services.agency_create(actor=viewer(request), **payload.dict()))


@router.put(
    "/agencies/{id:agency_id}",
    response={200: AgencyOut, **WRITE_ERRORS},
    tags=["organisation"],
    auth=guard(policy.may_manage_org, agency_id="agency", department_id="department"),
)
def agency_update(request: HttpRequest, agency_id: PathId, payload: AgencyUpdate) -> Any:
    return services.agency_update(actor=viewer(request), agency_id=agency_id, **payload.dict())


@router.post(
    "/agencies/{id:agency_id}/deactivate",
    response={200: AgencyOut, **WRITE_ERRORS},
    tags=["organisation"],
    auth=guard(policy.may_manage_org, agency_id="agency"),
)
def agency_deactivate(request: HttpRequest, agency_id: PathId) -> Any:
    return services.agency_set_active(actor=viewer(request), agency_id=agency_id, active=False)


@router.get(
    "/officers",
    response={200: PageOut[OfficerOut], **READ_ERRORS},
    tags=["organisation"],
    auth=guard(policy.sees_business_data, agency_id="agency"),
)
def officer_list(request: HttpRequest, query: Query[OfficerQuery]) -> dict[str, Any]:
    filters = selectors.OfficerFilters(q=query.q, agency_id=query.agency_id, active=query.active)
    return _page(
        selectors.officer_list(viewer=viewer(request), filters=filters), query.page, _officer_out
    )


@router.get(
    "/officers/{id:officer_id}",
    response={200: OfficerOut, **READ_ERRORS},
    tags=["organisation"],
    auth=guard(policy.sees_business_data, officer_id="officer"),
)
def officer_get(request: HttpRequest, officer_id: PathId) -> Any:
    return _officer_out(selectors.officer_get(viewer=viewer(request), officer_id=officer_id))


@router.post(
    "/officers",
    response={201: OfficerOut, **WRITE_ERRORS},
    tags=["organisation"],
    auth=guard(policy.may_manage_org, agency_id="agency", department_id="department"),
)
def officer_create(request: HttpRequest, payload: OfficerIn) -> Any:
    officer = services.officer_create(actor=viewer(request), **payload.dict())
    return Status(201, _officer_out(officer))


@router.put(
    "/officers/{id:officer_id}",
    response={200: OfficerOut, **WRITE_ERRORS},
    tags=["organisation"],
    auth=guard(
        policy.may_manage_org, officer_id="officer", agency_id="agency", department_id="department"
    ),
)
def officer_update(request: HttpRequest, officer_id: PathId, payload: OfficerUpdate) -> Any:
    return _officer_out(
        services.officer_update(actor=viewer(request), officer_id=officer_id, **payload.dict())
    )


@router.post(
    "/officers/{id:officer_id}/transfer",
    response={200: OfficerOut, **WRITE_ERRORS},
    tags=["organisation"],
    auth=guard(policy.may_manage_org, officer_id="officer", agency_id="agency"),
)
def officer_transfer(request: HttpRequest, officer_id: PathId, payload: OfficerTransfer) -> Any:
    """Move an officer to an agency of another bureau (调动): their scope changes with it."""
    return _officer_out(
        services.officer_transfer(actor=viewer(request), officer_id=officer_id, **payload.dict())
    )


@router.post(
    "/officers/{id:officer_id}/deactivate",
    response={200: OfficerOut, **WRITE_ERRORS},
    tags=["organisation"],
    auth=guard(policy.may_manage_org, officer_id="officer"),
)
def officer_deactivate(request: HttpRequest, officer_id: PathId) -> Any:
    return _officer_out(
        services.officer_set_active(actor=viewer(request), officer_id=officer_id, active=False)
    )


@router.get(
    "/departments",
    response={200: list[DepartmentOut], **READ_ERRORS},
    tags=["organisation"],
    auth=BUSINESS,
)
def department_list(request: HttpRequest) -> Any:
    return list(selectors.department_list(viewer=viewer(request)))

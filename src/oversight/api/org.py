"""Agencies, officers and departments, scoped to the token's user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from oversight.api.auth import viewer
from oversight.api.schemas import (
    AgencyIn,
    AgencyOut,
    AgencyUpdate,
    DepartmentOut,
    MeOut,
    OfficerIn,
    OfficerOut,
    OfficerUpdate,
    PageOut,
)
from oversight.core.errors import PermissionDenied
from oversight.core.pagination import paginate
from oversight.org import selectors, services
from oversight.org.models import Officer

router = Router()


class ListQuery(Schema):
    q: str = ""
    page: int = 1
    active: bool | None = True


class AgencyQuery(ListQuery):
    kind: str = ""
    level: str = ""


class OfficerQuery(ListQuery):
    agency_id: int | None = None
    department_id: int | None = None


def _require_business(request: HttpRequest) -> None:
    if not viewer(request).sees_business_data:
        raise PermissionDenied()


def _page(qs: Any, number: int, convert: Any) -> dict[str, Any]:
    page = paginate(qs, number)
    return {
        "items": [convert(o) for o in page.object_list],
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
    }


def _officer_out(officer: Officer) -> dict[str, Any]:
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
        "active": officer.active,
    }


@router.get("/me", response=MeOut, tags=["me"])
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


@router.get("/agencies", response=PageOut[AgencyOut], tags=["organisation"])
def agency_list(request: HttpRequest, query: Query[AgencyQuery]) -> dict[str, Any]:
    _require_business(request)
    filters = selectors.AgencyFilters(
        q=query.q, kind=query.kind, level=query.level, active=query.active
    )
    return _page(
        selectors.agency_list(viewer=viewer(request), filters=filters), query.page, lambda a: a
    )


@router.get("/agencies/{agency_id}", response=AgencyOut, tags=["organisation"])
def agency_get(request: HttpRequest, agency_id: int) -> Any:
    return selectors.agency_get(viewer=viewer(request), agency_id=agency_id)


@router.post("/agencies", response={201: AgencyOut}, tags=["organisation"])
def agency_create(request: HttpRequest, payload: AgencyIn) -> Any:
    return Status(201, services.agency_create(actor=viewer(request), **payload.dict()))


@router.put("/agencies/{agency_id}", response=AgencyOut, tags=["organisation"])
def agency_update(request: HttpRequest, agency_id: int, payload: AgencyUpdate) -> Any:
    return services.agency_update(actor=viewer(request), agency_id=agency_id, **payload.dict())


@router.post("/agencies/{agency_id}/deactivate", response=AgencyOut, tags=["organisation"])
def agency_deactivate(request: HttpRequest, agency_id: int) -> Any:
    return services.agency_set_active(actor=viewer(request), agency_id=agency_id, active=False)


@router.get("/officers", response=PageOut[OfficerOut], tags=["organisation"])
def officer_list(request: HttpRequest, query: Query[OfficerQuery]) -> dict[str, Any]:
    _require_business(request)
    filters = selectors.OfficerFilters(
        q=query.q, agency_id=query.agency_id, department_id=query.department_id, active=query.active
    )
    return _page(
        selectors.officer_list(viewer=viewer(request), filters=filters), query.page, _officer_out
    )


@router.get("/officers/{officer_id}", response=OfficerOut, tags=["organisation"])
def officer_get(request: HttpRequest, officer_id: int) -> Any:
    return _officer_out(selectors.officer_get(viewer=viewer(request), officer_id=officer_id))


@router.post("/officers", response={201: OfficerOut}, tags=["organisation"])
def officer_create(request: HttpRequest, payload: OfficerIn) -> Any:
    officer = services.officer_create(actor=viewer(request), **payload.dict())
    return Status(201, _officer_out(officer))


@router.put("/officers/{officer_id}", response=OfficerOut, tags=["organisation"])
def officer_update(request: HttpRequest, officer_id: int, payload: OfficerUpdate) -> Any:
    return _officer_out(
        services.officer_update(actor=viewer(request), officer_id=officer_id, **payload.dict())
    )


@router.post("/officers/{officer_id}/deactivate", response=OfficerOut, tags=["organisation"])
def officer_deactivate(request: HttpRequest, officer_id: int) -> Any:
    return _officer_out(
        services.officer_set_active(actor=viewer(request), officer_id=officer_id, active=False)
    )


@router.get("/departments", response=list[DepartmentOut], tags=["organisation"])
def department_list(request: HttpRequest) -> Any:
    _require_business(request)
    return list(selectors.department_list(viewer=viewer(request)))

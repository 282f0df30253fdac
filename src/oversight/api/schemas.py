"""Shapes of the API's answers; request shapes come from the declared fields (``declared.py``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from ninja import Path, Schema
from pydantic import Field

from oversight.api.declared import declared_schema
from oversight.core.text import MAX_ID
from oversight.org import fields
from oversight.org.models import AgencyKind, AgencyLevel, Qualification

T = TypeVar("T")

# A row id in a path: what a 64-bit key holds (the route itself refuses anything else: 404).
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


class PageOut(Schema, Generic[T]):
    items: list[T]
    count: int
    page: int
    pages: int


class DepartmentOut(Schema):
    id: int
    code: str
    name: str
    active: bool


class AgencyOut(Schema):
    id: int
    code: str
    name: str
    kind: AgencyKind
    level: AgencyLevel
    division_code: str
    parent_id: int | None
    department_id: int | None
    path: str
    active: bool


class OfficerOut(Schema):
    id: int
    username: str
    name: str
    badge_number: str
    warrant_number: str
    agency_id: int
    department_id: int | None
    title: str
    qualification: Qualification
    qualification_expires_on: date | None
    qualification_valid: bool
    active: bool


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]
    officer: OfficerOut | None
    scope_path: str | None


# Requests: the declared fields, so that the API refuses what a page refuses, in the same words.
# (Each is a class over the built schema so that type checkers and OpenAPI see a named shape.)
_NO_QUALIFICATION = {"qualification": "NONE"}


class ListQuery(Schema):
    """Paging and the in-use filter every list takes."""

    page: int = Field(1, ge=1, le=MAX_ID, description="Page number, from 1.")
    active: bool | None = Field(
        True, description="true: in use (the default); false: deactivated; null: all."
    )


_Built = Any  # a schema built at import time from declared fields


_AgencyIn: _Built = declared_schema("AgencyIn", fields.AGENCY)
_AgencyUpdate: _Built = declared_schema(
    "AgencyUpdate",
    fields.AGENCY_EDIT + fields.AGENCY.only("kind", "level", "division_code"),
    optional=("kind", "level", "division_code"),
)
_OfficerIn: _Built = declared_schema(
    "OfficerIn", fields.OFFICER, optional=("qualification",), defaults=_NO_QUALIFICATION
)
_OfficerUpdate: _Built = declared_schema(
    "OfficerUpdate", fields.OFFICER_EDIT, optional=("qualification",), defaults=_NO_QUALIFICATION
)
_OfficerTransfer: _Built = declared_schema("OfficerTransfer", fields.OFFICER_TRANSFER)
_AgencyQuery: _Built = declared_schema(
    "AgencyQuery", fields.AGENCY_FILTERS.without("active"), base=ListQuery
)
_OfficerQuery: _Built = declared_schema(
    "OfficerQuery", fields.OFFICER_FILTERS.without("active"), base=ListQuery
)


class AgencyIn(_AgencyIn):
    """A new agency; level and division code may be left out: the tree gives them."""


class AgencyUpdate(_AgencyUpdate):
    """A changed agency. Kind and division code change only strictly below one's own bureau and
    never to or from a bureau; the level never changes (the tree gives it)."""


class OfficerIn(_OfficerIn):
    """A new officer; the account is opened by activation."""


class OfficerUpdate(_OfficerUpdate):
    """A changed officer (not oneself)."""


class OfficerTransfer(_OfficerTransfer):
    """The agency of another bureau an officer moves to."""


class AgencyQuery(_AgencyQuery):
    """Filters of the agency list."""


class OfficerQuery(_OfficerQuery):
    """Filters of the officer list."""

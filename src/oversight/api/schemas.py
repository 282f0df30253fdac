"""Shapes of the API's requests and responses."""

from __future__ import annotations

from datetime import date
from typing import Generic, TypeVar

from ninja import Schema
from pydantic import Field

T = TypeVar("T")


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
    kind: str
    level: str
    division_code: str
    parent_id: int | None
    department_id: int | None
    path: str
    active: bool


class AgencyIn(Schema):
    code: str = Field(min_length=2, max_length=32)
    name: str = Field(min_length=1, max_length=80)
    kind: str
    level: str
    division_code: str = Field(pattern=r"^[1-9]\d{5}$")
    parent_id: int
    department_id: int | None = None


class AgencyUpdate(Schema):
    name: str = Field(min_length=1, max_length=80)
    kind: str
    level: str
    division_code: str = Field(pattern=r"^[1-9]\d{5}$")
    department_id: int | None = None


class OfficerOut(Schema):
    id: int
    username: str
    name: str
    badge_number: str
    warrant_number: str
    agency_id: int
    department_id: int | None
    title: str
    qualification: str
    qualification_expires_on: date | None
    active: bool


class OfficerIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    name: str = Field(min_length=1, max_length=40)
    badge_number: str = Field(pattern=r"^\d{6}$")
    warrant_number: str = Field(pattern=r"^[0-9A-Z]{6,20}$")
    agency_id: int
    department_id: int | None = None
    title: str = Field(default="", max_length=40)
    phone: str = Field(default="", max_length=20)
    qualification: str = "NONE"
    qualification_expires_on: date | None = None


class OfficerUpdate(Schema):
    name: str = Field(min_length=1, max_length=40)
    badge_number: str = Field(pattern=r"^\d{6}$")
    warrant_number: str = Field(pattern=r"^[0-9A-Z]{6,20}$")
    agency_id: int
    department_id: int | None = None
    title: str = Field(default="", max_length=40)
    phone: str = Field(default="", max_length=20)
    qualification: str = "NONE"
    qualification_expires_on: date | None = None


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]
    officer: OfficerOut | None
    scope_path: str | None

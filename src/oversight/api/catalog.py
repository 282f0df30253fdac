"""The catalog in force: regimes, provisions (with their legal status) and versions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from oversight.api.problems import READ_ERRORS
from oversight.catalog import selectors
from oversight.catalog.export import figure_status
from oversight.core.errors import NotFound

router = Router(tags=["catalog"])


class RegimeSummary(Schema):
    code: str
    title: str
    section: str
    department: str
    group: str | None
    content_items: int
    figures: int


class ProvisionOut(Schema):
    id: str
    instrument: str
    article: str
    citation: str = Field(description="How people cite it, e.g. 《易制毒化学品管理条例》第十七条")
    text: str
    status: str
    note: str
    sourcing: str = Field(description="For legal officers: where the text comes from")
    seed_text: str


class VersionOut(Schema):
    id: int
    content_hash: str
    regime_count: int
    loaded_at: Any


@router.get("/regimes", response={200: list[RegimeSummary], **READ_ERRORS})
def regime_list(request: HttpRequest) -> list[dict[str, Any]]:
    catalog = selectors.catalog_in_force()
    return [
        {
            "code": r.code,
            "title": r.title,
            "section": r.section,
            "department": r.department,
            "group": r.group,
            "content_items": len(r.content.items),
            "figures": len(r.figures),
        }
        for r in catalog.regimes.values()
    ]


@router.get("/regimes/{code}", response={200: dict[str, Any], **READ_ERRORS})
def regime_get(request: HttpRequest, code: str) -> dict[str, Any]:
    """The whole regime as in the catalog export: each figure carries its ``status`` and the
    ``citation`` of the provision it cites."""
    catalog = selectors.catalog_in_force()
    regime = catalog.regimes.get(code)
    if regime is None:
        raise NotFound()
    data = regime.model_dump(mode="json", by_alias=True)
    for figure in data["figures"].values():
        figure["status"] = figure_status(catalog, figure["reference"])
        figure["citation"] = catalog.citations[figure["reference"]]
    return data


@router.get("/provisions/{provision_id}", response={200: ProvisionOut, **READ_ERRORS})
def provision_get(request: HttpRequest, provision_id: str) -> dict[str, Any]:
    catalog = selectors.catalog_in_force()
    provision = catalog.provisions.get(provision_id)
    if provision is None:
        raise NotFound()
    return {
        **provision.model_dump(),
        "instrument": catalog.instrument_of(provision_id).title,
        "citation": catalog.citations[provision_id],
    }


@router.get("/versions", response={200: list[VersionOut], **READ_ERRORS})
def version_list(request: HttpRequest) -> list[Any]:
    return list(selectors.version_list()[:100])

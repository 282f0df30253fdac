"""The catalog in force: regimes, provisions (with their legal status) and versions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

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
    text: str
    status: str
    note: str
    seed_text: str


class VersionOut(Schema):
    id: int
    content_hash: str
    regime_count: int
    loaded_at: Any


@router.get("/regimes", response=list[RegimeSummary])
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


@router.get("/regimes/{code}", response=dict[str, Any])
def regime_get(request: HttpRequest, code: str) -> dict[str, Any]:
    """The whole regime as in the catalog export: each figure carries its ``status``."""
    catalog = selectors.catalog_in_force()
    regime = catalog.regimes.get(code)
    if regime is None:
        raise NotFound()
    data = regime.model_dump(mode="json", by_alias=True)
    for figure in data["figures"].values():
        figure["status"] = figure_status(catalog, figure["reference"])
    return data


@router.get("/provisions/{provision_id}", response=ProvisionOut)
def provision_get(request: HttpRequest, provision_id: str) -> dict[str, Any]:
    catalog = selectors.catalog_in_force()
    provision = catalog.provisions.get(provision_id)
    if provision is None:
        raise NotFound()
    return {**provision.model_dump(), "instrument": catalog.instrument_of(provision_id).title}


@router.get("/versions", response=list[VersionOut])
def version_list(request: HttpRequest) -> list[Any]:
    return list(selectors.version_list()[:100])

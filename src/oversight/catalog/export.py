"""The catalog as published: every figure and provision carries its legal status. Pure."""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel

from oversight.catalog.loader import Catalog
from oversight.catalog.schema import CaseFile, CatalogHeader, Instrument, Regime


def figure_status(catalog: Catalog, reference: str) -> str:
    """A figure is as verified as the provision it cites."""
    return catalog.provisions[reference].status


def export_document(catalog: Catalog) -> dict[str, Any]:
    """Return the catalog for export: the stored document plus each figure's ``status``."""
    document = copy.deepcopy(catalog.document())
    for regime in document["regimes"]:
        for figure in regime["figures"].values():
            figure["status"] = figure_status(catalog, figure["reference"])
    weights = document["header"].get("draw_weights")
    if weights:
        weights["status"] = figure_status(catalog, weights["reference"])
    document["summary"] = {
        "regimes": len(catalog.regimes),
        "provisions": len(catalog.provisions),
        "unconfirmed_provisions": sorted(
            p.id for p in catalog.provisions.values() if p.status == "unconfirmed"
        ),
        "content_hash": catalog.content_hash(),
    }
    return document


class _Summary(BaseModel):
    regimes: int
    provisions: int
    unconfirmed_provisions: list[str]
    content_hash: str


class _Export(BaseModel):
    """The document printed by `oversight catalog export --format json`."""

    header: CatalogHeader
    instruments: list[Instrument]
    regimes: list[Regime]
    cases: list[CaseFile]
    summary: _Summary


def export_schema() -> dict[str, Any]:
    """Return the JSON Schema of the export (figures and the draw weights also carry
    ``status``)."""
    schema = _Export.model_json_schema(by_alias=True)
    for name in ("Figure", "DrawWeights"):
        schema["$defs"][name]["properties"]["status"] = {
            "enum": ["verified", "unconfirmed"],
            "description": "In the export only: the status of the provision the figure cites.",
        }
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Oversight catalog export"
    return schema

"""Reads of the catalog: the version in force, parsed once per content hash.

The catalog is the rules, not business data: every signed-in user may read it, so these
selectors take no viewer.
"""

from __future__ import annotations

from functools import lru_cache

from django.db.models import QuerySet

from oversight.catalog.loader import Catalog
from oversight.catalog.models import CatalogVersion
from oversight.core.errors import NotFound


def version_list() -> QuerySet[CatalogVersion]:
    return CatalogVersion.objects.defer("document").select_related("loaded_by").order_by("-id")


def version_get(*, version_id: int) -> CatalogVersion:
    version = CatalogVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise NotFound()
    return version


def version_before(version: CatalogVersion) -> CatalogVersion | None:
    """Return the version loaded just before ``version``, if any."""
    return CatalogVersion.objects.filter(pk__lt=version.pk).order_by("-pk").first()


def current_version() -> CatalogVersion | None:
    """Return the version in force: the one loaded last."""
    return CatalogVersion.objects.order_by("-id").first()


@lru_cache(maxsize=8)
def _parse(content_hash: str, version_id: int) -> Catalog:
    # Versions are immutable, so a parse keyed by their hash can be kept.
    document = CatalogVersion.objects.values_list("document", flat=True).get(pk=version_id)
    return Catalog.from_document(document)


def catalog_in_force() -> Catalog:
    """Return the catalog in force; raise NotFound if none was loaded yet."""
    version = CatalogVersion.objects.only("id", "content_hash").order_by("-id").first()
    if version is None:
        raise NotFound()
    return _parse(version.content_hash, version.pk)

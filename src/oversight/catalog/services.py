"""Load the catalog from its files into a new version (or find the identical one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from oversight import audit
from oversight.catalog.loader import CatalogError, load
from oversight.catalog.models import CatalogVersion
from oversight.catalog.policy import run_cases
from oversight.core import clock
from oversight.core.errors import DomainError


class CatalogInvalid(DomainError):
    """The catalog files do not load or their test cases fail; nothing was stored."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            _("The catalog does not load: %(first)s (%(n)d problems)")
            % {"first": problems[0], "n": len(problems)}
        )


def catalog_load(*, actor: Any, path: Path | str) -> tuple[CatalogVersion, bool]:
    """Load the catalog at ``path`` as the version in force; return it and whether it is new.

    Loading identical content again returns the existing version. Raises CatalogInvalid.
    """
    try:
        catalog = load(path)
    except CatalogError as exc:
        raise CatalogInvalid([str(p) for p in exc.problems]) from None
    failures = run_cases(catalog)
    if failures:
        raise CatalogInvalid(failures)
    content_hash = catalog.content_hash()
    with transaction.atomic():
        existing = CatalogVersion.objects.filter(content_hash=content_hash).first()
        if existing is not None:
            return existing, False
        version = CatalogVersion.objects.create(
            content_hash=content_hash,
            name=catalog.header.name,
            document=catalog.document(),
            regime_count=len(catalog.regimes),
            source=str(path)[:500],
            loaded_at=clock.now(),
            loaded_by_id=getattr(actor, "pk", None),
        )
        audit.record(
            action="catalog.load",
            actor=actor,
            target=version,
            after={"content_hash": content_hash, "regimes": sorted(catalog.regimes)},
        )
    return version, True

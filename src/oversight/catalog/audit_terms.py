"""What the catalog's audit events mean, in words: registered from ``CatalogConfig.ready()``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from oversight.audit.vocabulary import (
    Name,
    register_actions,
    register_fields,
    register_object_type,
    register_values,
)
from oversight.catalog.models import CatalogVersion
from oversight.core.text import parse_id

VERSION = "catalog.catalogversion"


def version_names(ids: Sequence[str]) -> Mapping[str, Name | str]:
    wanted = [n for n in (parse_id(i) for i in ids) if n is not None]
    rows = CatalogVersion.objects.filter(pk__in=wanted).values_list("pk", "name")
    return {
        str(pk): Name(text=name, note=gettext("version %(n)s") % {"n": pk}) for pk, name in rows
    }


def regime_count(value: Any) -> str:
    count = len(value) if isinstance(value, list) else 1
    return ngettext("%(n)d regime", "%(n)d regimes", count) % {"n": count}


def register() -> None:
    register_actions({"catalog.load": _("Load a catalog version")})
    register_object_type(VERSION, _("Catalog version"), names=version_names)
    register_fields(
        {"content_hash": _("Content hash"), "regimes": _("Regimes")}, object_type=VERSION
    )
    register_values("regimes", regime_count, object_type=VERSION)

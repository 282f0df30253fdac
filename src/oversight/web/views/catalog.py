"""The catalog in force, browsable: regimes by department, their six parts, the law they cite.

Users read words, never codes: a provision is cited as 《title》article (``Catalog.citations``), a
code is shown by its name (``catalog.wording``), and the maintainers' sourcing of a note sits in a
fold for legal officers (``sourcing``), apart from the note every reader gets.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from oversight.catalog import selectors, wording
from oversight.catalog.citation import is_local
from oversight.catalog.diff import diff_documents
from oversight.catalog.loader import Catalog
from oversight.catalog.schema import Item, Regime
from oversight.core.errors import NotFound
from oversight.core.pagination import paginate
from oversight.web.shortcuts import render


@dataclass(frozen=True)
class Part:
    """One of the six parts of a regime as the page shows it."""

    title: str
    intro: str = ""
    items: Sequence[Item] = ()
    grounds: Sequence[Item] = ()  # under the measures: the grounds for ordering a correction
    rules: list[str] = field(default_factory=list)  # under the procedure: its rules in words

    @property
    def empty(self) -> bool:
        return not (self.intro or self.items or self.grounds or self.rules)


def _in_force() -> Catalog | None:
    try:
        return selectors.catalog_in_force()
    except NotFound:
        return None


@login_required
def regime_list(request: HttpRequest) -> HttpResponse:
    catalog = _in_force()
    groups: dict[str, list[Regime]] = defaultdict(list)
    departments: dict[str, str] = {}
    if catalog is not None:
        departments = {d.code: d.name for d in catalog.header.departments}
        for regime in catalog.regimes.values():
            groups[regime.department].append(regime)
    ordered = [(code, departments[code], groups[code]) for code in departments if code in groups]
    return render(
        request,
        "catalog/regime_list.html",
        {"catalog": catalog, "groups": ordered, "version": selectors.current_version()},
    )


def _latest(regime: Regime, key: str | None) -> Any:
    """Return the latest value of one of the regime's figures (None if it has no such figure)."""
    figure = regime.figures.get(key) if key else None
    return figure.values[-1] if figure else None


def _procedure_rules(catalog: Catalog, regime: Regime) -> list[str]:
    """Say the procedure's rules in words: officers, credentials, the record, frequencies."""
    rules = regime.procedure.rules
    said = []
    minimum = _latest(regime, rules.min_inspectors)
    if minimum is not None and minimum.value is not None:
        said.append(_("At least %(n)s inspectors") % {"n": f"{minimum.value:.0f}"})
    if rules.show_credentials:
        said.append(_("Inspectors show their credentials"))
    if rules.record:
        said.append(_("A written record is made"))
        if rules.record.refusal_noted:
            said.append(_("A refusal to sign is noted on the record"))
        if rules.record.objection_allowed:
            said.append(_("Objections to the record may be stated"))
    methods = {m.code: m.name for m in catalog.header.method_kinds}
    for frequency in rules.frequencies:
        times = _latest(regime, frequency.figure)
        said.append(
            frequency.text
            or wording.frequency(methods.get(frequency.method, ""), times, frequency.per)
        )
    if rules.liaison_required:
        said.append(_("Each county names a liaison"))
    return said


def _parts(catalog: Catalog, regime: Regime) -> list[Part]:
    """The parts from 二 to 六, in the list's order; the objects (一) have their own block."""
    return [
        Part(_("2. Content"), regime.content.intro, regime.content.items),
        Part(_("3. Methods"), regime.methods.intro, regime.methods.items),
        Part(
            _("4. Measures"),
            regime.measures.intro,
            regime.measures.items,
            grounds=regime.correction_grounds,
        ),
        Part(
            _("5. Procedure"),
            regime.procedure.intro,
            regime.procedure.items,
            rules=_procedure_rules(catalog, regime),
        ),
        Part(_("6. Handling"), regime.handling.intro, regime.handling.items),
    ]


def _after_handling(regime: Regime) -> list[tuple[str, Sequence[Item]]]:
    """The lists the seed gives under the handling, each with its title, where a regime has one."""
    sections: list[tuple[str, Sequence[Item]]] = [
        (_("Types of enforcement fault"), regime.fault_types),
        (_("Forms of accountability"), regime.accountability_forms),
        (_("Violations"), regime.violations),
        (_("Steps to a determination"), regime.determination_steps),
    ]
    return [(title, items) for title, items in sections if items]


def _figures(catalog: Catalog, regime: Regime) -> list[dict[str, Any]]:
    return [
        {
            "figure": figure,
            "provision": catalog.provisions[figure.reference],
            "latest": figure.values[-1],
            "unit": wording.UNITS[figure.unit],
        }
        for figure in regime.figures.values()
    ]


def _weights(regime: Regime) -> list[tuple[str, Any]]:
    if regime.scoring is None:
        return []
    return [(c.text, _latest(regime, c.weight)) for c in regime.scoring.components]


@login_required
def regime_detail(request: HttpRequest, code: str) -> HttpResponse:
    catalog = _in_force()
    if catalog is None or code not in catalog.regimes:
        raise Http404
    regime = catalog.regimes[code]
    kinds = {k.code: k for k in catalog.header.subject_kinds}
    return render(
        request,
        "catalog/regime_detail.html",
        {
            "regime": regime,
            "department": {d.code: d.name for d in catalog.header.departments}[regime.department],
            "subject_kinds": [kinds[k] for k in regime.objects.subject_kinds],
            "parts": _parts(catalog, regime),
            "after_handling": _after_handling(regime),
            "weights": _weights(regime),
            "figures": _figures(catalog, regime),
            "cited": [catalog.provisions[p] for p in sorted(regime.cited())],
            "citations": catalog.citations,
            "kind_labels": {m.code: m.name for m in catalog.header.method_kinds}
            | wording.HANDLING_KINDS,
            "permit_words": wording.PERMIT_WORDS,
            "categories": wording.CATEGORIES,
        },
    )


@login_required
def provision_detail(request: HttpRequest, provision_id: str) -> HttpResponse:
    catalog = _in_force()
    if catalog is None or provision_id not in catalog.provisions:
        raise Http404
    return render(
        request,
        "catalog/provision_detail.html",
        {
            "provision": catalog.provisions[provision_id],
            "instrument": catalog.instrument_of(provision_id),
            "citation": catalog.citations[provision_id],
            "local": is_local(catalog.instrument_of(provision_id).id),
            "citing": [r for r in catalog.regimes.values() if provision_id in r.cited()],
        },
    )


@login_required
def version_list(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.version_list(), request.GET.get("page"))
    return render(request, "catalog/version_list.html", {"page": page})


@login_required
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    """A version and what changed from the one before it, in words."""
    try:
        version = selectors.version_get(version_id=version_id)
    except NotFound:
        raise Http404 from None
    previous = selectors.version_before(version)
    changes = []
    if previous is not None:
        reader = wording.ChangeReader(previous.document, version.document)
        changes = [
            reader.describe(change)
            for change in diff_documents(previous.document, version.document)
        ]
    return render(
        request,
        "catalog/version_detail.html",
        {"version": version, "previous": previous, "changes": changes},
    )

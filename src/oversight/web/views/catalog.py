"""The catalog in force, browsable: regimes by department, their six parts, the law they cite."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from oversight.catalog import selectors
from oversight.catalog.diff import diff_documents
from oversight.catalog.loader import Catalog
from oversight.catalog.schema import Regime
from oversight.core.errors import NotFound
from oversight.core.pagination import paginate
from oversight.web.shortcuts import render

HANDLING_KINDS = {
    "RECTIFICATION": _("Rectification"),
    "WARNING": _("Warning"),
    "FINE": _("Fine"),
    "CONFISCATION": _("Confiscation"),
    "SUSPENSION": _("Suspension"),
    "REVOCATION": _("Revocation"),
    "CORRECTION_ORDER": _("Order to correct or revoke"),
    "CIRCULAR": _("Circular"),
    "AWARD_EXCLUSION": _("Award exclusion"),
    "SANCTION_RECOMMENDATION": _("Sanction recommended"),
    "ACCOUNTABILITY": _("Accountability"),
    "REFERRAL": _("Referral"),
    "CRIMINAL_LIABILITY": _("Criminal liability"),
    "COMPENSATION": _("Compensation"),
    "WRITTEN_SELF_CRITICISM": _("Written self-criticism"),
    "CONFINEMENT": _("Confinement"),
    "GRADING": _("Grading"),
    "PROBATION": _("Probation listing"),
    "DETERMINATION": _("Determination"),
    "FEEDBACK": _("Feedback"),
    "OTHER": _("Other"),
}


UNITS = {
    "CNY": "元",
    "days": "日",
    "working_days": "个工作日",
    "hours": "小时",
    "months": "个月",
    "percent": "%",
    "points": "分",
    "count": "次",
    "officers": "人",
}


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


def _sections(regime: Regime) -> list[tuple[str, str, list[Any]]]:
    """The parts after the six, in the seed's terms: (key, title, items)."""
    return [
        ("correction_grounds", "责令纠正或者撤销的情形", regime.correction_grounds),
        ("fault_types", "执法过错情形", regime.fault_types),
        ("accountability_forms", "追究方式", regime.accountability_forms),
        ("violations", "违法行为", regime.violations),
        ("determination_steps", "处理步骤", regime.determination_steps),
    ]


@login_required
def regime_detail(request: HttpRequest, code: str) -> HttpResponse:
    catalog = _in_force()
    if catalog is None or code not in catalog.regimes:
        raise Http404
    regime = catalog.regimes[code]
    provisions = catalog.provisions
    figures = [
        (key, figure, provisions[figure.reference], figure.values[-1])
        for key, figure in regime.figures.items()
    ]
    cited = sorted(
        {regime_ref for regime_ref in regime.basis}
        | {i.reference for part in _all_items(regime) for i in part if i.reference}
        | {f.reference for f in regime.figures.values()}
    )
    kinds = {k.code: k for k in catalog.header.subject_kinds}
    kinds_labels = {m.code: m.name for m in catalog.header.method_kinds} | HANDLING_KINDS
    return render(
        request,
        "catalog/regime_detail.html",
        {
            "regime": regime,
            "figures": figures,
            "extra_sections": [s for s in _sections(regime) if s[2]],
            "cited": [provisions[p] for p in cited],
            "subject_kinds": [kinds[k] for k in regime.objects.subject_kinds],
            "kind_labels": kinds_labels,
            "units": UNITS,
            "permit_words": {
                "PURCHASE": "购买",
                "TRANSPORT": "运输",
                "PERMIT": "许可",
                "FILING": "备案",
            },
            "department": {d.code: d.name for d in catalog.header.departments}[regime.department],
            "version": selectors.current_version(),
        },
    )


def _all_items(regime: Regime) -> list[list[Any]]:
    parts: list[list[Any]] = [
        list(regime.content.items),
        list(regime.methods.items),
        list(regime.measures.items),
        list(regime.procedure.items),
        list(regime.handling.items),
    ]
    return parts + [list(items) for _, _, items in _sections(regime)]


@login_required
def provision_detail(request: HttpRequest, provision_id: str) -> HttpResponse:
    catalog = _in_force()
    if catalog is None or provision_id not in catalog.provisions:
        raise Http404
    provision = catalog.provisions[provision_id]
    citing = [
        r
        for r in catalog.regimes.values()
        if provision_id in r.basis
        or any(i.reference == provision_id for part in _all_items(r) for i in part)
        or any(f.reference == provision_id for f in r.figures.values())
    ]
    return render(
        request,
        "catalog/provision_detail.html",
        {
            "provision": provision,
            "instrument": catalog.instrument_of(provision_id),
            "citing": citing,
        },
    )


@login_required
def version_list(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.version_list(), request.GET.get("page"))
    return render(request, "catalog/version_list.html", {"page": page})


@login_required
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    """A version and what changed from the one before it."""
    try:
        version = selectors.version_get(version_id=version_id)
    except NotFound:
        raise Http404 from None
    previous = selectors.version_before(version)
    changes = diff_documents(previous.document, version.document) if previous else []
    return render(
        request,
        "catalog/version_detail.html",
        {"version": version, "previous": previous, "changes": changes},
    )

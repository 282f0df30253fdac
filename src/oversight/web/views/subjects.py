"""Pages of the subject registry (检查对象名录库): find, read, register, edit."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from oversight.catalog.selectors import catalog_in_force
from oversight.core.errors import NotFound
from oversight.core.fields import Fields
from oversight.core.refs import check_refs
from oversight.org import selectors as org_selectors
from oversight.org.models import Agency
from oversight.org.scope import Viewer
from oversight.subjects import selectors, services
from oversight.subjects.fields import FILTERS
from oversight.subjects.models import RiskGrade, Subject, SubjectStatus
from oversight.subjects.presentation import change_in_words, shown_fields
from oversight.web.declared import DeclaredForm, declared_form
from oversight.web.shortcuts import allowed, form_page, render, viewer_of


def _kinds() -> list[tuple[str, str]]:
    try:
        catalog = catalog_in_force()
    except NotFound:
        return []
    return [(k.code, k.name) for k in catalog.header.subject_kinds]


def _jurisdictions(viewer: Viewer) -> list[tuple[int, str]]:
    rows = org_selectors.agency_list(viewer=viewer).values_list("pk", "name", "depth")
    return [(pk, "　" * max(d - (viewer.scope_depth or 0), 0) + n) for pk, n, d in rows]


def _filter_form(
    request: HttpRequest, kinds: list[tuple[str, str]]
) -> tuple[DeclaredForm, dict[str, Any] | None]:
    fields = Fields(*(replace(s, choices=kinds) if s.name == "kind" else s for s in FILTERS.specs))
    check_refs(viewer_of(request), fields.refs(), request.GET)
    form = declared_form(fields, "SubjectFilterForm")(request.GET)
    form.set_choices("agency_id", _jurisdictions(viewer_of(request)))
    return form, (form.cleaned_data if form.is_valid() else None)


@allowed(selectors.may_read)
def subject_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    kinds = _kinds()
    form, data = _filter_form(request, kinds)
    if data is None:
        return render(request, "subjects/list.html", {"form": form, "page": None}, status=400)
    qs = selectors.subject_list(viewer=viewer, filters=selectors.SubjectFilters(**data))
    page = selectors.keyset_page(
        qs.only(*selectors.LIST_COLUMNS),
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    context = {
        "form": form,
        "page": page,
        "kinds": dict(kinds),
        "grades": dict(RiskGrade.choices),
        "statuses": dict(SubjectStatus.choices),
        "may_write": selectors.may_write(viewer),
        "query": request.GET.copy(),
    }
    return render(request, "subjects/list.html", context)


def _names(agency_ids: set[Any]) -> dict[int, str]:
    ids = [i for i in agency_ids if isinstance(i, int)]
    return dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))


@allowed(selectors.may_read)
def subject_detail(request: HttpRequest, subject_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    subject = selectors.subject_get(viewer=viewer, subject_id=subject_id)
    kind = services.kind_fields(subject.kind)
    values = {name: getattr(subject, name) for name in kind.common} | subject.attributes
    changes = selectors.subject_history(viewer=viewer, subject=subject)
    ids = (
        {subject.agency_id}
        | {c.before.get("agency_id") for c in changes}
        | {c.after.get("agency_id") for c in changes}
    )
    names = _names(ids)
    history = [(c, change_in_words(kind.all, c.before, c.after, names)) for c in changes]
    context = {
        "subject": subject,
        "kind": kind,
        "fields": shown_fields(kind.all, values, names),
        "history": history,
        "may_write": selectors.may_write(viewer),
    }
    return render(request, "subjects/detail.html", context)


def _subject_form(
    request: HttpRequest, fields: Fields, initial: dict[str, Any] | None = None
) -> DeclaredForm:
    form = declared_form(fields, "SubjectForm")(request.POST or None, initial=initial or {})
    if "agency_id" in form.fields:
        form.set_choices("agency_id", _jurisdictions(viewer_of(request)))
    return form


def _save(create: bool, viewer: Viewer, key: Any, **values: Any) -> Subject:
    if create:
        return services.subject_create(actor=viewer, kind=key, values=values)
    return services.subject_update(actor=viewer, subject_id=key, values=values)


def _detail(subject: Subject) -> str:
    return reverse("web:subject_detail", args=[subject.pk])


@allowed(selectors.may_write)
def subject_create(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    code = request.GET.get("kind", "")
    if code not in dict(_kinds()):
        context = {"kinds": [(c, n) for c, n in _kinds() if not services.kind_fields(c).linked]}
        return render(request, "subjects/choose_kind.html", context)
    kind = services.kind_fields(code)
    initial = {"risk_grade": "C", "status": "ACTIVE"}
    form = _subject_form(request, kind.all, initial)
    title = _("Register a subject: %(kind)s") % {"kind": kind.name}
    save = partial(_save, True, viewer, kind.code)
    done = _("Subject registered.")
    return form_page(request, form, title, reverse("web:subject_list"), save, done, _detail)


@allowed(selectors.may_write)
def subject_edit(request: HttpRequest, subject_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    subject = selectors.subject_get(viewer=viewer, subject_id=subject_id)
    kind = services.kind_fields(subject.kind)
    fields = kind.all.without("name", "agency_id") if kind.linked else kind.all
    initial = {name: getattr(subject, name) for name in kind.common} | subject.attributes
    form = _subject_form(request, fields, initial)
    title = _("Edit %(name)s") % {"name": subject.name}
    save = partial(_save, False, viewer, subject.pk)
    return form_page(request, form, title, _detail(subject), save, _("Subject saved."))

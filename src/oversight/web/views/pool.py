"""Pages of the inspector pool (执法检查人员名录库): who may inspect under each regime, and each
officer's qualifications, absences and conflicts."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from oversight.core.fields import Fields
from oversight.core.text import parse_id
from oversight.org.models import Officer
from oversight.org.scope import Viewer
from oversight.pool import policy, selectors, services
from oversight.pool.fields import (
    CONFLICT,
    POOL_QUERY,
    QUALIFICATION,
    SUBJECT_SEARCH,
    UNAVAILABILITY,
)
from oversight.pool.presentation import reasons_in_words, state
from oversight.subjects.models import Subject
from oversight.subjects.selectors import subject_get
from oversight.web.declared import declared_form
from oversight.web.shortcuts import (
    allowed,
    back_url,
    confirmed,
    forbidden,
    form_page,
    posted,
    render,
    submit,
    viewer_of,
)

DayForm = declared_form(POOL_QUERY, "PoolDayForm")
SearchForm = declared_form(Fields(SUBJECT_SEARCH), "SubjectSearchForm")
UnavailabilityForm = declared_form(UNAVAILABILITY, "UnavailabilityForm")
ConflictForm = declared_form(CONFLICT, "ConflictForm")


def _officer_page(officer: Officer | int) -> str:
    pk = officer.pk if isinstance(officer, Officer) else officer
    return reverse("web:pool_officer", args=[pk])


@allowed(policy.may_read_pool)
def pool_index(request: HttpRequest) -> HttpResponse:
    """The regimes of the catalog, each with how many officers of the scope may inspect today."""
    viewer = viewer_of(request)
    today = selectors.today()
    counts = selectors.pool_counts(viewer=viewer, on=today)
    rows = [(regime, counts.get(regime.code, 0)) for regime in selectors.regimes()]
    return render(request, "pool/index.html", {"rows": rows, "today": today})


@allowed(policy.may_read_pool)
def pool_regime(request: HttpRequest, code: str) -> HttpResponse:
    """Who may inspect under one regime on a day (today unless asked), and why others may not."""
    viewer = viewer_of(request)
    regime = selectors.regime_get(code)
    today = selectors.today()
    form = DayForm(request.GET or None, initial={"on": today})
    if request.GET and not form.is_valid():
        context = {"regime": regime, "form": form, "table": None}
        return render(request, "pool/regime.html", context, status=400)
    on = (form.cleaned_data.get("on") if request.GET else None) or today
    table = selectors.pool_table(viewer=viewer, regime=regime, on=on)
    held_back = [(o, reasons_in_words(reasons)) for o, reasons in table.held_back]
    context = {
        "regime": regime,
        "form": form,
        "table": table,
        "held_back": held_back,
        "may_manage": policy.may_manage_pool(viewer),
    }
    return render(request, "pool/regime.html", context)


@allowed(policy.may_read_pool)
def pool_officer(request: HttpRequest, officer_id: int) -> HttpResponse:
    """An officer's regime qualifications, absences and conflicts (leaders and the officer)."""
    viewer = viewer_of(request)
    records = selectors.officer_records(viewer=viewer, officer_id=officer_id)
    today = selectors.today()
    titles = selectors.regime_titles()
    own = viewer.officer_id == records.officer.pk
    leader = policy.may_manage_pool(viewer)
    context = {
        "officer": records.officer,
        "qualifications": [
            (q, titles.get(q.regime, _("a regime no longer in the catalog")), state(q, today))
            for q in records.qualifications
        ],
        "absences": [(u, state(u, today)) for u in records.unavailability],
        "conflicts": [(c, state(c, today)) for c in records.conflicts],
        "visible_subjects": records.visible_subjects,
        "may_write": leader and not own,
        "may_declare": leader or own,
        "own": own,
    }
    return render(request, "pool/officer.html", context)


def _officer_for_form(request: HttpRequest, officer_id: int) -> Officer:
    return selectors.officer_get(viewer=viewer_of(request), officer_id=officer_id)


@allowed(policy.may_manage_pool)
def qualification_grant(request: HttpRequest, officer_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    officer = _officer_for_form(request, officer_id)
    choices = [(r.code, r.title) for r in selectors.regimes()]
    fields = Fields(
        *(
            replace(s, kind="choice", choices=choices, upper=False) if s.name == "regime" else s
            for s in QUALIFICATION.specs
        )
    )
    initial = {"regime": request.GET.get("regime", "")}
    form = declared_form(fields, "QualificationForm")(request.POST or None, initial=initial)
    title = _("Qualify %(name)s for a regime") % {"name": officer.name}
    save = partial(services.qualification_grant, actor=viewer, officer_id=officer.pk)
    done = _("Qualification granted.")
    return form_page(request, form, title, _officer_page(officer), save, done)


@allowed(policy.may_manage_pool)
def qualification_revoke(request: HttpRequest, qualification_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    qualification = selectors.qualification_get(viewer=viewer, qualification_id=qualification_id)
    title = selectors.regime_titles().get(qualification.regime, "")
    return confirmed(
        request,
        back=_officer_page(qualification.officer_id),
        call=partial(
            services.qualification_revoke, actor=viewer, qualification_id=qualification.pk
        ),
        done=_("Qualification revoked."),
        ask={
            "title": _("Revoke the qualification of %(name)s for %(regime)s")
            % {"name": qualification.officer.name, "regime": title},
            "consequence": _(
                "From today on the officer is no longer drawn to inspect under this regime. "
                "The qualification stays on record."
            ),
            "action": _("Revoke"),
        },
    )


@allowed(policy.may_manage_pool)
def unavailability_record(request: HttpRequest, officer_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    officer = _officer_for_form(request, officer_id)
    form = UnavailabilityForm(request.POST or None, initial={"kind": "LEAVE"})
    title = _("Record an absence of %(name)s") % {"name": officer.name}
    save = partial(services.unavailability_record, actor=viewer, officer_id=officer.pk)
    done = _("Absence recorded.")
    return form_page(request, form, title, _officer_page(officer), save, done)


@allowed(policy.may_manage_pool)
def unavailability_end(request: HttpRequest, unavailability_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    away = selectors.unavailability_get(viewer=viewer, unavailability_id=unavailability_id)
    return confirmed(
        request,
        back=_officer_page(away.officer_id),
        call=partial(services.unavailability_end, actor=viewer, unavailability_id=away.pk),
        done=_("Absence ended."),
        ask={
            "title": _("End the absence of %(name)s") % {"name": away.officer.name},
            "consequence": _(
                "From today on the officer can be drawn again; an absence not yet begun is "
                "cancelled. The record stays."
            ),
            "action": _("End the absence"),
        },
    )


def _subject_options(viewer: Viewer, q: str, chosen: Subject | None) -> list[tuple[int, str]]:
    """The subjects a conflict form offers: those the search found, and the one chosen."""
    found = selectors.subject_choices(viewer=viewer, q=q)
    if chosen is not None and all(s.pk != chosen.pk for s in found):
        found.insert(0, chosen)
    return [(s.pk, f"{s.name}（{s.agency.name}）") for s in found]


def _chosen(viewer: Viewer, raw: Any) -> Subject | None:
    """The subject a query or a form names, in the viewer's scope (NotFound otherwise)."""
    pk = parse_id(raw)
    return subject_get(viewer=viewer, subject_id=pk) if pk is not None else None


@allowed(policy.may_declare_conflict)
def conflict_declare(request: HttpRequest, officer_id: int) -> HttpResponse:
    """Declare a conflict: find the subject by name or credit code, then say what it is. The
    officer declares their own; a leader records one for an officer of the scope."""
    viewer = viewer_of(request)
    own = viewer.officer_id == officer_id
    leader = policy.may_manage_pool(viewer)
    if policy.write_problem(leader=leader, own=own, action=policy.DECLARE):
        return forbidden(request)
    officer = _officer_for_form(request, officer_id)
    search = SearchForm(request.GET)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    chosen = _chosen(viewer, request.GET.get("subject"))
    form = ConflictForm(request.POST or None, initial={"subject_id": chosen.pk if chosen else ""})
    if posted(request, form):
        call = partial(services.conflict_declare, actor=viewer, officer_id=officer.pk)
        if submit(form, lambda: call(**form.cleaned_data)) is not None:
            messages.success(request, _("Conflict declared."))
            return redirect(_officer_page(officer))
    if request.method == "POST":
        chosen = _chosen(viewer, request.POST.get("subject_id")) or chosen
    form.set_choices("subject_id", _subject_options(viewer, q, chosen))
    title = (
        _("Declare a conflict with a subject")
        if own
        else _("Record a conflict of %(name)s with a subject") % {"name": officer.name}
    )
    back = back_url(request, _officer_page(officer))
    context = {"form": form, "search": search, "title": title, "cancel_url": back}
    return render(request, "pool/conflict_form.html", context)


@allowed(policy.may_manage_pool)
def conflict_end(request: HttpRequest, conflict_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    conflict = selectors.conflict_get(viewer=viewer, conflict_id=conflict_id)
    return confirmed(
        request,
        back=_officer_page(conflict.officer_id),
        call=partial(services.conflict_end, actor=viewer, conflict_id=conflict.pk),
        done=_("Conflict ended."),
        ask={
            "title": _("End the conflict of %(name)s with %(subject)s")
            % {"name": conflict.officer.name, "subject": conflict.subject.name},
            "consequence": _(
                "From today on the officer can be drawn to inspect this subject again. "
                "The declaration stays on record."
            ),
            "action": _("End the conflict"),
        },
    )

"""Pages for agencies, officers, departments and liaisons (business roles, inside their scope)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oversight.core.errors import DomainError, NotFound
from oversight.core.pagination import paginate
from oversight.org import policy, selectors, services
from oversight.org.models import AgencyKind
from oversight.web.forms import AgencyForm, DepartmentForm, LiaisonForm, OfficerForm
from oversight.web.shortcuts import allowed, render, viewer_of


def _agency_choices(request: HttpRequest) -> list[tuple[int, str]]:
    viewer = viewer_of(request)
    rows = selectors.agency_list(viewer=viewer).values_list("pk", "name", "depth")
    return [
        (pk, "　" * max(depth - (viewer.scope_depth or 0), 0) + name) for pk, name, depth in rows
    ]


def _department_choices(request: HttpRequest) -> list[tuple[int, str]]:
    return list(selectors.department_list(viewer=viewer_of(request)).values_list("pk", "name"))


def _active_filter(request: HttpRequest) -> bool | None:
    value = request.GET.get("active", "1")
    return {"1": True, "0": False}.get(value)


# --- agencies --------------------------------------------------------------------------------


@allowed(policy.sees_business_data)
def agency_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.AgencyFilters(
        q=request.GET.get("q", "").strip()[:80],
        kind=request.GET.get("kind", "") if request.GET.get("kind") in AgencyKind.values else "",
        active=_active_filter(request),
    )
    page = paginate(
        selectors.agency_list(viewer=viewer_of(request), filters=filters), request.GET.get("page")
    )
    return render(
        request,
        "org/agency_list.html",
        {"page": page, "filters": filters, "kinds": AgencyKind.choices},
    )


@allowed(policy.sees_business_data)
def agency_detail(request: HttpRequest, agency_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    agency = selectors.agency_get(viewer=viewer, agency_id=agency_id)
    children = selectors.agency_list(
        viewer=viewer, filters=selectors.AgencyFilters(active=None)
    ).filter(parent=agency)
    officers = selectors.officer_list(
        viewer=viewer, filters=selectors.OfficerFilters(agency_id=agency.pk)
    )[:200]
    return render(
        request,
        "org/agency_detail.html",
        {"agency": agency, "children": children, "officers": officers},
    )


@allowed(policy.may_manage_org)
def agency_create(request: HttpRequest) -> HttpResponse:
    initial = {"parent": request.GET.get("parent")}
    form = AgencyForm(
        request.POST or None,
        initial=initial,
        parents=_agency_choices(request),
        departments=_department_choices(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agency = services.agency_create(
                actor=viewer_of(request),
                code=data["code"],
                name=data["name"],
                kind=data["kind"],
                level=data["level"],
                division_code=data["division_code"],
                parent_id=data["parent"],
                department_id=data["department"],
            )
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Agency created."))
            return redirect("web:agency_detail", agency_id=agency.pk)
    return render(request, "form.html", {"form": form, "title": _("New agency")})


@allowed(policy.may_manage_org)
def agency_edit(request: HttpRequest, agency_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    agency = selectors.agency_get(viewer=viewer, agency_id=agency_id)
    initial = {
        "name": agency.name,
        "kind": agency.kind,
        "level": agency.level,
        "division_code": agency.division_code,
        "department": agency.department_id,
    }
    form = AgencyForm(
        request.POST or None,
        initial=initial,
        departments=_department_choices(request),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agency_update(
                actor=viewer,
                agency_id=agency.pk,
                name=data["name"],
                kind=data["kind"],
                level=data["level"],
                division_code=data["division_code"],
                department_id=data["department"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Agency saved."))
            return redirect("web:agency_detail", agency_id=agency.pk)
    return render(
        request, "form.html", {"form": form, "title": _("Edit %(name)s") % {"name": agency.name}}
    )


@require_POST
@allowed(policy.may_manage_org)
def agency_set_active(request: HttpRequest, agency_id: int, active: bool) -> HttpResponse:
    try:
        services.agency_set_active(actor=viewer_of(request), agency_id=agency_id, active=active)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Agency reactivated.") if active else _("Agency deactivated."))
    return redirect("web:agency_detail", agency_id=agency_id)


# --- officers --------------------------------------------------------------------------------


@allowed(policy.sees_business_data)
def officer_list(request: HttpRequest) -> HttpResponse:
    agency = request.GET.get("agency", "")
    filters = selectors.OfficerFilters(
        q=request.GET.get("q", "").strip()[:60],
        agency_id=int(agency) if agency.isdigit() else None,
        active=_active_filter(request),
    )
    page = paginate(
        selectors.officer_list(viewer=viewer_of(request), filters=filters), request.GET.get("page")
    )
    return render(request, "org/officer_list.html", {"page": page, "filters": filters})


@allowed(policy.sees_business_data)
def officer_detail(request: HttpRequest, officer_id: int) -> HttpResponse:
    officer = selectors.officer_get(viewer=viewer_of(request), officer_id=officer_id)
    return render(request, "org/officer_detail.html", {"officer": officer})


def _officer_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": data["name"],
        "badge_number": data["badge_number"],
        "warrant_number": data["warrant_number"],
        "agency_id": data["agency"],
        "department_id": data["department"],
        "title": data["title"],
        "phone": data["phone"],
        "qualification": data["qualification"],
        "qualification_expires_on": data["qualification_expires_on"],
    }


@allowed(policy.may_manage_org)
def officer_create(request: HttpRequest) -> HttpResponse:
    form = OfficerForm(
        request.POST or None,
        initial={"agency": request.GET.get("agency")},
        agencies=_agency_choices(request),
        departments=_department_choices(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            officer = services.officer_create(
                actor=viewer_of(request),
                username=form.cleaned_data["username"],
                **_officer_kwargs(form.cleaned_data),
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request,
                _("Officer registered. The system administrator sets the first password."),
            )
            return redirect("web:officer_detail", officer_id=officer.pk)
    return render(request, "form.html", {"form": form, "title": _("New officer")})


@allowed(policy.may_manage_org)
def officer_edit(request: HttpRequest, officer_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    officer = selectors.officer_get(viewer=viewer, officer_id=officer_id)
    initial = {
        "name": officer.name,
        "badge_number": officer.badge_number,
        "warrant_number": officer.warrant_number,
        "agency": officer.agency_id,
        "department": officer.department_id,
        "title": officer.title,
        "phone": officer.phone,
        "qualification": officer.qualification,
        "qualification_expires_on": officer.qualification_expires_on,
    }
    form = OfficerForm(
        request.POST or None,
        initial=initial,
        agencies=_agency_choices(request),
        departments=_department_choices(request),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.officer_update(
                actor=viewer, officer_id=officer.pk, **_officer_kwargs(form.cleaned_data)
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Officer saved."))
            return redirect("web:officer_detail", officer_id=officer.pk)
    return render(
        request, "form.html", {"form": form, "title": _("Edit %(name)s") % {"name": officer.name}}
    )


@require_POST
@allowed(policy.may_manage_org)
def officer_set_active(request: HttpRequest, officer_id: int, active: bool) -> HttpResponse:
    try:
        services.officer_set_active(actor=viewer_of(request), officer_id=officer_id, active=active)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Officer reactivated.") if active else _("Officer deactivated.")
        )
    return redirect("web:officer_detail", officer_id=officer_id)


# --- departments -----------------------------------------------------------------------------


@allowed(policy.sees_business_data)
def department_list(request: HttpRequest) -> HttpResponse:
    departments = selectors.department_list(viewer=viewer_of(request), include_inactive=True)
    return render(request, "org/department_list.html", {"departments": departments})


@allowed(policy.may_manage_org)
def department_edit(request: HttpRequest, department_id: int | None = None) -> HttpResponse:
    viewer = viewer_of(request)
    if not viewer.can_manage_departments:
        raise PermissionDenied
    department = (
        selectors.department_get(viewer=viewer, department_id=department_id)
        if department_id
        else None
    )
    initial = {"code": department.code, "name": department.name} if department else {}
    form = DepartmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.department_save(
                actor=viewer,
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                department_id=department_id,
            )
        except DomainError as exc:
            if not exc.field:
                raise
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Department saved."))
            return redirect("web:department_list")
    title = _("Edit %(name)s") % {"name": department.name} if department else _("New department")
    return render(request, "form.html", {"form": form, "title": title})


@require_POST
@allowed(policy.may_manage_org)
def department_set_active(request: HttpRequest, department_id: int, active: bool) -> HttpResponse:
    services.department_set_active(
        actor=viewer_of(request), department_id=department_id, active=active
    )
    messages.success(request, _("Department saved."))
    return redirect("web:department_list")


# --- liaisons --------------------------------------------------------------------------------


@allowed(policy.sees_business_data)
def liaison_list(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.liaison_list(viewer=viewer_of(request)), request.GET.get("page"))
    return render(request, "org/liaison_list.html", {"page": page})


@allowed(policy.may_manage_org)
def liaison_create(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    form = LiaisonForm(
        request.POST or None,
        agencies=_agency_choices(request),
        departments=_department_choices(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        officer = (
            selectors.officer_list(viewer=viewer)
            .filter(badge_number=f"{data['officer']:06d}")
            .values_list("pk", flat=True)
            .first()
        )
        if officer is None:
            form.add_error("officer", _("No active officer with this badge number in your scope."))
        else:
            try:
                services.liaison_appoint(
                    actor=viewer,
                    agency_id=data["agency"],
                    department_id=data["department"],
                    officer_id=officer,
                    phone=data["phone"],
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("Liaison appointed."))
                return redirect("web:liaison_list")
    return render(request, "form.html", {"form": form, "title": _("Appoint a liaison")})


@require_POST
@allowed(policy.may_manage_org)
def liaison_end(request: HttpRequest, liaison_id: int) -> HttpResponse:
    services.liaison_end(actor=viewer_of(request), liaison_id=liaison_id)
    messages.success(request, _("Liaison ended."))
    return redirect("web:liaison_list")

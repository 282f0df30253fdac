"""Pages for agencies, officers, departments and liaisons (business roles, inside their scope)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from oversight.core.fields import Fields
from oversight.core.pagination import paginate
from oversight.core.refs import check_refs
from oversight.org import fields, policy, selectors, services
from oversight.org.models import Agency, AgencyKind, Officer
from oversight.org.scope import Viewer
from oversight.web.declared import DeclaredForm, declared_form
from oversight.web.shortcuts import act, allowed, confirm, posted, render, submit, viewer_of

AgencyForm = declared_form(fields.AGENCY.without("level"), "AgencyForm")
AgencyEditForm = declared_form(fields.AGENCY_EDIT + fields.AGENCY_RECLASSIFY, "AgencyEditForm")
OfficerForm = declared_form(fields.OFFICER, "OfficerForm")
OfficerEditForm = declared_form(fields.OFFICER_EDIT, "OfficerEditForm")
OfficerTransferForm = declared_form(fields.OFFICER_TRANSFER, "OfficerTransferForm")
DepartmentForm = declared_form(fields.DEPARTMENT_FIELDS, "DepartmentForm")
AgencyFilterForm = declared_form(fields.AGENCY_FILTERS, "AgencyFilterForm")
OfficerFilterForm = declared_form(fields.OFFICER_FILTERS, "OfficerFilterForm")


def _agency_choices(viewer: Viewer, agencies: Any = None) -> list[tuple[int, str]]:
    """Active agencies in scope (or ``agencies``), indented by depth below the viewer's bureau."""
    agencies = selectors.agency_list(viewer=viewer) if agencies is None else agencies
    rows = agencies.values_list("pk", "name", "depth")
    return [
        (pk, "　" * max(depth - (viewer.scope_depth or 0), 0) + name) for pk, name, depth in rows
    ]


def _department_choices(viewer: Viewer) -> list[tuple[int, str]]:
    return list(selectors.department_list(viewer=viewer).values_list("pk", "name"))


def _back(request: HttpRequest, default: str) -> str:
    """Where Cancel leads: the page of this site the user came from, else ``default``."""
    referer = request.headers.get("Referer", "")
    here = request.build_absolute_uri(request.path)
    same_site = referer.startswith(f"{request.scheme}://{request.get_host()}/")
    return referer if same_site and not referer.startswith(here) else default


def _form_page(request: HttpRequest, form: DeclaredForm, title: str, cancel: str) -> HttpResponse:
    return render(
        request,
        "form.html",
        {"form": form, "title": title, "cancel_url": _back(request, cancel)},
    )


def _set_active_page(
    request: HttpRequest,
    *,
    active: bool,
    name: str,
    back: str,
    consequence: str,
    call: Any,
    done: str,
) -> HttpResponse:
    """Ask first (GET), then deactivate or reactivate (POST) and go back to ``back``."""
    if request.method != "POST":
        return confirm(
            request,
            title=(_("Reactivate %(name)s") if active else _("Deactivate %(name)s"))
            % {"name": name},
            consequence=consequence,
            action=_("Reactivate") if active else _("Deactivate"),
            cancel_url=back,
            danger=not active,
        )
    act(request, call, done)
    return redirect(back)


def _list_filters(request: HttpRequest, spec: Fields, form_class: type[DeclaredForm]) -> Any:
    """Return (form, cleaned filters or None when they are refused)."""
    check_refs(viewer_of(request), spec.refs(), request.GET)
    form = form_class(request.GET)
    if not form.is_valid():
        return form, None
    return form, form.cleaned_data


# --- agencies --------------------------------------------------------------------------------


@allowed(policy.sees_business_data)
def agency_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    form, data = _list_filters(request, fields.AGENCY_FILTERS, AgencyFilterForm)
    if data is None:
        return render(request, "org/agency_list.html", {"form": form, "page": None}, status=400)
    filters = selectors.AgencyFilters(
        q=data["q"], kind=data["kind"], active=fields.active_filter(data["active"])
    )
    page = paginate(selectors.agency_list(viewer=viewer, filters=filters), request.GET.get("page"))
    return render(request, "org/agency_list.html", {"form": form, "page": page})


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
        {
            "agency": agency,
            "children": children,
            "officers": officers,
            "may_manage": policy.may_manage_org(viewer),
            "is_own_bureau": agency.path == viewer.scope_path,
        },
    )


@allowed(policy.may_manage_org)
def agency_create(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    form = AgencyForm(request.POST or None, initial={"parent_id": request.GET.get("parent")})
    form.set_choices("parent_id", _agency_choices(viewer))
    form.set_choices("department_id", _department_choices(viewer))
    if posted(request, form):
        agency = submit(form, lambda: services.agency_create(actor=viewer, **form.cleaned_data))
        if agency is not None:
            messages.success(request, _("Agency created."))
            return redirect("web:agency_detail", agency_id=agency.pk)
    return _form_page(request, form, _("New agency"), reverse("web:agency_list"))


def _reshape_fields(viewer: Viewer, agency: Agency) -> list[str]:
    """The fields of the edit form this viewer may not change on this agency."""
    if not policy.may_reshape(viewer.scope_path, agency.path):
        return ["kind", "division_code"]
    if agency.kind == AgencyKind.BUREAU:
        return ["kind"]
    return []


@allowed(policy.may_manage_org)
def agency_edit(request: HttpRequest, agency_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    agency = selectors.agency_get(viewer=viewer, agency_id=agency_id)
    initial = {
        "name": agency.name,
        "department_id": agency.department_id,
        "kind": agency.kind,
        "division_code": agency.division_code,
    }
    form = AgencyEditForm(request.POST or None, initial=initial)
    form.set_choices("department_id", _department_choices(viewer))
    form.drop(*_reshape_fields(viewer, agency))
    if "kind" in form.fields:
        units = [(k, v) for k, v in AgencyKind.choices if k != AgencyKind.BUREAU]
        form.fields["kind"].widget.choices = units
    if posted(request, form):
        data = {"kind": None, "division_code": None} | form.cleaned_data
        saved = submit(
            form, lambda: services.agency_update(actor=viewer, agency_id=agency.pk, **data)
        )
        if saved is not None:
            messages.success(request, _("Agency saved."))
            return redirect("web:agency_detail", agency_id=agency.pk)
    title = _("Edit %(name)s") % {"name": agency.name}
    return _form_page(request, form, title, reverse("web:agency_detail", args=[agency.pk]))


@allowed(policy.may_manage_org)
def agency_set_active(request: HttpRequest, agency_id: int, active: bool) -> HttpResponse:
    viewer = viewer_of(request)
    agency = selectors.agency_get(viewer=viewer, agency_id=agency_id)
    return _set_active_page(
        request,
        active=active,
        name=agency.name,
        back=reverse("web:agency_detail", args=[agency.pk]),
        consequence=_("It can be chosen again for officers and sub-units.")
        if active
        else _(
            "It stays on record but can no longer be chosen. A unit with active sub-units "
            "or officers cannot be deactivated."
        ),
        call=lambda: services.agency_set_active(actor=viewer, agency_id=agency.pk, active=active),
        done=_("Agency reactivated.") if active else _("Agency deactivated."),
    )


# --- officers --------------------------------------------------------------------------------


@allowed(policy.sees_business_data)
def officer_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    form, data = _list_filters(request, fields.OFFICER_FILTERS, OfficerFilterForm)
    if data is None:
        return render(request, "org/officer_list.html", {"form": form, "page": None}, status=400)
    form.set_choices("agency_id", _agency_choices(viewer))
    filters = selectors.OfficerFilters(
        q=data["q"], agency_id=data["agency_id"], active=fields.active_filter(data["active"])
    )
    page = paginate(selectors.officer_list(viewer=viewer, filters=filters), request.GET.get("page"))
    return render(request, "org/officer_list.html", {"form": form, "page": page})


@allowed(policy.sees_business_data)
def officer_detail(request: HttpRequest, officer_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    officer = selectors.officer_get(viewer=viewer, officer_id=officer_id)
    return render(
        request,
        "org/officer_detail.html",
        {
            "officer": officer,
            "may_manage": policy.may_manage_org(viewer) and officer.pk != viewer.officer_id,
            "may_transfer": viewer.is_city_level,
        },
    )


def _officer_form(request: HttpRequest, form: DeclaredForm) -> DeclaredForm:
    viewer = viewer_of(request)
    form.set_choices("agency_id", _agency_choices(viewer))
    form.set_choices("department_id", _department_choices(viewer))
    return form


@allowed(policy.may_manage_org)
def officer_create(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    initial = {"agency_id": request.GET.get("agency"), "qualification": "NONE"}
    form = _officer_form(request, OfficerForm(request.POST or None, initial=initial))
    if posted(request, form):
        officer = submit(form, lambda: services.officer_create(actor=viewer, **form.cleaned_data))
        if officer is not None:
            messages.success(
                request,
                _(
                    "Officer registered. The system administrator opens the account; "
                    "the security administrator grants a role."
                ),
            )
            return redirect("web:officer_detail", officer_id=officer.pk)
    return _form_page(request, form, _("New officer"), reverse("web:officer_list"))


def _officer_initial(officer: Officer) -> dict[str, Any]:
    return {name: getattr(officer, name) for name in fields.OFFICER_EDIT}


@allowed(policy.may_manage_org)
def officer_edit(request: HttpRequest, officer_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    officer = selectors.officer_get(viewer=viewer, officer_id=officer_id)
    form = OfficerEditForm(request.POST or None, initial=_officer_initial(officer))
    form = _officer_form(request, form)
    if posted(request, form):
        data = form.cleaned_data
        saved = submit(
            form, lambda: services.officer_update(actor=viewer, officer_id=officer.pk, **data)
        )
        if saved is not None:
            messages.success(request, _("Officer saved."))
            return redirect("web:officer_detail", officer_id=officer.pk)
    title = _("Edit %(name)s") % {"name": officer.name}
    return _form_page(request, form, title, reverse("web:officer_detail", args=[officer.pk]))


@allowed(policy.may_manage_org)
def officer_transfer(request: HttpRequest, officer_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    officer = selectors.officer_get(viewer=viewer, officer_id=officer_id)
    form = OfficerTransferForm(request.POST or None)
    targets = selectors.transfer_targets(viewer=viewer, officer=officer)
    form.set_choices("agency_id", _agency_choices(viewer, targets))
    if posted(request, form):
        moved = submit(
            form,
            lambda: services.officer_transfer(
                actor=viewer, officer_id=officer.pk, agency_id=form.cleaned_data["agency_id"]
            ),
        )
        if moved is not None:
            messages.success(request, _("Officer transferred."))
            return redirect("web:officer_detail", officer_id=officer.pk)
    title = _("Transfer %(name)s to another bureau") % {"name": officer.name}
    return _form_page(request, form, title, reverse("web:officer_detail", args=[officer.pk]))


@allowed(policy.may_manage_org)
def officer_set_active(request: HttpRequest, officer_id: int, active: bool) -> HttpResponse:
    viewer = viewer_of(request)
    officer = selectors.officer_get(viewer=viewer, officer_id=officer_id)
    return _set_active_page(
        request,
        active=active,
        name=officer.name,
        back=reverse("web:officer_detail", args=[officer.pk]),
        consequence=_("The officer can log in again with the same roles.")
        if active
        else _(
            "The officer can no longer log in and is no longer drawn for inspections; "
            "their liaison appointments end. The record stays."
        ),
        call=lambda: services.officer_set_active(
            actor=viewer, officer_id=officer.pk, active=active
        ),
        done=_("Officer reactivated.") if active else _("Officer deactivated."),
    )


# --- departments -----------------------------------------------------------------------------


@allowed(policy.sees_business_data)
def department_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    departments = selectors.department_list(viewer=viewer, include_inactive=True)
    return render(
        request,
        "org/department_list.html",
        {"departments": departments, "may_manage": policy.may_manage_departments(viewer)},
    )


@allowed(policy.may_manage_departments)
def department_edit(request: HttpRequest, department_id: int | None = None) -> HttpResponse:
    viewer = viewer_of(request)
    department = (
        selectors.department_get(viewer=viewer, department_id=department_id)
        if department_id
        else None
    )
    initial = {"code": department.code, "name": department.name} if department else {}
    form = DepartmentForm(request.POST or None, initial=initial)
    if posted(request, form):
        saved = submit(
            form,
            lambda: services.department_save(
                actor=viewer, department_id=department_id, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("Department saved."))
            return redirect("web:department_list")
    title = _("Edit %(name)s") % {"name": department.name} if department else _("New department")
    return _form_page(request, form, title, reverse("web:department_list"))


@allowed(policy.may_manage_departments)
def department_set_active(request: HttpRequest, department_id: int, active: bool) -> HttpResponse:
    viewer = viewer_of(request)
    department = selectors.department_get(viewer=viewer, department_id=department_id)
    return _set_active_page(
        request,
        active=active,
        name=department.name,
        back=reverse("web:department_list"),
        consequence=_("It can be chosen again for agencies, officers and liaisons.")
        if active
        else _(
            "It can no longer be chosen for agencies, officers and liaisons; those that "
            "name it keep it."
        ),
        call=lambda: services.department_set_active(
            actor=viewer, department_id=department.pk, active=active
        ),
        done=_("Department reactivated.") if active else _("Department deactivated."),
    )


# --- liaisons --------------------------------------------------------------------------------

LiaisonForm = declared_form(fields.LIAISON_FORM, "LiaisonForm")


@allowed(policy.sees_business_data)
def liaison_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    page = paginate(selectors.liaison_list(viewer=viewer), request.GET.get("page"))
    return render(
        request,
        "org/liaison_list.html",
        {"page": page, "may_manage": policy.may_manage_org(viewer)},
    )


@allowed(policy.may_manage_org)
def liaison_create(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    form = LiaisonForm(request.POST or None)
    form.set_choices("agency_id", _agency_choices(viewer))
    form.set_choices("department_id", _department_choices(viewer))
    if posted(request, form):
        data = dict(form.cleaned_data)
        officer = (
            selectors.officer_list(viewer=viewer)
            .filter(badge_number=data.pop("badge_number"))
            .values_list("pk", flat=True)
            .first()
        )
        if officer is None:
            form.add_error(
                "badge_number", _("No active officer with this badge number in your scope.")
            )
        elif submit(
            form,
            lambda: services.liaison_appoint(actor=viewer, officer_id=officer, **data),
        ):
            messages.success(request, _("Liaison appointed."))
            return redirect("web:liaison_list")
    return _form_page(request, form, _("Appoint a liaison"), reverse("web:liaison_list"))


@allowed(policy.may_manage_org)
def liaison_end(request: HttpRequest, liaison_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    liaison = selectors.liaison_get(viewer=viewer, liaison_id=liaison_id)
    back = reverse("web:liaison_list")
    if request.method != "POST":
        return confirm(
            request,
            title=_("End the appointment of %(name)s") % {"name": liaison.officer.name},
            consequence=_(
                "%(agency)s will have no liaison for %(department)s until another is appointed."
            )
            % {"agency": liaison.agency.name, "department": liaison.department.name},
            action=_("End the appointment"),
            cancel_url=back,
        )
    act(
        request,
        lambda: services.liaison_end(actor=viewer, liaison_id=liaison.pk),
        _("Liaison ended."),
    )
    return redirect(back)

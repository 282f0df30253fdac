"""Pages for agencies, officers, departments and liaisons (business roles, inside their scope)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oversight.core.errors import DomainError
from oversight.core.fields import Fields
from oversight.core.pagination import paginate
from oversight.core.refs import check_refs
from oversight.org import fields, policy, selectors, services
from oversight.org.models import Agency, AgencyKind, Officer
from oversight.org.scope import Viewer
from oversight.web.declared import DeclaredForm, declared_form
from oversight.web.shortcuts import allowed, confirmed, form_page, render, viewer_of

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


@dataclass(frozen=True)
class _Switch:
    """How a kind of row is deactivated and reactivated from its page."""

    load: Callable[[Viewer, int], Any]
    switch: Callable[..., Any]
    id_arg: str
    back: Callable[[Any], str]
    consequences: tuple[Any, Any]  # (reactivated, deactivated): what it does, said before
    done: tuple[Any, Any]  # what is said once it is done


SWITCHES = {
    "agency": _Switch(
        load=lambda viewer, pk: selectors.agency_get(viewer=viewer, agency_id=pk),
        switch=services.agency_set_active,
        id_arg="agency_id",
        back=lambda agency: _detail(agency),
        consequences=(
            gettext_lazy("It can be chosen again for officers and sub-units."),
            gettext_lazy(
                "It stays on record but can no longer be chosen. A unit with active sub-units "
                "or officers cannot be deactivated."
            ),
        ),
        done=(gettext_lazy("Agency reactivated."), gettext_lazy("Agency deactivated.")),
    ),
    "officer": _Switch(
        load=lambda viewer, pk: selectors.officer_get(viewer=viewer, officer_id=pk),
        switch=services.officer_set_active,
        id_arg="officer_id",
        back=lambda officer: _detail(officer),
        consequences=(
            gettext_lazy("The officer can log in again with the same roles."),
            gettext_lazy(
                "The officer can no longer log in and is no longer drawn for inspections; "
                "their liaison appointments end. The record stays."
            ),
        ),
        done=(gettext_lazy("Officer reactivated."), gettext_lazy("Officer deactivated.")),
    ),
    "department": _Switch(
        load=lambda viewer, pk: selectors.department_get(viewer=viewer, department_id=pk),
        switch=services.department_set_active,
        id_arg="department_id",
        back=lambda _department: reverse("web:department_list"),
        consequences=(
            gettext_lazy("It can be chosen again for agencies, officers and liaisons."),
            gettext_lazy(
                "It can no longer be chosen for agencies, officers and liaisons; those that "
                "name it keep it."
            ),
        ),
        done=(gettext_lazy("Department reactivated."), gettext_lazy("Department deactivated.")),
    ),
}


def _detail(row: Agency | Officer) -> str:
    """The page of an agency or an officer."""
    if isinstance(row, Agency):
        return reverse("web:agency_detail", args=[row.pk])
    return reverse("web:officer_detail", args=[row.pk])


def _switch(request: HttpRequest, kind: str, pk: int, active: bool) -> HttpResponse:
    """Ask, then deactivate or reactivate a row of ``kind`` (see SWITCHES)."""
    how = SWITCHES[kind]
    viewer = viewer_of(request)
    row = how.load(viewer, pk)
    ask = {
        "title": (_("Reactivate %(name)s") if active else _("Deactivate %(name)s"))
        % {"name": row.name},
        "consequence": how.consequences[0] if active else how.consequences[1],
        "action": _("Reactivate") if active else _("Deactivate"),
        "danger": not active,
    }
    call = partial(how.switch, actor=viewer, active=active, **{how.id_arg: row.pk})
    done = str(how.done[0] if active else how.done[1])
    return confirmed(request, back=how.back(row), ask=ask, call=call, done=done)


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
    save = partial(services.agency_create, actor=viewer)
    back = reverse("web:agency_list")
    return form_page(request, form, _("New agency"), back, save, _("Agency created."), _detail)


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
    initial = {name: getattr(agency, name) for name in AgencyEditForm.declared}
    form = AgencyEditForm(request.POST or None, initial=initial)
    form.set_choices("department_id", _department_choices(viewer))
    form.drop(*_reshape_fields(viewer, agency))
    if "kind" in form.fields:
        units = [(k, v) for k, v in AgencyKind.choices if k != AgencyKind.BUREAU]
        form.fields["kind"].widget.choices = units
    title = _("Edit %(name)s") % {"name": agency.name}
    save = partial(services.agency_update, actor=viewer, agency_id=agency.pk)
    return form_page(request, form, title, _detail(agency), save, _("Agency saved."))


@allowed(policy.may_manage_org)
def agency_set_active(request: HttpRequest, agency_id: int, active: bool) -> HttpResponse:
    return _switch(request, "agency", agency_id, active)


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
    may_manage = policy.may_manage_org(viewer) and officer.pk != viewer.officer_id
    context = {"officer": officer, "may_manage": may_manage, "may_transfer": viewer.is_city_level}
    return render(request, "org/officer_detail.html", context)


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
    done = _(
        "Officer registered. The system administrator opens the account; "
        "the security administrator grants a role."
    )
    save = partial(services.officer_create, actor=viewer)
    back = reverse("web:officer_list")
    return form_page(request, form, _("New officer"), back, save, done, _detail)


@allowed(policy.may_manage_org)
def officer_edit(request: HttpRequest, officer_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    officer = selectors.officer_get(viewer=viewer, officer_id=officer_id)
    initial = {name: getattr(officer, name) for name in fields.OFFICER_EDIT}
    form = _officer_form(request, OfficerEditForm(request.POST or None, initial=initial))
    title = _("Edit %(name)s") % {"name": officer.name}
    save = partial(services.officer_update, actor=viewer, officer_id=officer.pk)
    return form_page(request, form, title, _detail(officer), save, _("Officer saved."))


@allowed(policy.may_manage_org)
def officer_transfer(request: HttpRequest, officer_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    officer = selectors.officer_get(viewer=viewer, officer_id=officer_id)
    form = OfficerTransferForm(request.POST or None)
    targets = selectors.transfer_targets(viewer=viewer, officer=officer)
    form.set_choices("agency_id", _agency_choices(viewer, targets))
    title = _("Transfer %(name)s to another bureau") % {"name": officer.name}
    save = partial(services.officer_transfer, actor=viewer, officer_id=officer.pk)
    return form_page(request, form, title, _detail(officer), save, _("Officer transferred."))


@allowed(policy.may_manage_org)
def officer_set_active(request: HttpRequest, officer_id: int, active: bool) -> HttpResponse:
    return _switch(request, "officer", officer_id, active)


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
    title = _("Edit %(name)s") % {"name": department.name} if department else _("New department")
    form = DepartmentForm(request.POST or None, initial=initial)
    save = partial(services.department_save, actor=viewer, department_id=department_id)
    back = reverse("web:department_list")
    return form_page(request, form, title, back, save, _("Department saved."))


@allowed(policy.may_manage_departments)
def department_set_active(request: HttpRequest, department_id: int, active: bool) -> HttpResponse:
    return _switch(request, "department", department_id, active)


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
    save = partial(_appoint, viewer)
    back = reverse("web:liaison_list")
    return form_page(request, form, _("Appoint a liaison"), back, save, _("Liaison appointed."))


def _appoint(viewer: Viewer, badge_number: str, **data: Any) -> Any:
    """Appoint the officer a leader names by badge number, as officers know each other."""
    badge = badge_number
    officer = selectors.officer_list(viewer=viewer).filter(badge_number=badge).first()
    if officer is None:
        raise DomainError(
            _("No active officer with this badge number in your scope."), field="badge_number"
        )
    return services.liaison_appoint(actor=viewer, officer_id=officer.pk, **data)


@allowed(policy.may_manage_org)
def liaison_end(request: HttpRequest, liaison_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    liaison = selectors.liaison_get(viewer=viewer, liaison_id=liaison_id)
    return confirmed(
        request,
        back=reverse("web:liaison_list"),
        call=partial(services.liaison_end, actor=viewer, liaison_id=liaison.pk),
        done=_("Liaison ended."),
        ask={
            "title": _("End the appointment of %(name)s") % {"name": liaison.officer.name},
            "consequence": _(
                "%(agency)s will have no liaison for %(department)s until another is appointed."
            )
            % {"agency": liaison.agency.name, "department": liaison.department.name},
            "action": _("End the appointment"),
        },
    )

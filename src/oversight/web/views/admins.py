"""Pages of the three separated administrators: accounts, roles and lockouts, the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oversight import audit
from oversight.audit.selectors import EventFilters, event_search
from oversight.core.errors import DomainError, NotFound
from oversight.core.pagination import paginate
from oversight.org import policy, selectors, services
from oversight.org.models import Role
from oversight.web.forms import AccountCreateForm, AuditSearchForm, RoleGrantForm, SetPasswordForm
from oversight.web.shortcuts import allowed, render, viewer_of

# --- system administrator: accounts ------------------------------------------------------------


@allowed(policy.may_manage_accounts)
def account_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:60]
    page = paginate(selectors.account_list(viewer=viewer_of(request), q=q), request.GET.get("page"))
    users = list(page.object_list)
    enrolled = selectors.mfa_enrolled(viewer=viewer_of(request), user_ids=[u.pk for u in users])
    return render(
        request,
        "admins/account_list.html",
        {"page": page, "users": users, "enrolled": enrolled, "q": q},
    )


@allowed(policy.may_manage_accounts)
def account_create(request: HttpRequest) -> HttpResponse:
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_create_admin(
                actor=viewer_of(request),
                username=form.cleaned_data["username"],
                display_name=form.cleaned_data["display_name"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Account created. Set its first password."))
            return redirect("web:account_detail", user_id=user.pk)
    return render(request, "form.html", {"form": form, "title": _("New administrator account")})


@allowed(policy.may_manage_accounts)
def account_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    user = selectors.account_get(viewer=viewer, user_id=user_id)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_set_password(
                actor=viewer, user_id=user.pk, password=form.cleaned_data["password"]
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("Password set; the user must change it at next login."))
            return redirect("web:account_detail", user_id=user.pk)
    enrolled = bool(selectors.mfa_enrolled(viewer=viewer, user_ids=[user.pk]))
    return render(
        request, "admins/account_detail.html", {"account": user, "form": form, "enrolled": enrolled}
    )


@require_POST
@allowed(policy.may_manage_accounts)
def account_set_active(request: HttpRequest, user_id: int, active: bool) -> HttpResponse:
    try:
        services.account_set_active(actor=viewer_of(request), user_id=user_id, active=active)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc.message))
    return redirect("web:account_detail", user_id=user_id)


@require_POST
@allowed(policy.may_manage_accounts)
def account_reset_mfa(request: HttpRequest, user_id: int) -> HttpResponse:
    services.account_reset_mfa(actor=viewer_of(request), user_id=user_id)
    messages.success(request, _("Second factor reset: the user enrols again at next login."))
    return redirect("web:account_detail", user_id=user_id)


# --- security administrator: roles, lockouts, tokens ------------------------------------------


@allowed(policy.may_manage_access)
def role_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:60]
    page = paginate(selectors.account_list(viewer=viewer_of(request), q=q), request.GET.get("page"))
    users = list(page.object_list)
    roles = selectors.active_roles_by_user([u.pk for u in users])
    rows = [(u, [(code, Role(code).label) for code in roles[u.pk]]) for u in users]
    return render(
        request,
        "admins/role_list.html",
        {"page": page, "rows": rows, "q": q, "form": RoleGrantForm()},
    )


@require_POST
@allowed(policy.may_manage_access)
def role_grant(request: HttpRequest, user_id: int) -> HttpResponse:
    form = RoleGrantForm(request.POST)
    if form.is_valid():
        try:
            services.role_grant(
                actor=viewer_of(request), user_id=user_id, role=form.cleaned_data["role"]
            )
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Role granted."))
    else:
        messages.error(request, _("Choose a role."))
    return redirect("web:role_list")


@require_POST
@allowed(policy.may_manage_access)
def role_revoke(request: HttpRequest, user_id: int, role: str) -> HttpResponse:
    try:
        services.role_revoke(actor=viewer_of(request), user_id=user_id, role=role)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Role revoked."))
    return redirect("web:role_list")


@allowed(policy.may_manage_access)
def lockout_list(request: HttpRequest) -> HttpResponse:
    attempts = selectors.lockout_list(viewer=viewer_of(request))
    return render(request, "admins/lockout_list.html", {"attempts": attempts})


@require_POST
@allowed(policy.may_manage_access)
def lockout_reset(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "")[:150]
    services.lockout_clear(actor=viewer_of(request), username=username)
    messages.success(request, _("Lockout cleared."))
    return redirect("web:lockout_list")


@allowed(policy.may_manage_access)
def token_list(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.token_list(viewer=viewer_of(request)), request.GET.get("page"))
    return render(request, "admins/token_list.html", {"page": page})


@require_POST
@allowed(policy.may_manage_access)
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    services.token_revoke(actor=viewer_of(request), token_id=token_id)
    messages.success(request, _("Token revoked."))
    return redirect("web:token_list")


# --- audit administrator -------------------------------------------------------------------


@allowed(policy.may_read_audit)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    filters = EventFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = EventFilters(
            q=data["q"].strip(),
            object_type=data["object_type"].strip(),
            since=data["since"],
            until=data["until"],
        )
    page = paginate(
        event_search(viewer=viewer_of(request), filters=filters), request.GET.get("page")
    )
    return render(request, "admins/audit_list.html", {"form": form, "page": page})


@require_POST
@allowed(policy.may_read_audit)
def audit_verify(request: HttpRequest) -> HttpResponse:
    result = audit.verify()
    head = audit.anchor()
    return render(request, "admins/audit_verify.html", {"result": result, "head": head})

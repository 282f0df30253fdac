"""Pages of the three separated administrators: accounts, roles and lockouts, the audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from oversight import audit
from oversight.audit.presentation import present
from oversight.audit.selectors import EventFilters, event_search
from oversight.core import clock
from oversight.core.pagination import paginate
from oversight.org import account_selectors, policy, selectors, services
from oversight.org.models import Role, User
from oversight.org.scope import Viewer
from oversight.web.forms import AccountCreateForm, AuditSearchForm, RoleGrantForm
from oversight.web.shortcuts import act, allowed, confirmed, render, submit, viewer_of

GET_OR_POST = require_http_methods(["GET", "POST"])


def _back(request: HttpRequest, default: str) -> str:
    """Return the list page to go back to, with its filter and page (``next``), or ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    prefix = default.split("?")[0]
    if target.startswith(prefix) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return target
    return default


def _with_next(url: str, back: str) -> str:
    return f"{url}?{urlencode({'next': back})}"


def _person(user: User) -> str:
    """Name an account in a sentence: by its holder's name (user names are codes to a reader)."""
    return user.display_name or user.username


def _person_named(request: HttpRequest, username: str) -> str:
    found = selectors.account_list(viewer=viewer_of(request)).filter(username=username).first()
    return _person(found) if found else username


def _account(request: HttpRequest, user_id: int) -> tuple[Viewer, User]:
    """The viewer and the account they name (404 if they may not see it)."""
    viewer = viewer_of(request)
    return viewer, selectors.account_get(viewer=viewer, user_id=user_id)


# --- system administrator: accounts ------------------------------------------------------------


@allowed(policy.may_manage_accounts)
def account_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    q = request.GET.get("q", "").strip()[:60]
    page = paginate(selectors.account_list(viewer=viewer, q=q), request.GET.get("page"))
    users = list(page.object_list)
    ids = [u.pk for u in users]
    waiting = account_selectors.awaiting_activation(viewer)
    return render(
        request,
        "admins/account_list.html",
        {
            "page": page,
            "users": users,
            "q": q,
            "enrolled": selectors.mfa_enrolled(viewer=viewer, user_ids=ids),
            "opened": account_selectors.open_activations_by_user(viewer, ids),
            "never_activated": account_selectors.never_activated(viewer, ids),
            "waiting": list(waiting[:20]),
            "waiting_count": waiting.count(),
            "now": clock.now(),
        },
    )


@allowed(policy.may_manage_accounts)
def account_create(request: HttpRequest) -> HttpResponse:
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = submit(
            form,
            lambda: services.account_create_admin(
                actor=viewer_of(request),
                username=form.cleaned_data["username"],
                display_name=form.cleaned_data["display_name"],
            ),
        )
        if user is not None:
            return redirect("web:account_detail", user_id=user.pk)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "title": _("New administrator account"),
            "cancel_url": reverse("web:account_list"),
        },
    )


@require_safe
@allowed(policy.may_manage_accounts)
def account_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    viewer, user = _account(request, user_id)
    facts = {
        "account": user,
        "enrolled": bool(selectors.mfa_enrolled(viewer=viewer, user_ids=[user.pk])),
        "activation": account_selectors.open_activation_of(viewer, user.pk),
        "never_activated": bool(account_selectors.never_activated(viewer, [user.pk])),
        "is_officer": account_selectors.is_officer_account(viewer, user.pk),
        "now": clock.now(),
    }
    return render(request, "admins/account_detail.html", facts)


@GET_OR_POST
@allowed(policy.may_manage_accounts)
def account_set_active(request: HttpRequest, user_id: int, active: bool) -> HttpResponse:
    viewer, user = _account(request, user_id)
    if active:
        ask = {
            "title": _("Reactivate %(u)s") % {"u": _person(user)},
            "consequence": _("The account can log in again with its password."),
            "action": _("Reactivate"),
            "danger": False,
        }
    else:
        ask = {
            "title": _("Deactivate %(u)s") % {"u": _person(user)},
            "consequence": _(
                "The account can no longer log in and its sessions end at their next request; "
                "an activation under way is withdrawn. Its roles and history are kept, and it "
                "can be reactivated."
            ),
            "action": _("Deactivate"),
        }
    return confirmed(
        request,
        back=reverse("web:account_detail", args=[user.pk]),
        ask=ask,
        call=lambda: services.account_set_active(actor=viewer, user_id=user.pk, active=active),
        done=_("Account reactivated.") if active else _("Account deactivated."),
    )


def _who_issues(officer: bool) -> str:
    if officer:
        return _(
            "A leader of the officer's bureau will see a one-time code on their page of codes "
            "to hand over, and give it to the officer in person."
        )
    return _(
        "Another administrator (not you) will approve it, see a one-time code once and give it "
        "to the account's holder in person."
    )


@GET_OR_POST
@allowed(policy.may_manage_accounts)
def account_activation_request(request: HttpRequest, user_id: int) -> HttpResponse:
    viewer, user = _account(request, user_id)
    rest = _(
        "With the code the holder chooses a new password; their second factor is removed and "
        "all their sessions end. You never see the code."
    )
    officer = account_selectors.is_officer_account(viewer, user.pk)
    return confirmed(
        request,
        back=reverse("web:account_detail", args=[user.pk]),
        ask={
            "title": _("Request activation of %(u)s") % {"u": _person(user)},
            "consequence": f"{_who_issues(officer)} {rest}",
            "action": _("Request activation"),
            "danger": False,
        },
        call=lambda: services.activation_request(actor=viewer, user_id=user.pk),
        done=_("Activation requested: the code is now waiting to be issued by someone else."),
    )


@GET_OR_POST
@allowed(policy.may_manage_accounts)
def account_activation_cancel(request: HttpRequest, user_id: int) -> HttpResponse:
    viewer, user = _account(request, user_id)
    return confirmed(
        request,
        back=reverse("web:account_detail", args=[user.pk]),
        ask={
            "title": _("Withdraw the activation of %(u)s") % {"u": _person(user)},
            "consequence": _("A code already issued stops working. You can request a new one."),
            "action": _("Withdraw"),
        },
        call=lambda: services.activation_cancel(actor=viewer, user_id=user.pk),
        done=_("Activation withdrawn."),
    )


# --- security administrator: roles, lockouts, tokens ------------------------------------------


@allowed(policy.may_manage_access)
def role_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    q = request.GET.get("q", "").strip()[:60]
    no_role = request.GET.get("norole") == "1"
    accounts = selectors.account_list(viewer=viewer, q=q)
    if no_role:
        accounts = accounts.filter(pk__in=account_selectors.without_role(viewer).values("pk"))
    page = paginate(accounts, request.GET.get("page"))
    users = list(page.object_list)
    ids = [u.pk for u in users]
    held = selectors.active_roles_by_user(ids)
    grantable = account_selectors.grantable_roles(viewer, ids)
    here = request.get_full_path()
    rows = [
        {
            "user": u,
            "roles": [
                (Role(code).label, _with_next(reverse("web:role_revoke", args=[u.pk, code]), here))
                for code in held[u.pk]
            ],
            "form": RoleGrantForm(roles=grantable[u.pk], auto_id=f"id_%s_{u.pk}")
            if grantable[u.pk]
            else None,
        }
        for u in users
    ]
    return render(
        request,
        "admins/role_list.html",
        {"page": page, "rows": rows, "q": q, "no_role": no_role, "here": here},
    )


@require_POST
@allowed(policy.may_manage_access)
def role_grant(request: HttpRequest, user_id: int) -> HttpResponse:
    back = _back(request, reverse("web:role_list"))
    form = RoleGrantForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: services.role_grant(
                actor=viewer_of(request), user_id=user_id, role=form.cleaned_data["role"]
            ),
            _("Role granted."),
        )
    else:
        messages.error(request, _("Choose a role."))
    return redirect(back)


@GET_OR_POST
@allowed(policy.may_manage_access)
def role_revoke(request: HttpRequest, user_id: int, role: str) -> HttpResponse:
    viewer = viewer_of(request)
    if role not in Role.values:
        raise Http404
    user = selectors.account_get(viewer=viewer, user_id=user_id)
    return confirmed(
        request,
        back=_back(request, reverse("web:role_list")),
        ask={
            "title": _("Revoke a role"),
            "consequence": _("%(u)s loses the role %(role)s from their next request on.")
            % {"u": _person(user), "role": Role(role).label},
            "action": _("Revoke"),
        },
        call=lambda: services.role_revoke(actor=viewer, user_id=user.pk, role=role),
        done=_("Role revoked."),
    )


@allowed(policy.may_manage_access)
def lockout_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "admins/lockout_list.html",
        {
            "states": account_selectors.lockout_states(viewer_of(request)),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )


@GET_OR_POST
@allowed(policy.may_manage_access)
def lockout_reset(request: HttpRequest) -> HttpResponse:
    username = (request.POST.get("username") or request.GET.get("username") or "")[:150]
    return confirmed(
        request,
        back=reverse("web:lockout_list"),
        ask={
            "title": _("Clear the failed logins of %(u)s")
            % {"u": _person_named(request, username)},
            "consequence": _(
                "The record of failed logins of this user name is deleted and the account can "
                "log in at once. Do it only after you have made sure the person asking is its "
                "holder."
            ),
            "action": _("Clear"),
        },
        call=lambda: services.lockout_clear(actor=viewer_of(request), username=username),
        done=_("Lockout cleared."),
    )


@allowed(policy.may_manage_access)
def token_list(request: HttpRequest) -> HttpResponse:
    page = paginate(selectors.token_list(viewer=viewer_of(request)), request.GET.get("page"))
    return render(
        request, "admins/token_list.html", {"page": page, "here": request.get_full_path()}
    )


@GET_OR_POST
@allowed(policy.may_manage_access)
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    token = selectors.token_list(viewer=viewer).filter(pk=token_id).first()
    if token is None:
        raise Http404
    return confirmed(
        request,
        back=_back(request, reverse("web:token_list")),
        ask={
            "title": _("Revoke an API token"),
            "consequence": _(
                "Programs using the token “%(name)s” of %(u)s are refused from now on. A revoked "
                "token cannot be restored; a new one is issued on the server."
            )
            % {"name": token.name, "u": _person(token.user)},
            "action": _("Revoke"),
        },
        call=lambda: services.token_revoke(actor=viewer, token_id=token.pk),
        done=_("Token revoked."),
    )


# --- audit administrator -------------------------------------------------------------------


@allowed(policy.may_read_audit)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    filters = EventFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = EventFilters(
            q=data["q"],
            action=data["action"],
            object_type=data["object_type"],
            actor=data["actor"],
            since=data["since"],
            until=data["until"],
        )
    events = event_search(viewer=viewer_of(request), filters=filters)
    if form.is_bound and not form.is_valid():
        events = events.none()
    page = paginate(events, request.GET.get("page"))
    rows = present(page.object_list)
    return render(request, "admins/audit_list.html", {"form": form, "page": page, "rows": rows})


@require_POST
@allowed(policy.may_read_audit)
def audit_verify(request: HttpRequest) -> HttpResponse:
    from django.utils.html import format_html

    checked = audit.check()
    # The folder's path is an identifier the operator needs, shown as such inside the sentence.
    folder = format_html('<span class="ident">{}</span>', checked.folder)
    return render(
        request,
        "admins/audit_verify.html",
        {"check": checked, "head": audit.anchor(), "folder_ident": folder},
    )

"""Login, activation with a code, second factor, password change, logout."""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import wraps
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.shortcuts import render as django_render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from oversight.core import clock
from oversight.core.errors import Conflict
from oversight.org import mfa, services
from oversight.org.passwords import configured_rules
from oversight.org.policy import password_expired
from oversight.web.forms import ActivateForm, LoginForm, PasswordChangeForm, TokenForm
from oversight.web.shortcuts import render, submit


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return reverse("web:home")


def _login_context(form: LoginForm, next_url: str) -> dict[str, Any]:
    return {
        "form": form,
        "next": next_url,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }


def anonymous_only(view: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for people not logged in (login, activation): the logged-in go home. Never cached,
    CSRF-checked."""

    @never_cache
    @csrf_protect
    @wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect("web:home")
        return view(request)

    return wrapper


@anonymous_only
def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None:
            login(request, user)
            return HttpResponseRedirect(_safe_next(request))
        form.add_error(None, _("Wrong user name or password."))
    return render(request, "auth/login.html", _login_context(form, _safe_next(request)))


def lockout_response(
    request: HttpRequest, response: Any = None, credentials: Any = None
) -> HttpResponse:
    """Tell a locked-out user for how long, without saying whether the account exists."""
    form = LoginForm(request.POST or None)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form.errors.clear()
    form.add_error(
        None,
        _("Too many failed attempts: login is locked for %(m)d minutes.") % {"m": minutes},
    )
    return django_render(request, "auth/login.html", _login_context(form, ""), status=429)


def _code_error(check: mfa.CodeCheck) -> str:
    """Say the code was wrong; only when codes are not being tried yet, say how long to wait."""
    if check.wait_seconds:
        return ngettext(
            "Wait %(s)d second, then enter the code your app shows at that moment.",
            "Wait %(s)d seconds, then enter the code your app shows at that moment.",
            check.wait_seconds,
        ) % {"s": check.wait_seconds}
    return _("The code is wrong or has expired.")


@anonymous_only
def activate(request: HttpRequest) -> HttpResponse:
    """Set one's password with an activation code (first activation or credential reset)."""
    form = ActivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = submit(
            form,
            lambda: services.activation_use(
                username=data["username"], code=data["code"], password=data["password"]
            ),
        )
        if user is not None:
            messages.success(request, _("Your password is set. Log in with it."))
            return redirect("web:login")
    return render(request, "auth/activate.html", {"form": form})


@never_cache
def mfa_verify(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("web:login")
    if mfa.confirmed_device(request.user) is None:
        return redirect("web:mfa_enroll")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = services.mfa_verify(user=request.user, token=form.cleaned_data["token"])
        if check.ok and check.device is not None:
            otp_login(request, check.device)
            return redirect("web:home")
        form.add_error("token", _code_error(check))
    return render(request, "auth/mfa_verify.html", {"form": form})


@never_cache
def mfa_enroll(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("web:login")
    if mfa.confirmed_device(request.user) is not None:
        return redirect("web:mfa_verify")
    device = mfa.pending_device(request.user)
    if device is None:
        try:
            device = services.mfa_enrolment_start(user=request.user)
        except Conflict:  # another tab started it a moment ago
            return redirect("web:mfa_enroll")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = services.mfa_enrolment_confirm(
            user=request.user, device=device, token=form.cleaned_data["token"]
        )
        if check.ok:
            otp_login(request, device)
            return redirect("web:home")
        form.add_error("token", _code_error(check))
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    return render(
        request,
        "auth/mfa_enroll.html",
        {"form": form, "secret": secret, "qr": qr},
    )


@never_cache
def password_change(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect("web:login")
    user = request.user
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        changed = submit(
            form,
            lambda: services.password_change(
                user=user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            ),
        )
        if changed is not None:
            update_session_auth_hash(request, user)
            return redirect("web:home")
    rules = configured_rules()
    expired = password_expired(user.password_changed_at, clock.now(), rules)
    return render(
        request,
        "auth/password_change.html",
        {"form": form, "expired": expired, "max_age_days": rules.max_age_days},
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")

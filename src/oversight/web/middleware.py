"""Session rules of the web UI: idle timeout, second factor, password change."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from oversight.core import clock
from oversight.org.passwords import configured_rules
from oversight.org.policy import mfa_required, password_expired
from oversight.org.scope import viewer_for

EXEMPT_PREFIXES = ("/static/", "/healthz", "/api/", "/login/", "/logout/")
_LAST_SEEN = "oversight_last_seen"


def _is_exempt(path: str) -> bool:
    return path.startswith(EXEMPT_PREFIXES)


class IdleTimeoutMiddleware:
    """Log a session out after ``SESSION_IDLE_SECONDS`` without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not request.path.startswith(("/static/", "/api/")):
            now = clock.now().timestamp()
            last = request.session.get(_LAST_SEEN)
            if last is not None and now - float(last) > settings.SESSION_IDLE_SECONDS:
                logout(request)
                messages.info(request, _("Your session ended after a period of inactivity."))
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{reverse('web:login')}?{query}")
            request.session[_LAST_SEEN] = now
        return self.get_response(request)


class AccountGateMiddleware:
    """Attach ``request.viewer``; send users who owe a second factor or a new password there."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.viewer = SimpleLazyObject(lambda: viewer_for(request.user))  # type: ignore[attr-defined]
        user = request.user
        if user.is_authenticated and not _is_exempt(request.path):
            redirect = self._gate(request)
            if redirect is not None:
                return redirect
        return self.get_response(request)

    def _gate(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        path = request.path
        if path.startswith("/mfa/"):
            return None
        viewer = request.viewer  # type: ignore[attr-defined]
        if mfa_required(settings.OVERSIGHT_MFA, viewer.roles) and not user.is_verified():  # type: ignore[union-attr]
            return HttpResponseRedirect(reverse("web:mfa_verify"))
        if path.startswith("/password/"):
            return None
        expired = password_expired(user.password_changed_at, clock.now(), configured_rules())  # type: ignore[union-attr]
        if user.must_change_password or expired:  # type: ignore[union-attr]
            return HttpResponseRedirect(reverse("web:password_change"))
        return None


class LanguageMiddleware:
    """Speak the user's chosen language, or Chinese: never what a browser's headers ask for.

    Activated afresh for every request, so one user's choice never carries over to the next
    request served by the same thread. API requests switch to the token holder's language when
    the token is checked (``oversight.api.auth``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        language = getattr(user, "language", "") if user.is_authenticated else ""
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.setdefault("Content-Language", translation.get_language())
        return response

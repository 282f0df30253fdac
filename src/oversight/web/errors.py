"""Turn domain refusals into pages: 404 for what the viewer may not see, 403, or 400."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from oversight.core.errors import DomainError, NotFound, PermissionDenied
from oversight.core.problems import problem


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """Answer a refusal with its page (never re-raised, so the log holds no traceback)."""
        if request.path.startswith("/api/") or not isinstance(exc, DomainError):
            return None
        if isinstance(exc, NotFound):
            return render(request, "404.html", status=404)
        if isinstance(exc, PermissionDenied):
            return render(request, "403.html", status=403)
        return render(request, "400.html", {"message": exc.message}, status=exc.status)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem(request, 404, _("Not found"))
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem(request, 500, _("Internal error"), _("The error was logged."))
    return render(request, "500.html", status=500)

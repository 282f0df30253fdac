"""RFC 9457 problem details for every API error; never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from oversight.core.errors import DomainError
from oversight.core.problems import problem

log = logging.getLogger(__name__)


def _field(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """Name the field of a validation error: ("body", "payload", "code") -> "code"."""
    parts = [str(p) for p in loc[1:]]
    if parts and parts[0] in {"payload", "query"}:
        parts = parts[1:]
    return ".".join(parts) or None


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{"field": _field(e.get("loc", ())), "message": e.get("msg")} for e in exc.errors]
        return problem(request, 422, _("The input is not valid"), errors=errors)

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(request, 401, _("A valid bearer token is required"))
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem(request, exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(request, 404, _("Not found"))

    @api.exception_handler(DomainError)
    def on_domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        extra = {"field": exc.field} if exc.field else {}
        return problem(request, exc.status, str(exc.title), str(exc.message), **extra)

    @api.exception_handler(Exception)
    def on_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("API error on %s", request.path)
        return problem(request, 500, _("Internal error"), _("The error was logged."))

"""RFC 9457 problem details for every API error, in the user's language; never a stack trace.

Statuses: 400 for a body that cannot be read (not JSON, a key given twice); 422 for a field
refused (in the body, the query or the path), naming it; 409 for a request the current state of
the data refuses (a duplicate, a unit that still has members, one's own bureau); 401, 403, 404
(missing or out of scope, never told apart), 413, 415.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from oversight.core.errors import DomainError
from oversight.core.problems import body_too_large, problem

log = logging.getLogger(__name__)


class ProblemError(Schema):
    field: str | None
    message: str


class Problem(Schema):
    """An error, as RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    field: str | None = None
    errors: list[ProblemError] | None = None


READ_ERRORS: dict[int | str, Any] = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    422: Problem,
}
WRITE_ERRORS: dict[int | str, Any] = {
    **READ_ERRORS,
    409: Problem,
    413: Problem,
    415: Problem,
    422: Problem,
}


class DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


class StrictJsonParser(Parser):
    """JSON bodies with each key once: ``{"name": "a", "name": "b"}`` is ambiguous, so refused."""

    def parse_body(self, request: HttpRequest) -> Any:
        return json.loads(request.body, object_pairs_hook=_no_duplicates)


def _message(error: dict[str, Any]) -> str:
    """Say what is wrong with one field, in words (pydantic's own messages are English)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "invalid":
        return str(error.get("msg", ""))
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return _("Send a JSON object.")
    if kind == "extra_forbidden":
        return _("This field is not known.")
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        return _("The number is out of range.")
    if kind == "string_type":
        return _("Enter text.")
    if kind in {"list_type"}:
        return _("Send a list.")
    log.info("untranslated validation error %s (%s)", kind, ctx)
    return _("The value is not valid.")


def _field(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """Name the field of a validation error: ("body", "payload", "code") -> "code"."""
    parts = [str(p) for p in loc[1:]]
    if parts and parts[0] in {"payload", "query"}:
        parts = parts[1:]
    return ".".join(parts) or None


def _unreadable_body(exc: HttpError) -> str | None:
    """Return nothing unless ``exc`` is ninja's refusal of a body that is not JSON."""
    cause = exc.__cause__
    if exc.status_code != 400 or cause is None:
        return None
    if isinstance(cause, DuplicateKey):
        return _("The key “%(key)s” appears twice in the body.") % {"key": cause.key}
    return _("The body is not valid JSON (UTF-8).")


def install(api: NinjaAPI) -> None:
    """Answer every error of ``api`` as problem+json."""

    @api.exception_handler(ValidationError)
    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{"field": _field(e.get("loc", ())), "message": _message(e)} for e in exc.errors]
        return problem(request, 422, _("The input is not valid"), errors=errors)

    @api.exception_handler(AuthenticationError)
    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = problem(request, 401, _("A valid bearer token is required"))
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        detail = _unreadable_body(exc)
        if detail is not None:
            return problem(request, 400, _("The body cannot be read"), detail)
        return problem(request, exc.status_code, _("The request was refused"))

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return body_too_large(request)

    @api.exception_handler(Http404)
    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem(request, 404, _("Not found"))

    @api.exception_handler(DomainError)
    def on_domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        extra = {"field": exc.field} if exc.field else {}
        status = exc.status
        if status == 400:  # a rule refused it: about one field (422), or about the data's state
            status = 422 if exc.field else 409
        return problem(request, status, str(exc.title), str(exc.message), **extra)

    @api.exception_handler(Exception)
    def on_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("API error on %s", request.path)
        return problem(request, 500, _("Internal error"), _("The error was logged."))


def document_problems(schema: dict[str, Any]) -> dict[str, Any]:
    """Say in the OpenAPI document that errors come as ``application/problem+json``."""
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if int(status) >= 400 and "application/json" in content:
                    content["application/problem+json"] = content.pop("application/json")
    return schema

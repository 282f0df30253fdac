"""RFC 9457 problem details: the one shape of every API error."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

PROBLEM = "application/problem+json"


def problem(
    request: HttpRequest, status: int, title: str, detail: str = "", **extra: Any
) -> HttpResponse:
    """Return a problem+json response; ``extra`` adds members such as ``errors`` or ``field``."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body["instance"] = request.path
    request_id = getattr(request, "request_id", None)
    if request_id:
        body["request_id"] = request_id
    body.update(extra)
    return JsonResponse(
        body, status=status, content_type=PROBLEM, json_dumps_params={"ensure_ascii": False}
    )


def body_too_large(request: HttpRequest, limit: int | None = None) -> HttpResponse:
    """Answer 413: the body is larger than ``limit`` (by default ``OVERSIGHT_MAX_BODY_BYTES``),
    as a page or a problem."""
    limit = limit or settings.OVERSIGHT_MAX_BODY_BYTES
    if not request.path.startswith("/api/"):
        return render(request, "413.html", {"kib": limit // 1024}, status=413)
    return problem(
        request,
        413,
        _("The request is too large"),
        _("A request body may hold at most %(kib)d KiB.") % {"kib": limit // 1024},
    )


def unsupported_media_type(request: HttpRequest) -> HttpResponse:
    """Answer 415: the API reads JSON bodies only."""
    return problem(
        request,
        415,
        _("The body must be JSON"),
        _("Send the body as application/json."),
    )

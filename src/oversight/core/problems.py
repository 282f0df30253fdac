"""RFC 9457 problem details: the one shape of every API error."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

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

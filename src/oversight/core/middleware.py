"""Give every request an id and remember its client address for the audit trail."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from oversight.core.context import RequestContext, bound, new_request_id

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def client_ip(request: HttpRequest) -> str | None:
    """Return the client address: REMOTE_ADDR (a proxy in front must set it, not a header)."""
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else new_request_id()
        channel = "api" if request.path.startswith("/api/") else "web"
        request.request_id = request_id  # type: ignore[attr-defined]
        with bound(RequestContext(request_id=request_id, ip=client_ip(request), channel=channel)):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response

"""Give every request an id and remember its client address for the audit trail."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from oversight.core.context import RequestContext, bound, new_request_id
from oversight.core.problems import body_too_large, unsupported_media_type

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


_JSON_TYPES = ("application/json",)


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def accepts_upload(setting: str) -> Callable[[Callable[..., HttpResponse]], Any]:
    """Let a view take bodies up to ``settings.<setting>`` bytes (a spreadsheet to import)."""

    def mark(view: Callable[..., HttpResponse]) -> Any:
        view.body_limit_setting = setting  # type: ignore[attr-defined]
        return view

    return mark


def body_limit(request: HttpRequest) -> int:
    """The largest body the view of ``request`` reads: its upload limit, or the general one."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return int(settings.OVERSIGHT_MAX_BODY_BYTES)
    setting = getattr(view, "body_limit_setting", None)
    return int(getattr(settings, setting) if setting else settings.OVERSIGHT_MAX_BODY_BYTES)


class RequestBoundaryMiddleware:
    """Refuse what no view should read: bodies over the limit (413) and, for the API, bodies
    that are not JSON (415). Bodies without a declared length are capped by Django's
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``, set to the same limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = _declared_length(request)
        if length > settings.OVERSIGHT_MAX_BODY_BYTES:
            limit = body_limit(request)
            if length > limit:
                return body_too_large(request, limit)
        content_type = request.content_type or ""
        if (
            request.path.startswith("/api/")
            and length > 0
            and content_type not in _JSON_TYPES
            and not content_type.endswith("+json")
        ):
            return unsupported_media_type(request)
        return self.get_response(request)


# Features no page of Oversight uses are switched off; the camera stays available to the
# site itself for photographing evidence on a tablet.
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "bluetooth=()",
        "camera=(self)",
        "display-capture=()",
        "geolocation=(self)",
        "gyroscope=()",
        "hid=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "serial=()",
        "usb=()",
    ]
)


class NoStoreMiddleware:
    """Keep what the application answers out of caches (shared PCs, proxies): ``no-store``.

    Placed after WhiteNoise, so static files keep their long-lived caching; every page and API
    answer, signed in or not, is ``no-store`` and carries the Permissions-Policy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

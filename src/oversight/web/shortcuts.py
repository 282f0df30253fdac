"""Small helpers shared by the views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from oversight.org.scope import Viewer

View = Callable[..., HttpResponse]


def viewer_of(request: HttpRequest) -> Viewer:
    return request.viewer  # type: ignore[attr-defined]


def business_required(view: View) -> View:
    """Let in only business roles (never the three administrators)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not viewer_of(request).sees_business_data:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def leader_required(view: View) -> View:
    """Let in only leaders (who maintain the organisation inside their scope)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        viewer = viewer_of(request)
        if not viewer.sees_business_data or not viewer.has("LEADER"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def role_required(*roles: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not viewer_of(request).has(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return TemplateResponse(request, template, context, status=status)

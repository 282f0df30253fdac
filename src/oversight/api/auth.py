"""Bearer-token authentication for the API (tokens from ``oversight token issue``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from oversight.org.scope import Viewer, viewer_for
from oversight.org.services import token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is None:
            return None
        request.viewer = viewer_for(user)  # type: ignore[attr-defined]
        return user


def viewer(request: HttpRequest) -> Viewer:
    return request.viewer  # type: ignore[attr-defined]

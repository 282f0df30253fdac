"""Bearer tokens, then the permission rule, then the scope of every id the request names.

Each operation states its rule and the ids it takes (``guard(rule, refs)``); all three checks
run in ninja's authentication step, before any parameter or body is validated, so a request
naming another jurisdiction's row answers 404 whatever else it holds, and a request its role may
not make answers 403 without a word about its input.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja.security import HttpBearer

from oversight.core.errors import require
from oversight.core.refs import check_refs
from oversight.org.scope import Viewer, viewer_for
from oversight.org.services import token_authenticate

Rule = Callable[[Viewer], bool]


class BearerToken(HttpBearer):
    """A valid token, and the operation's rule and references, or the request goes no further."""

    def __init__(self, rule: Rule | None = None, refs: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.rule = rule
        self.refs = dict(refs or {})

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is None:
            return None
        translation.activate(user.language or settings.LANGUAGE_CODE)
        viewer = viewer_for(user)
        request.viewer = viewer  # type: ignore[attr-defined]
        if self.rule is not None:
            require(self.rule(viewer))
        if self.refs:
            match = request.resolver_match
            check_refs(viewer, self.refs, match.kwargs if match else {})
            check_refs(viewer, self.refs, request.GET)
            check_refs(viewer, self.refs, _body_values(request))
        return user


def guard(rule: Rule | None = None, **refs: str) -> BearerToken:
    """Return the authentication of an operation: its rule, and ``field=kind`` for its ids."""
    return BearerToken(rule, refs)


def _body_values(request: HttpRequest) -> Mapping[str, Any]:
    """The top-level members of a JSON body, or nothing when it is not a JSON object.

    Read leniently: a malformed body is refused later, with its reason, by validation.
    """
    if request.method not in ("POST", "PUT", "PATCH") or not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def viewer(request: HttpRequest) -> Viewer:
    return request.viewer  # type: ignore[attr-defined]

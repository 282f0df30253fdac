"""A limit on how often one address may ask for the public pages (一公开), which need no login.

A fixed window per minute and per client address, counted in Django's cache. With the default
local-memory cache the count is per server process: the reverse proxy in front of Oversight
should limit too (docs/operations.md). Staff pages are not limited here: they need a login.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from oversight.core import clock
from oversight.core.middleware import client_ip


def public_rate_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 429, with when to come back, past ``OVERSIGHT_PUBLIC_REQUESTS_PER_MINUTE``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit = settings.OVERSIGHT_PUBLIC_REQUESTS_PER_MINUTE
        now = clock.now()
        key = f"public-rate:{client_ip(request)}:{now:%Y%m%d%H%M}"
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr: count this one as the first
            cache.set(key, 1, timeout=120)
            count = 1
        if count > limit:
            wait = 60 - now.second
            response = HttpResponse(
                _("Too many requests from your address: try again in %(s)d seconds.") % {"s": wait},
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(wait)
            return response
        return view(request, *args, **kwargs)

    return wrapper

"""Per-request context (request id, client address, actor) for the audit trail.

Set by ``RequestContextMiddleware`` for HTTP requests and by commands for the CLI; read by
``oversight.audit.record`` when a caller does not pass these values explicitly.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None
    channel: str  # "web", "api", "cli", "worker"


_current: ContextVar[RequestContext | None] = ContextVar("oversight_request", default=None)


def current() -> RequestContext | None:
    """Return the context of the request being served, if any."""
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def bound(ctx: RequestContext) -> Iterator[RequestContext]:
    """Bind a request context for the duration of the block."""
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)

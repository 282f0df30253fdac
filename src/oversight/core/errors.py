"""Errors a user may see: each carries a translated, plain message and never a stack trace."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain refused the request; ``message`` says which rule, for a user."""

    status = 400
    title: Any = _("The request was refused")

    def __init__(self, message: Any = None, *, field: str | None = None) -> None:
        self.message = message if message is not None else self.title
        self.field = field
        super().__init__(str(self.message))


class NotFound(DomainError):
    """The object does not exist or the viewer may not see it (the two are not told apart)."""

    status = 404
    title = _("Not found")


class PermissionDenied(DomainError):
    """The viewer's role does not allow this action."""

    status = 403
    title = _("You do not have permission to do this")


class Conflict(DomainError):
    """The request conflicts with the current state (a duplicate, a stale edit)."""

    status = 409
    title = _("Conflict with existing data")


def require(allowed: bool) -> None:
    """Raise PermissionDenied unless a rule allowed the action: ``require(rule(who))``."""
    if not allowed:
        raise PermissionDenied()

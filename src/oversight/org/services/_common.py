"""Helpers shared by the organisation services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from oversight.core.errors import DomainError, PermissionDenied
from oversight.org.models import Role, User
from oversight.org.scope import Viewer


def check_username(username: str) -> None:
    try:
        if not username:
            raise ValidationError("empty")
        User.username_validator(username)
    except ValidationError:
        raise DomainError(
            _("Enter a valid user name (letters, digits, @.+-_)."), field="username"
        ) from None


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def choice(value: str, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise DomainError(_("Unknown value %(v)s.") % {"v": value}, field=field)
    return value


def require_org_manager(actor: Viewer) -> None:
    if not actor.sees_business_data or not actor.has(Role.LEADER):
        raise PermissionDenied()

"""Audit every login, logout, failed login and lockout (等保 2.0: security-relevant events).

Django and django-axes announce these through signals; this module is where they become audit
events. It is the only place signals are used, since there is no service call to hook instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction

from oversight import audit


def _on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        audit.record(action="auth.login", actor=user, target=user)


def _on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    with transaction.atomic():
        audit.record(action="auth.logout", actor=user, target=user)


def _on_failure(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    with transaction.atomic():
        audit.record(action="auth.login_failed", actor_name=username, detail={"username": username})


def _on_lockout(sender: Any, request: Any = None, username: str = "", **kwargs: Any) -> None:
    with transaction.atomic():
        audit.record(
            action="auth.lockout",
            actor_name=str(username)[:150],
            detail={"username": username, "ip": kwargs.get("ip_address")},
        )


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(_on_login, dispatch_uid="oversight.audit.login")
    user_logged_out.connect(_on_logout, dispatch_uid="oversight.audit.logout")
    user_login_failed.connect(_on_failure, dispatch_uid="oversight.audit.login_failed")
    user_locked_out.connect(_on_lockout, dispatch_uid="oversight.audit.lockout")

"""API bearer tokens: only their SHA-256 is stored; the token is shown once."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from oversight import audit
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, NotFound, require
from oversight.org import policy
from oversight.org.models import ApiToken, User
from oversight.org.scope import Viewer

TOKEN_PREFIX = "ovs_"  # noqa: S105 - a marker, not a secret


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(
    *, actor: Viewer | None, username: str, name: str = "cli", days: int | None = 90
) -> tuple[ApiToken, str]:
    """Issue a bearer token for a user and return it with the raw token (shown only once)."""
    if actor is not None:
        require(policy.may_manage_access(actor))
    if days is not None and not 1 <= days <= 366:
        raise DomainError(_("A token lasts from 1 to 366 days."), field="days")
    with transaction.atomic():
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise DomainError(_("No active user named %(u)s.") % {"u": username}, field="username")
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = clock.now()
        token = ApiToken.objects.create(
            user=user,
            name=name.strip()[:60] or "cli",
            prefix=raw[:10],
            key_hash=token_hash(raw),
            created_at=now,
            expires_at=now + timedelta(days=days) if days else None,
        )
        audit.record(
            action="token.issue",
            actor=actor,
            target=token,
            after={"user": username, "prefix": token.prefix, "expires_at": token.expires_at},
        )
    return token, raw


def token_revoke(*, actor: Viewer | None, token_id: int) -> ApiToken:
    """Revoke a token for good; one already revoked is refused, so nothing passes silently."""
    if actor is not None:
        require(policy.may_manage_access(actor))
    with transaction.atomic():
        token = ApiToken.objects.filter(pk=token_id).first()
        if token is None:
            raise NotFound()
        if token.revoked_at is not None:
            raise Conflict(_("The token is already revoked."))
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit.record(action="token.revoke", actor=actor, target=token)
    return token


def token_authenticate(raw: str, *, now: datetime | None = None) -> User | None:
    """Return the active user a valid, unrevoked, unexpired token belongs to, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    now = now or clock.now()
    token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(raw)).first()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

"""First activation and credential reset by a one-time code handed over in person.

No administrator sets another user's password. The system administrator asks for an activation;
the code goes to someone else, who hands it to the user: for an officer, a leader whose scope
holds the officer; for an account with no officer, a second administrator (neither the one who
asked nor the target). The user sets their own password with it on /activate/. On the server
console, ``oversight account activate USERNAME`` issues a code directly (break-glass). See
docs/accounts.md.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight import audit
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, NotFound, require
from oversight.org import account_selectors, policy, selectors
from oversight.org.models import (
    AccountActivation,
    ActivationCancel,
    ActivationKind,
    Officer,
    User,
)
from oversight.org.scope import Viewer
from oversight.org.services.accounts import check_new_password, store_password
from oversight.org.services.mfa import mfa_devices_remove


class ActivationRefused(DomainError):
    """The user name, the code or its validity was wrong: one message for all, so that the page
    never tells whether a user name exists or has a code."""

    title = gettext_lazy("The user name or the code is wrong, or the code has expired.")


def _new_code() -> str:
    alphabet = policy.ACTIVATION_CODE_ALPHABET
    return "".join(secrets.choice(alphabet) for _ in range(policy.ACTIVATION_CODE_LENGTH))


def _close(activation: AccountActivation, reason: str, *, actor: Viewer | None) -> None:
    activation.cancelled_at = clock.now()
    activation.cancel_reason = reason
    activation.save(update_fields=["cancelled_at", "cancel_reason"])
    audit.record(
        action="account.activation_cancelled",
        actor=actor,
        target=activation.user,
        detail={"activation": activation.pk, "reason": reason},
    )


def _expired(activation: AccountActivation) -> bool:
    return activation.expires_at is not None and activation.expires_at <= clock.now()


def _lock_open(user: User) -> AccountActivation | None:
    return (
        account_selectors.open_activations()
        .select_for_update()
        .select_related("user")
        .filter(user=user)
        .first()
    )


def activation_request(*, actor: Viewer, user_id: int) -> AccountActivation:
    """Ask for a first activation or a credential reset of an account (system administrator).

    Raises NotFound, or DomainError when the account (or its officer) is deactivated, or Conflict
    when an activation is already under way. An expired one is closed and replaced.
    """
    require(policy.may_manage_accounts(actor))
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            raise NotFound()
        if not user.is_active:
            raise DomainError(_("Reactivate the account first."))
        if Officer.objects.filter(user=user, active=False).exists():
            raise DomainError(_("The officer's registration is deactivated."))
        current = _lock_open(user)
        if current is not None and not _expired(current):
            raise Conflict(_("An activation of this account is already under way."))
        if current is not None:
            _close(current, ActivationCancel.EXPIRED, actor=actor)
        kind = ActivationKind.RESET if user.has_usable_password() else ActivationKind.FIRST
        activation = AccountActivation.objects.create(
            user=user, kind=kind, requested_by_id=actor.pk, requested_at=clock.now()
        )
        audit.record(
            action="account.activation_requested",
            actor=actor,
            target=user,
            detail={"activation": activation.pk, "kind": kind},
        )
    return activation


def activation_cancel(*, actor: Viewer, user_id: int) -> AccountActivation:
    """Withdraw the activation under way for an account (system administrator)."""
    require(policy.may_manage_accounts(actor))
    with transaction.atomic():
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise NotFound()
        current = _lock_open(user)
        if current is None:
            raise Conflict(_("No activation of this account is under way."))
        _close(current, ActivationCancel.WITHDRAWN, actor=actor)
    return current


def _issue(activation: AccountActivation) -> str:
    """Give the activation a new code (only its hash is kept) and an expiry; return the code."""
    code = _new_code()
    now = clock.now()
    activation.code_hash = make_password(code)
    activation.issued_at = now
    activation.expires_at = now + timedelta(hours=settings.OVERSIGHT_ACTIVATION_HOURS)
    activation.save()
    return policy.activation_code_format(code)


def activation_issue(*, actor: Viewer, activation_id: int) -> tuple[AccountActivation, str]:
    """Issue the one-time code of an activation and return it (shown once, never stored).

    Only someone other than the requester and the target may (``activation_issuer_problem``):
    anyone else gets NotFound; a code already issued is a Conflict.
    """
    require(policy.may_issue_activation_codes(actor))
    with transaction.atomic():
        activation = (
            account_selectors.open_activations()
            .select_for_update()
            .select_related("user")
            .filter(pk=activation_id)
            .first()
        )
        if activation is None or not activation.user.is_active:
            raise NotFound()
        target = activation.user
        problem = policy.activation_issuer_problem(
            issuer_id=actor.pk,
            issuer_roles=actor.roles,
            requester_id=activation.requested_by_id,
            target_id=target.pk,
            target_is_officer=Officer.objects.filter(user=target).exists(),
            officer_in_issuer_scope=selectors.officers_visible(actor)
            .filter(user=target, active=True)
            .exists(),
        )
        if problem is not None:
            raise NotFound()
        if activation.issued_at is not None:
            raise Conflict(_("This code was issued already; it is not shown again."))
        activation.issued_by_id = actor.pk
        code = _issue(activation)
        audit.record(
            action="account.activation_issued",
            actor=actor,
            target=target,
            detail={"activation": activation.pk, "expires_at": activation.expires_at},
        )
    return activation, code


def activation_break_glass(*, username: str, operator: str) -> tuple[AccountActivation, str]:
    """Issue a code on the server console, with no second person (audited as break-glass).

    For when fewer than two other administrators exist. Replaces any activation under way.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username, is_active=True).first()
        if user is None:
            raise DomainError(_("No active user named %(u)s.") % {"u": username}, field="username")
        current = _lock_open(user)
        if current is not None:
            _close(current, ActivationCancel.SUPERSEDED, actor=None)
        kind = ActivationKind.RESET if user.has_usable_password() else ActivationKind.FIRST
        activation = AccountActivation(
            user=user, kind=kind, break_glass=True, requested_at=clock.now()
        )
        code = _issue(activation)
        audit.record(
            action="account.activation_break_glass",
            target=user,
            detail={
                "activation": activation.pk,
                "operator": operator,
                "expires_at": activation.expires_at,
            },
        )
    return activation, code


def _end_sessions(user: User) -> int:
    """Delete the user's web sessions (their password changed: every session ends)."""
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=clock.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()
    return len(mine)


def _refuse(username: str, reason: str, activation: AccountActivation | None) -> None:
    audit.record(
        action="account.activation_failed",
        actor_name=username[:150],
        target=activation.user if activation else None,
        detail={"username": username[:150], "reason": reason},
    )


def activation_use(*, username: str, code: str, password: str) -> User:
    """Set one's password with an activation code; return the user.

    The password follows the policy and the history rule; the second factor is removed (it is
    enrolled again at the next login if required), every session of the user ends and the code is
    spent. Five wrong codes cancel the activation. Raises ActivationRefused for any wrong user
    name, code or expiry alike, and DomainError on "password" for a password the policy refuses
    (the code is then not spent).
    """
    username = username.strip()
    typed = policy.activation_code_normal(code)
    with transaction.atomic():
        activation = _usable(username, typed)
        if activation is not None:
            return _activate(activation, password)
    raise ActivationRefused()


def _usable(username: str, typed: str) -> AccountActivation | None:
    """Return the open, issued, unexpired activation of ``username`` if ``typed`` is its code;
    else record why not (and count a wrong code) and return None."""
    activation = None
    if username and "\x00" not in username and len(username) <= 150:
        activation = (
            account_selectors.open_activations()
            .select_for_update()
            .select_related("user")
            .filter(user__username=username, user__is_active=True, issued_at__isnull=False)
            .first()
        )
    if activation is None:
        make_password(typed)  # as much work as a real check: the time taken tells nothing
        _refuse(username, "no_code", None)
        return None
    if _expired(activation):
        _refuse(username, "expired", activation)
        _close(activation, ActivationCancel.EXPIRED, actor=None)
        return None
    if not check_password(typed, activation.code_hash):
        activation.failed_attempts += 1
        activation.save(update_fields=["failed_attempts"])
        _refuse(username, "wrong_code", activation)
        if activation.failed_attempts >= policy.ACTIVATION_MAX_FAILURES:
            _close(activation, ActivationCancel.TOO_MANY_FAILURES, actor=None)
        return None
    return activation


def _activate(activation: AccountActivation, password: str) -> User:
    from axes.utils import reset as axes_reset

    user = activation.user
    check_new_password(password, user, field="password")
    store_password(user, password, field="password")
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    removed = 0
    if TOTPDevice.objects.filter(user=user).exists():
        removed = mfa_devices_remove(actor=None, user=user, reason="activation")
    sessions = _end_sessions(user)
    lockouts = axes_reset(username=user.username)
    activation.used_at = clock.now()
    activation.save(update_fields=["used_at"])
    audit.record(
        action="account.activation_used",
        actor=user,
        target=user,
        detail={
            "activation": activation.pk,
            "kind": activation.kind,
            "devices_removed": removed,
            "sessions_ended": sessions,
            "lockouts_cleared": lockouts,
        },
    )
    return user

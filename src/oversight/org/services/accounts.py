"""Accounts (the system administrator), one's own password, lockouts (security administrator)."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oversight import audit
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, NotFound
from oversight.org.models import PasswordHistory, Role, User
from oversight.org.passwords import configured_rules
from oversight.org.scope import Viewer
from oversight.org.services._common import check_username


def _password_errors(password: str, user: User | None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from None


def _store_password(user: User, raw: str, *, field: str) -> None:
    """Set a password unless it is one of the user's recent ones; keep it in the history.

    Raises DomainError naming ``field`` when the policy's history forbids the password.
    """
    keep = configured_rules().history
    if keep:
        recent = list(
            PasswordHistory.objects.filter(user=user)
            .order_by("-set_at", "-id")
            .values_list("encoded", flat=True)[:keep]
        )
        if any(check_password(raw, encoded) for encoded in recent):
            raise DomainError(
                _("The password must differ from your last %(n)d passwords.") % {"n": keep},
                field=field,
            )
    user.set_password(raw)
    user.password_changed_at = clock.now()
    if keep:
        PasswordHistory.objects.create(
            user=user, encoded=user.password, set_at=user.password_changed_at
        )
        stale = PasswordHistory.objects.filter(user=user).order_by("-set_at", "-id")[keep:]
        PasswordHistory.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()


def account_create_admin(*, actor: Viewer | None, username: str, display_name: str) -> User:
    """Create an account with no officer (an administrator's); the security admin grants roles."""
    if actor is not None:
        actor.require(Role.SYSTEM_ADMIN)
    username = username.strip()
    check_username(username)
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise Conflict(_("This user name is taken."), field="username")
        user = User(username=username, display_name=display_name.strip(), must_change_password=True)
        user.set_unusable_password()
        user.save()
        audit.record(
            action="account.create", actor=actor, target=user, after={"username": username}
        )
    return user


def account_set_password(*, actor: Viewer | None, user_id: int, password: str) -> User:
    """Set a first or reset password; the user must change it at next login."""
    if actor is not None:
        actor.require(Role.SYSTEM_ADMIN)
    with transaction.atomic():
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise NotFound()
        _password_errors(password, user)
        _store_password(user, password, field="password")
        user.must_change_password = actor is not None
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit.record(action="account.set_password", actor=actor, target=user)
    return user


def account_set_active(*, actor: Viewer, user_id: int, active: bool) -> User:
    actor.require(Role.SYSTEM_ADMIN)
    with transaction.atomic():
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise NotFound()
        if user.pk == actor.pk:
            raise DomainError(_("You cannot deactivate your own account."))
        if user.is_active != active:
            user.is_active = active
            user.save(update_fields=["is_active"])
            audit.record(
                action="account.activate" if active else "account.deactivate",
                actor=actor,
                target=user,
                after={"is_active": active},
            )
    return user


def account_reset_mfa(*, actor: Viewer, user_id: int) -> int:
    """Remove a user's second-factor devices so they enrol again at next login."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    actor.require(Role.SYSTEM_ADMIN)
    with transaction.atomic():
        if not User.objects.filter(pk=user_id).exists():
            raise NotFound()
        removed, _details = TOTPDevice.objects.filter(user_id=user_id).delete()
        audit.record(
            action="account.reset_mfa",
            actor=actor,
            object_type="org.user",
            object_id=user_id,
            detail={"devices_removed": removed},
        )
    return removed


def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """Change one's own password; the new one must differ and satisfy the policy."""
    if not user.check_password(old_password):
        raise DomainError(_("The current password is wrong."), field="old_password")
    if old_password == new_password:
        raise DomainError(_("The new password must differ from the old one."), field="new_password")
    _password_errors(new_password, user)
    with transaction.atomic():
        _store_password(user, new_password, field="new_password")
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit.record(action="account.change_password", actor=user, target=user)
    return user


def lockout_clear(*, actor: Viewer, username: str) -> int:
    """Lift a login lockout before its cool-off ends (security administrator)."""
    from axes.utils import reset as axes_reset

    actor.require(Role.SECURITY_ADMIN)
    with transaction.atomic():
        cleared = axes_reset(username=username)
        audit.record(
            action="auth.unlock", actor=actor, detail={"username": username, "cleared": cleared}
        )
    return cleared

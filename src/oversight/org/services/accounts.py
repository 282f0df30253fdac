"""Accounts (the system administrator), one's own password, lockouts (security administrator).

No administrator sets another person's password: an account gets its password through an
activation code (``oversight.org.services.activation``). ``account_set_password`` remains for
the system alone (``oversight init``, the demo, test fixtures).
"""

from __future__ import annotations

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oversight import audit
from oversight.core import clock
from oversight.core.errors import Conflict, DomainError, NotFound, require
from oversight.core.inputs import text_field
from oversight.org import policy
from oversight.org.models import (
    AccountActivation,
    ActivationCancel,
    Language,
    PasswordHistory,
    User,
)
from oversight.org.passwords import configured_rules
from oversight.org.scope import Viewer
from oversight.org.services._common import check_username, set_active_audited
from oversight.org.services.roles import refuse_last_holder


def check_new_password(password: str, user: User | None, *, field: str) -> None:
    """Raise DomainError on ``field`` unless the password satisfies the configured policy."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field=field) from None


def store_password(user: User, raw: str, *, field: str) -> None:
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
    """Create an account with no officer (an administrator's) and no password.

    It is activated with a code a second administrator issues; the security administrator grants
    its role.
    """
    if actor is not None:
        require(policy.may_manage_accounts(actor))
    username = username.strip()
    check_username(username)
    display_name = text_field(display_name, field="display_name", max_length=60, required=False)
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise Conflict(_("This user name is taken."), field="username")
        user = User(username=username, display_name=display_name, must_change_password=True)
        user.set_unusable_password()
        user.save()
        audit.record(
            action="account.create", actor=actor, target=user, after={"username": username}
        )
    return user


def account_set_password(
    *, actor: None, user_id: int, password: str, must_change: bool = False
) -> User:
    """Set a password as the system itself (init, demo, fixtures); no person may call this.

    ``must_change``: the user must choose their own at first login (a generated first password).
    """
    if actor is not None:
        raise DomainError(_("No administrator sets another person's password."))
    with transaction.atomic():
        user = User.objects.filter(pk=user_id).first()
        if user is None:
            raise NotFound()
        check_new_password(password, user, field="password")
        store_password(user, password, field="password")
        user.must_change_password = must_change
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit.record(
            action="account.set_password",
            actor=None,
            target=user,
            after={"must_change_password": must_change},
        )
    return user


def account_set_language(*, user: User, language: str) -> User:
    """Choose the language of one's own interface (Chinese unless one picks another)."""
    if language not in Language.values:
        raise DomainError(_("Choose a language from the list."), field="language")
    with transaction.atomic():
        if user.language == language:
            return user
        before = user.language
        user.language = language
        user.save(update_fields=["language"])
        audit.record(
            action="account.set_language",
            actor=user,
            target=user,
            before={"language": before},
            after={"language": language},
        )
    return user


def account_set_active(*, actor: Viewer, user_id: int, active: bool) -> User:
    """Deactivate or reactivate an account (system administrator).

    Deactivating withdraws an activation under way. Refused for one's own account, for the last
    active holder of an administrator role, and when the account is already in that state.
    """
    require(policy.may_manage_accounts(actor))
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            raise NotFound()
        if user.pk == actor.pk:
            raise DomainError(_("You cannot deactivate your own account."))
        withdrawn = 0
        if not active and user.is_active:
            refuse_last_holder(user)
            withdrawn = AccountActivation.objects.filter(
                user=user, used_at__isnull=True, cancelled_at__isnull=True
            ).update(cancelled_at=clock.now(), cancel_reason=ActivationCancel.WITHDRAWN)
        set_active_audited(
            user,
            actor,
            action="account.activate" if active else "account.deactivate",
            active=active,
            field="is_active",
            already=(
                _("The account is already active."),
                _("The account is already deactivated."),
            ),
            detail={"activations_withdrawn": withdrawn} if withdrawn else None,
        )
    return user


def password_change(*, user: User, old_password: str, new_password: str) -> User:
    """Change one's own password; the new one must differ and satisfy the policy."""
    if not user.check_password(old_password):
        raise DomainError(_("The current password is wrong."), field="old_password")
    if old_password == new_password:
        raise DomainError(_("The new password must differ from the old one."), field="new_password")
    check_new_password(new_password, user, field="new_password")
    with transaction.atomic():
        store_password(user, new_password, field="new_password")
        user.must_change_password = False
        user.save(update_fields=["password", "password_changed_at", "must_change_password"])
        audit.record(action="account.change_password", actor=user, target=user)
    return user


def lockout_clear(*, actor: Viewer, username: str) -> int:
    """Lift a login lockout before its cool-off ends (security administrator).

    Raises Conflict when no failed login of that user name is on record.
    """
    from axes.utils import reset as axes_reset

    require(policy.may_manage_access(actor))
    username = username.strip()[:150]
    with transaction.atomic():
        cleared = axes_reset(username=username) if username else 0
        if not cleared:
            raise Conflict(_("No failed logins are on record for this user name."))
        audit.record(
            action="auth.unlock", actor=actor, detail={"username": username, "cleared": cleared}
        )
    return cleared

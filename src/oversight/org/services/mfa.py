"""The second factor's writes: enrolment started and confirmed, codes checked, devices removed.

Each is audited. A user acts on their own devices only; devices are removed for someone else only
as part of a credential reset (``oversight.org.services.activation``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight import audit
from oversight.core import clock
from oversight.core.errors import Conflict
from oversight.org import mfa
from oversight.org.mfa import CodeCheck
from oversight.org.models import User


def mfa_enrolment_start(*, user: User) -> TOTPDevice:
    """Create the device a user enrols (its key is shown once on the page); audit it.

    Raises Conflict when the user already has a confirmed device or one being enrolled.
    """
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if TOTPDevice.objects.filter(user=user).exists():
            raise Conflict()
        device = TOTPDevice.objects.create(user=user, name="totp", confirmed=False)
        audit.record(
            action="auth.mfa_enrolment_started",
            actor=user,
            target=user,
            detail={"device": device.pk},
        )
    return device


def _check(user: User, device: TOTPDevice, token: str, *, confirm: bool) -> CodeCheck:
    """Check a code unless the device is waiting out wrong ones; save and audit the outcome."""
    now = clock.now()
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        wait = mfa.wait_seconds(device, now)
        if wait:
            return CodeCheck(ok=False, wait_seconds=wait)
        ok = mfa.token_matches(device, token, now)
        if ok and confirm:
            device.confirmed = True
        device.save()
        action = "auth.mfa_failed"
        if ok:
            action = "auth.mfa_enrolled" if confirm else "auth.mfa_verified"
        audit.record(action=action, actor=user, target=user, detail={"device": device.pk})
    return CodeCheck(ok=ok, device=device if ok else None)


def mfa_enrolment_confirm(*, user: User, device: TOTPDevice, token: str) -> CodeCheck:
    """Confirm the device being enrolled with a code from the authenticator app."""
    return _check(user, device, token, confirm=True)


def mfa_verify(*, user: User, token: str) -> CodeCheck:
    """Check a code against the user's confirmed device (after wrong codes, it waits)."""
    device = mfa.confirmed_device(user)
    if device is None:
        return CodeCheck(ok=False)
    return _check(user, device, token, confirm=False)


def mfa_devices_remove(*, actor: Any, user: User, reason: str) -> int:
    """Remove all of a user's second-factor devices so they enrol again; audit it.

    Called inside the transaction of a credential reset, the only way to remove another's.
    """
    with transaction.atomic():
        removed, _details = TOTPDevice.objects.filter(user=user).delete()
        audit.record(
            action="auth.mfa_devices_removed",
            actor=actor,
            target=user,
            detail={"devices_removed": removed, "reason": reason},
        )
    return removed

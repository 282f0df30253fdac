"""The TOTP second factor (django-otp): enrolment and verification, audited."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight import audit
from oversight.org.models import User


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def enrollment_device(user: User) -> TOTPDevice:
    """Return the user's pending (unconfirmed) TOTP device, creating it once."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="totp", confirmed=False)
        return device


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking a code: ``ok``, or refused, or not tried for ``wait_seconds``."""

    ok: bool
    device: TOTPDevice | None = None
    wait_seconds: int = 0


def _throttled(device: TOTPDevice) -> CodeCheck | None:
    """After a wrong code django-otp refuses every code for 1, 2, 4 … seconds: say how long."""
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    until = (info or {}).get("locked_until")
    wait = math.ceil((until - timezone.now()).total_seconds()) if until else 1
    return CodeCheck(ok=False, wait_seconds=max(wait, 1))


def enrollment_confirm(*, user: User, device: TOTPDevice, token: str) -> CodeCheck:
    """Confirm a pending device with a code from the authenticator app; audit the outcome."""
    throttled = _throttled(device)
    if throttled:
        return throttled
    with transaction.atomic():
        ok = device.verify_token(token.strip())
        if ok:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
        audit.record(
            action="auth.mfa_enrolled" if ok else "auth.mfa_failed", actor=user, target=user
        )
    return CodeCheck(ok=ok, device=device if ok else None)


def verify(*, user: User, token: str) -> CodeCheck:
    """Check a code against the user's confirmed device (throttled by django-otp); audit it."""
    device = confirmed_device(user)
    if device is None:
        return CodeCheck(ok=False)
    throttled = _throttled(device)
    if throttled:
        return throttled
    with transaction.atomic():
        ok = device.verify_token(token.strip())
        audit.record(
            action="auth.mfa_verified" if ok else "auth.mfa_failed", actor=user, target=user
        )
    return CodeCheck(ok=ok, device=device if ok else None)

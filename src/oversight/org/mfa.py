"""The TOTP second factor (django-otp): enrolment and verification, audited."""

from __future__ import annotations

from django.db import transaction
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


def enrollment_confirm(*, user: User, device: TOTPDevice, token: str) -> bool:
    """Confirm a pending device with a code from the authenticator app; audit the outcome."""
    with transaction.atomic():
        ok = device.verify_token(token.strip())
        if ok:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
        audit.record(
            action="auth.mfa_enrolled" if ok else "auth.mfa_failed", actor=user, target=user
        )
    return ok


def verify(*, user: User, token: str) -> TOTPDevice | None:
    """Check a code against the user's confirmed device (throttled by django-otp); audit it."""
    device = confirmed_device(user)
    with transaction.atomic():
        ok = device is not None and device.verify_token(token.strip())
        audit.record(
            action="auth.mfa_verified" if ok else "auth.mfa_failed", actor=user, target=user
        )
    return device if ok else None

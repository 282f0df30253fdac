"""The TOTP second factor (django-otp): which device a user has, and how a code is checked.

Reads and arithmetic only; creating, confirming and removing devices are audited services in
``oversight.org.services.mfa``. Codes are checked against the application's clock
(``oversight.core.clock``) rather than django-otp's own, so that the wait after a wrong code can
be tested with a frozen clock instead of a sleep.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django_otp.models import MAX_THROTTLE_DELAY_SECONDS
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.org.models import User


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of checking a code: ``ok``; or wrong; or not tried, ``wait_seconds`` left."""

    ok: bool
    device: TOTPDevice | None = None
    wait_seconds: int = 0


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def pending_device(user: User) -> TOTPDevice | None:
    """Return the device the user is enrolling (created, not yet confirmed), if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()


def wait_seconds(device: TOTPDevice, now: datetime) -> int:
    """Return how many seconds the device still refuses every code after wrong ones, or 0.

    django-otp's rule: after the n-th wrong code in a row, no code is tried for 2**(n-1) seconds
    (times ``OTP_TOTP_THROTTLE_FACTOR``).
    """
    factor = device.get_throttle_factor()
    failures = device.throttling_failure_count
    since = device.throttling_failure_timestamp
    if factor <= 0 or failures <= 0 or since is None:
        return 0
    delay = min(factor * 2 ** (failures - 1), MAX_THROTTLE_DELAY_SECONDS)
    left = (since + timedelta(seconds=delay) - now).total_seconds()
    return math.ceil(left) if left > 0 else 0


def token_matches(device: TOTPDevice, token: str, now: datetime) -> bool:
    """Check a code at ``now`` and record the outcome on the device (unsaved).

    As django-otp's ``verify_token``: a code is good within the device's tolerance and only
    once (a used step is never accepted again); a good code resets the wrong-code count and a
    wrong one adds to it.
    """
    try:
        number = int(token.strip())
    except ValueError:
        number = -1
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = now.timestamp()
    ok = number >= 0 and bool(totp.verify(number, device.tolerance, device.last_t + 1))
    if ok:
        device.last_t = totp.t()
        if getattr(settings, "OTP_TOTP_SYNC", True):
            device.drift = totp.drift
        device.throttling_failure_count = 0
        device.throttling_failure_timestamp = None
        device.last_used_at = now
    else:
        device.throttling_failure_count += 1
        device.throttling_failure_timestamp = now
    return ok

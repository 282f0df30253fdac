"""The TOTP second factor in a real browser: enrolment from the shown key, then verification."""

from __future__ import annotations

import base64
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.e2e


def _code(secret: str, drift: int = 0) -> str:
    """The code an authenticator app shows for ``secret`` now (``drift`` steps later)."""
    return f"{TOTP(base64.b32decode(secret), drift=drift).token():06d}"


def _wrong_code(secret: str) -> str:
    """Six digits that no step the server tolerates (previous, current, next) accepts."""
    valid = {_code(secret, drift) for drift in (-1, 0, 1, 2)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in valid)


def _wait_until_not_throttled(user: Any) -> None:
    """django-otp refuses any code for 2**(n-1) s after the n-th failure; wait that out."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        device = TOTPDevice.objects.filter(user=user).order_by("id").first()
        if device is not None and device.verify_is_allowed()[0]:
            return
        time.sleep(0.1)
    pytest.fail("the TOTP device stayed throttled")


def _submit_code(page: Any, code: str) -> Any:
    page.fill("input[name=token]", code)
    with page.expect_navigation() as nav:
        page.click("main form button[type=submit]")
    return nav.value


def test_a_user_enrols_the_second_factor_from_the_shown_key_and_lands_on_the_home_page(
    live_server: Any, city: Any, settings: Any, browser: Any, page: Any, log_in: Any
) -> None:
    settings.OVERSIGHT_MFA = "all"
    user = city.a_leader.user

    log_in(page, user.username)

    assert urlsplit(page.url).path == "/mfa/enroll/"
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    assert len(base64.b32decode(secret)) >= 16
    assert page.locator("main .qr img").get_attribute("src").startswith("data:image/svg+xml")
    # Until the second factor is set up, the rest of the site sends the user back.
    page.goto(f"{live_server.url}/org/agencies/")
    assert urlsplit(page.url).path == "/mfa/enroll/"

    # A wrong code: an error, the same page, the same key.
    response = _submit_code(page, _wrong_code(secret))
    assert response.status == 200
    assert urlsplit(page.url).path == "/mfa/enroll/"
    assert page.locator("main .invalid-feedback").count() == 1
    assert page.get_by_test_id("totp-secret").inner_text().strip() == secret
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    _wait_until_not_throttled(user)
    _submit_code(page, _code(secret))

    assert urlsplit(page.url).path == "/"
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
    response = page.goto(f"{live_server.url}/org/agencies/")
    assert response is not None and response.status == 200
    assert urlsplit(page.url).path == "/org/agencies/"

    # Next login, in a fresh browser profile: asked for a code, not enrolled again. The current
    # step's code was just used (no replays), so type the next step's, which is within tolerance.
    other = browser.new_context(locale="zh-CN")
    try:
        second = other.new_page()
        log_in(second, user.username)
        assert urlsplit(second.url).path == "/mfa/verify/"
        assert second.get_by_test_id("totp-secret").count() == 0
        _submit_code(second, _code(secret, drift=1))
        assert urlsplit(second.url).path == "/"
    finally:
        other.close()

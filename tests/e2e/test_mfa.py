"""The TOTP second factor in a real browser: enrolment from the shown key, then verification.

The server checks codes against the application's clock, which the test freezes (the live server
runs in this process): the wait after a wrong code is stepped over, never slept through.
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from oversight.core import clock

pytestmark = pytest.mark.e2e


def _code(secret: str, at: datetime) -> str:
    """The code an authenticator app shows for ``secret`` at ``at``."""
    totp = TOTP(base64.b32decode(secret))
    totp.time = at.timestamp()
    return f"{totp.token():06d}"


def _wrong_code(secret: str, at: datetime) -> str:
    """Six digits that no step the server tolerates around ``at`` accepts."""
    valid = {_code(secret, at + timedelta(seconds=30 * n)) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in valid)


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
    start = clock.now()

    with clock.frozen(start):
        _enrol(live_server, page, log_in, user, start)
    # Next login, in a fresh browser profile, a step later (a used step is never accepted
    # again): asked for a code, not enrolled again.
    secret = base64.b32encode(TOTPDevice.objects.get(user=user).bin_key).decode()
    next_step = start + timedelta(seconds=31)
    other = browser.new_context(locale="zh-CN")
    try:
        second = other.new_page()
        with clock.frozen(next_step):
            log_in(second, user.username)
            assert urlsplit(second.url).path == "/mfa/verify/"
            assert second.get_by_test_id("totp-secret").count() == 0
            _submit_code(second, _code(secret, next_step))
            assert urlsplit(second.url).path == "/"
    finally:
        other.close()


def _enrol(live_server: Any, page: Any, log_in: Any, user: Any, start: datetime) -> None:
    log_in(page, user.username)

    assert urlsplit(page.url).path == "/mfa/enroll/"
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    assert len(base64.b32decode(secret)) >= 16
    assert page.locator("main .qr img").get_attribute("src").startswith("data:image/svg+xml")
    # Until the second factor is set up, the rest of the site sends the user back.
    page.goto(f"{live_server.url}/org/agencies/")
    assert urlsplit(page.url).path == "/mfa/enroll/"

    # A wrong code: an error, the same page, the same key.
    response = _submit_code(page, _wrong_code(secret, start))
    assert response.status == 200
    assert urlsplit(page.url).path == "/mfa/enroll/"
    assert page.locator("main .invalid-feedback").count() == 1
    assert page.get_by_test_id("totp-secret").inner_text().strip() == secret
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    # One wrong code: no code is tried for a second. A second later the right one is accepted.
    later = start + timedelta(seconds=1)
    with clock.frozen(later):
        _submit_code(page, _code(secret, later))

        assert urlsplit(page.url).path == "/"
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
        response = page.goto(f"{live_server.url}/org/agencies/")
        assert response is not None and response.status == 200
        assert urlsplit(page.url).path == "/org/agencies/"

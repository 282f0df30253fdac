"""An officer's first activation in real browsers, on a phone: the leader issues the code, the
officer sets a password with it from the login page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from oversight.org.scope import viewer_for
from oversight.org.services import activation_request

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
NEW_PASSWORD = "Phone-pass-2026"


def _no_sideways_scroll(page: Any) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= PHONE["width"], f"{page.url} is {wide}px wide on a {PHONE['width']}px phone"


def test_a_leader_issues_a_code_on_a_phone_and_the_officer_activates_with_it(
    live_server: Any, city: Any, browser: Any, log_in: Any
) -> None:
    activation_request(actor=viewer_for(city.sysadmin), user_id=city.a_inspector.user.pk)
    leader_ctx = browser.new_context(locale="zh-CN", viewport=PHONE)
    officer_ctx = browser.new_context(locale="zh-CN", viewport=PHONE)
    try:
        leader = leader_ctx.new_page()
        log_in(leader, city.a_leader.user.username)
        leader.get_by_test_id("queue-codes-to-issue").get_by_role("link").click()
        assert urlsplit(leader.url).path == "/activations/"
        _no_sideways_scroll(leader)
        leader.get_by_test_id("pending").get_by_role("link").click()
        _no_sideways_scroll(leader)  # the confirmation
        leader.locator("main form button[type=submit]").click()
        code = leader.get_by_test_id("activation-code").inner_text().strip()
        _no_sideways_scroll(leader)

        officer = officer_ctx.new_page()
        officer.goto(f"{live_server.url}/login/")
        officer.get_by_test_id("activate-link").click()
        assert urlsplit(officer.url).path == "/activate/"
        _no_sideways_scroll(officer)
        officer.fill("input[name=username]", city.a_inspector.user.username)
        officer.fill("input[name=code]", code.lower())
        officer.fill("input[name=password]", NEW_PASSWORD)
        officer.fill("input[name=password_again]", NEW_PASSWORD)
        officer.locator("main form button[type=submit]").click()
        assert urlsplit(officer.url).path == "/login/"
        assert officer.locator("main .alert-success").count() == 1

        landed = log_in(officer, city.a_inspector.user.username, NEW_PASSWORD)
        assert landed.url == f"{live_server.url}/"
    finally:
        leader_ctx.close()
        officer_ctx.close()

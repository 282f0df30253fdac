"""The login page in a real browser: CSP, language, no internet, and the account lockout."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.utils import translation
from django.utils.translation import gettext

from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e


def _nonce_of(csp: str) -> str:
    match = re.search(r"script-src [^;]*'nonce-([A-Za-z0-9+/=_-]+)'", csp)
    assert match, f"no script nonce in Content-Security-Policy: {csp!r}"
    return match.group(1)


def test_the_login_page_has_a_csp_nonce_is_in_chinese_and_loads_nothing_from_the_internet(
    live_server: Any, city: Any, context: Any, page: Any, log_in: Any
) -> None:
    own = urlsplit(live_server.url)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    csp_violations: list[str] = []
    page.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )

    response = page.goto(f"{live_server.url}/login/")

    assert response is not None and response.status == 200
    csp = response.headers.get("content-security-policy", "")
    nonce = _nonce_of(csp)
    assert "default-src 'self'" in csp
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    # The vendored scripts carry that nonce and actually ran under the policy.
    script_nonces = page.eval_on_selector_all("script[src]", "els => els.map(e => e.nonce)")
    assert script_nonces and set(script_nonces) == {nonce}
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("typeof window.bootstrap") == "object"
    # A new page, a new nonce.
    assert _nonce_of(page.reload().headers["content-security-policy"]) != nonce

    landed = log_in(page, city.a_leader.user.username)
    assert landed.url == f"{live_server.url}/"
    response = page.goto(f"{live_server.url}/org/agencies/")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")

    assert requested, "the browser recorded no requests at all"
    foreign = [url for url in requested if urlsplit(url).netloc != own.netloc]
    assert foreign == [], f"requests left the live server: {foreign}"
    assert {urlsplit(url).scheme for url in requested} == {own.scheme}
    assert any("/static/vendor/bootstrap/" in url for url in requested)
    assert csp_violations == []


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    live_server: Any, city: Any, page: Any, log_in: Any
) -> None:
    username = city.a_leader.user.username
    limit = django_settings.AXES_FAILURE_LIMIT
    assert limit == 5

    for _attempt in range(limit - 1):
        response = log_in(page, username, "Wrong-pass-2026")
        assert response.status == 200
        assert urlsplit(page.url).path == "/login/"
        assert page.locator("main .alert-danger").count() == 1
    response = log_in(page, username, "Wrong-pass-2026")  # the fifth failure trips the lock
    assert response.status == 429
    assert urlsplit(page.url).path == "/login/"

    response = log_in(page, username, PASSWORD)

    assert response.status == 429
    assert urlsplit(page.url).path == "/login/"
    assert page.locator("input[name=username]").input_value() == username
    # The expected text comes from the same catalog the server used, so this holds before and
    # after the zh-Hans translation lands.
    lang = page.locator("html").get_attribute("lang")
    minutes = int(django_settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    with translation.override(lang):
        lockout = gettext("Too many failed attempts: login is locked for %(m)d minutes.") % {
            "m": minutes
        }
    assert page.locator("main .alert-danger").inner_text().strip() == lockout
    # Still locked out: the home page is not reachable without a session.
    page.goto(f"{live_server.url}/")
    assert urlsplit(page.url).path == "/login/"

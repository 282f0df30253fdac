"""Every page each demo account can reach, on a phone, in Chromium (issue 7).

Logged in as each kind of demo user, the browser follows every link of the site it is shown
(at most two pages of each shape, e.g. two officers' pages), at 390 × 844 CSS pixels. A page
fails if it answers 500, if it is wider than the screen, or if it shows a user a code, an id or
an English word (``tests/visible_text.py``; identifiers a user needs are marked ``ident``).
"""

from __future__ import annotations

import re
from collections import Counter, deque
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from oversight.catalog.services import catalog_load
from oversight.cli.demo import DEFAULT_PASSWORD, build_demo
from tests.conftest import CATALOG_ROOT
from tests.visible_text import identifier_like

pytestmark = pytest.mark.e2e

DEMO_USERS = [
    "city.leader",
    "city.inspector",
    "county1.leader",
    "county1.liaison",
    "county1.inspector",
    "county1.newcomer",  # an officer with no role yet
    "sysadmin",
    "secadmin",
    "auditadmin",
]
PER_SHAPE = 2
MAX_PAGES = 120
WIDER_THAN_SCREEN = "document.documentElement.scrollWidth > window.innerWidth"


def _shape(url: str) -> str:
    """The kind of page a URL is: ids and codes in the path, values in the query, stripped."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+/", "/{id}/", parts.path)
    path = re.sub(r"/[A-Z0-9_]+/|/[a-z_]+\.[a-z0-9_.]+/", "/{key}/", path)
    keys = sorted(k.split("=")[0] for k in parts.query.split("&") if k)
    return f"{path}?{'&'.join(keys)}"


def _links(page: Any, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "els => els.map(e => e.getAttribute('href'))"
    )
    found = []
    for href in hrefs:
        url = urljoin(page.url, href)
        if url.startswith(base) and "#" not in href and not urlsplit(url).path.startswith("/api/"):
            found.append(url)
    return found


def _walk(page: Any, base: str) -> tuple[dict[str, list[str]], int]:
    """Visit what the logged-in user can reach; return the problems found, by URL, and how many
    pages were visited."""
    problems: dict[str, list[str]] = {}
    seen: set[str] = set()
    shapes: Counter[str] = Counter()
    queue = deque([f"{base}/"])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or shapes[_shape(url)] >= PER_SHAPE:
            continue
        seen.add(url)
        shapes[_shape(url)] += 1
        response = page.goto(url)
        found = []
        if response is None or response.status >= 500:
            found.append(f"answered {response.status if response else 'nothing'}")
        if page.evaluate(WIDER_THAN_SCREEN):
            found.append("wider than a 390 px screen")
        found += identifier_like(page.content())
        if found:
            problems[url] = found
        queue.extend(u for u in _links(page, base) if u not in seen)
    return problems, len(seen)


def test_no_page_shows_codes_overflows_a_phone_or_fails(live_server, browser, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    build_demo(password=DEFAULT_PASSWORD)
    catalog_load(actor=None, path=CATALOG_ROOT)
    problems: dict[str, list[str]] = {}
    visited: dict[str, int] = {}
    for username in DEMO_USERS:
        context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert urlsplit(page.url).path != "/login/", f"{username} could not log in"
        found, visited[username] = _walk(page, live_server.url)
        problems |= {f"{username} {url}": p for url, p in found.items()}
        context.close()
    # A visitor without an account: the login page, activation and the public pages (一公开).
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    found, visited["visitor"] = _walk(context.new_page(), live_server.url)
    problems |= {f"visitor {url}": p for url, p in found.items()}
    context.close()
    assert min(visited.values()) >= 3, visited  # each walked more than its home page
    assert not problems, _summary(problems)


def _summary(problems: dict[str, list[str]]) -> str:
    """Each distinct problem once, with the first page it was seen on."""
    first: dict[str, str] = {}
    for where, found in problems.items():
        for problem in found:
            first.setdefault(re.sub(r"\d+", "N", problem), f"{where}: {problem}")
    return "\n".join(first.values())

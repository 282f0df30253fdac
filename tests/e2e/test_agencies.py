"""The agencies page in a real browser: a county leader sees their county only."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e

# A fixed, well-known path, so that people (and CI) can open the screenshot by name.
SCREENSHOT = Path("/tmp/e2e-agencies.png")  # noqa: S108


def _agency_names(page: Any) -> list[str]:
    return [
        name.strip() for name in page.locator("main table tbody td:first-child a").all_inner_texts()
    ]


def test_a_county_leader_sees_their_own_county_and_gets_a_404_for_the_other(
    live_server: Any, city: Any, page: Any, log_in: Any
) -> None:
    log_in(page, city.a_leader.user.username)
    assert urlsplit(page.url).path == "/"

    with page.expect_navigation():
        page.click("nav a[href='/org/agencies/']")

    assert urlsplit(page.url).path == "/org/agencies/"
    names = _agency_names(page)
    assert sorted(names) == sorted([city.a.name, city.a_station.name])
    assert "甲县公安局" in names
    assert "乙县公安局" not in page.locator("main").inner_text()
    assert city.b_station.name not in page.locator("main").inner_text()

    # Their own county opens; the other county is "not found", the same page as a missing id.
    own = page.goto(f"{live_server.url}/org/agencies/{city.a.pk}/")
    assert own is not None and own.status == 200
    assert city.a.name in page.locator("main").inner_text()

    other = page.goto(f"{live_server.url}/org/agencies/{city.b.pk}/")
    assert other is not None and other.status == 404
    other_text = page.locator("main").inner_text()
    assert "乙县公安局" not in other_text
    assert page.locator("main a[href='/']").count() == 1

    missing = page.goto(f"{live_server.url}/org/agencies/{city.b.pk + 100_000}/")
    assert missing is not None and missing.status == 404
    assert page.locator("main").inner_text() == other_text


def test_the_agencies_page_lays_out_as_a_table_under_the_navigation_bar(
    live_server: Any, city: Any, page: Any, log_in: Any
) -> None:
    log_in(page, city.a_leader.user.username)
    page.goto(f"{live_server.url}/org/agencies/")
    page.wait_for_load_state("networkidle")

    nav = page.locator("nav.navbar").bounding_box()
    table = page.locator("main table").bounding_box()
    assert nav is not None and table is not None
    assert table["y"] >= nav["y"] + nav["height"], "the table overlaps the navigation bar"
    assert page.locator("main table thead th").count() == 7
    assert page.locator("main table tbody tr").count() == 2
    # Bootstrap loaded (its primary blue on the bar) and nothing overflows sideways.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).backgroundColor")
        == "rgb(13, 110, 253)"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    SCREENSHOT.unlink(missing_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000

"""The catalog in a browser: an inspector finds a regime and sees which figures await a check."""

from __future__ import annotations

import shutil
from typing import Any
from urllib.parse import urlsplit

import pytest

from oversight.catalog.services import catalog_load
from tests.conftest import CATALOG_ROOT

pytestmark = pytest.mark.e2e


def test_an_inspector_browses_a_regime_and_its_unconfirmed_fines(
    live_server: Any, city: Any, page: Any, log_in: Any
) -> None:
    catalog_load(actor=None, path=CATALOG_ROOT)
    log_in(page, city.a_inspector.user.username)

    with page.expect_navigation():
        page.click("nav a[href='/catalog/']")
    assert urlsplit(page.url).path == "/catalog/"
    with page.expect_navigation():
        page.click("a[href='/catalog/FINANCE_SECURITY/']")

    main = page.locator("main")
    assert "全市各银行业金融机构" in main.inner_text()
    cards = main.locator(".card")
    assert cards.count() == 4
    for i in range(cards.count()):
        assert "待核实" in cards.nth(i).inner_text()

    with page.expect_navigation():
        page.click("a[href='/catalog/provisions/finance_security_permit.art2/']")
    assert "公安部令第86号" in page.locator("main").inner_text()


@pytest.fixture
def phone(browser: Any) -> Any:
    """A page the size of a phone held upright (390 × 844 CSS pixels)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _catalog_urls(version_id: int) -> list[str]:
    from oversight.catalog.loader import load

    catalog = load(CATALOG_ROOT)
    cited = sorted({p for regime in catalog.regimes.values() for p in regime.cited()})
    return [
        "/catalog/",
        "/catalog/versions/",
        f"/catalog/versions/{version_id}/",
        *(f"/catalog/{code}/" for code in catalog.regimes),
        *(f"/catalog/provisions/{p}/" for p in cited),
    ]


def test_no_catalog_page_is_wider_than_a_phone(
    live_server: Any, city: Any, phone: Any, log_in: Any, tmp_path: Any
) -> None:
    catalog_load(actor=None, path=CATALOG_ROOT)
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG_ROOT, copy)
    regime = copy / "regimes/neibao.yaml"  # a second version, so its page lists changes
    regime.write_text(
        regime.read_text(encoding="utf-8").replace("label: 对单位罚款", "label: 对单位的罚款"),
        encoding="utf-8",
    )
    second, _ = catalog_load(actor=None, path=copy)
    log_in(phone, city.a_inspector.user.username)

    too_wide = {}
    for url in _catalog_urls(second.pk):
        response = phone.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            too_wide[url] = width
    assert too_wide == {}

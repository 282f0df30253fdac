"""The catalog in a browser: an inspector finds a regime and sees which figures await a check."""

from __future__ import annotations

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

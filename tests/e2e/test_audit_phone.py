"""The audit log on a phone (390 px wide): rows become cards, nothing overflows sideways."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from oversight import audit

pytestmark = pytest.mark.e2e

SCREENSHOT = Path("/tmp/e2e-audit-phone.png")  # noqa: S108


def test_the_audit_log_reads_as_cards_on_a_390_px_phone(
    live_server: Any, city: Any, browser: Any, log_in: Any
) -> None:
    with transaction.atomic():
        audit.record(
            action="officer.update",
            actor=city.a_leader.user,
            target=city.a_inspector.officer,
            before={"phone": "13812345678", "title": ""},
            after={"phone": "13987650000", "title": "治安支队综合指导大队副大队长（主持工作）"},
        )
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        log_in(page, city.auditadmin.username)
        page.goto(f"{live_server.url}/audit/?action=officer.update")
        page.screenshot(path=str(SCREENSHOT), full_page=True)

        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width} px wide on a 390 px screen"
        assert page.locator("#audit-events thead").is_hidden()
        cell = page.locator("#audit-events td.audit-action").first
        assert cell.evaluate("td => getComputedStyle(td).display") == "flex"
        assert "修改民警信息" in cell.inner_text()
    finally:
        context.close()

"""The audit administrator's pages: the log in words with personal data masked, filters chosen
from lists in words, a query count that does not grow with the rows, and the check of the chain
against every anchor."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from oversight import audit
from oversight.audit import anchors
from oversight.audit.models import AuditEvent
from oversight.audit.vocabulary import VOCABULARY
from oversight.core import clock
from tests.conftest import client_for
from tests.html import every, one
from tests.integration.test_audit_anchors import rewrite_whole_chain
from tests.integration.test_audit_chain import tamper

PHONE, WARRANT = "13812345678", "J12345678"
# snake_case field names, ALL_CAPS choice values (POLICE_STATION, LEADER), English booleans.
CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b|\b[A-Z]{4,}\w*\b|\b(?:True|False|None)\b")


def dotted_codes() -> set[str]:
    """The codes the trail stores: actions (officer.update) and object types (org.officer)."""
    return {*VOCABULARY.actions, *VOCABULARY.object_types}


def texts(page, selector: str) -> list[str]:
    """The text of each matching element as a person reads it (no space added between tags)."""
    return [" ".join(tag.get_text().split()) for tag in every(page, selector)]


def text(page, selector: str) -> str:
    return " ".join(one(page, selector).get_text().split())


def classes(page, selector: str) -> list[str]:
    return list(one(page, selector).get("class") or [])


def officer_edits(city, count: int, at: datetime | None = None) -> None:
    officer = city.a_inspector.officer
    with transaction.atomic():
        for i in range(count):
            audit.record(
                action="officer.update",
                actor=city.a_leader.user,
                target=officer,
                before={"phone": PHONE, "warrant_number": WARRANT, "name": officer.name},
                after={
                    "phone": f"1390000{i:04d}",
                    "warrant_number": WARRANT,
                    "name": "王小明",
                    "agency_id": city.a_station.pk,
                },
                at=at,
            )


def worded_text(response) -> list[str]:
    """What the page says in words: actions, changes, details and the filters' choices."""
    return [
        *texts(response, "td.audit-action"),
        *texts(response, "li.audit-change"),
        *texts(response, "li.audit-detail"),
        *texts(response, "option"),
        *texts(response, "label"),
    ]


def test_the_log_says_who_did_what_to_whom_in_words_with_personal_data_masked(city):
    officer_edits(city, 1)

    response = client_for(city.auditadmin).get("/audit/", {"action": "officer.update"})

    assert response.status_code == 200
    assert len(every(response, "tr.audit-row")) == 1
    assert text(response, "td.audit-action") == "修改民警信息"
    assert text(response, "td.audit-actor") == "a.leader（民*）"
    assert (
        text(response, "td.audit-object")
        == f"民警 民*（警号 {city.a_inspector.officer.badge_number}）"
    )
    assert texts(response, "li.audit-change") == [
        "姓名：民* → 王*",
        "机构：— → 甲县城关派出所",
        "联系电话：138****5678 → 139****0000",
    ]
    page = response.content.decode()
    assert PHONE not in page and WARRANT not in page and "王小明" not in page
    assert city.a_inspector.officer.name not in page


def test_the_log_shows_no_codes_to_its_reader(city):
    officer_edits(city, 2)

    response = client_for(city.auditadmin).get("/audit/")

    shown = [*worded_text(response), *texts(response, "td.audit-object")]
    # An agency's or a department's own code is data the leaders gave it, shown as it is.
    shown = [t for t in shown if not t.startswith(("机构代码：", "警种部门代码："))]
    assert len(texts(response, "td.audit-action")) == 50
    assert [t for t in shown if CODE.search(t) or "{" in t] == []
    assert [t for t in shown if any(code in t for code in dotted_codes())] == []


def test_the_table_turns_into_cards_on_a_phone(city):
    response = client_for(city.auditadmin).get("/audit/")

    assert "table-cards" in classes(response, "table#audit-events")
    cells = every(response, "td")
    assert cells and all(cell.has_attr("data-label") for cell in cells)


def test_filters_offer_actions_and_object_types_in_words(city):
    response = client_for(city.auditadmin).get("/audit/")

    actions = {o["value"]: o.get_text() for o in every(response, "option") if o.get("value")}
    assert actions["officer.update"] == "修改民警信息"
    assert actions["org.officer"] == "民警"
    assert actions["catalog.load"] == "加载责任清单版本"
    assert [e.get("name") for e in every(response, "select")] == ["action", "object_type"]


def test_filtering_by_action_object_type_actor_and_words(city):
    officer_edits(city, 2)
    client = client_for(city.auditadmin)

    def actions(**params):
        return set(texts(client.get("/audit/", params), "td.audit-action"))

    assert actions(action="officer.update") == {"修改民警信息"}
    assert actions(object_type="org.agency") == {"新建机构"}
    assert actions(actor="a.leader") == {"修改民警信息"}
    assert actions(q="修改民警") == {"修改民警信息"}
    assert actions(action="officer.update", actor="b.leader") == set()


def test_filtering_by_dates_uses_local_days(city):
    late_evening = datetime(2026, 3, 1, 15, 30, tzinfo=UTC)  # 23:30 on 1 March in Shanghai
    officer_edits(city, 1, at=late_evening)
    officer_edits(city, 1, at=late_evening + timedelta(hours=1))  # 00:30 on 2 March
    client = client_for(city.auditadmin)

    first = client.get(
        "/audit/", {"action": "officer.update", "since": "2026-03-01", "until": "2026-03-01"}
    )

    assert texts(first, "td[data-label='时间']") == ["2026-03-01 23:30:00"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"since": "2026-13-01"}, "since"),
        ({"since": "0001-01-01"}, "since"),
        ({"since": "2026-03-02", "until": "2026-03-01"}, "until"),
        ({"q": "a\x00b"}, "q"),
        ({"actor": "\u202eadmin"}, "actor"),
        ({"action": "officer.explode"}, "action"),
        ({"object_type": "org.secret"}, "object_type"),
    ],
)
def test_bad_filter_values_get_a_message_and_no_rows(city, params, field):
    response = client_for(city.auditadmin).get("/audit/", params)

    assert response.status_code == 200
    assert every(response, "tr.audit-row") == []
    assert every(response, ".invalid-feedback"), f"no message for {field}"


def _page_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/audit/", {"action": "officer.update"})
    return len(every(response, "tr.audit-row")), len(queries)


def test_the_page_costs_the_same_number_of_queries_for_5_or_50_events(city):
    client = client_for(city.auditadmin)
    client.get("/audit/")  # the session's first request may touch more than later ones
    officer_edits(city, 5)
    rows_5, queries_5 = _page_queries(client)
    officer_edits(city, 45)
    rows_50, queries_50 = _page_queries(client)

    assert (rows_5, rows_50) == (5, 50)
    assert queries_50 == queries_5


# --- the check of the chain and its anchors -------------------------------------------------


@pytest.fixture
def anchored(city, settings, tmp_path):
    """Anchors of three days in the folder the setting names."""
    settings.OVERSIGHT_AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    start = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    for day in range(3):
        officer_edits(city, 1, at=start + timedelta(days=day))
        with clock.frozen(start + timedelta(days=day)):
            anchors.write_daily()
    return tmp_path / "anchors"


def test_the_check_says_the_chain_and_every_anchor_hold(city, anchored):
    response = client_for(city.auditadmin).post("/audit/verify/")

    assert "alert-success" in classes(response, "#chain-result")
    assert text(response, "#anchor-result") == "已核对 3 个锚点：审计链与全部锚点相符。"


def test_the_check_names_the_anchors_a_rewritten_chain_no_longer_holds(city, anchored):
    rewrite_whole_chain({"ip": "10.0.0.1"})
    assert audit.verify().ok

    response = client_for(city.auditadmin).post("/audit/verify/")

    assert "alert-success" in classes(response, "#chain-result")
    problems = texts(response, "li.anchor-problem")
    assert len(problems) == 3
    assert problems[0].startswith("anchor-2026-03-01.json：审计链第")
    assert "改写" in problems[0]


def test_the_check_warns_when_there_is_no_anchor_folder(city, settings, tmp_path):
    settings.OVERSIGHT_AUDIT_ANCHOR_DIR = tmp_path / "absent"

    response = client_for(city.auditadmin).post("/audit/verify/")

    assert "alert-warning" in classes(response, "#anchor-result")


def test_the_check_reports_a_broken_chain_in_words(city, settings, tmp_path):
    settings.OVERSIGHT_AUDIT_ANCHOR_DIR = tmp_path
    seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    tamper((f"UPDATE {AuditEvent._meta.db_table} SET action = %s WHERE seq = %s", ["x.y", seq]))

    response = client_for(city.auditadmin).post("/audit/verify/")

    assert text(response, "#chain-result") == (
        f"审计链在第 {seq} 条处断裂。 该事件被改动过：内容与其哈希值不符。"
    )

"""Refusals are answered with their page and one log line, never a traceback (issue 7)."""

from __future__ import annotations

import logging

from tests.conftest import client_for


def test_a_refused_page_logs_one_line_without_a_traceback(city, caplog):
    client = client_for(city.a_inspector.user)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/org/agencies/new/").status_code == 403
        assert client.get(f"/org/officers/{city.b_viewer.officer.pk}/").status_code == 404
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.status_code for r in records] == [403, 404]  # type: ignore[attr-defined]
    assert all(r.exc_info is None for r in records)

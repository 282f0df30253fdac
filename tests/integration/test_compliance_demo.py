"""The demo's checks: every custody facility visited each month of 2026 that is over, but one
month at county 1's detention centre, which the compliance page flags at once; the same checks
every build."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.utils import timezone

from oversight.cli.demo import build_demo
from oversight.core import clock
from oversight.inspections.compliance import compliance
from oversight.inspections.models import Inspection
from oversight.org.models import User
from oversight.org.scope import viewer_for

# Noon in Shanghai on 15 November 2026: January to October are over.
NOW = datetime(2026, 11, 15, 4, 0, tzinfo=UTC)


def _checks() -> list[tuple]:
    rows = Inspection.objects.select_related("subject__linked_agency").order_by(
        "subject__linked_agency__code", "started_at"
    )
    return [
        (i.subject.linked_agency.code, i.regime, i.method, timezone.localtime(i.started_at))
        for i in rows
    ]


@pytest.mark.django_db
def test_the_demo_flags_one_missed_month_at_county_1s_detention_centre_every_build():
    with clock.frozen(NOW), transaction.atomic():
        build_demo()
        first = _checks()
        transaction.set_rollback(True)
    with clock.frozen(NOW), transaction.atomic():
        build_demo()
        second = _checks()
        leader = viewer_for(User.objects.get(username="county1.leader"))
        county = compliance(viewer=leader, regime="CUSTODY_OWN", year=2026, today=NOW.date())
        city = compliance(
            viewer=viewer_for(User.objects.get(username="city.leader")),
            regime="CUSTODY_OWN",
            year=2026,
            today=NOW.date(),
        )
        transaction.set_rollback(True)
    assert first == second
    assert {(regime, method) for _code, regime, method, _at in first} == {
        ("CUSTODY_OWN", "ON_SITE")
    }
    assert {at.month for *_rest, at in first} == set(range(1, 11))
    missed = [
        (row.subject.name, s.period.index)
        for row in city.rows
        for states in row.states
        if states
        for s in states
        if s.state == "missed"
    ]
    assert missed == [("东城区看守所", 6)]
    assert county.missed == 1 and len(city.rows) > len(county.rows) > 0

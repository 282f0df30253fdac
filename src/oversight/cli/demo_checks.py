"""The demo's checks: the city's custody detachment visits every custody facility once a month,
as the custody regime's rhythm requires (每月对所属公安监管场所实地检查一次), for each month of the
demo year that is over — except one month at county 1's detention centre, so that the compliance
page flags a missed check at once. Recorded through the service, audited like real checks; the
same checks every build (facilities in the order of their agencies' codes, days from that order).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from oversight.core import clock
from oversight.inspections.services import inspection_record_finalised
from oversight.org.models import User
from oversight.org.scope import viewer_for
from oversight.subjects.models import Subject, SubjectStatus

REGIME = "CUSTODY_OWN"
CHECKER = "city.custody"  # an inspector of the city's custody detachment (监管支队)
MISSED_AT = "-C01-KSS"  # county 1's detention centre misses one month ...
MISSED_MONTH = 6  # ... June, or the last month over if June is not over yet


def months_over(year: int, today: date) -> list[int]:
    """The months of ``year`` whose last day is before ``today``."""
    return [m for m in range(1, 13) if date(year, m, calendar.monthrange(year, m)[1]) < today]


def record_custody_checks(year: int) -> int:
    """Record the demo's monthly on-site checks of custody facilities in ``year``; return how
    many were recorded."""
    today = timezone.localdate(clock.now())
    months = months_over(year, today)
    if not months:
        return 0
    missed = min(MISSED_MONTH, months[-1])
    checker = viewer_for(User.objects.get(username=CHECKER))
    facilities = (
        Subject.objects.filter(kind="CUSTODY_FACILITY")
        .exclude(status=SubjectStatus.CLOSED)
        .select_related("linked_agency")
        .order_by("linked_agency__code", "natural_key")
    )
    zone = timezone.get_current_timezone()
    recorded = 0
    for index, facility in enumerate(facilities):
        code = facility.linked_agency.code if facility.linked_agency else ""
        for month in months:
            if code.endswith(MISSED_AT) and month == missed:
                continue
            day = date(year, month, 3 + (index * 2 + month) % 20)
            started = datetime.combine(day, time(9, 30), tzinfo=zone)
            inspection_record_finalised(
                actor=checker,
                subject_id=facility.pk,
                regime=REGIME,
                method="ON_SITE",
                started_at=started,
                ended_at=started + timedelta(hours=2),
            )
            recorded += 1
    return recorded

"""The landing page: what the viewer may do, and counts inside their scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from oversight.audit.selectors import previous_login
from oversight.org import account_selectors, selectors
from oversight.web.shortcuts import render, viewer_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    counts = {}
    if viewer.sees_business_data:
        counts = {
            "agencies": selectors.agency_list(viewer=viewer).count(),
            "officers": selectors.officer_list(viewer=viewer).count(),
            "liaisons": selectors.liaison_list(viewer=viewer).count(),
        }
    previous, failures = previous_login(user_id=viewer.pk) if viewer.pk else (None, 0)
    return render(
        request,
        "home.html",
        {
            "counts": counts,
            "previous_login": previous,
            "failures_since": failures,
            "queues": account_selectors.home_queues(viewer),
        },
    )

"""Activation codes to hand over: the page of leaders (for their officers) and of administrators
(for another administrator's account). The code is shown once, on the answer to the POST."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from oversight.core.errors import Conflict, NotFound
from oversight.org import account_selectors, policy, services
from oversight.web.shortcuts import allowed, confirm, render, viewer_of


@allowed(policy.may_issue_activation_codes)
def activation_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    return render(
        request,
        "accounts/activation_list.html",
        {
            "pending": account_selectors.handovers(
                viewer, list(account_selectors.issuable(viewer)[:200])
            ),
            "issued": account_selectors.handovers(
                viewer, list(account_selectors.issued_by(viewer)[:200])
            ),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@allowed(policy.may_issue_activation_codes)
def activation_issue(request: HttpRequest, activation_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    back = reverse("web:activation_list")
    if request.method != "POST":
        found = account_selectors.issuable(viewer).filter(pk=activation_id).first()
        if found is None:
            raise NotFound()
        who = account_selectors.handovers(viewer, [found])[0]
        return confirm(
            request,
            title=_("Issue the activation code of %(u)s") % {"u": who.name or who.username},
            consequence=_(
                "The code is shown once, to you only. Hand it to %(name)s in person, after you "
                "have made sure of who they are; it works once, for this account only."
            )
            % {"name": who.name or who.username},
            action=_("Issue the code"),
            cancel_url=back,
            danger=False,
        )
    try:
        activation, code = services.activation_issue(actor=viewer, activation_id=activation_id)
    except Conflict as exc:
        messages.error(request, str(exc.message))
        return redirect(back)
    return render(
        request,
        "accounts/activation_code.html",
        {
            "who": account_selectors.handovers(viewer, [activation])[0],
            "code": code,
            "expires_at": activation.expires_at,
        },
    )

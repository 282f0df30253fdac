"""What every view uses: the viewer, one permission decorator, one way to turn a service's refusal
into a form error or a message, and one confirmation page for irreversible actions."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from oversight.core.errors import DomainError, NotFound
from oversight.core.errors import PermissionDenied as DomainPermissionDenied
from oversight.core.refs import check_refs
from oversight.org.scope import Viewer
from oversight.web.declared import DeclaredForm

View = Callable[..., HttpResponse]
T = TypeVar("T")


def viewer_of(request: HttpRequest) -> Viewer:
    return request.viewer  # type: ignore[attr-defined]


def forbidden(request: HttpRequest) -> HttpResponse:
    """The 403 page: answered, not raised, so the server log gets one line, not a traceback."""
    return render(request, "403.html", {}, status=403)


def allowed(rule: Callable[[Viewer], bool]) -> Callable[[View], View]:
    """Let in only viewers the named rule (``oversight.org.policy.may_*``) allows; else 403."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not rule(viewer_of(request)):
                return forbidden(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _refusal(exc: DomainError) -> DomainError:
    """Re-raise what must become a 404 or 403 page; hand back any other refusal to show."""
    if isinstance(exc, NotFound | DomainPermissionDenied):
        raise exc
    return exc


def posted(request: HttpRequest, form: DeclaredForm) -> bool:
    """Tell whether a form was posted and is valid, after checking the ids it names.

    An id of a row the viewer may not see answers 404 before any field is validated, whatever
    the rest of the form holds.
    """
    if request.method != "POST":
        return False
    check_refs(viewer_of(request), form.declared.refs(), request.POST)
    return form.is_valid()


def submit(form: forms.Form, call: Callable[[], T]) -> T | None:
    """Run a service call for a valid form; put its refusal on the field it names, return None.

    Not found and not permitted are not form errors: they become the 404 or 403 page.
    """
    try:
        return call()
    except DomainError as exc:
        refusal = _refusal(exc)
        field = refusal.field if refusal.field in form.fields else None
        form.add_error(field, str(refusal.message))
        return None


def act(request: HttpRequest, call: Callable[[], T], done: str) -> T | None:
    """Run a service call for a button; say ``done``, or the refusal, on the next page."""
    try:
        result = call()
    except DomainError as exc:
        messages.error(request, str(_refusal(exc).message))
        return None
    messages.success(request, done)
    return result


def confirm(
    request: HttpRequest,
    *,
    title: str,
    consequence: str,
    action: str,
    cancel_url: str,
    danger: bool = True,
) -> HttpResponse:
    """Ask before an irreversible or destructive action: the page posts back to its own URL."""
    return render(
        request,
        "confirm.html",
        {
            "title": title,
            "consequence": consequence,
            "action": action,
            "cancel_url": cancel_url,
            "danger": danger,
        },
    )


def confirmed(
    request: HttpRequest,
    *,
    back: str,
    ask: dict[str, Any],
    call: Callable[[], object],
    done: str,
) -> HttpResponse:
    """Ask first (GET: ``confirm`` with ``ask``, saying what will happen); on the POST act, then
    go back to ``back`` with ``done`` or the refusal as a message."""
    if request.method != "POST":
        return confirm(request, cancel_url=back, **ask)
    act(request, call, done)
    return redirect(back)


def back_url(request: HttpRequest, default: str) -> str:
    """Where Cancel leads: the page of this site the user came from, else ``default``."""
    referer = request.headers.get("Referer", "")
    here = request.build_absolute_uri(request.path)
    same_site = referer.startswith(f"{request.scheme}://{request.get_host()}/")
    return referer if same_site and not referer.startswith(here) else default


def form_page(
    request: HttpRequest,
    form: DeclaredForm,
    title: str,
    cancel: str,
    save: Callable[..., T],
    done: str,
    then: Callable[[T], str] | None = None,
) -> HttpResponse:
    """A form that a service saves: on a valid post run ``save(**cleaned data)``; on success
    say ``done`` and go to ``then(result)`` (by default back to ``cancel``); else show the form
    with the refusal on its field. Cancel leads back where the user came from."""
    if posted(request, form):
        result = submit(form, lambda: save(**form.cleaned_data))
        if result is not None:
            messages.success(request, done)
            return redirect(then(result) if then else cancel)
    context = {"form": form, "title": title, "cancel_url": back_url(request, cancel)}
    return render(request, "form.html", context)


def render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return TemplateResponse(request, template, context, status=status)

"""One way to page a queryset, for pages and endpoints alike."""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.utils.translation import gettext as _

from oversight.core.errors import DomainError, NotFound
from oversight.core.text import parse_id

PAGE_SIZE = 50


def page_number(raw: Any) -> int:
    """Return the page asked for (1 when none); refuse what is not a page number."""
    if raw is None or raw == "":
        return 1
    number = parse_id(raw)
    if number is None:
        raise DomainError(_("A page number is a whole number from 1."), field="page")
    return number


def paginate(qs: Any, page: Any, per_page: int = PAGE_SIZE) -> Page[Any]:
    """Return the requested page: 400 for a malformed number, 404 past the last page."""
    number = page_number(page)
    paginator = Paginator(qs, per_page)
    try:
        return paginator.page(number)
    except EmptyPage:
        raise NotFound() from None

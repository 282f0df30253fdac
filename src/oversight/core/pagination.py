"""One way to page a queryset, for pages and endpoints alike."""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator

PAGE_SIZE = 50


def paginate(qs: Any, page: Any, per_page: int = PAGE_SIZE) -> Page[Any]:
    """Return the requested page; a bad or out-of-range number gives the first or last page."""
    paginator = Paginator(qs, per_page)
    try:
        return paginator.page(page or 1)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)

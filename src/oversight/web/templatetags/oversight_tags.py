from typing import Any

from django import template
from django.utils import timezone

from oversight.core import clock
from oversight.org import policy

register = template.Library()


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """Look a key up in a dict from a template: {{ labels|get_item:code }}."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def qualification_valid(officer: Any) -> bool:
    """Tell whether an officer's 执法资格 holds today (local date)."""
    today = timezone.localdate(clock.now())
    return policy.qualification_valid(
        officer.qualification, officer.qualification_expires_on, today
    )


@register.simple_tag
def query_with(query: Any, **changes: Any) -> str:
    """The query string of ``query`` (a QueryDict) with ``changes``; paging cursors replaced."""
    params = query.copy()
    for key in ("after", "before"):
        params.pop(key, None)
    for key, value in changes.items():
        params[key] = value
    return str(params.urlencode())

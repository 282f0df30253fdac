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

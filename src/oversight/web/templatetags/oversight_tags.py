from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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


ROW = (
    '<tr{}><td data-label=""><a href="{}{}/">{}</a></td>'
    '<td data-label="{}">{}</td><td data-label="{}">{}</td><td data-label="{}">{}</td>'
    '<td data-label="{}">{}</td><td data-label="{}">{}</td></tr>'
)


IDENT = '<span class="ident">{}</span>'


@register.simple_tag
def subject_rows(rows: list[Any], kinds: dict, grades: dict, statuses: dict) -> SafeString:
    """The registry list's rows, written out here: fifty rows through the template engine cost
    more than the query and the page around them (bench/subject_list.py)."""
    if not rows:
        return format_html(
            '<tr><td colspan="6" class="text-muted" data-label="">{}</td></tr>', _("Nothing found.")
        )
    kind_l, code_l, where_l, grade_l, status_l = (
        _("Kind of subject"),
        _("Unified social credit code"),
        _("Jurisdiction"),
        _("Risk grade"),
        _("Status"),
    )
    detail = reverse("web:subject_detail", args=[0]).removesuffix("0/")  # + id + "/"
    dash = "—"
    return format_html_join(
        "",
        ROW,
        (
            (
                mark_safe(' class="text-muted"') if s.status == "CLOSED" else "",
                detail,
                s.pk,
                s.name,
                kind_l,
                kinds.get(s.kind) or dash,
                code_l,
                format_html(IDENT, s.credit_code) if s.credit_code else dash,
                where_l,
                s.agency.name,
                grade_l,
                grades.get(s.risk_grade, s.risk_grade),
                status_l,
                statuses.get(s.status, s.status),
            )
            for s in rows
        ),
    )

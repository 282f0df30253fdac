"""Page fields of several values (``oversight.planning.fields.Many``): a list of checkboxes, each
value checked with ``clean_many`` — the check the service runs — so the page refuses what the
API refuses, in the same words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from oversight.core.errors import DomainError
from oversight.planning.fields import Many, clean_many


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes written out in Python (a template per option costs more than the page)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = {str(v) for v in (value or [])}
        base = (attrs or {}).get("id") or f"id_{name}"
        boxes = format_html_join(
            "",
            '<div class="form-check"><input class="form-check-input" type="checkbox" '
            'name="{}" value="{}" id="{}_{}"{}><label class="form-check-label" for="{}_{}">'
            "{}</label></div>",
            (
                (
                    name,
                    key,
                    base,
                    i,
                    mark_safe(" checked") if str(key) in chosen else "",
                    base,
                    i,
                    label,
                )
                for i, (key, label) in enumerate(self.choices)
            ),
        )
        return format_html('<div id="{}" class="border rounded px-2 py-1">{}</div>', base, boxes)


class ManyField(forms.Field):
    """A field of several values of a declared ``Many``."""

    def __init__(self, many: Many, choices: list[tuple[Any, Any]]) -> None:
        widget = CheckboxList()
        widget.choices = list(choices)
        super().__init__(required=False, label=many.label, help_text=many.help_text, widget=widget)
        self.many = many

    def clean(self, value: Any) -> Any:
        try:
            return clean_many(self.many, list(value or []))
        except DomainError as exc:
            raise ValidationError(str(exc.message)) from None

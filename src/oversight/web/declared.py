"""Page forms built from declared fields (``oversight.core.fields``): one declaration per entity.

A declared form field runs ``clean_value`` — the very check the service runs — so a page refuses
the same input in the same words as the API and the CLI. Reference fields are select lists whose
choices the view fills from the viewer's scope.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from oversight.core.errors import DomainError
from oversight.core.fields import Fields, FieldSpec, clean_value


class DeclaredField(forms.Field):
    """A form field that checks its value against a declared ``FieldSpec``."""

    def __init__(self, spec: FieldSpec, **kwargs: Any) -> None:
        self.spec = spec
        super().__init__(
            required=spec.required,
            label=spec.label,
            help_text=spec.help_text,
            widget=_widget(spec),
            **kwargs,
        )
        if spec.kind == "choice":
            blank = [] if spec.required else [("", "—")]
            self.widget.choices = blank + list(spec.choices)
        if spec.kind == "boolean":
            blank = [] if spec.required else [("", "—")]
            self.widget.choices = [*blank, ("true", _("Yes")), ("false", _("No"))]

    def clean(self, value: Any) -> Any:
        try:
            return clean_value(self.spec, value)
        except DomainError as exc:
            raise ValidationError(str(exc.message)) from None


class ListSelect(forms.Select):
    """A select list written out in Python: Django's own renders a template per option, which
    made a list page's filters (kinds, jurisdictions) cost more than its fifty rows."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        final = self.build_attrs(self.attrs, attrs) | {"name": name}
        return format_html("<select{}>{}</select>", flatatt(final), options)


class PlainInput(forms.widgets.Input):
    """An input written out in Python, for the same reason as ``ListSelect``."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs) | {"type": self.input_type, "name": name}
        shown = self.format_value(value)
        if shown is not None:
            final["value"] = shown
        return format_html("<input{}>", flatatt(final))


class TextInput(PlainInput, forms.TextInput):
    pass


class NumberInput(PlainInput, forms.NumberInput):
    pass


class DateInput(PlainInput, forms.DateInput):
    pass


def _widget(spec: FieldSpec) -> forms.Widget:
    if spec.kind in ("choice", "ref", "boolean"):
        return ListSelect()
    if spec.kind in ("integer", "decimal"):
        step = "1" if spec.kind == "integer" else str(Decimal(1).scaleb(-(spec.decimals or 2)))
        return NumberInput(attrs={"step": step, "inputmode": "decimal"})
    if spec.kind == "date":
        return DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    attrs = {"maxlength": str(spec.max_length)} if spec.max_length else {}
    return TextInput(attrs=attrs)


class DeclaredForm(forms.Form):
    """A Bootstrap-styled form of declared fields; ``set_choices`` fills a reference list."""

    declared: Fields = Fields()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for spec in self.declared.specs:
            self.fields[spec.name] = DeclaredField(spec)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)

    def set_choices(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        """Offer ``choices`` (id, label) in a reference list, with a blank one if optional."""
        field = self.fields[name]
        blank = [("", "—")] if not field.required else [("", "")]
        field.widget.choices = blank + list(choices)

    def drop(self, *names: str) -> None:
        """Leave fields out of this form (the viewer may not change them here)."""
        for name in names:
            self.fields.pop(name, None)


def declared_form(fields: Fields, name: str = "DeclaredForm") -> type[DeclaredForm]:
    """Return a form class with the declared ``fields``."""
    return type(name, (DeclaredForm,), {"declared": fields})

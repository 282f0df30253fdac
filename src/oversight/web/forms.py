"""Plain forms: they parse and check input; services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.core.errors import DomainError
from oversight.org.models import AgencyKind, AgencyLevel, Qualification, Role


class BootstrapForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)

    def add_domain_error(self, exc: DomainError) -> None:
        """Show a service's refusal on the field it names, or on the form as a whole."""
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, str(exc.message))


class LoginForm(BootstrapForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class TokenForm(BootstrapForm):
    token = forms.RegexField(
        label=_("Six-digit code"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits your authenticator app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordChangeForm(BootstrapForm):
    old_password = forms.CharField(
        label=_("Current password"), strip=False, widget=forms.PasswordInput
    )
    new_password = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)
    new_password_again = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords differ."))
        return data


def set_choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _choices(pairs: Any, blank: bool = False) -> list[tuple[Any, Any]]:
    items = [(k, v) for k, v in pairs]
    return [("", "—"), *items] if blank else items


class AgencyForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), choices=AgencyKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=AgencyLevel.choices)
    division_code = forms.RegexField(
        label=_("Administrative-division code"),
        regex=r"^[1-9]\d{5}$",
        error_messages={
            "invalid": _("An administrative-division code has six digits, e.g. 130602.")
        },
    )
    parent = forms.TypedChoiceField(label=_("Parent agency"), coerce=int, choices=())
    department = forms.TypedChoiceField(
        label=_("Department"), coerce=int, choices=(), required=False, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        parents: Any = (),
        departments: Any = (),
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "parent", _choices(parents))
        set_choices(self, "department", _choices(departments, blank=True))
        if editing:
            del self.fields["code"]
            del self.fields["parent"]


class OfficerForm(BootstrapForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    name = forms.CharField(label=_("Full name"), max_length=40)
    badge_number = forms.RegexField(
        label=_("Badge number"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("A badge number has six digits.")},
    )
    warrant_number = forms.RegexField(
        label=_("Warrant number"),
        regex=r"^[0-9A-Z]{6,20}$",
        error_messages={"invalid": _("A warrant number has 6–20 digits or upper-case letters.")},
    )
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int, choices=())
    department = forms.TypedChoiceField(
        label=_("Department"), coerce=int, choices=(), required=False, empty_value=None
    )
    title = forms.CharField(label=_("Post"), max_length=40, required=False)
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^[0-9+\- ]{3,20}$",
        required=False,
        error_messages={"invalid": _("Enter a phone number of digits, spaces, + or -.")},
    )
    qualification = forms.ChoiceField(
        label=_("Law-enforcement qualification"), choices=Qualification.choices
    )
    qualification_expires_on = forms.DateField(
        label=_("Qualification valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(
        self,
        *args: Any,
        agencies: Any = (),
        departments: Any = (),
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "agency", _choices(agencies))
        set_choices(self, "department", _choices(departments, blank=True))
        if editing:
            del self.fields["username"]


class DepartmentForm(BootstrapForm):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=40)


class LiaisonForm(BootstrapForm):
    agency = forms.TypedChoiceField(label=_("Agency"), coerce=int, choices=())
    department = forms.TypedChoiceField(label=_("Department"), coerce=int, choices=())
    officer = forms.IntegerField(
        label=_("Officer (badge number)"),
        min_value=0,
        max_value=999999,
        help_text=_("The six-digit badge number of an officer of that agency."),
    )
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^[0-9+\- ]{3,20}$",
        required=False,
        error_messages={"invalid": _("Enter a phone number of digits, spaces, + or -.")},
    )

    def __init__(
        self, *args: Any, agencies: Any = (), departments: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "agency", _choices(agencies))
        set_choices(self, "department", _choices(departments))


class AccountCreateForm(BootstrapForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    display_name = forms.CharField(label=_("Full name"), max_length=60, required=False)


class SetPasswordForm(BootstrapForm):
    password = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput)


class RoleGrantForm(BootstrapForm):
    role = forms.ChoiceField(label=_("Role"), choices=[("", "—"), *Role.choices])


class AuditSearchForm(BootstrapForm):
    q = forms.CharField(label=_("Action, actor or object"), max_length=100, required=False)
    object_type = forms.CharField(label=_("Object type"), max_length=80, required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

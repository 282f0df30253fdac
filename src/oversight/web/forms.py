"""Plain forms: they parse and check input; services do the work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oversight.core.errors import DomainError
from oversight.org.models import Role


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


class AccountCreateForm(BootstrapForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    display_name = forms.CharField(label=_("Full name"), max_length=60, required=False)


class ActivateForm(BootstrapForm):
    """Set one's password with the activation code a leader or an administrator handed over."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    code = forms.CharField(
        label=_("Activation code"),
        max_length=40,
        help_text=_("The twelve letters and digits you were handed, in three groups of four."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two new passwords differ."))
        return data


class RoleGrantForm(BootstrapForm):
    """Offers only the roles the account may receive (``oversight.org.policy.grantable_roles``)."""

    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, roles: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        offered = (
            [(code, Role(code).label) for code in roles] if roles is not None else Role.choices
        )
        field.choices = [("", "—"), *offered]


class AuditSearchForm(BootstrapForm):
    """The auditor's search: action and object type chosen from lists in words, never typed."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    actor = forms.CharField(label=_("Actor (user name)"), max_length=150, required=False)
    q = forms.CharField(label=_("Words, address or request number"), max_length=100, required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from oversight.audit.vocabulary import VOCABULARY

        super().__init__(*args, **kwargs)
        actions = self.fields["action"]
        types = self.fields["object_type"]
        assert isinstance(actions, forms.ChoiceField) and isinstance(types, forms.ChoiceField)
        actions.choices = [("", _("All actions")), *VOCABULARY.action_choices()]
        types.choices = [("", _("All kinds of object")), *VOCABULARY.object_type_choices()]

    def clean(self) -> dict[str, Any]:
        from oversight.core.inputs import date_field, text_field

        data = super().clean() or {}
        for name in ("actor", "q", "since", "until"):
            if name not in data:
                continue
            try:
                if name in ("since", "until"):
                    data[name] = date_field(data[name], field=name)
                else:
                    data[name] = text_field(data[name], field=name, required=False)
            except DomainError as exc:
                self.add_domain_error(exc)
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

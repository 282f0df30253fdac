"""The configured password policy as a Django password validator."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from oversight.org.policy import PasswordRules, password_problems, password_rules


def configured_rules() -> PasswordRules:
    return password_rules(
        settings.OVERSIGHT_PASSWORD_POLICY, settings.OVERSIGHT_PASSWORD_MAX_AGE_DAYS
    )


class PolicyValidator:
    """Apply the 等保 or ASVS rules chosen by ``OVERSIGHT_PASSWORD_POLICY``."""

    def validate(self, password: str, user: Any = None) -> None:
        rules = configured_rules()
        errors = []
        for problem in password_problems(password, rules):
            if problem == "too_short":
                errors.append(
                    ValidationError(
                        _("The password must have at least %(n)d characters.")
                        % {"n": rules.min_length},
                        code="password_too_short",
                    )
                )
            elif problem == "too_few_classes":
                errors.append(
                    ValidationError(
                        _(
                            "The password must mix at least %(n)d of: lower-case letters, "
                            "upper-case letters, digits, symbols."
                        )
                        % {"n": rules.min_classes},
                        code="password_too_simple",
                    )
                )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        rules = configured_rules()
        if rules.min_classes:
            return _(
                "At least %(len)d characters, mixing %(n)d of: lower-case, upper-case, digits, "
                "symbols."
            ) % {"len": rules.min_length, "n": rules.min_classes}
        return _("At least %(len)d characters.") % {"len": rules.min_length}

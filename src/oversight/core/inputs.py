"""Messages for refused input, and the checks services run on what a user typed.

``oversight.core.text`` decides what is refused; this module says why, in the user's language,
naming the field. Services call ``text_field`` and ``date_field`` so that pages, API and CLI
refuse the same values with the same words.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from oversight.core.errors import DomainError
from oversight.core.text import InputRefused, check_date, clean_text


def refusal_message(exc: InputRefused) -> str:
    """Return the sentence that explains a refusal to the person who typed the value."""
    params: dict[str, Any] = exc.params
    if exc.code == "blank":
        return _("This field is required.")
    if exc.code == "control":
        return (
            _("Remove the invisible or control character %(char)s (pasted text often carries one).")
            % params
        )
    if exc.code == "too_long":
        return _("Enter at most %(max)d characters.") % params
    if exc.code == "date_range":
        return _("Enter a date between %(earliest)s and %(latest)s.") % params
    return _("Enter text.")


def text_field(
    value: str,
    *,
    field: str,
    max_length: int | None = None,
    multiline: bool = False,
    required: bool = True,
) -> str:
    """Return clean text for ``field`` or raise DomainError naming the field and the rule."""
    try:
        return clean_text(value, max_length=max_length, multiline=multiline, required=required)
    except InputRefused as exc:
        raise DomainError(refusal_message(exc), field=field) from None


def date_field(value: date | None, *, field: str) -> date | None:
    """Return ``value`` if it is None or in the sane range, else raise DomainError."""
    if value is None:
        return None
    try:
        return check_date(value)
    except InputRefused as exc:
        raise DomainError(refusal_message(exc), field=field) from None

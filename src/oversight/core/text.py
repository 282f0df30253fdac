"""The one input boundary for text, ids and dates: forms, API and CLI all call these.

Pure functions (no Django): each returns the clean value or raises ``InputRefused`` with a code
that an interface turns into a field message (``oversight.core.inputs`` holds the messages).
"""

from __future__ import annotations

import unicodedata
from datetime import date

# Largest id a 64-bit signed primary key holds; anything larger cannot name a row.
MAX_ID = 2**63 - 1
# Dates outside this range are typing mistakes (0 read as 1970, 20260 for 2026), not real dates.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)

# Characters that look like nothing yet change what a text means or how it is shown: bidi
# overrides and isolates, zero-width joiners and spaces, and the like (Unicode category Cf), and
# control characters (Cc). Lone surrogates (Cs) cannot be stored as UTF-8 at all.
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs"}
_LINE_BREAKS = {"\n"}
_SINGLE_LINE_BREAKERS = {"\u2028", "\u2029"}


class InputRefused(ValueError):
    """A value was refused at the boundary; ``code`` names the rule, ``params`` fill its message."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


def clean_text(
    value: str,
    *,
    max_length: int | None = None,
    multiline: bool = False,
    required: bool = True,
) -> str:
    """Return ``value`` NFC-normalised and trimmed, or raise InputRefused.

    Codes: "blank" (empty after trimming, when required), "control" (NUL, control, bidi or
    zero-width characters; line breaks only where ``multiline``), "too_long".
    """
    if not isinstance(value, str):
        raise InputRefused("not_text")
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n"))
    # Printable text (str.isprintable) holds no character of those categories nor a line break:
    # only other text is read character by character (an import checks a million cells).
    for char in "" if text.isprintable() else text:
        if multiline and (char in _LINE_BREAKS or char == "\t"):
            continue
        if char in _SINGLE_LINE_BREAKERS or unicodedata.category(char) in _REFUSED_CATEGORIES:
            raise InputRefused("control", char=f"U+{ord(char):04X}")
    text = text.strip()
    if not text:
        if required:
            raise InputRefused("blank")
        return ""
    if max_length is not None and len(text) > max_length:
        raise InputRefused("too_long", max=max_length)
    return text


def parse_id(raw: object) -> int | None:
    """Return a row id from a query or form value, or None when it cannot name a row.

    Only ASCII digits count (``"²".isdigit()`` is true in Python, ``int("²")`` fails), and the
    value must fit a 64-bit key: a larger number names nothing, it does not overflow the database.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 1 <= raw <= MAX_ID else None
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    number = int(raw)
    return number if 1 <= number <= MAX_ID else None


def check_date(value: date, *, earliest: date = EARLIEST_DATE, latest: date = LATEST_DATE) -> date:
    """Return ``value`` if it lies in the sane range, else raise InputRefused("date_range")."""
    if not earliest <= value <= latest:
        raise InputRefused("date_range", earliest=earliest.isoformat(), latest=latest.isoformat())
    return value

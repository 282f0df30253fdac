"""Masks for personal data shown to the audit administrator. Pure: no Django.

The audit administrator must see who did what to which object, but not the personal data of the
people concerned (三权分立: an administrator never reads business data). Each mask keeps just enough
to tell two values apart (a few leading and trailing characters) and hides the rest. The stored
events keep the full values, so the hash chain still covers them; masking happens on display only.
"""

from __future__ import annotations

STAR = "*"


def mask_middle(value: str, *, keep_start: int, keep_end: int) -> str:
    """Hide the middle of ``value``, keeping ``keep_start`` leading and ``keep_end`` trailing
    characters. At least a third of the value is always hidden: a value too short for the kept
    ends keeps a quarter of its length at each end instead (nothing, when it is very short)."""
    if not value:
        return value
    length = len(value)
    if length - keep_start - keep_end < max(1, -(-length // 3)):
        keep_start = keep_end = length // 4
    hidden = length - keep_start - keep_end
    return value[:keep_start] + STAR * hidden + (value[length - keep_end :] if keep_end else "")


def mask_phone(value: str) -> str:
    """138****5678: the first three and last four digits of a mobile number stay."""
    return mask_middle(value, keep_start=3, keep_end=4)


def mask_id_number(value: str) -> str:
    """110***********1234: a resident ID number keeps its first three and last four characters."""
    return mask_middle(value, keep_start=3, keep_end=4)


def mask_warrant_number(value: str) -> str:
    """T5****01: a warrant (police ID card) number keeps two characters at each end."""
    return mask_middle(value, keep_start=2, keep_end=2)


def mask_name(value: str) -> str:
    """王*: a person's name keeps its first character; one star hides the rest and its length."""
    value = value.strip()
    if not value:
        return value
    return value[0] + STAR if len(value) > 1 else STAR

"""Pure rules of the subject registry: the credit code's check character, natural keys."""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping

# GB 32100-2015 统一社会信用代码: 18 characters from this alphabet (no I, O, Z, S, V); the last is a
# check character over the first 17 with these weights, modulo 31.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_SHAPE = re.compile(rf"^[{CREDIT_ALPHABET}]{{18}}$")


_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_ALPHABET)}


def credit_check_character(first17: str) -> str:
    """Return the check character GB 32100 gives the first 17 characters of a credit code."""
    if len(first17) != len(CREDIT_WEIGHTS):
        raise ValueError("a credit code's check character is computed over 17 characters")
    try:
        values = [_CREDIT_VALUE[c] for c in first17]
    except KeyError:
        raise ValueError("not a character of a credit code") from None
    total = sum(map(operator.mul, values, CREDIT_WEIGHTS))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Return why a credit code is not valid ("shape", "check"), or None if it is."""
    if not _CREDIT_SHAPE.match(code):
        return "shape"
    if credit_check_character(code[:17]) != code[17]:
        return "check"
    return None


def natural_key(
    *, credit_code: str, linked_agency_id: int | None, agency_id: int, name: str
) -> str:
    """Return what identifies a subject within its kind, across edits and imports.

    Its credit code when it has one; the organisation row an internal subject stands for; else
    its name within its jurisdiction (two subjects of one kind with one name in one agency are
    one subject).
    """
    if credit_code:
        return f"credit:{credit_code}"
    if linked_agency_id is not None:
        return f"agency:{linked_agency_id}"
    return f"name:{agency_id}:{name}"


def changed_fields(
    before: Mapping[str, object], after: Mapping[str, object]
) -> dict[str, tuple[object, object]]:
    """Return {field: (old, new)} for the fields whose value differs."""
    return {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}

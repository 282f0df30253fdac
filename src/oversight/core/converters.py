"""URL converters: a path id that cannot name a row does not match, so it answers 404."""

from __future__ import annotations

from oversight.core.text import parse_id


class IdConverter:
    """``<id:name>``: 1 to 2**63 - 1 in ASCII digits; anything else is not a route."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)

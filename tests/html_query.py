"""Find elements of a page by one simple selector and read their text, so that a test asserts
on the element that matters rather than on a whole page.

Selectors: ``tag``, ``.class``, ``#id``, ``[attr=value]`` and a tag followed by one of those
(``div.alert-danger``, ``input[name=username]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

_SELECTOR = re.compile(
    r"^(?P<tag>[a-z][a-z0-9]*)?"
    r"(?:\.(?P<cls>[\w-]+)|#(?P<id>[\w-]+)|\[(?P<attr>[\w-]+)=(?P<value>[^\]]+)\])?$"
)
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "wbr",
}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's text, whitespace collapsed."""
        return " ".join("".join(self.parts).split())


class _Finder(HTMLParser):
    def __init__(self, selector: str) -> None:
        super().__init__(convert_charrefs=True)
        match = _SELECTOR.match(selector)
        if not match or not any(match.groupdict().values()):
            raise ValueError(f"unsupported selector {selector!r}")
        self.want = match.groupdict()
        self.found: list[Element] = []
        self.open: list[tuple[str, Element | None]] = []

    def _matches(self, tag: str, attrs: dict[str, str]) -> bool:
        want = self.want
        if want["tag"] and want["tag"] != tag:
            return False
        if want["cls"] and want["cls"] not in attrs.get("class", "").split():
            return False
        if want["id"] and attrs.get("id") != want["id"]:
            return False
        return not (want["attr"] and attrs.get(want["attr"]) != want["value"].strip("\"'"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        element = Element(tag, values) if self._matches(tag, values) else None
        if element is not None:
            self.found.append(element)
        if tag not in _VOID:
            self.open.append((tag, element))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                return

    def handle_data(self, data: str) -> None:
        for _tag, element in self.open:
            if element is not None:
                element.parts.append(data)


def select(content: Any, selector: str) -> list[Element]:
    """Return every element of ``content`` (bytes, str or a response) matching ``selector``."""
    if hasattr(content, "content"):
        content = content.content
    if isinstance(content, bytes):
        content = content.decode()
    finder = _Finder(selector)
    finder.feed(content)
    finder.close()
    return finder.found


def texts(content: Any, selector: str) -> list[str]:
    """Return the text of every element matching ``selector``."""
    return [element.text for element in select(content, selector)]


def text(content: Any, selector: str) -> str:
    """Return the text of the one element matching ``selector`` (fails on none or several)."""
    found = texts(content, selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}: {found}"
    return found[0]

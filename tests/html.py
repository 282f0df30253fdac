"""Ask a page for the element that matters, not for a string somewhere in it.

from tests.html import one, texts
assert one(response, "[data-testid=consequence]").text == "…"
"""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup, Tag


def soup(page: Any) -> BeautifulSoup:
    """Parse a response (or HTML text) into a tree."""
    content = page.content.decode() if hasattr(page, "content") else str(page)
    return BeautifulSoup(content, "html.parser")


def one(page: Any, selector: str) -> Tag:
    """Return the single element matching a CSS selector; fail if there is none or several."""
    found = soup(page).select(selector)
    assert len(found) == 1, f"{len(found)} elements match {selector!r}"
    return found[0]


def every(page: Any, selector: str) -> list[Tag]:
    return list(soup(page).select(selector))


def texts(page: Any, selector: str) -> list[str]:
    """Return the stripped text of each element matching ``selector``."""
    return [" ".join(tag.get_text(" ", strip=True).split()) for tag in every(page, selector)]


def field_errors(page: Any, name: str) -> list[str]:
    """Return the error messages shown under the form field ``name``."""
    field = one(page, f"[name={name}]")
    box = field.find_parent("div")
    assert box is not None
    return [e.get_text(strip=True) for e in box.select(".invalid-feedback")]


def form_errors(page: Any) -> list[str]:
    """Return the errors shown for the form as a whole."""
    return texts(page, "form .alert-danger")

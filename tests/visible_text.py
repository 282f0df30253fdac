"""What a user reads on a page, and whether it holds text meant for developers.

Users read Chinese. Codes (ALL_CAPS values, snake_case and dotted ids, G01-style item codes) and
English words must not reach them. Identifiers a user needs — user names, badge and warrant
numbers, agency codes, addresses — are shown on purpose inside ``class="ident"`` (or, where
that style does not fit, ``data-ident``, as for language names) and are not scanned. Used by the
catalog pages' test and by the browser's walk over every page.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

# Words a user may meet in Latin letters: format and protocol names, standards, Roman numerals.
ALLOWED_LATIN = re.compile(
    r"^(API|PDF|DOCX|TOTP|IP|GB|GA|T|[IVX]+|[A-D])$"  # standard names; A–D risk grades
)
# A checksum (the version's content hash) is shown to compare with `oversight catalog versions`.
CHECKSUM = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{12,64}(?![0-9A-Za-z])")
LATIN_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*")
VISIBLE_ATTRIBUTES = {"title", "aria-label", "data-label", "alt", "placeholder"}


def visible_texts(page: str) -> list[str]:
    """The text a user can see — the title, the body's text and the attributes a browser shows
    (tooltips, labels) — without scripts, styles, URLs and identifiers marked ``ident``.

    An identifier the page marks somewhere is taken out wherever it recurs unmarked, as in the
    title, which cannot hold markup.
    """
    soup = BeautifulSoup(page, "html.parser")
    idents = {t.get_text(strip=True) for t in soup.select(".ident") if t.get_text(strip=True)}
    for hidden in soup.select("script, style, template, .ident, [data-ident]"):
        hidden.decompose()
    texts = [soup.title.get_text(strip=True)] if soup.title else []
    body = soup.body or soup
    texts += [s.strip() for s in body.find_all(string=True) if s.strip()]
    for tag in body.find_all(True):
        texts += [str(v) for k, v in tag.attrs.items() if k in VISIBLE_ATTRIBUTES and v]
    for ident in sorted(idents, key=len, reverse=True):
        texts = [t.replace(ident, " ") for t in texts]
    return texts


def identifier_like(page: str) -> list[str]:
    """Return each piece of visible text that holds a code, an id or an English word."""
    found = []
    for text in visible_texts(page):
        plain = CHECKSUM.sub(" ", text)
        # Any run of Latin letters: snake_case and dotted ids, CODES, G01-style item codes, words.
        bad = [t for t in LATIN_TOKEN.findall(plain) if not ALLOWED_LATIN.match(t)]
        if bad:
            found.append(f"{sorted(set(bad))} in {text[:120]!r}")
    return found

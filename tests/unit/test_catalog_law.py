"""Legal fidelity: a provision marked verified is word for word in the law text it cites."""

from __future__ import annotations

from pathlib import Path

import pytest

from oversight.catalog.loader import load

ROOT = Path(__file__).resolve().parents[2]
TEXTS = ROOT / "catalog" / "law" / "texts"
SHARED_TEXTS = ROOT.parent / "shared" / "law" / "texts"
CATALOG = load(ROOT / "catalog")

WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ";": "；", ":": "：", "?": "？"})


def normal(text: str) -> str:
    """Ignore whitespace and half- or full-width punctuation, which copies of laws vary in."""
    return "".join(text.split()).translate(WIDTH)


VERIFIED = [
    (instrument, provision)
    for instrument in CATALOG.instruments.values()
    for provision in instrument.provisions
    if provision.status == "verified"
]


@pytest.mark.parametrize("instrument, provision", VERIFIED, ids=[p.id for _, p in VERIFIED])
def test_a_verified_provision_is_in_its_law_text(instrument, provision):
    assert instrument.text_file, f"{instrument.id} has verified provisions but no text_file"
    text = (TEXTS / instrument.text_file).read_text(encoding="utf-8")
    for paragraph in provision.text.splitlines():
        assert normal(paragraph) in normal(text), paragraph


def test_every_text_file_named_exists():
    for instrument in CATALOG.instruments.values():
        if instrument.text_file:
            assert (TEXTS / instrument.text_file).is_file(), instrument.text_file


@pytest.mark.skipif(not SHARED_TEXTS.is_dir(), reason="../shared/law/texts is not beside the repo")
def test_the_law_texts_are_the_shared_ones():
    for path in SHARED_TEXTS.glob("*.md"):
        assert (TEXTS / path.name).read_bytes() == path.read_bytes(), path.name


def test_every_figure_citing_a_verified_provision_quotes_it():
    provisions = CATALOG.provisions
    for regime in CATALOG.regimes.values():
        for key, figure in regime.figures.items():
            if provisions[figure.reference].status == "verified":
                assert figure.quote, f"{regime.code}.{key}"
                assert normal(figure.quote) in normal(provisions[figure.reference].text)

"""Cite a provision as people do: 《易制毒化学品管理条例》第十七条. Pure: no Django.

A law, regulation or rule is cited by its title in book-title marks and its article. A local
rule (an instrument whose id starts with ``local_``: a part of the responsibility list, which
has no article numbers) is cited the same way by the list's own numbering: the list's name, the
section its title carries and the heading of the part, e.g.
《市公安局责任清单》（九）一（四）监督检查措施.
"""

from __future__ import annotations

import re

from oversight.catalog.schema import Instrument, Provision

LOCAL_PREFIX = "local_"
_NUMERAL = "[一二三四五六七八九十]+"
# A local instrument's title: the list's name, then its section, e.g. "市公安局责任清单（九）一、…".
_LOCAL_TITLE = re.compile(rf"^(?P<name>[^（]*责任清单)(?P<section>（{_NUMERAL}）(?:{_NUMERAL})?)")
# A heading that repeats the section it is in, e.g. "（七）一、（四）监督检查措施".
_SECTION_PREFIX = re.compile(rf"^（{_NUMERAL}）{_NUMERAL}、")


def is_local(instrument_id: str) -> bool:
    """Tell whether an instrument is a local rule found only in the responsibility list."""
    return instrument_id.startswith(LOCAL_PREFIX)


def cite(instrument: Instrument, provision: Provision) -> str:
    """Return the citation of ``provision`` of ``instrument`` for people to read."""
    return citation(instrument.id, instrument.title, provision.article)


def citation(instrument_id: str, title: str, article: str) -> str:
    """Cite an ``article`` of the instrument ``instrument_id`` titled ``title`` (see ``cite``)."""
    if not is_local(instrument_id):
        return f"《{title}》{article}"
    heading = _SECTION_PREFIX.sub("", article).strip()
    local = _LOCAL_TITLE.match(title)
    if local is None:
        return f"{title} · {heading}"
    return f"《{local['name']}》{local['section']}{heading}"

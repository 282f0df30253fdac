"""The catalog in force, as a user browses it: unconfirmed figures are visibly marked."""

import html
import json
import re
import shutil
from html.parser import HTMLParser

import pytest
from django.test import Client

from oversight.catalog.export import export_document
from oversight.catalog.loader import load
from oversight.catalog.services import catalog_load
from oversight.org.services import token_issue
from tests.conftest import CATALOG_ROOT, client_for
from tests.html import one
from tests.visible_text import identifier_like

CATALOG = load(CATALOG_ROOT)


@pytest.fixture
def loaded(db):
    version, _ = catalog_load(actor=None, path=CATALOG_ROOT)
    return version


def test_the_catalog_in_force_gives_each_kinds_declared_fields(loaded):
    from oversight.catalog.selectors import catalog_in_force

    catalog = catalog_in_force()
    assert catalog.subject_kind("BANK").credit_code == "required"
    fields = catalog.subject_fields("BANK")
    assert fields["acceptance_on"].kind == "date"
    assert fields.specs == CATALOG.subject_fields("BANK").specs
    assert catalog_in_force().subject_fields("BANK") is fields  # parsed and built once


def test_the_list_shows_every_regime_by_department(city, loaded):
    page = client_for(city.a_inspector.user).get("/catalog/").content.decode()
    for regime in CATALOG.regimes.values():
        assert f"/catalog/{regime.code}/" in page
    assert "治安" in page and "网安" in page


@pytest.mark.parametrize("code", list(CATALOG.regimes))
def test_each_figure_on_a_regime_page_carries_its_status(city, loaded, code):
    page = html.unescape(
        client_for(city.a_inspector.user).get(f"/catalog/{code}/").content.decode()
    )
    regime = CATALOG.regimes[code]
    for figure in regime.figures.values():
        start = page.index(f"<strong>{figure.label}</strong>")
        card = page[start : page.index("</div></div>", start)]
        status = CATALOG.provisions[figure.reference].status
        assert ("待核实" if status == "unconfirmed" else "已核实") in card, figure.label


def test_a_provision_page_shows_its_text_status_and_citing_regimes(city, loaded):
    page = client_for(city.a_inspector.user).get("/catalog/provisions/neibao_regulation.art19/")
    body = page.content.decode()
    assert "第十九条" in body and "已核实" in body and "/catalog/NEIBAO/" in body


def test_an_unknown_regime_or_provision_is_404(city, loaded):
    client = client_for(city.a_inspector.user)
    assert client.get("/catalog/NOPE/").status_code == 404
    assert client.get("/catalog/provisions/nope.art1/").status_code == 404


def test_before_any_load_the_list_says_so(city):
    page = client_for(city.a_inspector.user).get("/catalog/")
    assert one(page, "[data-testid=not-loaded] .ident").text == "oversight catalog load"
    assert identifier_like(page.content.decode()) == []


def test_the_export_marks_every_figure_with_its_status():
    document = export_document(CATALOG)
    unconfirmed = set(document["summary"]["unconfirmed_provisions"])
    for regime in document["regimes"]:
        for figure in regime["figures"].values():
            expected = "unconfirmed" if figure["reference"] in unconfirmed else "verified"
            assert figure["status"] == expected


def test_the_api_gives_a_regime_with_figure_statuses(city, loaded):
    _token, raw = token_issue(actor=None, username="a.inspector")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client = Client()
    regimes = client.get("/api/v1/catalog/regimes", **headers).json()
    assert len(regimes) == len(CATALOG.regimes)
    finance = client.get("/api/v1/catalog/regimes/FINANCE_SECURITY", **headers).json()
    assert {f["status"] for f in finance["figures"].values()} == {"unconfirmed"}
    neibao = client.get("/api/v1/catalog/regimes/NEIBAO", **headers).json()
    assert neibao["figures"]["unit_fine"]["status"] == "verified"
    assert client.get("/api/v1/catalog/regimes/NOPE", **headers).status_code == 404
    provision = client.get("/api/v1/catalog/provisions/precursor_regulation.art40", **headers)
    assert provision.json()["status"] == "verified"
    assert (
        json.loads(client.get("/api/v1/catalog/versions", **headers).content)[0]["id"] == loaded.pk
    )


# --- what a police user reads: no codes, no maintainers' notes, no English --------------------


def test_the_identifier_scan_catches_what_it_is_for():
    page = (
        "<main><p>见 precursor_regulation.art17</p><p>方式 SELF_CHECK</p><p>G01–G06</p>"
        "<p>sampling_cap</p><p>see note</p><td data-label='Where'>x</td>"
        "<a href='/catalog/NEIBAO/'>内保</a><script>var a_b = 1;</script></main>"
    )
    found = " ".join(identifier_like(page))
    for token in (
        "precursor_regulation.art17",
        "SELF_CHECK",
        "G01",
        "sampling_cap",
        "see",
        "Where",
    ):
        assert token in found
    assert "NEIBAO" not in found and "a_b" not in found
    assert (
        identifier_like("<main><p>GB/T 22239 · API · 版本 3（3fa9c2d41b07e6aa）</p></main>") == []
    )


def _pages_a_user_reads(loaded) -> list[str]:
    cited = set()
    for regime in CATALOG.regimes.values():
        cited |= set(regime.basis) | {f.reference for f in regime.figures.values()}
        cited |= {r.reference for r in regime.permit_matrix}
        cited |= {i.reference for part in _item_lists(regime) for i in part if i.reference}
    return [
        "/catalog/",
        "/catalog/versions/",
        f"/catalog/versions/{loaded.pk}/",
        *(f"/catalog/{code}/" for code in CATALOG.regimes),
        *(f"/catalog/provisions/{p}/" for p in sorted(cited)),
    ]


def _item_lists(regime):
    lists = [
        regime.content.items,
        regime.methods.items,
        regime.measures.items,
        regime.procedure.items,
        regime.handling.items,
        regime.correction_grounds,
        regime.fault_types,
        regime.accountability_forms,
        regime.violations,
        regime.determination_steps,
    ]
    if regime.scoring:
        lists += [regime.scoring.veto, regime.scoring.award_exclusions]
    if regime.grading:
        lists.append(regime.grading.items)
    return lists


def test_no_catalog_page_shows_a_code_an_id_or_an_english_word(city, loaded):
    client = client_for(city.a_inspector.user)
    leaks = {}
    for url in _pages_a_user_reads(loaded):
        response = client.get(url)
        assert response.status_code == 200, url
        found = identifier_like(response.content.decode())
        if found:
            leaks[url] = found
    assert not leaks, "\n".join(f"{url}: {f}" for url, fs in leaks.items() for f in fs)


# --- citations, notes and sourcing, parts in words ---------------------------------------------


class _Folds(HTMLParser):
    """Split the text of <main> into what sits in a sourcing fold and what a reader sees at once;
    note each fold's summary and whether it opens by itself."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside: list[str] = []
        self.outside: list[str] = []
        self.summaries: list[str] = []
        self.open_folds = 0
        self._depth = 0
        self._in_main = False
        self._in_summary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "main":
            self._in_main = True
        elif tag == "details" and "sourcing" in (values.get("class") or "").split():
            self._depth += 1
            self.open_folds += "open" in values
        elif tag == "summary" and self._depth:
            self._in_summary = True
            self.summaries.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self._in_main = False
        elif tag == "details" and self._depth:
            self._depth -= 1
        elif tag == "summary":
            self._in_summary = False

    def handle_data(self, data: str) -> None:
        if not self._in_main:
            return
        if self._in_summary:
            self.summaries[-1] += data.strip()
        else:
            (self.inside if self._depth else self.outside).append(data)


def folds(page: str) -> _Folds:
    parser = _Folds()
    parser.feed(page)
    return parser


def _regime_sourcing(regime) -> set[str]:
    return {i.sourcing for _, items in regime.item_lists() for i in items if i.sourcing}


def _regime_notes(regime) -> set[str]:
    return {i.note for _, items in regime.item_lists() for i in items if i.note}


@pytest.mark.parametrize("code", list(CATALOG.regimes))
def test_a_regime_page_folds_away_the_sourcing_and_shows_the_notes(city, loaded, code):
    regime = CATALOG.regimes[code]
    page = folds(client_for(city.a_inspector.user).get(f"/catalog/{code}/").content.decode())
    inside, outside = "".join(page.inside), "".join(page.outside)
    for sourcing in _regime_sourcing(regime):
        assert sourcing in inside and sourcing not in outside, sourcing
    for note in _regime_notes(regime):
        assert note in outside, note
    assert page.open_folds == 0
    assert set(page.summaries) <= {"来源与核对说明（供法制部门）"}


def test_a_provision_page_folds_away_its_own_and_its_instruments_sourcing(city, loaded):
    page = folds(
        client_for(city.a_inspector.user)
        .get("/catalog/provisions/rules_110.art6/")
        .content.decode()
    )
    provision = CATALOG.provisions["rules_110.art6"]
    instrument = CATALOG.instruments["rules_110"]
    inside, outside = "".join(page.inside), "".join(page.outside)
    assert provision.sourcing in inside and provision.sourcing not in outside
    assert instrument.sourcing in inside and instrument.sourcing not in outside
    assert provision.note in outside and instrument.note in outside
    assert page.summaries == ["来源与核对说明（供法制部门）"] and page.open_folds == 0


def test_sourcing_in_the_catalog_is_kept_apart_from_what_a_reader_is_told():
    """Remarks for maintainers and legal officers never slip back into a note."""
    maintainers_words = ("第三方", "未核", "占位", "据一般资料", "快照", "摘录", "只见于", "仅见于")
    notes = [(i.id, i.note) for i in CATALOG.instruments.values()]
    notes += [(p.id, p.note) for p in CATALOG.provisions.values()]
    notes += [
        (f"{r.code} {i.code}", i.note)
        for r in CATALOG.regimes.values()
        for _, items in r.item_lists()
        for i in items
    ]
    mixed = [(where, word) for where, note in notes for word in maintainers_words if word in note]
    assert mixed == []


def _part(page: str, title: str) -> str:
    """The text of the part of a regime page headed ``title``."""
    texts = [
        "".join(s.split())
        for s in re.findall(r'<section class="catalog-part">(.*?)</section>', page, re.S)
    ]
    plain = [re.sub(r"<[^>]+>", "", t) for t in texts]
    [part] = [t for t in plain if t.startswith(title)]
    return part


def test_a_part_the_list_leaves_empty_says_so_in_words(city, loaded):
    page = client_for(city.a_inspector.user).get("/catalog/PRECURSOR_PERMITS/").content.decode()
    procedure = _part(page, "五、监督检查程序")
    assert procedure == "五、监督检查程序责任清单对本事项未单列此部分。"


def test_the_grounds_for_a_correction_stand_under_the_measures_that_introduce_them(city, loaded):
    page = client_for(city.a_inspector.user).get("/catalog/PRECURSOR_PERMITS/").content.decode()
    measures = _part(page, "四、监督检查措施")
    for ground in CATALOG.regimes["PRECURSOR_PERMITS"].correction_grounds:
        assert ground.text in measures


@pytest.mark.parametrize("code", list(CATALOG.regimes))
def test_no_part_of_a_regime_is_left_as_a_dash(city, loaded, code):
    page = client_for(city.a_inspector.user).get(f"/catalog/{code}/").content.decode()
    for title in ("二、", "三、", "四、", "五、", "六、"):
        part = _part(page, title)
        assert len(part) > len(title) + 6 and "—" not in part[:12], part


def _links(page: str) -> dict[str, set[str]]:
    """The text of every link on a page, by the address it points to."""
    links: dict[str, set[str]] = {}
    for href, text in re.findall(r'<a[^>]* href="([^"]+)"[^>]*>(.*?)</a>', page, re.S):
        links.setdefault(href, set()).add(re.sub(r"<[^>]+>", "", text))
    return links


def test_provisions_are_cited_by_title_and_article(city, loaded):
    client = client_for(city.a_inspector.user)
    links = _links(client.get("/catalog/PRECURSOR_PERMITS/").content.decode())
    assert links["/catalog/provisions/precursor_regulation.art17/"] == {
        "《易制毒化学品管理条例》第十七条"
    }
    assert links["/catalog/provisions/local_precursor_permits.correction/"] == {
        "《市公安局责任清单》（九）一（四）监督检查措施"
    }
    page = client.get("/catalog/provisions/precursor_regulation.art17/").content.decode()
    assert re.search(r"<h1[^>]*>《易制毒化学品管理条例》第十七条 ", page)


def test_the_api_adds_a_citation_and_keeps_its_keys(city, loaded):
    _token, raw = token_issue(actor=None, username="a.inspector")
    client, headers = Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    provision = client.get(
        "/api/v1/catalog/provisions/local_precursor_permits.correction", **headers
    ).json()
    assert provision["citation"] == "《市公安局责任清单》（九）一（四）监督检查措施"
    assert {"id", "instrument", "article", "text", "status", "note", "seed_text"} <= set(provision)
    assert (
        provision["sourcing"] == CATALOG.provisions["local_precursor_permits.correction"].sourcing
    )
    regime = client.get("/api/v1/catalog/regimes/PRECURSOR_PERMITS", **headers).json()
    cap = regime["figures"]["sampling_cap"]
    assert cap["citation"] == "《市公安局责任清单》（九）一（三）监督检查方式 1."
    assert cap["reference"] == "local_precursor_permits.sampling"


@pytest.fixture
def two_versions(db, tmp_path):
    """The catalog, then a copy with a figure renamed and an item's kind changed."""
    first, _ = catalog_load(actor=None, path=CATALOG_ROOT)
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG_ROOT, copy)
    regime = copy / "regimes/neibao.yaml"
    regime.write_text(
        regime.read_text(encoding="utf-8")
        .replace("label: 对单位罚款", "label: 对单位的罚款")
        .replace(
            "{code: M02, text: 临时检查, kind: ON_SITE",
            "{code: M02, text: 临时检查, kind: CASE_REVIEW",
        ),
        encoding="utf-8",
    )
    second, created = catalog_load(actor=None, path=copy)
    assert created
    return first, second


def _change_rows(page: str) -> dict[str, list[str]]:
    rows = re.findall(r'<tr data-path="([^"]+)">(.*?)</tr>', page, re.S)
    return {
        path: [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for path, row in rows
    }


def test_a_versions_changes_are_said_in_words(city, two_versions):
    _first, second = two_versions
    page = client_for(city.a_inspector.user).get(f"/catalog/versions/{second.pk}/").content.decode()
    rows = _change_rows(page)
    assert rows["regimes.NEIBAO.figures.unit_fine.label"] == [
        "修改",
        "监督检查事项 · （二） 对单位内部治安保卫的监督检查 · 法定数值 · “对单位的罚款” · 名称",
        "对单位罚款",
        "对单位的罚款",
    ]
    assert rows["regimes.NEIBAO.methods.items.M02.kind"] == [
        "修改",
        "监督检查事项 · （二） 对单位内部治安保卫的监督检查 · 监督检查方式 · 第2项 · 类型",
        "实地检查",
        "阅卷（调阅案卷）",
    ]
    assert identifier_like(page) == []

"""The catalog in force, as a user browses it: unconfirmed figures are visibly marked."""

import html
import json

import pytest
from django.test import Client

from oversight.catalog.export import export_document
from oversight.catalog.loader import load
from oversight.catalog.services import catalog_load
from oversight.org.services import token_issue
from tests.conftest import CATALOG_ROOT, client_for

CATALOG = load(CATALOG_ROOT)


@pytest.fixture
def loaded(db):
    version, _ = catalog_load(actor=None, path=CATALOG_ROOT)
    return version


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
    page = client_for(city.a_inspector.user).get("/catalog/").content.decode()
    assert "oversight catalog load" in page


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

"""Territory pages: a region with its départements, EPCI and COPs; an EPCI with its communes and COPs."""
import pytest

from cop.db import db


def test_region_page_lists_departements_epci_and_cops(client, make):
    region = make.region()
    make.territory(kind="departement", code="69", name="Rhône", region=region, population=1_900_000)
    for index in range(55):
        make.territory(region=region, name=f"CC numéro {index:02d}")
    conference = make.conference(region)
    db.session.commit()
    page = client.get("/territoires/region/84").get_data(as_text=True)
    assert "<h1>Auvergne-Rhône-Alpes</h1>" in page and "Rhône" in page and conference.title in page
    assert "Intercommunalités (55)" in page and "CC numéro 49" in page and "CC numéro 50" not in page
    assert 'href="/territoires/region/84?page=2#epci"' in page
    second = client.get("/territoires/region/84?page=2").get_data(as_text=True)
    assert "CC numéro 54" in second and "CC numéro 00" not in second


def test_epci_page_lists_communes_with_postcodes_region_and_cops(client, make):
    region = make.region()
    epci = make.territory(code="246300701", name="Clermont Auvergne Métropole", region=region,
                          population=295_488, legal_form="METRO")
    make.commune(epci, "63113", "Clermont-Ferrand", ("63000", "63100"), population=147_284)
    make.commune(epci, "63014", "Aubière", ("63170",))
    conference = make.conference(region)
    make.party(conference, epci)
    db.session.commit()
    page = client.get("/territoires/epci/246300701").get_data(as_text=True)
    assert "Clermont-Ferrand" in page and "63000, 63100" in page and "Aubière" in page
    assert "Métropole" in page and "295\u202f488" in page and 'href="/territoires/region/84"' in page
    assert conference.title in page and "Accréditée" in page
    assert "Communes membres (2)" in page


def test_departement_page_lists_its_epci(client, make):
    region = make.region()
    make.territory(kind="departement", code="63", name="Puy-de-Dôme", region=region)
    epci = make.territory(name="CC Dômes Sancy Artense", region=region)
    make.commune(epci, "63038", "Bourg-Lastic", ("63760",))
    db.session.commit()
    page = client.get("/territoires/departement/63").get_data(as_text=True)
    assert "Puy-de-Dôme" in page and "CC Dômes Sancy Artense" in page


@pytest.mark.parametrize("url", ["/territoires/epci/000000000", "/territoires/planete/84",
                                 "/territoires/region/%3Cb%3E"])
def test_unknown_territory_is_a_french_404(client, make, url):
    make.region()
    db.session.commit()
    response = client.get(url)
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Aucun territoire ne correspond" in page and "<b>" not in page


@pytest.mark.parametrize("page", ["99999999999999999999", "1" * 5000, "-3", "deux", "²"])
def test_absurd_page_numbers_do_not_break_the_lists(client, make, page):
    conference = make.conference()
    make.party(conference, name="Seule partie", kind="organisation")
    db.session.commit()
    assert client.get(f"/territoires/region/84?page={page}").status_code == 200
    response = client.get(f"/cop/{conference.id}?page={page}")
    assert response.status_code == 200
    assert ("Seule partie" in response.get_data(as_text=True)) == (not page.isdecimal())

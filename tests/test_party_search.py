"""Finding a party: search and filters on the parties page; a party's page links to its delegation,
commitments and history."""
import pytest

from cop.conferences import parties
from cop.db import db
from tests.commitment_helpers import build_world, draft_input, file


@pytest.fixture
def world(make):
    w = build_world(make)
    dept = make.territory(kind="departement", code="42", name="Loire", population=760_000)
    dept.region_id = w.conference.region.id
    roanne = make.territory(region=w.conference.region, name="Roannais Agglomération", population=100_000)
    make.commune(roanne, "42187", "Roanne", ("42300",))
    w.roanne = make.party(w.conference, roanne, accreditation="invited")
    file(w, w.a, "automobile", draft_input("100"))
    db.session.commit()
    return w


def _names(client, world, query=""):
    page = client.get(f"/cop/{world.conference.id}/parties?{query}").get_data(as_text=True)
    table = page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""
    return {name for name in ("CA du Bassin A", "CC du Val B", "Roannais Agglomération") if name in table}


@pytest.mark.parametrize("query, expected", [
    ("", {"CA du Bassin A", "CC du Val B", "Roannais Agglomération"}),
    ("q=bassin", {"CA du Bassin A"}),
    ("q=ROANNAIS", {"Roannais Agglomération"}),
    ("filed=yes", {"CA du Bassin A"}),
    ("filed=no", {"CC du Val B", "Roannais Agglomération"}),
    ("accreditation=invited", {"Roannais Agglomération"}),
    ("departement=42", {"Roannais Agglomération"}),
    ("kind=epci&filed=no&accreditation=accredited", {"CC du Val B"}),
    ("kind=state", set()),
    ("filed=maybe&accreditation=%27%3B--&kind=x", {"CA du Bassin A", "CC du Val B", "Roannais Agglomération"}),
])
def test_parties_are_searched_and_filtered(world, client, auth, query, expected):
    auth.login("presidence@example.fr")
    assert _names(client, world, query) == expected


def test_the_parties_page_stays_closed_to_parties(world, client, auth):
    auth.login("chef.a@example.fr")
    assert client.get(f"/cop/{world.conference.id}/parties?q=bassin").status_code == 403


def test_pagination_keeps_the_filters(world, make, client, auth):
    from cop.pagination import PER_PAGE

    for index in range(PER_PAGE + 1):
        make.party(world.conference, make.territory(region=world.conference.region, name=f"CC Filtrée {index:02}"))
    db.session.commit()
    auth.login("presidence@example.fr")
    page = client.get(f"/cop/{world.conference.id}/parties?q=filtr%C3%A9e&filed=no").get_data(as_text=True)
    assert "q=filtr%C3%A9e" in page.split('rel="next"')[0].rsplit("href=", 1)[1] and "filed=no" in page


def test_party_page_links_to_delegation_commitments_and_history(world, client, auth):
    parties.set_accreditation(world.presidency, world.roanne, "accredited")
    db.session.commit()
    url = f"/cop/{world.conference.id}/parties/{world.a.id}"
    page = client.get(url).get_data(as_text=True)
    assert f"/engagements?partie={world.a.id}" in page and "version 1 soumise" in page and "version 1 acceptée" in page
    assert "/delegation" not in page                     # the public does not see the delegation
    auth.login("chef.a@example.fr")
    delegation = f'href="/cop/{world.conference.id}/parties/{world.a.id}/delegation"'
    assert delegation in client.get(url).get_data(as_text=True)
    page = client.get(f"/cop/{world.conference.id}/parties/{world.roanne.id}").get_data(as_text=True)
    assert "Accréditation : Accréditée" in page or "Accréditation : accréditée" in page.lower()


def _table(page: str) -> set[str]:
    section = page.split('id="parties"')[1]
    table = section.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in section else ""
    return {name for name in ("CA du Bassin A", "CC du Val B", "Roannais Agglomération") if name in table}


@pytest.mark.parametrize("query, expected", [
    ("", {"CA du Bassin A", "CC du Val B", "Roannais Agglomération"}),
    ("q=bassin", {"CA du Bassin A"}),
    ("q=roannais+agglo", {"Roannais Agglomération"}),
    ("filed=yes", {"CA du Bassin A"}),
    ("filed=no", {"CC du Val B", "Roannais Agglomération"}),
    ("departement=42", {"Roannais Agglomération"}),
    ("kind=epci&filed=no&departement=42", {"Roannais Agglomération"}),
    ("kind=state", set()),
    ("q=%25", set()), ("q=_", set()), ("q=%27%3B+DROP+TABLE+party%3B--", set()),
    ("q=" + "x" * 3000, set()),
    ("filed=maybe&kind=%3Cscript%3E&departement=%25", {"CA du Bassin A", "CC du Val B", "Roannais Agglomération"}),
])
@pytest.mark.parametrize("door", ["public", "overview"])
def test_the_public_and_overview_lists_are_filtered_without_script(world, client, door, query, expected):
    url = f"/portail/cop/{world.conference.id}" if door == "public" else f"/cop/{world.conference.id}"
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _table(page) == expected
    form = page.split('aria-label="Chercher une partie"')[1].split("</form>")[0]
    assert 'method="get"' in page.split('aria-label="Chercher une partie"')[0].rsplit("<form", 1)[1]
    for field in ("q", "filed", "departement", "kind"):
        assert f'<label for="parties-{field}">' in form and f'id="parties-{field}"' in form
    assert ("accreditation" in form) is (door == "overview")
    assert "<script" not in form


def test_the_public_list_keeps_its_filters_from_page_to_page(world, make, client):
    for index in range(26):
        make.party(world.conference, make.territory(region=world.conference.region, name=f"CC Filtrée {index:02}"))
    db.session.commit()
    page = client.get(f"/portail/cop/{world.conference.id}?q=filtr%C3%A9e&kind=epci").get_data(as_text=True)
    assert "27 parties" not in page and "26 parties" in page
    following = page.split('rel="next"')[0].rsplit("href=", 1)[1]
    assert "q=filtr%C3%A9e" in following and "kind=epci" in following
    page = client.get(f"/portail/cop/{world.conference.id}?q=filtr%C3%A9e&kind=epci&page=2").get_data(as_text=True)
    assert "CC Filtrée 25" in page and "CC Filtrée 00" not in page
